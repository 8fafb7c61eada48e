import { z } from 'zod';

export const ROLES = ['user', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const THEMES = ['system', 'light', 'dark'] as const;
export const LOCALES = ['zh-CN', 'en'] as const;

export const PreferencesSchema = z.object({
  theme: z.enum(THEMES).optional(),
  locale: z.enum(LOCALES).optional(),
  /** Chat: hide the models' thinking and show answers only. */
  answersOnly: z.boolean().optional(),
  /** Chat: Enter sends (Shift+Enter breaks the line); when false only Ctrl/Cmd+Enter sends. */
  enterToSend: z.boolean().optional(),
});
export type Preferences = z.infer<typeof PreferencesSchema>;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 72;
/** bcrypt reads only the first 72 bytes: a longer password would be checked by its first 72 alone. */
export const PASSWORD_MAX_BYTES = 72;

export const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'must be a valid email address' }));

/**
 * Shown to other users, so it must read as what it is: no control or invisible format characters (zero-width
 * spaces, direction overrides: "ali\u200bce" would pass for "alice"), one Unicode form (NFC) for the uniqueness check.
 */
export const NicknameSchema = z
  .string()
  .trim()
  .transform((value) => value.normalize('NFC'))
  .pipe(
    z
      .string()
      .min(2, 'must be at least 2 characters')
      .max(32, 'must be at most 32 characters')
      .regex(/^[^\p{Cc}\p{Cf}<>]+$/u, 'must not contain control or invisible characters, or angle brackets'),
  );

export const PasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`)
  .regex(/\p{L}/u, 'must contain a letter')
  .regex(/\p{Nd}/u, 'must contain a digit')
  .refine((value) => new TextEncoder().encode(value).length <= PASSWORD_MAX_BYTES, {
    message: `must be at most ${PASSWORD_MAX_BYTES} bytes in UTF-8 (about 24 Chinese characters)`,
  });

export const RegisterSchema = z.object({
  email: EmailSchema,
  nickname: NicknameSchema,
  password: PasswordSchema,
});
export type RegisterInput = z.infer<typeof RegisterSchema>;

export const LoginSchema = z.object({
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(1024),
});
export type LoginInput = z.infer<typeof LoginSchema>;

export const UpdateMeSchema = z.object({
  nickname: NicknameSchema.optional(),
  email: EmailSchema.optional(),
  preferences: PreferencesSchema.optional(),
});
export type UpdateMeInput = z.infer<typeof UpdateMeSchema>;

export const ChangePasswordSchema = z
  .object({
    currentPassword: z.string().min(1).max(1024),
    newPassword: PasswordSchema,
  })
  .refine((input) => input.newPassword !== input.currentPassword, {
    path: ['newPassword'],
    message: 'must differ from the current password',
  });
export type ChangePasswordInput = z.infer<typeof ChangePasswordSchema>;

export interface User {
  id: string;
  email: string;
  nickname: string;
  role: Role;
  isActive: boolean;
  avatarUrl: string | null;
  preferences: Preferences;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface LoginResponse {
  accessToken: string;
  expiresIn: number;
  user: User;
}

export interface RefreshResponse {
  accessToken: string;
  expiresIn: number;
}

/** A rough 0–4 score for the strength meter; the server's rules are in PasswordSchema. */
export function passwordStrength(password: string): 0 | 1 | 2 | 3 | 4 {
  if (!password) return 0;
  let score = 0;
  if (password.length >= PASSWORD_MIN_LENGTH) score++;
  if (password.length >= 12) score++;
  if (/\p{Ll}/u.test(password) && /\p{Lu}/u.test(password)) score++;
  if (/\p{Nd}/u.test(password) && /[^\p{L}\p{Nd}]/u.test(password)) score++;
  if (!PasswordSchema.safeParse(password).success) score = Math.min(score, 1);
  return score as 0 | 1 | 2 | 3 | 4;
}

/** Response shapes, described as schemas so the OpenAPI document can name them. */
export const UserSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  nickname: z.string(),
  role: RoleSchema,
  isActive: z.boolean(),
  avatarUrl: z.string().nullable(),
  preferences: PreferencesSchema,
  createdAt: z.iso.datetime(),
  lastLoginAt: z.iso.datetime().nullable(),
});

export const UserEnvelopeSchema = z.object({ user: UserSchema });

export const LoginResponseSchema = z.object({
  accessToken: z.string(),
  expiresIn: z.number().int().describe('seconds until the access token expires'),
  user: UserSchema,
});

export const RefreshResponseSchema = LoginResponseSchema.omit({ user: true });
