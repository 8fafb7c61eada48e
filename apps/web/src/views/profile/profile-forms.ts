import { ChangePasswordSchema, UpdateMeSchema, type User } from '@modelyard/contracts';
import type { FormRules } from 'element-plus';
import { computed } from 'vue';
import { useZodRules } from '@/composables/useZodRules';

export interface ProfileModel {
  nickname: string;
  email: string;
}

export interface PasswordModel {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

export const profileFromUser = (user: User): ProfileModel => ({ nickname: user.nickname, email: user.email });
export const emptyPassword = (): PasswordModel => ({ currentPassword: '', newPassword: '', confirmPassword: '' });

/** Only the fields that differ from the saved user go into PATCH /auth/me. */
export function profileChanges(user: User, model: ProfileModel): { nickname?: string; email?: string } {
  const changes: { nickname?: string; email?: string } = {};
  const nickname = model.nickname.trim();
  const email = model.email.trim().toLowerCase();
  if (nickname !== user.nickname) changes.nickname = nickname;
  if (email !== user.email) changes.email = email;
  return changes;
}

export function useProfileRules() {
  const { zodRule } = useZodRules();
  const shape = UpdateMeSchema.shape;
  return computed<FormRules<ProfileModel>>(() => ({
    nickname: zodRule(shape.nickname.unwrap()),
    email: zodRule(shape.email.unwrap()),
  }));
}

export function usePasswordRules(newPassword: () => string) {
  const { zodRule, sameAs } = useZodRules();
  return computed<FormRules<PasswordModel>>(() => ({
    currentPassword: zodRule(ChangePasswordSchema.shape.currentPassword),
    newPassword: zodRule(ChangePasswordSchema.shape.newPassword),
    confirmPassword: sameAs(newPassword),
  }));
}

export const AVATAR_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;

export type AvatarProblem = 'invalidType' | 'tooLarge';

/** Checked before uploading; the server checks again (and re-encodes the image). */
export function checkAvatarFile(file: Pick<File, 'type' | 'size'>): AvatarProblem | null {
  if (!(AVATAR_TYPES as readonly string[]).includes(file.type)) return 'invalidType';
  if (file.size > AVATAR_MAX_BYTES) return 'tooLarge';
  return null;
}
