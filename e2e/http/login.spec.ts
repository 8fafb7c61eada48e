import type { User } from '@modelyard/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  adminClient,
  ApiClient,
  detailPaths,
  expectEnvelope,
  parseSetCookie,
  REFRESH_COOKIE,
  registerUser,
  type RegisteredUser,
  uniqueEmail,
} from './support/client';

describe('POST /api/auth/login', () => {
  let account: RegisteredUser;

  beforeAll(async () => {
    account = await registerUser();
  });

  it('returns an access token, its lifetime and the user, and sets the refresh cookie', async () => {
    const client = new ApiClient();
    const res = await client.login(account.email, account.password);

    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'expiresIn', 'user']);
    expect(res.body.accessToken.split('.')).toHaveLength(3);
    expect(Number.isInteger(res.body.expiresIn) && res.body.expiresIn > 0).toBe(true);
    expect(res.body.user).toMatchObject({ id: account.user.id, email: account.email, role: 'user', isActive: true });
    expect(res.text).not.toContain(account.password);

    const cookies = res.setCookies.map(parseSetCookie).filter((c) => c.name === REFRESH_COOKIE);
    expect(cookies).toHaveLength(1);
    const cookie = cookies[0]!;
    expect(cookie.value.length).toBeGreaterThanOrEqual(32);
    expect(cookie.value).not.toBe(res.body.accessToken);
    expect(cookie.attributes.get('httponly')).toBe(true);
    expect(String(cookie.attributes.get('samesite')).toLowerCase()).toBe('strict');
    expect(cookie.attributes.get('path')).toBe('/api/auth');
    expect(Number(cookie.attributes.get('max-age'))).toBeGreaterThan(0);

    // The token is accepted right away.
    const me = await client.me();
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(account.user.id);
  });

  it('records when the user last signed in', async () => {
    const fresh = await registerUser();
    expect(fresh.user.lastLoginAt).toBeNull();
    const client = new ApiClient();
    const res = await client.login(fresh.email, fresh.password);
    const lastLoginAt = res.body.user.lastLoginAt;
    expect(lastLoginAt).not.toBeNull();
    expect(Date.parse(lastLoginAt!)).toBeGreaterThanOrEqual(Date.parse(fresh.user.createdAt));
    expect((await client.me()).body.user.lastLoginAt).toBe(lastLoginAt);
  });

  it('gives the same 401 answer for an unknown email and for a wrong password', async () => {
    const anon = new ApiClient();
    const unknown = expectEnvelope(
      await anon.post('/api/auth/login', { email: uniqueEmail('nobody'), password: 'Whatever123' }),
      401,
      'INVALID_CREDENTIALS',
    );
    const wrong = expectEnvelope(
      await anon.post('/api/auth/login', { email: account.email, password: 'Wrong-password-1' }),
      401,
      'INVALID_CREDENTIALS',
    );
    const { requestId: _a, ...unknownRest } = unknown;
    const { requestId: _b, ...wrongRest } = wrong;
    expect(unknownRest).toEqual(wrongRest);
    // A failed attempt sets no cookie.
    expect(anon.refreshCookie).toBeUndefined();
  });

  it('rejects a request without a password as a validation failure, not as wrong credentials', async () => {
    const body = expectEnvelope(
      await new ApiClient().post('/api/auth/login', { email: account.email }),
      400,
      'VALIDATION_FAILED',
    );
    expect(detailPaths(body)).toEqual(['password']);
  });

  it('locks an account after 5 failures: the 6th attempt, even with the right password, gets 429 with Retry-After', async () => {
    const victim = await registerUser();
    const anon = new ApiClient();
    for (let i = 1; i <= 5; i++) {
      const res = await anon.post('/api/auth/login', { email: victim.email, password: `Wrong-guess-${i}` });
      expectEnvelope(res, 401, 'INVALID_CREDENTIALS');
    }
    const sixth = await anon.post('/api/auth/login', { email: victim.email, password: 'Wrong-guess-6' });
    expectEnvelope(sixth, 429, 'TOO_MANY_ATTEMPTS');
    const retryAfter = sixth.headers.get('retry-after');
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(15 * 60);

    const right = await anon.post('/api/auth/login', { email: victim.email, password: victim.password });
    expectEnvelope(right, 429, 'TOO_MANY_ATTEMPTS');
    expect(right.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(anon.refreshCookie).toBeUndefined();

    // Only that account is locked: others still sign in from the same address.
    expect((await new ApiClient().login(account.email, account.password)).status).toBe(200);
  });

  it('counts guesses sent all at once: no more than 5 are checked, the rest and then the right password get 429', async () => {
    const victim = await registerUser();
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        new ApiClient().post('/api/auth/login', { email: victim.email, password: `Wrong-guess-${i}` }),
      ),
    );
    const statuses = burst.map((res) => res.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(15);
    expectEnvelope(
      await new ApiClient().post('/api/auth/login', { email: victim.email, password: victim.password }),
      429,
      'TOO_MANY_ATTEMPTS',
    );
  });

  it('refuses a password longer than 72 bytes even when its first 72 are the right password', async () => {
    const password = `A1${'b'.repeat(70)}`;
    const owner = await registerUser({ password });
    const longer = await new ApiClient().post('/api/auth/login', { email: owner.email, password: `${password}EXTRA` });
    expectEnvelope(longer, 401, 'INVALID_CREDENTIALS');
    expect((await new ApiClient().login(owner.email, password)).status).toBe(200);
  });

  it('refuses a disabled account with the right password with 403 ACCOUNT_DISABLED', async () => {
    const target = await registerUser();
    const admin = await adminClient();
    const disabled = await admin.patch<User>(`/api/admin/users/${target.user.id}`, { isActive: false });
    expect(disabled.status).toBe(200);

    const anon = new ApiClient();
    const res = await anon.post('/api/auth/login', { email: target.email, password: target.password });
    expectEnvelope(res, 403, 'ACCOUNT_DISABLED');
    expect(anon.refreshCookie).toBeUndefined();

    // Re-enabled, the same credentials work again.
    expect((await admin.patch(`/api/admin/users/${target.user.id}`, { isActive: true })).status).toBe(200);
    expect((await anon.login(target.email, target.password)).status).toBe(200);
  });
});
