import { createHmac } from 'node:crypto';
import type { User } from '@modelyard/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ApiClient,
  adminClient,
  detailPaths,
  expectEnvelope,
  newSignedInUser,
  REFRESH_COOKIE,
  type SignedInUser,
  signIn,
  strongPassword,
  uniqueEmail,
  uniqueNickname,
} from './support/client';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A well-formed JWT for a real user id, signed with a key the server does not know. */
function forgedToken(sub: string, alg: 'HS256' | 'none'): string {
  const now = Math.floor(Date.now() / 1000);
  const head = `${b64url({ alg, typ: 'JWT' })}.${b64url({ sub, tv: 0, iat: now, exp: now + 600 })}`;
  if (alg === 'none') return `${head}.`;
  return `${head}.${createHmac('sha256', 'not-the-server-secret-not-the-server-secret').update(head).digest('base64url')}`;
}

/** Shared by the tests that leave them as they found them (read-only, or rejected changes). */
let alice: SignedInUser;
let bob: SignedInUser;

beforeAll(async () => {
  alice = await newSignedInUser();
  bob = await newSignedInUser();
});

describe('GET /api/auth/me', () => {
  it('answers 401 UNAUTHORIZED without a token', async () => {
    expectEnvelope(await new ApiClient().me(), 401, 'UNAUTHORIZED');
  });

  it('answers 401 for a garbage token and for a non-bearer scheme', async () => {
    expectEnvelope(await new ApiClient('garbage.token.value').me(), 401, 'UNAUTHORIZED');
    const basic = await new ApiClient().get('/api/auth/me', { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expectEnvelope(basic, 401, 'UNAUTHORIZED');
  });

  it('answers 401 for forged tokens naming a real user', async () => {
    expectEnvelope(await new ApiClient(forgedToken(alice.user.id, 'HS256')).me(), 401, 'UNAUTHORIZED');
    expectEnvelope(await new ApiClient(forgedToken(alice.user.id, 'none')).me(), 401, 'UNAUTHORIZED');
  });

  it('returns the signed-in user only, never another one', async () => {
    const aliceMe = await alice.client.me();
    const bobMe = await bob.client.me();
    expect(aliceMe.status).toBe(200);
    expect(aliceMe.body.user).toMatchObject({ id: alice.user.id, email: alice.email, nickname: alice.nickname });
    expect(bobMe.body.user).toMatchObject({ id: bob.user.id, email: bob.email });
    expect(aliceMe.text).not.toContain(bob.email);
    // A refresh cookie is not a way in either.
    const cookieOnly = new ApiClient();
    cookieOnly.cookies.set(REFRESH_COOKIE, alice.client.refreshCookie!);
    expectEnvelope(await cookieOnly.me(), 401, 'UNAUTHORIZED');
  });
});

describe('PATCH /api/auth/me', () => {
  it('changes nickname, email and preferences; they persist and the new email signs in', async () => {
    const account = await newSignedInUser();
    const { client } = account;
    const nickname = uniqueNickname('renamed');
    const email = uniqueEmail('moved');
    const res = await client.patch<{ user: User }>('/api/auth/me', {
      nickname,
      email: email.toUpperCase(),
      preferences: { theme: 'dark', locale: 'en' },
    });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ nickname, email, preferences: { theme: 'dark', locale: 'en' } });

    expect((await client.me()).body.user).toMatchObject({
      nickname,
      email,
      preferences: { theme: 'dark', locale: 'en' },
    });

    // Preferences merge: changing one keeps the other.
    const partial = await client.patch<{ user: User }>('/api/auth/me', { preferences: { locale: 'zh-CN' } });
    expect(partial.body.user.preferences).toEqual({ theme: 'dark', locale: 'zh-CN' });

    // The new email signs in, the old one no longer does.
    const again = await new ApiClient().login(email, account.password);
    expect(again.status).toBe(200);
    expect(again.body.user.preferences).toEqual({ theme: 'dark', locale: 'zh-CN' });
    expectEnvelope(
      await new ApiClient().post('/api/auth/login', { email: account.email, password: account.password }),
      401,
      'INVALID_CREDENTIALS',
    );
  });

  it('refuses an email or nickname that belongs to someone else with 409', async () => {
    const { client } = alice;
    const before = (await client.me()).body.user;
    expectEnvelope(await client.patch('/api/auth/me', { email: bob.email.toUpperCase() }), 409, 'EMAIL_TAKEN');
    expectEnvelope(await client.patch('/api/auth/me', { nickname: bob.nickname }), 409, 'NICKNAME_TAKEN');
    // Nothing changed, and re-sending one's own values is not a conflict.
    expect((await client.me()).body.user).toEqual(before);
    expect((await client.patch('/api/auth/me', { email: before.email, nickname: before.nickname })).status).toBe(200);
    expect((await bob.client.me()).body.user).toMatchObject({ email: bob.email, nickname: bob.nickname });
  });

  it('strips unknown keys: they are neither echoed nor stored, and cannot raise privileges', async () => {
    const { client, user } = alice;
    const res = await client.patch<{ user: User }>('/api/auth/me', {
      nickname: uniqueNickname('strip'),
      role: 'admin',
      isActive: false,
      passwordHash: 'x',
      favouriteColour: 'green',
      preferences: { theme: 'light', fontSize: 30 },
    });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('favouriteColour');
    expect(res.text).not.toContain('fontSize');
    expect(res.text).not.toContain('passwordHash');
    expect(res.body.user.role).toBe('user');
    expect(res.body.user.isActive).toBe(true);
    expect(res.body.user.preferences).toEqual({ theme: 'light' });

    const me = await client.me();
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: user.id, role: 'user', isActive: true, preferences: { theme: 'light' } });
    expect(me.text).not.toContain('fontSize');
    expectEnvelope(await client.get('/api/admin/users'), 403, 'FORBIDDEN');
  });

  it('validates values, naming the field', async () => {
    const { client } = bob;
    const theme = expectEnvelope(
      await client.patch('/api/auth/me', { preferences: { theme: 'purple' } }),
      400,
      'VALIDATION_FAILED',
    );
    expect(detailPaths(theme)).toEqual(['preferences.theme']);
    const email = expectEnvelope(await client.patch('/api/auth/me', { email: 'nope' }), 400, 'VALIDATION_FAILED');
    expect(detailPaths(email)).toEqual(['email']);
  });

  it('needs a signed-in user', async () => {
    expectEnvelope(await new ApiClient().patch('/api/auth/me', { nickname: 'anon' }), 401, 'UNAUTHORIZED');
  });
});

