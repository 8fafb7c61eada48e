import { Injectable } from '@nestjs/common';
import type { AdminUpdateUserInput, AdminUserQuery, Paginated, UpdateMeInput, User } from '@modelyard/contracts';
import type { RequestMeta } from '../../common/auth/auth.decorators';
import { paginated } from '../../common/pagination';
import { AuditService } from '../audit/audit.service';
import { AvatarStorageRepository, NotAnImageError } from './avatar-storage.repository';
import { UserAuthStateCache } from './user-auth-state.cache';
import type { UserEntity } from './user.entity';
import { toUser } from './user.mapper';
import { usersError, UsersErrorCode } from './users.errors';
import { type UserChanges, UsersRepository } from './users.repository';

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly authState: UserAuthStateCache,
    private readonly avatars: AvatarStorageRepository,
    private readonly audit: AuditService,
  ) {}

  async getEntity(id: string): Promise<UserEntity> {
    const user = await this.users.findById(id);
    if (!user) throw usersError(UsersErrorCode.UserNotFound, 'User not found');
    return user;
  }

  async get(id: string): Promise<User> {
    return toUser(await this.getEntity(id));
  }

  async assertAvailable(email: string | undefined, nickname: string | undefined, exceptId?: string): Promise<void> {
    if (email && (await this.users.emailTaken(email, exceptId))) {
      throw usersError(UsersErrorCode.EmailTaken, 'This email is already registered', [
        { path: 'email', message: 'already registered' },
      ]);
    }
    if (nickname && (await this.users.nicknameTaken(nickname, exceptId))) {
      throw usersError(UsersErrorCode.NicknameTaken, 'This nickname is already taken', [
        { path: 'nickname', message: 'already taken' },
      ]);
    }
  }

  async updateProfile(id: string, input: UpdateMeInput): Promise<User> {
    const current = await this.getEntity(id);
    await this.assertAvailable(
      input.email && input.email !== current.email ? input.email : undefined,
      input.nickname && input.nickname !== current.nickname ? input.nickname : undefined,
      id,
    );
    const changes: UserChanges = {};
    if (input.email !== undefined) changes.email = input.email;
    if (input.nickname !== undefined) changes.nickname = input.nickname;
    if (input.preferences !== undefined) changes.preferences = { ...current.preferences, ...input.preferences };
    if (Object.keys(changes).length === 0) return toUser(current);
    return toUser(await this.users.update(id, changes));
  }

  async setAvatar(id: string, upload: Buffer): Promise<User> {
    const current = await this.getEntity(id);
    let fileName: string;
    try {
      fileName = await this.avatars.save(id, upload);
    } catch (error) {
      if (error instanceof NotAnImageError) {
        throw usersError(UsersErrorCode.AvatarInvalid, 'The avatar must be a PNG, JPEG or WebP image');
      }
      throw error;
    }
    const updated = await this.users.update(id, { avatarFile: fileName });
    if (current.avatarFile && current.avatarFile !== fileName) await this.avatars.remove(current.avatarFile);
    return toUser(updated);
  }

  async readAvatar(id: string): Promise<Buffer> {
    const user = await this.users.findById(id);
    const bytes = user?.avatarFile ? await this.avatars.read(user.avatarFile) : null;
    if (!bytes) throw usersError(UsersErrorCode.AvatarNotFound, 'No avatar');
    return bytes;
  }

  async list(query: AdminUserQuery): Promise<Paginated<User>> {
    const [rows, total] = await this.users.list(query);
    return paginated(rows.map(toUser), total, query.page, query.pageSize);
  }

  /** Role and status changes by an admin: audited, and effective on the target's very next request. */
  async adminUpdate(actorId: string, targetId: string, input: AdminUpdateUserInput, meta: RequestMeta): Promise<User> {
    if (actorId === targetId) {
      throw usersError(UsersErrorCode.CannotModifySelf, 'Admins cannot change their own role or status');
    }
    const before = await this.getEntity(targetId);
    const changes: UserChanges = {};
    if (input.role !== undefined && input.role !== before.role) changes.role = input.role;
    if (input.isActive !== undefined && input.isActive !== before.isActive) changes.isActive = input.isActive;
    if (Object.keys(changes).length === 0) return toUser(before);

    const removesAnAdmin =
      before.role === 'admin' && before.isActive && (changes.role === 'user' || changes.isActive === false);
    const after = removesAnAdmin
      ? await this.users.updateKeepingAnAdmin(targetId, changes)
      : await this.users.update(targetId, changes);
    if (!after) {
      throw usersError(UsersErrorCode.LastAdmin, 'At least one active administrator must remain', [
        { path: [changes.role !== undefined ? 'role' : 'isActive'], message: 'would leave no active administrator' },
      ]);
    }
    // The guard reads role and active flag fresh (cache dropped here), so a promotion works on the token the user
    // already holds; disabling also retires every token issued so far.
    if (changes.isActive === false) await this.users.endSessions(targetId, { keep: null });
    await this.authState.invalidate(targetId);

    const events: { action: string; before: Record<string, unknown>; after: Record<string, unknown> }[] = [];
    if (changes.role !== undefined) {
      events.push({ action: 'user.role_changed', before: { role: before.role }, after: { role: after.role } });
    }
    if (changes.isActive !== undefined) {
      events.push({
        action: after.isActive ? 'user.enabled' : 'user.disabled',
        before: { isActive: before.isActive },
        after: { isActive: after.isActive },
      });
    }
    for (const event of events) {
      await this.audit.record({ actorId, targetType: 'user', targetId, meta, ...event });
    }
    return toUser(after);
  }
}
