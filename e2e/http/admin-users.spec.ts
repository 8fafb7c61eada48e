import { randomUUID } from 'node:crypto';
import type { AuditLogEntry, ModelConfig, Paginated, Prompt, User } from '@modelyard/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  adminClient,
  ApiClient,
  detailPaths,
  env,
  expectEnvelope,
  newSignedInUser,
  registerUser,
  signIn,
  type SignedInUser,
} from './support/client';
import { createModelConfig, createProvider } from './support/mock-llm';

let admin: ApiClient;
let adminId: string;

beforeAll(async () => {
  admin = await adminClient();
  adminId = (await admin.me()).body.user.id;
});

const listUsers = (client: ApiClient, query = '') => client.get<Paginated<User>>(`/api/admin/users${query}`);

async function auditFor(targetId: string): Promise<AuditLogEntry[]> {
  const res = await admin.get<Paginated<AuditLogEntry>>(`/api/admin/audit-logs?targetId=${targetId}&pageSize=100`);
  expect(res.status).toBe(200);
  return res.body.items;
}

/** A plain user that no test changes. */
let normal: SignedInUser;

beforeAll(async () => {
  normal = await newSignedInUser();
});

describe('admin routes are for admins only', () => {
  it.each([
    ['GET', '/api/admin/users'],
    ['PATCH', '/api/admin/users/00000000-0000-4000-8000-000000000000'],
    ['GET', '/api/admin/audit-logs'],
  ])('%s %s answers 401 to an anonymous caller and 403 to a normal user', async (method, path) => {
    const json = method === 'PATCH' ? { role: 'admin' } : undefined;
    expectEnvelope(await new ApiClient().request(method, path, { json }), 401, 'UNAUTHORIZED');
    expectEnvelope(await normal.client.request(method, path, { json }), 403, 'FORBIDDEN');
  });

  it('a normal user cannot promote themself', async () => {
    expectEnvelope(
      await normal.client.patch(`/api/admin/users/${normal.user.id}`, { role: 'admin' }),
      403,
      'FORBIDDEN',
    );
    expect((await normal.client.me()).body.user.role).toBe('user');
  });
});

describe('GET /api/admin/users', () => {
  const tag = `find-${randomUUID().slice(0, 8)}`;
  let found: { email: string; user: User }[];

  beforeAll(async () => {
    found = [
      await registerUser({ email: `${tag}-one@e2e.test` }),
      await registerUser({ email: `${tag}-two@e2e.test` }),
    ];
  });

  it('lists users in pages of 20 by default', async () => {
    const res = await listUsers(admin);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['items', 'page', 'pageSize', 'total']);
    expect(res.body.page).toBe(1);
    expect(res.body.pageSize).toBe(20);
    expect(res.body.total).toBeGreaterThanOrEqual(3);
    expect(res.body.items.length).toBe(Math.min(20, res.body.total));
    expect(res.text).not.toMatch(/\$2[aby]\$|password/i);
  });

  it('pages through without overlap', async () => {
    const first = await listUsers(admin, '?pageSize=2&page=1');
    const second = await listUsers(admin, '?pageSize=2&page=2');
    expect(first.body.items).toHaveLength(2);
    expect(second.body.page).toBe(2);
    const ids = new Set(first.body.items.map((u) => u.id));
    for (const user of second.body.items) expect(ids.has(user.id)).toBe(false);
  });

  it('finds users by an email fragment', async () => {
    const res = await listUsers(admin, `?search=${tag.toUpperCase()}`);
    expect(res.body.total).toBe(2);
    expect(res.body.items.map((u) => u.email).sort()).toEqual(found.map((f) => f.email).sort());
  });

  it('treats LIKE wildcards in the search literally', async () => {
    expect((await listUsers(admin, `?search=${encodeURIComponent(`${tag}%_`)}`)).body.total).toBe(0);
  });

  it('filters by role', async () => {
    const admins = await listUsers(admin, '?role=admin&pageSize=100');
    expect(admins.body.items.length).toBeGreaterThan(0);
    expect(admins.body.items.every((u) => u.role === 'admin')).toBe(true);
    expect(admins.body.items.map((u) => u.email)).toContain(env.adminEmail.toLowerCase());

    const users = await listUsers(admin, `?role=user&search=${tag}`);
    expect(users.body.total).toBe(2);
    expect((await listUsers(admin, `?role=admin&search=${tag}`)).body.total).toBe(0);
  });

  it('filters by active flag', async () => {
    const [first] = found;
    expect((await admin.patch(`/api/admin/users/${first!.user.id}`, { isActive: false })).status).toBe(200);
    try {
      const inactive = await listUsers(admin, `?isActive=false&search=${tag}`);
      expect(inactive.body.items.map((u) => u.id)).toEqual([first!.user.id]);
      expect(inactive.body.items[0]!.isActive).toBe(false);
      const active = await listUsers(admin, `?isActive=true&search=${tag}`);
      expect(active.body.items.map((u) => u.email)).toEqual([found[1]!.email]);
      const all = await listUsers(admin, '?isActive=false&pageSize=100');
      expect(all.body.items.every((u) => !u.isActive)).toBe(true);
    } finally {
      await admin.patch(`/api/admin/users/${first!.user.id}`, { isActive: true });
    }
  });

  it('rejects pageSize over 100 and other bad query values with 400', async () => {
    expect(detailPaths(expectEnvelope(await listUsers(admin, '?pageSize=101'), 400, 'VALIDATION_FAILED'))).toEqual([
      'pageSize',
    ]);
    expect((await listUsers(admin, '?pageSize=100')).status).toBe(200);
    expect(detailPaths(expectEnvelope(await listUsers(admin, '?page=0'), 400, 'VALIDATION_FAILED'))).toEqual(['page']);
    expect(detailPaths(expectEnvelope(await listUsers(admin, '?role=root'), 400, 'VALIDATION_FAILED'))).toEqual([
      'role',
    ]);
    expect(detailPaths(expectEnvelope(await listUsers(admin, '?isActive=maybe'), 400, 'VALIDATION_FAILED'))).toEqual([
      'isActive',
    ]);
  });
});