describe('POST /api/auth/me/password', () => {
  it('refuses a wrong current password with 400 WRONG_CURRENT_PASSWORD and keeps the old one', async () => {
    const account = bob;
    const res = await account.client.post('/api/auth/me/password', {
      currentPassword: 'Not-my-password-1',
      newPassword: strongPassword(),
    });
    expect(detailPaths(expectEnvelope(res, 400, 'WRONG_CURRENT_PASSWORD'))).toEqual(['currentPassword']);
    expect((await new ApiClient().login(account.email, account.password)).status).toBe(200);
  });

  it('counts wrong current passwords against the sign-in budget: after 5, even the right one gets 429', async () => {
    const account = await newSignedInUser();
    const guesses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        account.client.post('/api/auth/me/password', {
          currentPassword: `Guess-number-${i}`,
          newPassword: strongPassword(),
        }),
      ),
    );
    expect(guesses.filter((res) => res.status === 400)).toHaveLength(5);
    expect(guesses.filter((res) => res.status === 429)).toHaveLength(3);
    expectEnvelope(
      await account.client.post('/api/auth/me/password', {
        currentPassword: account.password,
        newPassword: strongPassword(),
      }),
      429,
      'TOO_MANY_ATTEMPTS',
    );
    expectEnvelope(await new ApiClient().login(account.email, account.password), 429, 'TOO_MANY_ATTEMPTS');
  });

  it('refuses a new password equal to the current one, naming the field', async () => {
    const account = bob;
    const res = await account.client.post('/api/auth/me/password', {
      currentPassword: account.password,
      newPassword: account.password,
    });
    expect(detailPaths(expectEnvelope(res, 400, 'VALIDATION_FAILED'))).toEqual(['newPassword']);
    expect((await new ApiClient().login(account.email, account.password)).status).toBe(200);
  });

  it('refuses a weak new password, naming the field', async () => {
    const account = bob;
    const res = await account.client.post('/api/auth/me/password', {
      currentPassword: account.password,
      newPassword: 'weakpassword',
    });
    expect(detailPaths(expectEnvelope(res, 400, 'VALIDATION_FAILED'))).toEqual(['newPassword']);
  });

  it('ends every other session at once, keeps this one, and only the new password works', async () => {
    const account = await newSignedInUser();
    const here = account.client;
    const elsewhere = await signIn(account.email, account.password);
    expect((await elsewhere.me()).status).toBe(200);
    const newPassword = strongPassword();

    const res = await here.post('/api/auth/me/password', { currentPassword: account.password, newPassword });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');

    // The other session: its access token stops working on the very next request, and it cannot refresh.
    expectEnvelope(await elsewhere.me(), 401, 'UNAUTHORIZED');
    expectEnvelope(await elsewhere.refresh(), 401, 'INVALID_REFRESH_TOKEN');

    // This session carries on: its access token still works, and so does its refresh cookie.
    const stillMe = await here.me();
    expect(stillMe.status).toBe(200);
    expect(stillMe.body.user.id).toBe(account.user.id);
    const refreshed = await here.refresh();
    expect(refreshed.status).toBe(200);
    const me = await here.me();
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(account.user.id);

    expectEnvelope(
      await new ApiClient().post('/api/auth/login', { email: account.email, password: account.password }),
      401,
      'INVALID_CREDENTIALS',
    );
    expect((await new ApiClient().login(account.email, newPassword)).status).toBe(200);
  });

  it('a second change from the same session keeps it going; disabling the user ends it too', async () => {
    const account = await newSignedInUser();
    const here = account.client;
    const first = strongPassword();
    expect(
      (await here.post('/api/auth/me/password', { currentPassword: account.password, newPassword: first })).status,
    ).toBe(204);
    const second = strongPassword();
    expect((await here.post('/api/auth/me/password', { currentPassword: first, newPassword: second })).status).toBe(
      204,
    );
    expect((await here.me()).status).toBe(200);

    const admin = await adminClient();
    expect((await admin.patch(`/api/admin/users/${account.user.id}`, { isActive: false })).status).toBe(200);
    expectEnvelope(await here.me(), 401, 'UNAUTHORIZED');
    expect((await admin.patch(`/api/admin/users/${account.user.id}`, { isActive: true })).status).toBe(200);
    // Enabled again, the old tokens stay dead: the session kept by the password change ended with the disable.
    expectEnvelope(await here.me(), 401, 'UNAUTHORIZED');
  });

  it('needs a signed-in user', async () => {
    const res = await new ApiClient().post('/api/auth/me/password', {
      currentPassword: 'Whatever-1',
      newPassword: strongPassword(),
    });
    expectEnvelope(res, 401, 'UNAUTHORIZED');
  });
});
