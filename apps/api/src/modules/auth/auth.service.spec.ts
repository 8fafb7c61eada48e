import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { JwtService } from '@nestjs/jwt';
import type { PinoLogger } from 'nestjs-pino';
import { AppException } from '../../common/errors/app-exception';
import type { AppConfig } from '../../config/app-config';
import { parseEnv } from '../../config/config.schema';
import type { SettingsService } from '../settings/settings.service';
import type { UserAuthStateCache } from '../users/user-auth-state.cache';
import type { UserEntity } from '../users/user.entity';
import type { UsersRepository } from '../users/users.repository';
import type { UsersService } from '../users/users.service';
import { AuthService, isConcurrentRefresh } from './auth.service';
import type { LoginThrottleService } from './login-throttle.service';
import type { PasswordHasher } from './password-hasher';
import type { RefreshTokenEntity } from './refresh-token.entity';
import type { RefreshTokensRepository } from './refresh-tokens.repository';

const meta = { ip: '10.0.0.1', requestId: 'req', userAgent: 'test' };
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function user(overrides: Partial<UserEntity> = {}): UserEntity {
  return {
    id: 'u1',
    email: 'ann@example.com',
    nickname: 'ann',
    passwordHash: 'hash:right-password1',
    role: 'user',
    isActive: true,
    tokenVersion: 3,
    keptSessionId: null,
    keptSessionVersion: null,
    avatarFile: null,
    preferences: {},
    createdAt: new Date('2026-01-01T00:00:00Z'),
    updatedAt: new Date('2026-01-01T00:00:00Z'),
    lastLoginAt: null,
    ...overrides,
  };
}

function token(overrides: Partial<RefreshTokenEntity> = {}): RefreshTokenEntity {
  return {
    id: 't1',
    userId: 'u1',
    familyId: 'fam',
    tokenHash: sha('presented'),
    expiresAt: new Date(Date.now() + 60_000),
    createdAt: new Date(),
    usedAt: null,
    revokedAt: null,
    replacedBy: null,
    ip: null,
    userAgent: null,
    ...overrides,
  };
}

