import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../config/app-config';
import type { UserAuthStateCache } from '../users/user-auth-state.cache';
import type { UserAuthState } from '../users/users.repository';
import { JwtStrategy } from './jwt.strategy';

const strategyWith = (state: UserAuthState | null) =>
  new JwtStrategy(
    { jwtSecret: 'unit-test-secret-unit-test-secret' } as AppConfig,
    { get: async () => state } as unknown as UserAuthStateCache,
  );

describe('JwtStrategy.validate', () => {
  const base: UserAuthState = { role: 'user', isActive: true, tokenVersion: 5 };

  it('accepts the current token version and names the session', async () => {
    expect(await strategyWith(base).validate({ sub: 'u1', tv: 5, sid: 's1' })).toEqual({
      id: 'u1',
      role: 'user',
      sessionId: 's1',
    });
    expect(await strategyWith(base).validate({ sub: 'u1', tv: 4, sid: 's1' })).toBe(false);
  });

  it('after a password change, keeps the older tokens of the session that changed it and no one else’s', async () => {
    const state = { ...base, keptSessionId: 's1', keptSessionVersion: 3 };
    expect(await strategyWith(state).validate({ sub: 'u1', tv: 4, sid: 's1' })).toMatchObject({ sessionId: 's1' });
    expect(await strategyWith(state).validate({ sub: 'u1', tv: 3, sid: 's1' })).toMatchObject({ id: 'u1' });
    // Tokens of that session from before it was kept ended with an earlier change.
    expect(await strategyWith(state).validate({ sub: 'u1', tv: 2, sid: 's1' })).toBe(false);
    expect(await strategyWith(state).validate({ sub: 'u1', tv: 4, sid: 's2' })).toBe(false);
    expect(await strategyWith(state).validate({ sub: 'u1', tv: 4 })).toBe(false);
  });

  it('refuses the tokens of a session that ended (logout), not those of the user’s other sessions', async () => {
    const state = { ...base, endedSessionIds: ['s1'] };
    expect(await strategyWith(state).validate({ sub: 'u1', tv: 5, sid: 's1' })).toBe(false);
    expect(await strategyWith(state).validate({ sub: 'u1', tv: 5, sid: 's2' })).toMatchObject({ sessionId: 's2' });
  });

  it('refuses a disabled user, an unknown one, and malformed payloads', async () => {
    expect(await strategyWith({ ...base, isActive: false }).validate({ sub: 'u1', tv: 5, sid: 's1' })).toBe(false);
    expect(await strategyWith(null).validate({ sub: 'u1', tv: 5 })).toBe(false);
    expect(await strategyWith(base).validate({ sub: 'u1' } as never)).toBe(false);
  });
});