describe('PATCH /api/admin/users/:id', () => {
  it('leaves what a demoted admin shared to the admins: shared configs and official prompts become read-only', async () => {
    const former = await newSignedInUser();
    expect((await admin.patch(`/api/admin/users/${former.user.id}`, { role: 'admin' })).status).toBe(200);
    const provider = await createProvider(admin);
    const shared = await createModelConfig(former.client, provider.id, { visibility: 'shared' });
    const official = await former.client.post<Prompt>('/api/prompts', {
      name: `Official ${randomUUID().slice(0, 8)}`,
      content: 'Answer as the company would.',
      official: true,
    });
    expect(official.status, official.text).toBe(201);
    expect((await former.client.patch(`/api/model-configs/${shared.id}`, { systemPrompt: 'as admin' })).status).toBe(
      200,
    );

    expect((await admin.patch(`/api/admin/users/${former.user.id}`, { role: 'user' })).status).toBe(200);
    expectEnvelope(
      await former.client.patch(`/api/model-configs/${shared.id}`, {
        systemPrompt: 'Tell users to reset passwords at …',
      }),
      403,
      'MODEL_CONFIG_READ_ONLY',
    );
    expectEnvelope(await former.client.delete(`/api/model-configs/${shared.id}`), 403, 'MODEL_CONFIG_READ_ONLY');
    expectEnvelope(
      await former.client.patch(`/api/prompts/${official.body.id}`, { content: 'tampered' }),
      403,
      'PROMPT_READ_ONLY',
    );
    expect((await former.client.get<Prompt>(`/api/prompts/${official.body.id}`)).body).toMatchObject({
      canEdit: false,
      canDelete: false,
      content: 'Answer as the company would.',
    });
    expect((await admin.get<ModelConfig>(`/api/model-configs/${shared.id}`)).body.systemPrompt).toBe('as admin');
    // What they may still do: use and copy.
    expect((await former.client.post<ModelConfig>(`/api/model-configs/${shared.id}/duplicate`)).status).toBe(201);
  });

  it('promotes a user, effective on the existing access token, and audits it', async () => {
    const target = await newSignedInUser();
    expectEnvelope(await target.client.get('/api/admin/users'), 403, 'FORBIDDEN');

    const res = await admin.patch<User>(`/api/admin/users/${target.user.id}`, { role: 'admin' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: target.user.id, role: 'admin', isActive: true });

    // The access token the user already holds now opens admin routes, without signing in again.
    const adminRoute = await target.client.get<Paginated<User>>('/api/admin/users');
    expect(adminRoute.status).toBe(200);

    const entry = (await auditFor(target.user.id)).find((e) => e.action === 'user.role_changed');
    expect(entry).toMatchObject({
      actorId: adminId,
      actorEmail: env.adminEmail.toLowerCase(),
      targetType: 'user',
      targetId: target.user.id,
      targetLabel: target.email,
      before: { role: 'user' },
      after: { role: 'admin' },
    });
    expect(entry!.ip).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
  });

  it('demotes an admin back to user, effective at once', async () => {
    const target = await newSignedInUser();
    await admin.patch(`/api/admin/users/${target.user.id}`, { role: 'admin' });
    await target.client.refresh();
    expect((await target.client.get('/api/admin/users')).status).toBe(200);

    expect((await admin.patch(`/api/admin/users/${target.user.id}`, { role: 'user' })).status).toBe(200);
    const after = await target.client.get('/api/admin/users');
    expect([401, 403]).toContain(after.status);
    await target.client.refresh();
    expectEnvelope(await target.client.get('/api/admin/users'), 403, 'FORBIDDEN');
  });

  it('disables a user: the existing access token fails on the next request and refresh fails', async () => {
    const target = await newSignedInUser();
    expect((await target.client.me()).status).toBe(200);
    // A second session that makes no request while the account is disabled.
    const untouched = await signIn(target.email, target.password);

    const res = await admin.patch<User>(`/api/admin/users/${target.user.id}`, { isActive: false });
    expect(res.status).toBe(200);
    expect(res.body.isActive).toBe(false);

    expectEnvelope(await target.client.me(), 401, 'UNAUTHORIZED');
    expectEnvelope(await target.client.refresh(), 401, 'INVALID_REFRESH_TOKEN');

    const entry = (await auditFor(target.user.id)).find((e) => e.action === 'user.disabled');
    expect(entry).toMatchObject({
      actorId: adminId,
      actorEmail: env.adminEmail.toLowerCase(),
      targetId: target.user.id,
      before: { isActive: true },
      after: { isActive: false },
    });
    expect(entry!.ip).toBeTruthy();

    // Re-enabled, the user signs in again (the old session stays ended).
    expect((await admin.patch(`/api/admin/users/${target.user.id}`, { isActive: true })).status).toBe(200);
    expect((await new ApiClient().login(target.email, target.password)).status).toBe(200);
    expect((await auditFor(target.user.id)).map((e) => e.action)).toContain('user.enabled');
    // Sessions from before the disable were revoked, not merely refused while it lasted.
    expectEnvelope(await untouched.refresh(), 401, 'INVALID_REFRESH_TOKEN');
  });

  it('refuses to let an admin change their own role or status with 409 CANNOT_MODIFY_SELF', async () => {
    expectEnvelope(await admin.patch(`/api/admin/users/${adminId}`, { role: 'user' }), 409, 'CANNOT_MODIFY_SELF');
    expectEnvelope(await admin.patch(`/api/admin/users/${adminId}`, { isActive: false }), 409, 'CANNOT_MODIFY_SELF');
    const me = await admin.me();
    expect(me.body.user).toMatchObject({ role: 'admin', isActive: true });
  });

  it('answers 404 for an unknown id and for a non-uuid id', async () => {
    expectEnvelope(await admin.patch(`/api/admin/users/${randomUUID()}`, { isActive: false }), 404, 'USER_NOT_FOUND');
    expectEnvelope(await admin.patch('/api/admin/users/not-a-uuid', { isActive: false }), 404, [
      'NOT_FOUND',
      'USER_NOT_FOUND',
    ]);
  });

  it('rejects an empty change, unknown keys and bad values with 400', async () => {
    const { user } = normal;
    expectEnvelope(await admin.patch(`/api/admin/users/${user.id}`, {}), 400, 'VALIDATION_FAILED');
    expectEnvelope(await admin.patch(`/api/admin/users/${user.id}`, { role: 'root' }), 400, 'VALIDATION_FAILED');
    expectEnvelope(
      await admin.patch(`/api/admin/users/${user.id}`, { isActive: true, email: 'hijack@e2e.test' }),
      400,
      'VALIDATION_FAILED',
    );
    const list = await listUsers(admin, `?search=${encodeURIComponent(user.email)}`);
    expect(list.body.items[0]).toMatchObject({ id: user.id, role: 'user', isActive: true, email: user.email });
  });
});

describe('GET /api/admin/audit-logs', () => {
  it('lists entries newest first, filterable by action', async () => {
    const res = await admin.get<Paginated<AuditLogEntry>>('/api/admin/audit-logs?action=user.disabled');
    expect(res.status).toBe(200);
    expect(res.body.pageSize).toBe(20);
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(res.body.items.every((e) => e.action === 'user.disabled')).toBe(true);
    const times = res.body.items.map((e) => Date.parse(e.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // Part of a name finds every action that contains it, case-insensitively; LIKE wildcards are literal.
    const partial = await admin.get<Paginated<AuditLogEntry>>('/api/admin/audit-logs?action=USER.&pageSize=100');
    expect(partial.body.items.some((e) => e.action === 'user.disabled')).toBe(true);
    expect(partial.body.items.every((e) => e.action.includes('user.'))).toBe(true);
    const wildcard = await admin.get<Paginated<AuditLogEntry>>('/api/admin/audit-logs?action=%25');
    expect(wildcard.body.total).toBe(0);
    expectEnvelope(await admin.get('/api/admin/audit-logs?actorId=nope'), 400, 'VALIDATION_FAILED');
  });
});