describe('AuthService', () => {
  let users: Record<string, ReturnType<typeof vi.fn>>;
  let refreshTokens: Record<string, ReturnType<typeof vi.fn>>;
  let throttle: Record<string, ReturnType<typeof vi.fn>>;
  let authState: Record<string, ReturnType<typeof vi.fn>>;
  let service: AuthService;

  beforeEach(() => {
    users = {
      findByEmail: vi.fn(),
      findById: vi.fn(),
      update: vi.fn(async (_id: string, changes: Partial<UserEntity>) => user(changes)),
      authState: vi.fn(async () => ({ role: 'user', isActive: true, tokenVersion: 3 })),
      endSessions: vi.fn(),
      create: vi.fn(),
    };
    refreshTokens = {
      create: vi.fn(async (t: Partial<RefreshTokenEntity>) => token({ ...t, id: 't2' })),
      findByHash: vi.fn(),
      claim: vi.fn(async () => true),
      setReplacement: vi.fn(),
      revokeFamily: vi.fn(),
    };
    throttle = {
      beginAttempt: vi.fn(),
      attemptSucceeded: vi.fn(),
      assertRegisterAllowed: vi.fn(),
    };
    authState = { invalidate: vi.fn() };
    const hasher = {
      hash: vi.fn(async (p: string) => `hash:${p}`),
      verify: vi.fn(async (p: string, h: string) => h === `hash:${p}`),
      verifyDecoy: vi.fn(async () => false),
    };
    const usersService = {
      getEntity: vi.fn(async () => user()),
      assertAvailable: vi.fn(),
    };
    const logger = { setContext: vi.fn(), info: vi.fn(), warn: vi.fn() };
    const jwt = { signAsync: vi.fn(async (payload: object) => `jwt:${JSON.stringify(payload)}`) };
    const settings = { get: vi.fn(async () => ({ registrationOpen: true })) };
    const config = { env: parseEnv({ DATABASE_URL: 'postgres://x', REDIS_URL: 'redis://x' }) };
    service = new AuthService(
      users as unknown as UsersRepository,
      usersService as unknown as UsersService,
      authState as unknown as UserAuthStateCache,
      refreshTokens as unknown as RefreshTokensRepository,
      hasher as unknown as PasswordHasher,
      throttle as unknown as LoginThrottleService,
      settings as unknown as SettingsService,
      jwt as unknown as JwtService,
      config as unknown as AppConfig,
      logger as unknown as PinoLogger,
    );
  });

  const codeOf = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      expect(error).toBeInstanceOf(AppException);
      return `${(error as AppException).statusCode} ${(error as AppException).code}`;
    }
    throw new Error('expected a rejection');
  };

  it('answers unknown email and wrong password identically, and counts both as attempts not given back', async () => {
    users.findByEmail!.mockResolvedValueOnce(null);
    const unknown = await codeOf(service.login({ email: 'nobody@example.com', password: 'whatever1' }, meta));
    users.findByEmail!.mockResolvedValueOnce(user());
    const wrong = await codeOf(service.login({ email: 'ann@example.com', password: 'wrong-password1' }, meta));
    expect(unknown).toBe('401 INVALID_CREDENTIALS');
    expect(wrong).toBe(unknown);
    expect(throttle.beginAttempt).toHaveBeenCalledTimes(2);
    expect(throttle.attemptSucceeded).not.toHaveBeenCalled();
    expect(refreshTokens.create).not.toHaveBeenCalled();
  });

  it('tells a disabled user so only after the right password', async () => {
    users.findByEmail!.mockResolvedValue(user({ isActive: false }));
    expect(await codeOf(service.login({ email: 'ann@example.com', password: 'wrong-password1' }, meta))).toBe(
      '401 INVALID_CREDENTIALS',
    );
    expect(await codeOf(service.login({ email: 'ann@example.com', password: 'right-password1' }, meta))).toBe(
      '403 ACCOUNT_DISABLED',
    );
  });

  it('issues an access token bound to the current token version and a new refresh family on login', async () => {
    users.findByEmail!.mockResolvedValue(user());
    const session = await service.login({ email: 'ann@example.com', password: 'right-password1' }, meta);
    const stored = refreshTokens.create!.mock.calls[0]![0] as RefreshTokenEntity;
    // The access token names its session: the new refresh family.
    expect(session.body.accessToken).toBe(`jwt:{"sub":"u1","tv":3,"sid":"${stored.familyId}"}`);
    expect(session.body.expiresIn).toBe(900);
    expect(session.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(stored.tokenHash).toBe(sha(session.refreshToken));
    expect(stored.tokenHash).not.toContain(session.refreshToken);
    expect(throttle.attemptSucceeded).toHaveBeenCalledWith('ann@example.com', meta.ip);
  });

  it('rotates a live refresh token within its family', async () => {
    refreshTokens.findByHash!.mockResolvedValue(token());
    users.findById!.mockResolvedValue(user());
    const rotated = await service.refresh('presented', meta);
    expect(refreshTokens.claim).toHaveBeenCalledWith('t1');
    expect((refreshTokens.create!.mock.calls[0]![0] as RefreshTokenEntity).familyId).toBe('fam');
    expect(refreshTokens.setReplacement).toHaveBeenCalledWith('t1', 't2');
    expect(rotated.refreshToken).not.toBe('presented');
    expect(refreshTokens.revokeFamily).not.toHaveBeenCalled();
  });

  it('revokes the whole family when a spent refresh token comes back after the reuse grace', async () => {
    refreshTokens.findByHash!.mockResolvedValue(token({ usedAt: new Date(Date.now() - 11_000) }));
    expect(await codeOf(service.refresh('presented', meta))).toBe('401 INVALID_REFRESH_TOKEN');
    expect(refreshTokens.revokeFamily).toHaveBeenCalledWith('fam');
    expect(refreshTokens.create).not.toHaveBeenCalled();
  });

  it('refuses a token presented again within the grace (two tabs refreshing at once) but keeps the session', async () => {
    refreshTokens.findByHash!.mockResolvedValue(token({ usedAt: new Date(Date.now() - 2_000) }));
    users.findById!.mockResolvedValue(user());
    const refused = await service.refresh('presented', meta).catch((error: Error) => error);
    expect(await codeOf(Promise.reject(refused))).toBe('401 INVALID_REFRESH_TOKEN');
    // The browser already holds the successor: the controller leaves the cookie alone.
    expect(isConcurrentRefresh(refused)).toBe(true);
    expect(refreshTokens.create).not.toHaveBeenCalled();
    expect(refreshTokens.revokeFamily).not.toHaveBeenCalled();
  });

  it('treats losing a rotation race as the same concurrent refresh, unless the family was revoked meanwhile', async () => {
    users.findById!.mockResolvedValue(user());
    refreshTokens.claim!.mockResolvedValue(false);
    refreshTokens.findByHash!.mockResolvedValueOnce(token()).mockResolvedValueOnce(token({ usedAt: new Date() }));
    expect(await codeOf(service.refresh('presented', meta))).toBe('401 INVALID_REFRESH_TOKEN');
    expect(refreshTokens.create).not.toHaveBeenCalled();
    expect(refreshTokens.revokeFamily).not.toHaveBeenCalled();

    refreshTokens
      .findByHash!.mockResolvedValueOnce(token())
      .mockResolvedValueOnce(token({ usedAt: new Date(), revokedAt: new Date() }));
    const revoked = await service.refresh('presented', meta).catch((error: Error) => error);
    expect(isConcurrentRefresh(revoked)).toBe(false);
    expect(refreshTokens.revokeFamily).toHaveBeenCalledWith('fam');
  });

  it('never revives a revoked token, even within the grace', async () => {
    refreshTokens.findByHash!.mockResolvedValue(token({ usedAt: new Date(), revokedAt: new Date() }));
    users.findById!.mockResolvedValue(user());
    expect(await codeOf(service.refresh('presented', meta))).toBe('401 INVALID_REFRESH_TOKEN');
    expect(refreshTokens.create).not.toHaveBeenCalled();
  });

  it('refuses to refresh for a disabled user or an expired token', async () => {
    refreshTokens.findByHash!.mockResolvedValue(token());
    users.findById!.mockResolvedValue(user({ isActive: false }));
    expect(await codeOf(service.refresh('presented', meta))).toBe('401 INVALID_REFRESH_TOKEN');
    refreshTokens.findByHash!.mockResolvedValue(token({ expiresAt: new Date(Date.now() - 1) }));
    expect(await codeOf(service.refresh('presented', meta))).toBe('401 INVALID_REFRESH_TOKEN');
    expect(await codeOf(service.refresh(undefined, meta))).toBe('401 INVALID_REFRESH_TOKEN');
  });

  it('ends every other session on password change but keeps the caller’s, named by its access token', async () => {
    refreshTokens.findByHash!.mockResolvedValue(token({ familyId: 'cookie-family' }));
    await service.changePassword(
      'u1',
      { currentPassword: 'right-password1', newPassword: 'new-password2' },
      'presented',
      'token-family',
    );
    expect(users.endSessions).toHaveBeenCalledWith('u1', { keep: 'token-family', passwordHash: 'hash:new-password2' });
    expect(authState.invalidate).toHaveBeenCalledWith('u1');
  });

  it('keeps the refresh cookie’s session when the access token names none, and no session for a stranger’s cookie', async () => {
    refreshTokens.findByHash!.mockResolvedValue(token({ familyId: 'mine' }));
    await service.changePassword('u1', { currentPassword: 'right-password1', newPassword: 'new-password2' }, 'x');
    expect(users.endSessions).toHaveBeenLastCalledWith('u1', { keep: 'mine', passwordHash: 'hash:new-password2' });

    refreshTokens.findByHash!.mockResolvedValue(token({ familyId: 'theirs', userId: 'u2' }));
    await service.changePassword('u1', { currentPassword: 'right-password1', newPassword: 'new-password2' }, 'x');
    expect(users.endSessions).toHaveBeenLastCalledWith('u1', { keep: null, passwordHash: 'hash:new-password2' });
  });

  it('names the refreshed session in the new access token', async () => {
    refreshTokens.findByHash!.mockResolvedValue(token({ familyId: 'fam-9' }));
    users.findById!.mockResolvedValue(user());
    const refreshed = await service.refresh('presented', meta);
    expect(JSON.parse(refreshed.body.accessToken.slice(4))).toMatchObject({ sub: 'u1', sid: 'fam-9' });
  });

  it('refuses a password change with the wrong current password and changes nothing', async () => {
    expect(
      await codeOf(
        service.changePassword('u1', { currentPassword: 'nope-nope1', newPassword: 'new-password2' }, undefined),
      ),
    ).toBe('400 WRONG_CURRENT_PASSWORD');
    expect(users.endSessions).not.toHaveBeenCalled();
    // The guess counts against the account's sign-in budget and is not given back.
    expect(throttle.beginAttempt).toHaveBeenCalledWith(user().email, 'unknown');
    expect(throttle.attemptSucceeded).not.toHaveBeenCalled();
  });
});
