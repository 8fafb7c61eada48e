import type { User } from '@modelyard/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  adminClient,
  ApiClient,
  detailPaths,
  expectEnvelope,
  registerUser,
  type RegisteredUser,
  strongPassword,
  uniqueEmail,
  uniqueNickname,
} from './support/client';

const anon = new ApiClient();
const USER_FIELDS = [
  'avatarUrl',
  'createdAt',
  'email',
  'id',
  'isActive',
  'lastLoginAt',
  'nickname',
  'preferences',
  'role',
];

describe('POST /api/auth/register', () => {
  it('creates a normal, active user and returns only its public fields', async () => {
    const email = uniqueEmail('Reg').replace('@e2e.test', '@E2E.Test');
    const nickname = uniqueNickname('reg');
    const password = strongPassword();
    const res = await anon.post<{ user: User }>('/api/auth/register', { email, nickname, password });

    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(['user']);
    const { user } = res.body;
    expect(Object.keys(user).sort()).toEqual(USER_FIELDS);
    expect(user.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(user.email).toBe(email.toLowerCase());
    expect(user.nickname).toBe(nickname);
    expect(user.role).toBe('user');
    expect(user.isActive).toBe(true);
    expect(user.avatarUrl).toBeNull();
    expect(user.preferences).toEqual({});
    expect(new Date(user.createdAt).toISOString()).toBe(user.createdAt);
    expect(user.lastLoginAt).toBeNull();
    // Neither the password nor any bcrypt hash of it is ever sent back.
    expect(res.text).not.toContain(password);
    expect(res.text).not.toMatch(/\$2[aby]\$/);
    expect(res.text.toLowerCase()).not.toMatch(/password|hash/);

    // The new account can sign in right away, with the email in any case.
    const login = await new ApiClient().login(email.toUpperCase(), password);
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(user.id);
  });

  it('rejects a password without a digit, naming the password field', async () => {
    const res = await anon.post('/api/auth/register', {
      email: uniqueEmail(),
      nickname: uniqueNickname(),
      password: 'onlyletters',
    });
    const body = expectEnvelope(res, 400, 'VALIDATION_FAILED');
    expect(detailPaths(body)).toEqual(['password']);
    expect(JSON.stringify(body.details)).toMatch(/digit/);
  });

  it('rejects a password shorter than 8 characters, naming the password field', async () => {
    const res = await anon.post('/api/auth/register', {
      email: uniqueEmail(),
      nickname: uniqueNickname(),
      password: 'ab1',
    });
    const body = expectEnvelope(res, 400, 'VALIDATION_FAILED');
    expect(detailPaths(body)).toEqual(['password']);
    expect(JSON.stringify(body.details)).toMatch(/8/);
  });

  it('rejects a password longer than bcrypt reads (72 bytes), so no part of it is silently ignored', async () => {
    const tooLong = `${'密'.repeat(24)}Secret9`; // 31 characters, 79 bytes
    const res = await anon.post('/api/auth/register', {
      email: uniqueEmail(),
      nickname: uniqueNickname(),
      password: tooLong,
    });
    const body = expectEnvelope(res, 400, 'VALIDATION_FAILED');
    expect(detailPaths(body)).toEqual(['password']);
    expect(JSON.stringify(body.details)).toMatch(/72 bytes/);
    // Up to 72 bytes is fine, Chinese included.
    const fits = await anon.post('/api/auth/register', {
      email: uniqueEmail(),
      nickname: uniqueNickname(),
      password: `${'密'.repeat(21)}Secret9`,
    });
    expect(fits.status, fits.text).toBe(201);
  });

  it('rejects a nickname with angle brackets', async () => {
    const res = await anon.post('/api/auth/register', {
      email: uniqueEmail(),
      nickname: '<script>x',
      password: strongPassword(),
    });
    expect(detailPaths(expectEnvelope(res, 400, 'VALIDATION_FAILED'))).toEqual(['nickname']);
  });

  it('rejects invisible characters in a nickname (zero-width spaces, direction overrides) that would pass for another', async () => {
    for (const nickname of ['ali\u200bce', '\u200b\u200b', '\u202eadmin']) {
      const res = await anon.post('/api/auth/register', { email: uniqueEmail(), nickname, password: strongPassword() });
      expect(detailPaths(expectEnvelope(res, 400, 'VALIDATION_FAILED'))).toEqual(['nickname']);
    }
  });

  describe('uniqueness', () => {
    let existing: RegisteredUser;

    beforeAll(async () => {
      existing = await registerUser();
    });

    it('refuses an email that is already registered, also in another letter case', async () => {
      const same = await anon.post('/api/auth/register', {
        email: existing.email,
        nickname: uniqueNickname(),
        password: strongPassword(),
      });
      expect(detailPaths(expectEnvelope(same, 409, 'EMAIL_TAKEN'))).toEqual(['email']);

      const upper = await anon.post('/api/auth/register', {
        email: existing.email.toUpperCase(),
        nickname: uniqueNickname(),
        password: strongPassword(),
      });
      expectEnvelope(upper, 409, 'EMAIL_TAKEN');

      // The original account is untouched: its own password still works.
      expect((await new ApiClient().login(existing.email, existing.password)).status).toBe(200);
    });

    it('refuses a nickname that is already taken, also in another letter case', async () => {
      const res = await anon.post('/api/auth/register', {
        email: uniqueEmail(),
        nickname: existing.nickname.toUpperCase(),
        password: strongPassword(),
      });
      expect(detailPaths(expectEnvelope(res, 409, 'NICKNAME_TAKEN'))).toEqual(['nickname']);
    });
  });

  it('is refused with 403 REGISTRATION_CLOSED while an admin has closed registration', async () => {
    const admin = await adminClient();
    const email = uniqueEmail('closed');
    try {
      const closed = await admin.patch('/api/admin/settings', { registrationOpen: false });
      expect(closed.status).toBe(200);
      expect(closed.body).toEqual({ registrationOpen: false });
      expect((await anon.get('/api/settings/public')).body).toEqual({ registrationOpen: false });

      const res = await anon.post('/api/auth/register', {
        email,
        nickname: uniqueNickname(),
        password: strongPassword(),
      });
      expectEnvelope(res, 403, 'REGISTRATION_CLOSED');
      // Closed is closed, whatever the form: no field-by-field validation first.
      expectEnvelope(await anon.post('/api/auth/register', { email: 'not-an-email' }), 403, 'REGISTRATION_CLOSED');
    } finally {
      const reopened = await admin.patch('/api/admin/settings', { registrationOpen: true });
      expect(reopened.status).toBe(200);
    }
    expect((await anon.get('/api/settings/public')).body).toEqual({ registrationOpen: true });
    expect((await admin.get('/api/admin/settings')).body).toEqual({ registrationOpen: true });

    // Nobody was created while registration was closed.
    const search = await admin.get<{ total: number }>(`/api/admin/users?search=${encodeURIComponent(email)}`);
    expect(search.body.total).toBe(0);

    // The switch is audited with who flipped it.
    const audit = await admin.get<{ items: { action: string; before: unknown; after: unknown; actorEmail: string }[] }>(
      '/api/admin/audit-logs?action=settings.updated&pageSize=100',
    );
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({
        action: 'settings.updated',
        before: { registrationOpen: true },
        after: { registrationOpen: false },
      }),
    );
  });

  it('keeps the settings routes for admins only', async () => {
    expectEnvelope(await anon.get('/api/admin/settings'), 401, 'UNAUTHORIZED');
    expectEnvelope(await anon.patch('/api/admin/settings', { registrationOpen: false }), 401, 'UNAUTHORIZED');
    const user = await registerUser();
    const client = new ApiClient();
    await client.login(user.email, user.password);
    expectEnvelope(await client.patch('/api/admin/settings', { registrationOpen: false }), 403, 'FORBIDDEN');
    expect((await anon.get('/api/settings/public')).body).toEqual({ registrationOpen: true });
  });
});
