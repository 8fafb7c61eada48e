import { randomUUID } from 'node:crypto';
import type {
  AuditLogEntry,
  ErrorEnvelope,
  Paginated,
  Prompt,
  Team,
  TeamDetail,
  TeamMember,
} from '@modelyard/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ApiClient,
  adminClient,
  detailPaths,
  expectEnvelope,
  newSignedInUser,
  type SignedInUser,
} from './support/client';
import { uniqueName } from './support/mock-llm';

let admin: ApiClient;

beforeAll(async () => {
  admin = await adminClient();
});

async function createTeam(user: SignedInUser | ApiClient, overrides: Record<string, unknown> = {}): Promise<Team> {
  const client = user instanceof ApiClient ? user : user.client;
  const res = await client.post<Team>('/api/teams', { name: uniqueName('Team'), ...overrides });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function addMember(
  by: ApiClient,
  teamId: string,
  member: SignedInUser,
  role: TeamMember['role'] = 'viewer',
): Promise<TeamMember> {
  const res = await by.post<TeamMember>(`/api/teams/${teamId}/members`, { userId: member.user.id, role });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function detail(client: ApiClient, teamId: string): Promise<TeamDetail> {
  const res = await client.get<TeamDetail>(`/api/teams/${teamId}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

const roles = (team: TeamDetail) => Object.fromEntries(team.members.map((m) => [m.userId, m.role]));

/** A team owned by `owner` with an editor and a viewer. */
async function teamOfThree() {
  const [owner, editor, viewer] = await Promise.all([newSignedInUser(), newSignedInUser(), newSignedInUser()]);
  const team = await createTeam(owner);
  await addMember(owner.client, team.id, editor, 'editor');
  await addMember(owner.client, team.id, viewer, 'viewer');
  return { owner, editor, viewer, team };
}

describe('teams: creating, listing and reading', () => {
  it('creates a team whose creator is its only owner', async () => {
    const alice = await newSignedInUser();
    const name = uniqueName('Research');
    const res = await alice.client.post<Team>('/api/teams', { name, description: '  Reads papers  ' });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      name,
      description: 'Reads papers',
      memberCount: 1,
      promptCount: 0,
      myRole: 'owner',
    });
    expect(Date.parse(res.body.createdAt)).not.toBeNaN();
    const team = await detail(alice.client, res.body.id);
    expect(team.members).toEqual([
      {
        userId: alice.user.id,
        nickname: alice.nickname,
        email: alice.email,
        role: 'owner',
        joinedAt: expect.any(String),
      },
    ]);
    const mine = await alice.client.get<Paginated<Team>>('/api/teams');
    expect(mine.body.items.map((t) => t.id)).toEqual([res.body.id]);
  });

  it('refuses a name already used by any team, case-insensitively (409 TEAM_NAME_TAKEN)', async () => {
    const [alice, bob] = await Promise.all([newSignedInUser(), newSignedInUser()]);
    const first = await createTeam(alice);
    const clash = expectEnvelope(
      await bob.client.post('/api/teams', { name: first.name.toUpperCase() }),
      409,
      'TEAM_NAME_TAKEN',
    );
    expect(clash.message).toContain(first.name.toUpperCase());
    expectEnvelope(await alice.client.post('/api/teams', { name: ` ${first.name} ` }), 409, 'TEAM_NAME_TAKEN');
    // Nothing was created for bob, and the first team is untouched.
    expect((await bob.client.get<Paginated<Team>>('/api/teams')).body.total).toBe(0);
    const all = await admin.get<Paginated<Team>>(`/api/teams?all=true&search=${encodeURIComponent(first.name)}`);
    expect(all.body.items.map((t) => t.id)).toEqual([first.id]);

    // Renaming into another team's name is refused too; a change of case of one's own name is not.
    const second = await createTeam(alice);
    expectEnvelope(
      await alice.client.patch(`/api/teams/${second.id}`, { name: first.name.toLowerCase() }),
      409,
      'TEAM_NAME_TAKEN',
    );
    expect((await detail(alice.client, second.id)).name).toBe(second.name);
    const recased = await alice.client.patch<Team>(`/api/teams/${second.id}`, { name: second.name.toUpperCase() });
    expect(recased.status, recased.text).toBe(200);
    expect(recased.body.name).toBe(second.name.toUpperCase());
  });

  it('validates team and member input field by field (400 VALIDATION_FAILED)', async () => {
    const alice = await newSignedInUser();
    expect(
      detailPaths(
        expectEnvelope(
          await alice.client.post('/api/teams', { name: '', description: 'x'.repeat(501) }),
          400,
          'VALIDATION_FAILED',
        ),
      ).sort(),
    ).toEqual(['description', 'name']);
    for (const name of ['x'.repeat(65), '<b>Team</b>', 'tab\there', '   ']) {
      expect(
        detailPaths(expectEnvelope(await alice.client.post('/api/teams', { name }), 400, 'VALIDATION_FAILED')),
      ).toEqual(['name']);
    }
    expectEnvelope(await alice.client.post('/api/teams', {}), 400, 'VALIDATION_FAILED');
    expect((await alice.client.get<Paginated<Team>>('/api/teams')).body.total).toBe(0);

    const team = await createTeam(alice);
    expectEnvelope(await alice.client.patch(`/api/teams/${team.id}`, {}), 400, 'VALIDATION_FAILED');
    const members = `/api/teams/${team.id}/members`;
    expect(detailPaths(expectEnvelope(await alice.client.post(members, {}), 400, 'VALIDATION_FAILED'))).toEqual([
      'userId',
    ]);
    expect(
      detailPaths(
        expectEnvelope(
          await alice.client.post(members, { userId: alice.user.id, email: alice.email }),
          400,
          'VALIDATION_FAILED',
        ),
      ),
    ).toEqual(['userId']);
    expect(
      detailPaths(
        expectEnvelope(await alice.client.post(members, { email: 'not-an-email' }), 400, 'VALIDATION_FAILED'),
      ),
    ).toEqual(['email']);
    expect(
      detailPaths(
        expectEnvelope(
          await alice.client.post(members, { userId: randomUUID(), role: 'admin' }),
          400,
          'VALIDATION_FAILED',
        ),
      ),
    ).toEqual(['role']);
    expect(
      detailPaths(
        expectEnvelope(
          await alice.client.patch(`${members}/${alice.user.id}`, { role: 'boss' }),
          400,
          'VALIDATION_FAILED',
        ),
      ),
    ).toEqual(['role']);
    expect(
      detailPaths(expectEnvelope(await alice.client.get('/api/teams?pageSize=101'), 400, 'VALIDATION_FAILED')),
    ).toEqual(['pageSize']);
    expect((await detail(alice.client, team.id)).members).toHaveLength(1);
  });

  it('lists only my teams; admins see every team with all=true, others cannot', async () => {
    const [alice, bob] = await Promise.all([newSignedInUser(), newSignedInUser()]);
    const tag = randomUUID().slice(0, 8);
    const a1 = await createTeam(alice, { name: `${tag} Alpha` });
    const a2 = await createTeam(alice, { name: `${tag} Beta`, description: 'second' });
    const b = await createTeam(bob, { name: `${tag} Gamma` });

    const mine = await alice.client.get<Paginated<Team>>(`/api/teams?search=${tag}`);
    expect(mine.body.total).toBe(2);
    expect(mine.body.items.map((t) => t.id)).toEqual([a1.id, a2.id]);
    expect(mine.body.items.every((t) => t.myRole === 'owner')).toBe(true);
    const notAll = await alice.client.get<Paginated<Team>>(`/api/teams?search=${tag}&all=true`);
    expect(notAll.body.items.map((t) => t.id)).toEqual([a1.id, a2.id]);

    const page2 = await alice.client.get<Paginated<Team>>(`/api/teams?search=${tag}&pageSize=1&page=2`);
    expect(page2.body).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(page2.body.items.map((t) => t.id)).toEqual([a2.id]);
    const byDescription = await alice.client.get<Paginated<Team>>(`/api/teams?search=SECOND`);
    expect(byDescription.body.items.map((t) => t.id)).toEqual([a2.id]);

    // An admin who is in none of them sees none by default, all of them with all=true (with no role of theirs).
    expect((await admin.get<Paginated<Team>>(`/api/teams?search=${tag}`)).body.total).toBe(0);
    const everything = await admin.get<Paginated<Team>>(`/api/teams?search=${tag}&all=true`);
    expect(everything.body.items.map((t) => t.id)).toEqual([a1.id, a2.id, b.id]);
    expect(everything.body.items.map((t) => t.myRole)).toEqual([null, null, null]);
    expect(everything.body.items.map((t) => t.memberCount)).toEqual([1, 1, 1]);
    expectEnvelope(await admin.get('/api/teams?all=maybe'), 400, 'VALIDATION_FAILED');
  });

  it('shows a team to its members and admins, and is 404 to everyone else', async () => {
    const { owner, editor, viewer, team } = await teamOfThree();
    const outsider = await newSignedInUser();
    for (const member of [owner, editor, viewer]) {
      const seen = await detail(member.client, team.id);
      expect(seen.memberCount).toBe(3);
      expect(seen.members.map((m) => m.userId)).toEqual([owner.user.id, editor.user.id, viewer.user.id]);
    }
    expect((await detail(editor.client, team.id)).myRole).toBe('editor');
    expect((await detail(viewer.client, team.id)).myRole).toBe('viewer');
    const asAdmin = await detail(admin, team.id);
    expect(asAdmin.myRole).toBeNull();
    expect(asAdmin.members).toHaveLength(3);

    const path = `/api/teams/${team.id}`;
    expectEnvelope(await outsider.client.get(path), 404, 'TEAM_NOT_FOUND');
    expectEnvelope(await outsider.client.patch(path, { name: uniqueName('Mine') }), 404, 'TEAM_NOT_FOUND');
    expectEnvelope(await outsider.client.delete(path), 404, 'TEAM_NOT_FOUND');
    expectEnvelope(
      await outsider.client.post(`${path}/members`, { userId: outsider.user.id, role: 'owner' }),
      404,
      'TEAM_NOT_FOUND',
    );
    expectEnvelope(await outsider.client.delete(`${path}/members/${viewer.user.id}`), 404, 'TEAM_NOT_FOUND');
    expectEnvelope(await outsider.client.get(`/api/teams/${randomUUID()}`), 404, 'TEAM_NOT_FOUND');
    expect((await outsider.client.get('/api/teams/not-a-uuid')).status).toBe(404);
    expect((await outsider.client.get<Paginated<Team>>('/api/teams')).body.total).toBe(0);
    // Nothing the outsider tried changed the team.
    const after = await detail(owner.client, team.id);
    expect(after.name).toBe(team.name);
    expect(after.members.map((m) => m.userId)).toEqual([owner.user.id, editor.user.id, viewer.user.id]);
  });

  it('answers 401 to anonymous callers', async () => {
    const alice = await newSignedInUser();
    const team = await createTeam(alice);
    const anonymous = new ApiClient();
    expectEnvelope(await anonymous.get('/api/teams'), 401, 'UNAUTHORIZED');
    expectEnvelope(await anonymous.post('/api/teams', { name: uniqueName('Anon') }), 401, 'UNAUTHORIZED');
    expectEnvelope(await anonymous.get(`/api/teams/${team.id}`), 401, 'UNAUTHORIZED');
    expectEnvelope(await anonymous.patch(`/api/teams/${team.id}`, { name: 'x' }), 401, 'UNAUTHORIZED');
    expectEnvelope(await anonymous.delete(`/api/teams/${team.id}`), 401, 'UNAUTHORIZED');
    expectEnvelope(
      await anonymous.post(`/api/teams/${team.id}/members`, { userId: alice.user.id }),
      401,
      'UNAUTHORIZED',
    );
    expectEnvelope(await anonymous.delete(`/api/teams/${team.id}/members/${alice.user.id}`), 401, 'UNAUTHORIZED');
    expectEnvelope(await anonymous.get('/api/users/directory?search=ab'), 401, 'UNAUTHORIZED');
    expect((await detail(alice.client, team.id)).name).toBe(team.name);
  });

  it('stores half a surrogate pair as U+FFFD, with its audit entry (it was saved, then answered 400)', async () => {
    const owner = await newSignedInUser();
    const team = await createTeam(owner);
    // JSON.stringify escapes a lone surrogate as "\ud800": the body is valid JSON that no UTF-8 store can hold.
    const changed = await owner.client.patch<Team>(`/api/teams/${team.id}`, { description: 'half \ud800 pair' });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.description).toBe('half \ufffd pair');
    expect((await detail(owner.client, team.id)).description).toBe('half \ufffd pair');
    const admin = await adminClient();
    const trail = await admin.get<Paginated<AuditLogEntry>>(`/api/admin/audit-logs?targetId=${team.id}&pageSize=100`);
    const update = trail.body.items.find((entry) => entry.action === 'team.update');
    expect(update?.after).toMatchObject({ description: 'half \ufffd pair' });

    // A whole pair (an emoji written as two escapes) stays as it is.
    const name = uniqueName('Team \ud83d\ude80');
    const created = await owner.client.post<Team>('/api/teams', { name });
    expect(created.status, created.text).toBe(201);
    expect(created.body.name).toBe(name);
    expect(created.body.name).toContain('🚀');
  });
});

describe('teams: members and roles', () => {
  it('adds members by id and by e-mail address (201)', async () => {
    const [alice, bob, carol] = await Promise.all([newSignedInUser(), newSignedInUser(), newSignedInUser()]);
    const team = await createTeam(alice);
    const byId = await alice.client.post<TeamMember>(`/api/teams/${team.id}/members`, {
      userId: bob.user.id,
      role: 'editor',
    });
    expect(byId.status, byId.text).toBe(201);
    expect(byId.body).toEqual({
      userId: bob.user.id,
      nickname: bob.nickname,
      email: bob.email,
      role: 'editor',
      joinedAt: expect.any(String),
    });
    const byEmail = await alice.client.post<TeamMember>(`/api/teams/${team.id}/members`, { email: carol.email });
    expect(byEmail.status, byEmail.text).toBe(201);
    expect(byEmail.body).toMatchObject({ userId: carol.user.id, role: 'viewer' });

    const seen = await detail(alice.client, team.id);
    expect(seen.memberCount).toBe(3);
    expect(roles(seen)).toEqual({ [alice.user.id]: 'owner', [bob.user.id]: 'editor', [carol.user.id]: 'viewer' });
    const bobsTeams = await bob.client.get<Paginated<Team>>('/api/teams');
    expect(bobsTeams.body.items.map((t) => [t.id, t.myRole])).toEqual([[team.id, 'editor']]);
  });

  it('refuses an existing member (409) and unknown users (404) without changing the team', async () => {
    const { owner, editor, team } = await teamOfThree();
    const members = `/api/teams/${team.id}/members`;
    expectEnvelope(
      await owner.client.post(members, { userId: editor.user.id, role: 'owner' }),
      409,
      'TEAM_MEMBER_EXISTS',
    );
    expectEnvelope(await owner.client.post(members, { email: editor.email }), 409, 'TEAM_MEMBER_EXISTS');
    const unknownEmail = expectEnvelope(
      await owner.client.post(members, { email: `nobody-${randomUUID()}@e2e.test` }),
      404,
      'TEAM_USER_NOT_FOUND',
    );
    expect(unknownEmail.details).toEqual([expect.objectContaining({ path: 'email' })]);
    expectEnvelope(await owner.client.post(members, { userId: randomUUID() }), 404, 'TEAM_USER_NOT_FOUND');
    const after = await detail(owner.client, team.id);
    expect(after.memberCount).toBe(3);
    expect(roles(after)[editor.user.id]).toBe('editor');
  });

  it('does not find or add a deactivated user', async () => {
    const [alice, gone] = await Promise.all([newSignedInUser(), newSignedInUser()]);
    const team = await createTeam(alice);
    expect((await admin.patch(`/api/admin/users/${gone.user.id}`, { isActive: false })).status).toBe(200);
    try {
      expectEnvelope(
        await alice.client.post(`/api/teams/${team.id}/members`, { email: gone.email }),
        404,
        'TEAM_USER_NOT_FOUND',
      );
      const found = await alice.client.get<{ items: { id: string }[] }>(`/api/users/directory?search=${gone.nickname}`);
      expect(found.body.items).toEqual([]);
      expect((await detail(alice.client, team.id)).memberCount).toBe(1);
    } finally {
      await admin.patch(`/api/admin/users/${gone.user.id}`, { isActive: true });
    }
  });

  it('lets an owner change roles', async () => {
    const { owner, editor, viewer, team } = await teamOfThree();
    const promoted = await owner.client.patch<TeamMember>(`/api/teams/${team.id}/members/${viewer.user.id}`, {
      role: 'owner',
    });
    expect(promoted.status, promoted.text).toBe(200);
    expect(promoted.body).toMatchObject({ userId: viewer.user.id, role: 'owner', nickname: viewer.nickname });
    const demoted = await owner.client.patch<TeamMember>(`/api/teams/${team.id}/members/${editor.user.id}`, {
      role: 'viewer',
    });
    expect(demoted.body.role).toBe('viewer');
    expect(roles(await detail(owner.client, team.id))).toEqual({
      [owner.user.id]: 'owner',
      [editor.user.id]: 'viewer',
      [viewer.user.id]: 'owner',
    });
    // The promoted member now manages the team.
    expect((await viewer.client.patch(`/api/teams/${team.id}`, { description: 'run by two' })).status).toBe(200);
    const stranger = await newSignedInUser();
    expectEnvelope(
      await owner.client.patch(`/api/teams/${team.id}/members/${stranger.user.id}`, { role: 'editor' }),
      404,
      'TEAM_MEMBER_NOT_FOUND',
    );
  });

  it('keeps editors and viewers from managing the team (403 TEAM_FORBIDDEN), changing nothing', async () => {
    const { owner, editor, viewer, team } = await teamOfThree();
    const newcomer = await newSignedInUser();
    const path = `/api/teams/${team.id}`;
    for (const member of [editor, viewer]) {
      const other = member === editor ? viewer : editor;
      expectEnvelope(await member.client.patch(path, { name: uniqueName('Renamed') }), 403, 'TEAM_FORBIDDEN');
      expectEnvelope(await member.client.delete(path), 403, 'TEAM_FORBIDDEN');
      expectEnvelope(
        await member.client.post(`${path}/members`, { userId: newcomer.user.id, role: 'owner' }),
        403,
        'TEAM_FORBIDDEN',
      );
      expectEnvelope(
        await member.client.patch(`${path}/members/${member.user.id}`, { role: 'owner' }),
        403,
        'TEAM_FORBIDDEN',
      );
      expectEnvelope(
        await member.client.patch(`${path}/members/${other.user.id}`, { role: 'viewer' }),
        403,
        'TEAM_FORBIDDEN',
      );
      expectEnvelope(await member.client.delete(`${path}/members/${other.user.id}`), 403, 'TEAM_FORBIDDEN');
      expectEnvelope(await member.client.delete(`${path}/members/${owner.user.id}`), 403, 'TEAM_FORBIDDEN');
    }
    const after = await detail(owner.client, team.id);
    expect(after.name).toBe(team.name);
    expect(roles(after)).toEqual({
      [owner.user.id]: 'owner',
      [editor.user.id]: 'editor',
      [viewer.user.id]: 'viewer',
    });
  });

  it('never leaves a team without an owner (409 TEAM_LAST_OWNER)', async () => {
    const { owner, editor, team } = await teamOfThree();
    const path = `/api/teams/${team.id}/members`;
    expectEnvelope(await owner.client.delete(`${path}/${owner.user.id}`), 409, 'TEAM_LAST_OWNER');
    expectEnvelope(await owner.client.patch(`${path}/${owner.user.id}`, { role: 'editor' }), 409, 'TEAM_LAST_OWNER');
    // Not even an admin can demote or remove the last owner.
    expectEnvelope(await admin.patch(`${path}/${owner.user.id}`, { role: 'viewer' }), 409, 'TEAM_LAST_OWNER');
    expectEnvelope(await admin.delete(`${path}/${owner.user.id}`), 409, 'TEAM_LAST_OWNER');
    expect(roles(await detail(owner.client, team.id))[owner.user.id]).toBe('owner');

    // With a second owner, the first may step down; then the second is the last one.
    await owner.client.patch(`${path}/${editor.user.id}`, { role: 'owner' });
    const steppedDown = await owner.client.patch<TeamMember>(`${path}/${owner.user.id}`, { role: 'editor' });
    expect(steppedDown.status, steppedDown.text).toBe(200);
    expect(steppedDown.body.role).toBe('editor');
    expectEnvelope(await editor.client.delete(`${path}/${editor.user.id}`), 409, 'TEAM_LAST_OWNER');
    expect(roles(await detail(editor.client, team.id))).toMatchObject({
      [owner.user.id]: 'editor',
      [editor.user.id]: 'owner',
    });
  });

  it('lets a member leave and an owner remove a member', async () => {
    const { owner, editor, viewer, team } = await teamOfThree();
    const path = `/api/teams/${team.id}/members`;
    const left = await viewer.client.delete(`${path}/${viewer.user.id}`);
    expect(left.status, left.text).toBe(204);
    expect(left.text).toBe('');
    expectEnvelope(await viewer.client.get(`/api/teams/${team.id}`), 404, 'TEAM_NOT_FOUND');
    expect((await viewer.client.get<Paginated<Team>>('/api/teams')).body.total).toBe(0);

    // The editor's prompt in the team leaves with them: private again, no longer the team's to read.
    const shared = await editor.client.post<Prompt>('/api/prompts', {
      name: uniqueName('Leaves with me'),
      content: 'Draft {{x}}',
      visibility: 'team',
      teamId: team.id,
    });
    expect(shared.status, shared.text).toBe(201);
    expect((await detail(owner.client, team.id)).promptCount).toBe(1);
    expect((await owner.client.delete(`${path}/${editor.user.id}`)).status).toBe(204);
    expectEnvelope(await editor.client.get(`/api/teams/${team.id}`), 404, 'TEAM_NOT_FOUND');
    expect((await editor.client.get<Prompt>(`/api/prompts/${shared.body.id}`)).body).toMatchObject({
      visibility: 'private',
      teamId: null,
    });
    expectEnvelope(await owner.client.get(`/api/prompts/${shared.body.id}`), 404, 'PROMPT_NOT_FOUND');
    expect((await detail(owner.client, team.id)).promptCount).toBe(0);
    expectEnvelope(await owner.client.delete(`${path}/${editor.user.id}`), 404, 'TEAM_MEMBER_NOT_FOUND');
    const after = await detail(owner.client, team.id);
    expect(after.memberCount).toBe(1);
    expect(after.members.map((m) => m.userId)).toEqual([owner.user.id]);

    // A former member cannot come back on their own.
    expectEnvelope(
      await editor.client.post(`${path}`, { userId: editor.user.id, role: 'owner' }),
      404,
      'TEAM_NOT_FOUND',
    );
  });

  it('lets an admin manage a team they are not in', async () => {
    const { owner, editor, viewer, team } = await teamOfThree();
    const newcomer = await newSignedInUser();
    const path = `/api/teams/${team.id}`;
    const renamed = await admin.patch<Team>(path, { name: uniqueName('Admin named'), description: 'by admin' });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body).toMatchObject({ description: 'by admin', myRole: null });
    expect((await detail(owner.client, team.id)).name).toBe(renamed.body.name);

    const added = await admin.post<TeamMember>(`${path}/members`, { email: newcomer.email, role: 'editor' });
    expect(added.status, added.text).toBe(201);
    expect((await admin.patch<TeamMember>(`${path}/members/${viewer.user.id}`, { role: 'owner' })).body.role).toBe(
      'owner',
    );
    expect((await admin.delete(`${path}/members/${editor.user.id}`)).status).toBe(204);
    expect(roles(await detail(owner.client, team.id))).toEqual({
      [owner.user.id]: 'owner',
      [viewer.user.id]: 'owner',
      [newcomer.user.id]: 'editor',
    });
    // The admin is still not a member.
    expect((await detail(admin, team.id)).myRole).toBeNull();
    // Every change of the team and of a role left its trace.
    const trail = await admin.get<Paginated<AuditLogEntry>>(`/api/admin/audit-logs?targetId=${team.id}&pageSize=100`);
    expect(trail.body.items.map((entry) => entry.action).sort()).toEqual(
      [
        'team.create',
        'team.member_add',
        'team.member_add',
        'team.member_add',
        'team.member_remove',
        'team.member_role',
        'team.update',
      ].sort(),
    );
    // Each names the team as it is now.
    expect(new Set(trail.body.items.map((entry) => entry.targetLabel))).toEqual(new Set([renamed.body.name]));
    const role = trail.body.items.find((entry) => entry.action === 'team.member_role')!;
    expect([role.before, role.after]).toEqual([
      { userId: viewer.user.id, role: 'viewer' },
      { userId: viewer.user.id, role: 'owner' },
    ]);

    expect((await admin.delete(path)).status).toBe(204);
    expectEnvelope(await owner.client.get(path), 404, 'TEAM_NOT_FOUND');
    expectEnvelope(await admin.get(path), 404, 'TEAM_NOT_FOUND');
  });
});

describe('teams: deleting a team', () => {
  it("gives the team's prompts back to their owners as private prompts", async () => {
    const { owner, editor, viewer, team } = await teamOfThree();
    const create = async (user: SignedInUser, content: string) => {
      const res = await user.client.post<Prompt>('/api/prompts', {
        name: uniqueName('Team prompt'),
        content,
        visibility: 'team',
        teamId: team.id,
      });
      expect(res.status, res.text).toBe(201);
      return res.body;
    };
    const editorsPrompt = await create(editor, 'Summarise {{text}} for the team');
    const ownersPrompt = await create(owner, 'Review {{code}}');
    expect(editorsPrompt).toMatchObject({ visibility: 'team', teamId: team.id, teamName: team.name });
    expect((await viewer.client.get<Prompt>(`/api/prompts/${editorsPrompt.id}`)).status).toBe(200);
    expect((await detail(owner.client, team.id)).promptCount).toBe(2);

    // Only an owner may delete it.
    expectEnvelope(await editor.client.delete(`/api/teams/${team.id}`), 403, 'TEAM_FORBIDDEN');
    const res = await owner.client.delete(`/api/teams/${team.id}`);
    expect(res.status, res.text).toBe(204);
    for (const member of [owner, editor, viewer]) {
      expectEnvelope(await member.client.get(`/api/teams/${team.id}`), 404, 'TEAM_NOT_FOUND');
    }

    // Each prompt is now its owner's private prompt, content and history intact.
    const kept = await editor.client.get<Prompt>(`/api/prompts/${editorsPrompt.id}`);
    expect(kept.status, kept.text).toBe(200);
    expect(kept.body).toMatchObject({
      visibility: 'private',
      teamId: null,
      teamName: null,
      content: editorsPrompt.content,
      version: 1,
      ownerId: editor.user.id,
    });
    const ownersKept = await owner.client.get<Prompt>(`/api/prompts/${ownersPrompt.id}`);
    expect(ownersKept.body).toMatchObject({ visibility: 'private', teamId: null, content: 'Review {{code}}' });
    // Former team mates — even the team's owner — no longer see someone else's prompt.
    expectEnvelope(await viewer.client.get(`/api/prompts/${editorsPrompt.id}`), 404, 'PROMPT_NOT_FOUND');
    expectEnvelope(await owner.client.get(`/api/prompts/${editorsPrompt.id}`), 404, 'PROMPT_NOT_FOUND');
    expectEnvelope(await editor.client.get(`/api/prompts/${ownersPrompt.id}`), 404, 'PROMPT_NOT_FOUND');
    const viewerList = await viewer.client.get<Paginated<Prompt>>(`/api/prompts?search=${editorsPrompt.name}`);
    expect(viewerList.body.total).toBe(0);
  });
});

describe('users directory', () => {
  it('finds active users by part of their nickname or e-mail, without any secret', async () => {
    const [alice, target] = await Promise.all([newSignedInUser(), newSignedInUser()]);
    const byNickname = await alice.client.get<{ items: { id: string; nickname: string; email: string }[] }>(
      `/api/users/directory?search=${target.nickname.slice(2).toUpperCase()}`,
    );
    expect(byNickname.status, byNickname.text).toBe(200);
    expect(byNickname.body.items).toEqual([{ id: target.user.id, nickname: target.nickname, email: target.email }]);
    const emailPart = target.email.slice(0, target.email.indexOf('@'));
    const byEmail = await alice.client.get<{ items: { id: string }[] }>(
      `/api/users/directory?search=${encodeURIComponent(emailPart)}`,
    );
    expect(byEmail.body.items.map((u) => u.id)).toEqual([target.user.id]);
    for (const item of byNickname.body.items) expect(Object.keys(item).sort()).toEqual(['email', 'id', 'nickname']);
    expect(byNickname.text).not.toMatch(/password|hash|\$argon2|\$2[aby]\$/i);

    // Broad searches are capped at ten.
    const broad = await alice.client.get<{ items: unknown[] }>('/api/users/directory?search=e2e.test');
    expect(broad.status).toBe(200);
    expect(broad.body.items.length).toBeGreaterThan(0);
    expect(broad.body.items.length).toBeLessThanOrEqual(10);
    expect(broad.text).not.toMatch(/password|hash|\$argon2|\$2[aby]\$/i);
  });

  it('needs at least two characters (400 VALIDATION_FAILED)', async () => {
    const alice = await newSignedInUser();
    for (const query of ['?search=a', '?search=%20b%20', '?search=', '']) {
      const envelope = expectEnvelope(
        await alice.client.get(`/api/users/directory${query}`),
        400,
        'VALIDATION_FAILED',
      ) as ErrorEnvelope;
      expect(detailPaths(envelope)).toEqual(['search']);
    }
    expect((await alice.client.get('/api/users/directory?search=ab')).status).toBe(200);
  });
});
