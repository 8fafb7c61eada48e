import { describe, expect, it, vi } from 'vitest';
import { AppException } from '../../common/errors/app-exception';
import type { AuditService } from '../audit/audit.service';
import type { AvatarStorageRepository } from './avatar-storage.repository';
import type { UserAuthStateCache } from './user-auth-state.cache';
import type { UserEntity } from './user.entity';
import type { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

const meta = { ip: '10.0.0.9', requestId: 'req-7', userAgent: null };
const entity = (overrides: Partial<UserEntity> = {}): UserEntity => ({
  id: 'target',
  email: 'bob@example.com',
  nickname: 'bob',
  passwordHash: 'h',
  role: 'user',
  isActive: true,
  tokenVersion: 0,
  keptSessionId: null,
  keptSessionVersion: null,
  avatarFile: null,
  preferences: {},
  createdAt: new Date(),
  updatedAt: new Date(),
  lastLoginAt: null,
  ...overrides,
});

function setup() {
  const users = {
    findById: vi.fn(async () => entity()),
    update: vi.fn(async (_id: string, changes: Partial<UserEntity>) => entity(changes)),
    endSessions: vi.fn(),
    emailTaken: vi.fn(async () => false),
    nicknameTaken: vi.fn(async () => false),
  };
  const authState = { invalidate: vi.fn() };
  const audit = { record: vi.fn() };
  const service = new UsersService(
    users as unknown as UsersRepository,
    authState as unknown as UserAuthStateCache,
    {} as AvatarStorageRepository,
    audit as unknown as AuditService,
  );
  return { service, users, authState, audit };
}

describe('UsersService.adminUpdate', () => {
  it('disables a user at once: token version bumped, cached state dropped, audited with before/after and IP', async () => {
    const { service, users, authState, audit } = setup();
    const result = await service.adminUpdate('admin', 'target', { isActive: false }, meta);
    expect(result.isActive).toBe(false);
    expect(users.endSessions).toHaveBeenCalledWith('target', { keep: null });
    expect(authState.invalidate).toHaveBeenCalledWith('target');
    expect(audit.record).toHaveBeenCalledWith({
      actorId: 'admin',
      action: 'user.disabled',
      targetType: 'user',
      targetId: 'target',
      before: { isActive: true },
      after: { isActive: false },
      meta,
    });
  });

  it('applies a role change to the token the user already holds: cache dropped, tokens not retired', async () => {
    const { service, users, authState } = setup();
    await service.adminUpdate('admin', 'target', { role: 'admin' }, meta);
    expect(users.endSessions).not.toHaveBeenCalled();
    expect(authState.invalidate).toHaveBeenCalledWith('target');
  });

  it('records a role change and a status change as two entries', async () => {
    const { service, audit } = setup();
    await service.adminUpdate('admin', 'target', { role: 'admin', isActive: false }, meta);
    expect(audit.record.mock.calls.map((c) => (c[0] as { action: string }).action)).toEqual([
      'user.role_changed',
      'user.disabled',
    ]);
  });

  it('refuses an admin acting on themselves', async () => {
    const { service, users } = setup();
    await expect(service.adminUpdate('same', 'same', { role: 'user' }, meta)).rejects.toMatchObject({
      statusCode: 409,
      code: 'CANNOT_MODIFY_SELF',
    });
    expect(users.update).not.toHaveBeenCalled();
  });

  it('does nothing (and logs nothing) when nothing changes', async () => {
    const { service, users, audit } = setup();
    await service.adminUpdate('admin', 'target', { role: 'user', isActive: true }, meta);
    expect(users.update).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('answers 404 for an unknown user', async () => {
    const { service, users } = setup();
    users.findById.mockResolvedValueOnce(null as unknown as UserEntity);
    const error = await service.adminUpdate('admin', 'ghost', { isActive: false }, meta).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppException);
    expect((error as AppException).statusCode).toBe(404);
  });
});

describe('UsersService.updateProfile', () => {
  it('refuses an email another account already uses', async () => {
    const { service, users } = setup();
    users.emailTaken.mockResolvedValueOnce(true);
    await expect(service.updateProfile('target', { email: 'taken@example.com' })).rejects.toMatchObject({
      statusCode: 409,
      code: 'EMAIL_TAKEN',
    });
  });

  it('merges preferences instead of replacing them', async () => {
    const { service, users } = setup();
    users.findById.mockResolvedValueOnce(entity({ preferences: { theme: 'dark' } }));
    await service.updateProfile('target', { preferences: { locale: 'en' } });
    expect(users.update).toHaveBeenCalledWith('target', { preferences: { theme: 'dark', locale: 'en' } });
  });
});
