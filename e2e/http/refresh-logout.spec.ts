import { beforeAll, describe, expect, it } from 'vitest';
import {
  ApiClient,
  expectEnvelope,
  parseSetCookie,
  REFRESH_COOKIE,
  registerUser,
  type RegisteredUser,
  signIn,
} from './support/client';

/** The e2e app's REFRESH_REUSE_GRACE_SECONDS (scripts/test.mjs), and a little more. */
const PAST_REUSE_GRACE_MS = 2_500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A client that presents exactly this refresh cookie and nothing else. */
function withCookie(value: string): ApiClient {
  const client = new ApiClient();
  client.cookies.set(REFRESH_COOKIE, value);
  return client;
}

let account: RegisteredUser;

beforeAll(async () => {
  account = await registerUser();
});

describe('POST /api/auth/refresh', () => {
  it('rotates: a new cookie value and a new access token that works', async () => {
    const client = await signIn(account.email, account.password);
    const firstCookie = client.refreshCookie!;

    const res = await client.refresh();
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'expiresIn']);
    expect(res.body.expiresIn).toBeGreaterThan(0);
    const cookie = res.setCookies.map(parseSetCookie).find((c) => c.name === REFRESH_COOKIE);
    expect(cookie).toBeDefined();
    expect(cookie!.attributes.get('httponly')).toBe(true);
    expect(cookie!.attributes.get('path')).toBe('/api/auth');
    expect(String(cookie!.attributes.get('samesite')).toLowerCase()).toBe('strict');
    expect(client.refreshCookie).not.toBe(firstCookie);
    expect(res.body.accessToken.split('.')).toHaveLength(3);

    const me = await client.me();
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(account.user.id);

    // And the next rotation works as well.
    expect((await client.refresh()).status).toBe(200);

    // The spent cookie is refused at once.
    expectEnvelope(await withCookie(firstCookie).refresh(), 401, 'INVALID_REFRESH_TOKEN');
  });

  it('lets tabs that share the cookie refresh at the same moment: one rotates it, the others keep the session', async () => {
    const client = await signIn(account.email, account.password);
    const shared = client.refreshCookie!;
    const tabs = [1, 2, 3].map(() => withCookie(shared));
    const results = await Promise.all(tabs.map((tab) => tab.refresh()));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401]);
    // A refused tab's answer leaves the browser's cookie alone: it holds the winner's successor by then.
    for (const refused of results.filter((r) => r.status === 401)) {
      expect(refused.setCookies.map(parseSetCookie).find((c) => c.name === REFRESH_COOKIE)).toBeUndefined();
    }
    const winner = tabs[results.findIndex((r) => r.status === 200)]!;
    expect(winner.refreshCookie).not.toBe(shared);
    // The session lives on: the successor cookie (which every tab of a browser shares) refreshes again.
    expect((await withCookie(winner.refreshCookie!).refresh()).status).toBe(200);
  });

  it('treats a cookie reused after the grace as theft: 401, and the whole family is revoked', async () => {
    const client = await signIn(account.email, account.password);
    const spent = client.refreshCookie!;
    expect((await client.refresh()).status).toBe(200);
    const newest = client.refreshCookie!;
    await sleep(PAST_REUSE_GRACE_MS);

    const replay = await withCookie(spent).refresh();
    expectEnvelope(replay, 401, 'INVALID_REFRESH_TOKEN');

    // The legitimate holder of the newer cookie is signed out too.
    expectEnvelope(await withCookie(newest).refresh(), 401, 'INVALID_REFRESH_TOKEN');
  });

  it('leaves other sessions alone when one family is revoked', async () => {
    const victim = await signIn(account.email, account.password);
    const other = await signIn(account.email, account.password);
    const spent = victim.refreshCookie!;
    await victim.refresh();
    await sleep(PAST_REUSE_GRACE_MS);
    expectEnvelope(await withCookie(spent).refresh(), 401, 'INVALID_REFRESH_TOKEN');

    expect((await other.refresh()).status).toBe(200);
  });

  it('answers 401 without a cookie', async () => {
    expectEnvelope(await new ApiClient().refresh(), 401, 'INVALID_REFRESH_TOKEN');
  });

  it('answers 401 for a made-up cookie and clears it', async () => {
    const client = withCookie('made-up-refresh-token-value-that-was-never-issued');
    const res = await client.refresh();
    expectEnvelope(res, 401, 'INVALID_REFRESH_TOKEN');
    expect(client.refreshCookie).toBeUndefined();
  });

  it('does not accept an access token in place of the refresh cookie', async () => {
    const client = await signIn(account.email, account.password);
    const res = await client.post('/api/auth/refresh', undefined, { auth: true, cookies: false });
    expectEnvelope(res, 401, 'INVALID_REFRESH_TOKEN');
  });
});

describe('POST /api/auth/logout', () => {
  it('answers 204, clears the cookie, and the refresh cookie no longer works', async () => {
    const client = await signIn(account.email, account.password);
    const cookie = client.refreshCookie!;

    const res = await client.post('/api/auth/logout');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    const cleared = res.setCookies.map(parseSetCookie).find((c) => c.name === REFRESH_COOKIE);
    expect(cleared).toBeDefined();
    expect(client.refreshCookie).toBeUndefined();

    expectEnvelope(await withCookie(cookie).refresh(), 401, 'INVALID_REFRESH_TOKEN');
  });

  it('ends the session’s access token at once, and only that session’s', async () => {
    const client = await signIn(account.email, account.password);
    const other = await signIn(account.email, account.password);
    expect((await client.me()).status).toBe(200);
    expect((await other.me()).status).toBe(200);

    expect((await client.post('/api/auth/logout')).status).toBe(204);
    expect(client.accessToken).toBeDefined();
    expectEnvelope(await client.me(), 401, 'UNAUTHORIZED');
    expect((await other.me()).status).toBe(200);
  });

  it('also ends the rotated descendants of the session', async () => {
    const client = await signIn(account.email, account.password);
    await client.refresh();
    const current = client.refreshCookie!;
    expect((await client.post('/api/auth/logout')).status).toBe(204);
    expectEnvelope(await withCookie(current).refresh(), 401, 'INVALID_REFRESH_TOKEN');
  });

  it('ends the session named by the access token when a client signs out with its bearer token only', async () => {
    const client = await signIn(account.email, account.password);
    const cookie = client.refreshCookie!;
    const other = await signIn(account.email, account.password);
    const res = await client.post('/api/auth/logout', undefined, { cookies: false });
    expect(res.status).toBe(204);
    expectEnvelope(await client.me(), 401, 'UNAUTHORIZED');
    expectEnvelope(await withCookie(cookie).refresh(), 401, 'INVALID_REFRESH_TOKEN');
    expect((await other.me()).status).toBe(200);
  });

  it('answers 204 without a cookie too', async () => {
    expect((await new ApiClient().post('/api/auth/logout')).status).toBe(204);
  });
});
