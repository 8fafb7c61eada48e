import type { User } from '@modelyard/contracts';
import type { UserEntity } from './user.entity';

export function toUser(entity: UserEntity): User {
  return {
    id: entity.id,
    email: entity.email,
    nickname: entity.nickname,
    role: entity.role,
    isActive: entity.isActive,
    avatarUrl: entity.avatarFile ? `/api/users/${entity.id}/avatar?v=${encodeURIComponent(entity.avatarFile)}` : null,
    preferences: entity.preferences ?? {},
    createdAt: entity.createdAt.toISOString(),
    lastLoginAt: entity.lastLoginAt ? entity.lastLoginAt.toISOString() : null,
  };
}
