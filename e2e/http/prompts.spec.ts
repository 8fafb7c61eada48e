import { randomUUID } from 'node:crypto';
import type {
  AuditLogEntry,
  MessageList,
  Paginated,
  Prompt,
  PromptDiff,
  PromptLibraryExport,
  PromptVersion,
  PromptVersionSummary,
  RenderedPrompt,
  Session,
  Team,
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
import { createModelConfig, createProvider, uniqueName, upstreamRequests } from './support/mock-llm';
import { readSse, terminal } from './support/sse';

let admin: ApiClient;
let adminId: string;

beforeAll(async () => {
  admin = await adminClient();
  adminId = (await admin.me()).body.user.id;
});

type Client = SignedInUser | ApiClient;
const clientOf = (user: Client) => (user instanceof ApiClient ? user : user.client);

async function createPrompt(user: Client, overrides: Record<string, unknown> = {}): Promise<Prompt> {
  const res = await clientOf(user).post<Prompt>('/api/prompts', {
    name: uniqueName('Prompt'),
    content: 'Hello {{name}}',
    ...overrides,
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function getPrompt(user: Client, id: string): Promise<Prompt> {
  const res = await clientOf(user).get<Prompt>(`/api/prompts/${id}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function patchPrompt(user: Client, id: string, changes: Record<string, unknown>): Promise<Prompt> {
  const res = await clientOf(user).patch<Prompt>(`/api/prompts/${id}`, changes);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function render(user: Client, id: string, body: Record<string, unknown>): Promise<RenderedPrompt> {
  const res = await clientOf(user).post<RenderedPrompt>(`/api/prompts/${id}/render`, body);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function list(user: Client, query: string): Promise<Paginated<Prompt>> {
  const res = await clientOf(user).get<Paginated<Prompt>>(`/api/prompts?${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function createTeam(owner: SignedInUser): Promise<Team> {
  const res = await owner.client.post<Team>('/api/teams', { name: uniqueName('Prompt team') });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function addMember(owner: Client, teamId: string, member: SignedInUser, role: 'owner' | 'editor' | 'viewer') {
  const res = await clientOf(owner).post(`/api/teams/${teamId}/members`, { userId: member.user.id, role });
  expect(res.status, res.text).toBe(201);
}

const dateIn = (timeZone: string, at = new Date()) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

/* -------------------------------------------------------------------------------------------------------------- */

describe('prompts: creating, variables and warnings', () => {
  let alice: SignedInUser;
  beforeAll(async () => {
    alice = await newSignedInUser();
  });

  it('creates a private prompt at version 1 owned by the caller', async () => {
    const name = uniqueName('Greeter');
    const res = await alice.client.post<Prompt>('/api/prompts', {
      name,
      content: 'Greet {{name}} warmly',
      description: 'Says hello',
      category: 'Copywriting',
      tags: ['greeting', 'greeting', 'friendly'],
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      name,
      content: 'Greet {{name}} warmly',
      description: 'Says hello',
      category: 'copywriting',
      tags: ['greeting', 'friendly'],
      visibility: 'private',
      teamId: null,
      teamName: null,
      variables: [{ name: 'name' }],
      builtins: [],
      warnings: [],
      version: 1,
      labels: {},
      usageCount: 0,
      lastUsedAt: null,
      official: false,
      isFavorite: false,
      ownerId: alice.user.id,
      ownerName: alice.nickname,
      canEdit: true,
      canDelete: true,
      canShare: true,
    });
    expect(await getPrompt(alice, res.body.id)).toEqual(res.body);
    const versions = await alice.client.get<Paginated<PromptVersionSummary>>(`/api/prompts/${res.body.id}/versions`);
    expect(versions.body.items.map((v) => [v.version, v.authorId])).toEqual([[1, alice.user.id]]);
  });

  it('detects variables: spaces, any script, once each, built-ins apart, escapes and invalid names ignored', async () => {
    const content = [
      'Hello {{ name }} and {{name}} again.',
      '主题：{{主题}}，语气：{{  tone  }}.',
      'Today is {{current_date}} at {{ current_time }}; you are {{user_name}}; input {{user_input}}.',
      'Literal: \\{{not_a_var}} and {{ two words }} and {{}} and {{1abc}} and {{ -x }}.',
      'Dotted {{_meta.key-1}}.',
    ].join('\n');
    const prompt = await createPrompt(alice, {
      content,
      variables: [
        { name: 'tone', description: 'How formal', default: 'polite' },
        { name: 'name', description: 'Who to greet' },
        { name: 'unused', description: 'not in the content' },
      ],
    });
    expect(prompt.variables).toEqual([
      { name: 'name', description: 'Who to greet' },
      { name: '主题' },
      { name: 'tone', description: 'How formal', default: 'polite' },
      { name: '_meta.key-1' },
    ]);
    expect(prompt.builtins).toEqual(['current_date', 'current_time', 'user_name', 'user_input']);
    expect(prompt.warnings).toEqual([]);
    // Descriptions and defaults survive a save that changes only the content.
    const edited = await patchPrompt(alice, prompt.id, { content: `${content}\nNew {{extra}}` });
    expect(edited.variables).toEqual([...prompt.variables, { name: 'extra' }]);
    expect((await getPrompt(alice, prompt.id)).variables).toEqual(edited.variables);
  });

  it('refuses an invalid variable name in the metadata', async () => {
    const res = await alice.client.post('/api/prompts', {
      name: uniqueName('Bad var'),
      content: 'Hi {{x}}',
      variables: [{ name: '1 bad' }],
    });
    expect(detailPaths(expectEnvelope(res, 400, 'VALIDATION_FAILED'))).toEqual(['variables.0.name']);
  });

  it('warns about long content and unknown built-ins, but saves them', async () => {
    const long = await createPrompt(alice, { content: 'x'.repeat(8_001) });
    expect(long.warnings.map((w) => w.code)).toEqual(['CONTENT_LONG']);
    expect(long.content).toHaveLength(8_001);
    const limit = await createPrompt(alice, { content: 'y'.repeat(8_000) });
    expect(limit.warnings).toEqual([]);
    const max = await createPrompt(alice, { content: 'z'.repeat(20_000) });
    expect(max.warnings.map((w) => w.code)).toEqual(['CONTENT_LONG']);

    const typo = await createPrompt(alice, { content: 'It is {{current_datetime}} for {{user_email}} ({{topic}})' });
    expect(typo.warnings).toEqual([
      expect.objectContaining({ code: 'UNKNOWN_BUILTIN', variable: 'current_datetime' }),
      expect.objectContaining({ code: 'UNKNOWN_BUILTIN', variable: 'user_email' }),
    ]);
    expect(typo.variables.map((v) => v.name)).toEqual(['current_datetime', 'user_email', 'topic']);
    expect(typo.builtins).toEqual([]);
    expect((await getPrompt(alice, typo.id)).warnings).toHaveLength(2);
  });

  it('refuses empty or over-long content and bad fields (400), creating nothing', async () => {
    const name = uniqueName('Refused');
    const cases: [Record<string, unknown>, string[]][] = [
      [{ name, content: 'a'.repeat(20_001) }, ['content']],
      [{ name, content: '' }, ['content']],
      [{ name, content: '   \n ' }, ['content']],
      [{ name: '', content: 'ok' }, ['name']],
      [{ name: 'n'.repeat(101), content: 'ok' }, ['name']],
      [{ name, content: 'ok', category: 'Not/A category!' }, ['category']],
      [{ name, content: 'ok', tags: ['a,b'] }, ['tags.0']],
      [{ name, content: 'ok', visibility: 'everyone' }, ['visibility']],
      [{ content: 'ok' }, ['name']],
    ];
    for (const [body, paths] of cases) {
      const res = await alice.client.post('/api/prompts', body);
      const found = detailPaths(expectEnvelope(res, 400, 'VALIDATION_FAILED'));
      expect([...new Set(found)], JSON.stringify(body).slice(0, 80)).toEqual(paths);
    }
    // A team prompt without its team: the same answer as when a prompt is moved to a team on update.
    const teamless = await alice.client.post('/api/prompts', { name, content: 'ok', visibility: 'team' });
    expect(detailPaths(expectEnvelope(teamless, 400, 'PROMPT_TEAM_REQUIRED'))).toEqual(['teamId']);
    expect((await list(alice, `search=${encodeURIComponent(name)}`)).total).toBe(0);
    const prompt = await createPrompt(alice);
    expectEnvelope(
      await alice.client.patch(`/api/prompts/${prompt.id}`, { content: 'b'.repeat(20_001) }),
      400,
      'VALIDATION_FAILED',
    );
    expectEnvelope(await alice.client.patch(`/api/prompts/${prompt.id}`, {}), 400, 'VALIDATION_FAILED');
    expectEnvelope(
      await alice.client.patch(`/api/prompts/${prompt.id}`, { changeNote: 'only a note' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(await getPrompt(alice, prompt.id)).toMatchObject({ content: prompt.content, version: 1 });
  });

  it('keeps names unique per owner, case-insensitively; two users may share a name', async () => {
    const bob = await newSignedInUser();
    const name = uniqueName('Same name');
    const first = await createPrompt(alice, { name });
    const clash = expectEnvelope(
      await alice.client.post('/api/prompts', { name: name.toUpperCase(), content: 'other' }),
      409,
      'PROMPT_NAME_TAKEN',
    );
    expect(clash.details).toEqual([expect.objectContaining({ path: 'name' })]);
    const bobs = await createPrompt(bob, { name });
    expect(bobs.name).toBe(first.name);

    const second = await createPrompt(alice);
    expectEnvelope(
      await alice.client.patch(`/api/prompts/${second.id}`, { name: ` ${name.toLowerCase()} ` }),
      409,
      'PROMPT_NAME_TAKEN',
    );
    expect((await getPrompt(alice, second.id)).name).toBe(second.name);
    // Changing only the case of one's own name is fine.
    expect((await patchPrompt(alice, first.id, { name: name.toLowerCase() })).name).toBe(name.toLowerCase());
    expect((await list(alice, `mine=true&search=${encodeURIComponent(name)}`)).total).toBe(1);
  });
});

/* -------------------------------------------------------------------------------------------------------------- */

describe('prompts: rendering', () => {
  let alice: SignedInUser;
  let bob: SignedInUser;
  let prompt: Prompt;
  const content =
    'Dear {{name}}, write about {{topic}} in {{lang}}.\n' +
    'Date {{current_date}} time {{current_time}}, signed {{user_name}}.\n' +
    'Escaped: \\{{literal}} stays.';

  beforeAll(async () => {
    [alice, bob] = await Promise.all([newSignedInUser(), newSignedInUser()]);
    prompt = await createPrompt(alice, {
      content,
      visibility: 'public',
      variables: [{ name: 'lang', default: 'English' }],
    });
  });

  it('fills values and defaults, and leaves missing variables in place, listed', async () => {
    const before = new Date();
    const res = await render(alice, prompt.id, { variables: { name: 'Ann' } });
    expect(res.version).toBe(1);
    expect(res.missing).toEqual(['topic']);
    const [first, second, third] = res.text.split('\n');
    expect(first).toBe('Dear Ann, write about {{topic}} in English.');
    expect(second).toMatch(new RegExp(`^Date \\d{4}-\\d{2}-\\d{2} time \\d{2}:\\d{2}, signed ${alice.nickname}\\.$`));
    expect([dateIn('UTC', before), dateIn('UTC')]).toContain(/Date (\S+)/.exec(second!)![1]);
    expect(third).toBe('Escaped: {{literal}} stays.');

    // An explicit value beats the default; an empty one falls back to it; nothing for a variable → missing.
    const full = await render(alice, prompt.id, { variables: { name: 'Ann', topic: 'tides', lang: 'French' } });
    expect(full.missing).toEqual([]);
    expect(full.text.split('\n')[0]).toBe('Dear Ann, write about tides in French.');
    const empty = await render(alice, prompt.id, { variables: { name: '', topic: 'tides', lang: '' } });
    expect(empty.missing).toEqual(['name']);
    expect(empty.text.split('\n')[0]).toBe('Dear {{name}}, write about tides in English.');
    const none = await render(alice, prompt.id, {});
    expect(none.missing).toEqual(['name', 'topic']);
  });

  it('inserts values verbatim, never rendering a value again', async () => {
    const res = await render(alice, prompt.id, {
      variables: { name: '{{topic}}', topic: '{{lang}} and \\{{x}}', lang: '{{user_name}}' },
    });
    expect(res.missing).toEqual([]);
    expect(res.text.split('\n')[0]).toBe('Dear {{topic}}, write about {{lang}} and \\{{x}} in {{user_name}}.');
  });

  it('refuses a fill-in that would grow past 100,000 characters (400), in render and in chat, storing nothing', async () => {
    const amp = await createPrompt(alice, { name: uniqueName('Amp'), content: '{{x}}'.repeat(4000) });
    const variables = { x: 'y'.repeat(10_000) };
    const refused = await alice.client.post(`/api/prompts/${amp.id}/render`, { variables });
    expect(detailPaths(expectEnvelope(refused, 400, 'PROMPT_RENDERED_TOO_LONG'))).toEqual(['variables']);
    const provider = await createProvider(admin);
    const config = await createModelConfig(alice.client, provider.id, { model: 'mock-echo' });
    const session = (
      await alice.client.post<{ id: string }>('/api/chat/sessions', { title: 'amp', modelConfigId: config.id })
    ).body;
    expectEnvelope(
      await alice.client.post(`/api/chat/sessions/${session.id}/messages`, {
        content: 'hi',
        promptId: amp.id,
        variables,
      }),
      400,
      'PROMPT_RENDERED_TOO_LONG',
    );
    const after = (
      await alice.client.get<{ systemPrompt?: string | null; messageCount: number }>(`/api/chat/sessions/${session.id}`)
    ).body;
    expect([after.systemPrompt ?? null, after.messageCount]).toEqual([null, 0]);
    // Within the bound it renders.
    expect((await render(alice, amp.id, { variables: { x: 'y' } })).text).toBe('y'.repeat(4000));
  });

  it("fills built-ins for the caller: their nickname, and today's date in their time zone", async () => {
    // Kiritimati (UTC+14) and Pago Pago (UTC-11) are 25 hours apart: always on different dates.
    const ahead = await render(bob, prompt.id, {
      variables: { name: 'x', topic: 'y' },
      timeZone: 'Pacific/Kiritimati',
    });
    const behind = await render(bob, prompt.id, {
      variables: { name: 'x', topic: 'y' },
      timeZone: 'Pacific/Pago_Pago',
    });
    const dateOf = (r: RenderedPrompt) => /Date (\d{4}-\d{2}-\d{2}) /.exec(r.text)?.[1];
    expect(dateOf(ahead)).toBe(dateIn('Pacific/Kiritimati'));
    expect(dateOf(behind)).toBe(dateIn('Pacific/Pago_Pago'));
    expect(dateOf(ahead)).not.toBe(dateOf(behind));
    expect(ahead.text).toContain(`signed ${bob.nickname}.`);
    expect(ahead.text).not.toContain(alice.nickname);
    // A caller-supplied user_name does not override the platform's.
    const spoofed = await render(bob, prompt.id, { variables: { name: 'x', topic: 'y', user_name: 'Mallory' } });
    expect(spoofed.text).toContain(`signed ${bob.nickname}.`);
    // An unknown zone falls back to UTC.
    const unknown = await render(bob, prompt.id, { variables: { name: 'x', topic: 'y' }, timeZone: 'Mars/Olympus' });
    expect(dateOf(unknown)).toBe(dateIn('UTC'));
  });

  it('renders a pinned version, and refuses unknown versions and unreadable prompts', async () => {
    const own = await createPrompt(alice, { content: 'one {{x}}' });
    await patchPrompt(alice, own.id, { content: 'two {{x}}' });
    expect(await render(alice, own.id, { variables: { x: '!' }, version: 1 })).toEqual({
      text: 'one !',
      missing: [],
      version: 1,
    });
    expect(await render(alice, own.id, { variables: { x: '!' } })).toEqual({ text: 'two !', missing: [], version: 2 });
    expect((await render(alice, own.id, { variables: { x: '!' }, label: 'latest' })).version).toBe(2);
    expectEnvelope(
      await alice.client.post(`/api/prompts/${own.id}/render`, { version: 3 }),
      404,
      'PROMPT_VERSION_NOT_FOUND',
    );
    expectEnvelope(await alice.client.post(`/api/prompts/${own.id}/render`, { version: 0 }), 400, 'VALIDATION_FAILED');
    expectEnvelope(
      await alice.client.post(`/api/prompts/${own.id}/render`, { version: 1, label: 'latest' }),
      400,
      'VALIDATION_FAILED',
    );
    // Names every object has are variables like any other: missing until given.
    const inherited = await createPrompt(alice, { content: 'A {{constructor}} B {{toString}} C {{__proto__}}' });
    expect(await render(alice, inherited.id, {})).toEqual({
      text: 'A {{constructor}} B {{toString}} C {{__proto__}}',
      missing: ['constructor', 'toString', '__proto__'],
      version: 1,
    });
    expect((await render(alice, inherited.id, { variables: { toString: 'y' } })).text).toContain('B y C');
    expectEnvelope(await bob.client.post(`/api/prompts/${own.id}/render`, {}), 404, 'PROMPT_NOT_FOUND');
    expectEnvelope(await new ApiClient().post(`/api/prompts/${own.id}/render`, {}), 401, 'UNAUTHORIZED');
  });
});

/* -------------------------------------------------------------------------------------------------------------- */

describe('prompts: names under concurrency', () => {
  it('gives every one of several simultaneous copies its own name, and a simultaneous same-name create a 409', async () => {
    const carol = await newSignedInUser();
    const original = await createPrompt(carol, { name: uniqueName('Original') });
    const copies = await Promise.all(
      Array.from({ length: 8 }, () => carol.client.post<Prompt>(`/api/prompts/${original.id}/copy`)),
    );
    expect(copies.map((c) => c.status)).toEqual(Array(8).fill(201));
    expect(new Set(copies.map((c) => c.body.name)).size).toBe(8);

    // Imports at the same moment too: each whole import goes in, clashing names numbered.
    const imported = uniqueName('Imported');
    const imports = await Promise.all(
      Array.from({ length: 5 }, () =>
        carol.client.post<{ created: { name: string }[] }>('/api/prompts/import', {
          format: 'modelyard.prompts',
          version: 1,
          prompts: [{ name: imported, content: 'x' }],
        }),
      ),
    );
    expect(imports.map((i) => i.status)).toEqual(Array(5).fill(201));
    expect(new Set(imports.map((i) => i.body.created[0]!.name)).size).toBe(5);

    const name = uniqueName('Race');
    const creates = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(() => carol.client.post('/api/prompts', { name, content: 'x' })),
    );
    expect(creates.filter((c) => c.status === 201)).toHaveLength(1);
    for (const lost of creates.filter((c) => c.status !== 201)) expectEnvelope(lost, 409, 'PROMPT_NAME_TAKEN');
  });
});

describe('prompts: versions, diff, restore and labels', () => {
  let alice: SignedInUser;
  let bob: SignedInUser;
  let team: Team;

  beforeAll(async () => {
    [alice, bob] = await Promise.all([newSignedInUser(), newSignedInUser()]);
    team = await createTeam(alice);
    await addMember(alice, team.id, bob, 'editor');
  });

  it("records an admin's changes to someone else's prompt in the audit log; the owner's own work stays out of it", async () => {
    const admin = await adminClient();
    const prompt = await createPrompt(alice, { content: 'Mine {{x}}' });
    await patchPrompt(alice, prompt.id, { content: 'Still mine {{x}}' });
    expect((await admin.patch(`/api/prompts/${prompt.id}`, { content: 'Admin was here {{x}}' })).status).toBe(200);
    expect((await admin.put(`/api/prompts/${prompt.id}/labels/production`, { version: 2 })).status).toBe(200);
    expect((await admin.post(`/api/prompts/${prompt.id}/versions/1/restore`, {})).status).toBe(200);
    expect((await admin.delete(`/api/prompts/${prompt.id}/labels/production`)).status).toBe(204);
    expect((await admin.patch(`/api/prompts/${prompt.id}`, { official: true })).status).toBe(200);
    const trail = await admin.get<Paginated<AuditLogEntry>>(`/api/admin/audit-logs?targetId=${prompt.id}&pageSize=100`);
    expect(trail.body.items.map((entry) => entry.action).sort()).toEqual(
      ['prompt.label_remove', 'prompt.label_set', 'prompt.restore', 'prompt.share', 'prompt.update'].sort(),
    );
    // Made official (and so public): the entry says what it was before.
    expect(trail.body.items.find((entry) => entry.action === 'prompt.share')).toMatchObject({
      before: { visibility: 'private', official: false },
      after: { visibility: 'public', official: true },
    });
    expect(trail.body.items.find((entry) => entry.action === 'prompt.update')).toMatchObject({
      before: { ownerId: alice.user.id },
      after: { fields: ['content'] },
    });
  });

  it('keeps every content change as a version, newest first, with author and note', async () => {
    const prompt = await createPrompt(alice, {
      content: 'Line A\nLine B',
      changeNote: 'first draft',
      visibility: 'team',
      teamId: team.id,
    });
    const v2 = await patchPrompt(alice, prompt.id, { content: 'Line A\nLine B2', changeNote: 'tweak B' });
    expect(v2.version).toBe(2);
    const v3 = await patchPrompt(bob, prompt.id, { content: 'Line A\nLine B2\nLine C', changeNote: 'add C' });
    expect(v3.version).toBe(3);

    const versions = await alice.client.get<Paginated<PromptVersionSummary>>(`/api/prompts/${prompt.id}/versions`);
    expect(versions.status).toBe(200);
    expect(versions.body.total).toBe(3);
    expect(versions.body.items.map((v) => [v.version, v.changeNote, v.authorId, v.authorName])).toEqual([
      [3, 'add C', bob.user.id, bob.nickname],
      [2, 'tweak B', alice.user.id, alice.nickname],
      [1, 'first draft', alice.user.id, alice.nickname],
    ]);
    const paged = await alice.client.get<Paginated<PromptVersionSummary>>(
      `/api/prompts/${prompt.id}/versions?pageSize=1&page=2`,
    );
    expect(paged.body).toMatchObject({ total: 3, page: 2, pageSize: 1 });
    expect(paged.body.items.map((v) => v.version)).toEqual([2]);

    // Metadata is not versioned.
    const meta = await patchPrompt(alice, prompt.id, {
      name: uniqueName('Renamed'),
      description: 'now described',
      tags: ['t1'],
      category: 'coding',
    });
    expect(meta.version).toBe(3);
    expect(meta.content).toBe('Line A\nLine B2\nLine C');
    // Saving the same content again is not a new version either.
    expect((await patchPrompt(alice, prompt.id, { content: meta.content, changeNote: 'no-op' })).version).toBe(3);
    const after = await alice.client.get<Paginated<PromptVersionSummary>>(`/api/prompts/${prompt.id}/versions`);
    expect(after.body.total).toBe(3);

    const one = await alice.client.get<PromptVersion>(`/api/prompts/${prompt.id}/versions/1`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      version: 1,
      content: 'Line A\nLine B',
      changeNote: 'first draft',
      authorId: alice.user.id,
      variables: [],
      labels: [],
    });
  });

  it('makes a new version when only a variable description or default changes', async () => {
    const prompt = await createPrompt(alice, { content: 'Hi {{who}}', variables: [{ name: 'who' }] });
    const described = await patchPrompt(alice, prompt.id, {
      variables: [{ name: 'who', description: 'the reader', default: 'friend' }],
    });
    expect(described.version).toBe(2);
    expect(described.variables).toEqual([{ name: 'who', description: 'the reader', default: 'friend' }]);
    const v1 = await alice.client.get<PromptVersion>(`/api/prompts/${prompt.id}/versions/1`);
    expect(v1.body.variables).toEqual([{ name: 'who' }]);
    expect((await render(alice, prompt.id, {})).text).toBe('Hi friend');
    expect((await render(alice, prompt.id, { version: 1 })).missing).toEqual(['who']);
  });

  it('diffs two versions line by line', async () => {
    const prompt = await createPrompt(alice, { content: 'Line A\nLine B\nLine D\n' });
    await patchPrompt(alice, prompt.id, { content: 'Line A\nLine B2\nLine C\nLine D\n' });
    const res = await alice.client.get<PromptDiff>(`/api/prompts/${prompt.id}/diff?from=1&to=2`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.from).toBe(1);
    expect(res.body.to).toBe(2);
    expect(res.body.changes).toEqual([
      { type: 'equal', value: 'Line A\n' },
      { type: 'removed', value: 'Line B\n' },
      { type: 'added', value: 'Line B2\nLine C\n' },
      { type: 'equal', value: 'Line D\n' },
    ]);
    const back = await alice.client.get<PromptDiff>(`/api/prompts/${prompt.id}/diff?from=2&to=1`);
    const join = (types: string[]) =>
      back.body.changes
        .filter((c) => types.includes(c.type))
        .map((c) => c.value)
        .join('');
    expect(join(['equal', 'removed'])).toBe('Line A\nLine B2\nLine C\nLine D\n');
    expect(join(['equal', 'added'])).toBe('Line A\nLine B\nLine D\n');
    const same = await alice.client.get<PromptDiff>(`/api/prompts/${prompt.id}/diff?from=2&to=2`);
    expect(same.body.changes.every((c) => c.type === 'equal')).toBe(true);

    expectEnvelope(
      await alice.client.get(`/api/prompts/${prompt.id}/diff?from=1&to=9`),
      404,
      'PROMPT_VERSION_NOT_FOUND',
    );
    expect(
      detailPaths(
        expectEnvelope(
          await alice.client.get(`/api/prompts/${prompt.id}/diff?from=abc&to=1`),
          400,
          'VALIDATION_FAILED',
        ),
      ),
    ).toEqual(['from']);
    expectEnvelope(await bob.client.get(`/api/prompts/${prompt.id}/diff?from=1&to=2`), 404, 'PROMPT_NOT_FOUND');
  });

  it('shows a line added after an unterminated last line as one addition, not a rewrite of that line', async () => {
    const prompt = await createPrompt(alice, { content: 'Line A\nLine B' });
    await patchPrompt(alice, prompt.id, { content: 'Line A\nLine B\nLine C' });
    const res = await alice.client.get<PromptDiff>(`/api/prompts/${prompt.id}/diff?from=1&to=2`);
    expect(res.body.changes.filter((c) => c.type === 'removed')).toEqual([]);
    expect(res.body.changes.filter((c) => c.type === 'added').map((c) => c.value.trim())).toEqual(['Line C']);
  });

  it('restores an old version as a new one, keeping history', async () => {
    const prompt = await createPrompt(alice, { content: 'v1 {{a}}', variables: [{ name: 'a', default: 'one' }] });
    await patchPrompt(alice, prompt.id, { content: 'v2 {{b}}' });
    await patchPrompt(alice, prompt.id, { content: 'v3 {{b}}' });
    const restored = await alice.client.post<Prompt>(`/api/prompts/${prompt.id}/versions/1/restore`, {});
    expect(restored.status, restored.text).toBe(200);
    expect(restored.body).toMatchObject({
      version: 4,
      content: 'v1 {{a}}',
      variables: [{ name: 'a', default: 'one' }],
    });
    const versions = await alice.client.get<Paginated<PromptVersionSummary>>(`/api/prompts/${prompt.id}/versions`);
    expect(versions.body.items.map((v) => v.version)).toEqual([4, 3, 2, 1]);
    expect(versions.body.items[0]).toMatchObject({ authorId: alice.user.id, changeNote: expect.stringContaining('1') });
    expect((await alice.client.get<PromptVersion>(`/api/prompts/${prompt.id}/versions/3`)).body.content).toBe(
      'v3 {{b}}',
    );

    const noted = await alice.client.post<Prompt>(`/api/prompts/${prompt.id}/versions/2/restore`, {
      changeNote: 'back to two',
    });
    expect(noted.body).toMatchObject({ version: 5, content: 'v2 {{b}}' });
    const latest = await alice.client.get<PromptVersion>(`/api/prompts/${prompt.id}/versions/5`);
    expect(latest.body.changeNote).toBe('back to two');

    // Restoring needs no body at all (the note is optional).
    const bare = await alice.client.request<Prompt>('POST', `/api/prompts/${prompt.id}/versions/3/restore`);
    expect(bare.status, bare.text).toBe(200);
    expect(bare.body).toMatchObject({ version: 6, content: 'v3 {{b}}' });
  });

  it('answers 404 PROMPT_VERSION_NOT_FOUND for a version that does not exist', async () => {
    const prompt = await createPrompt(alice);
    const base = `/api/prompts/${prompt.id}`;
    for (const version of ['2', '99', '0', '-1', 'abc', '1.5', '2147483648', '99999999999999999999']) {
      expectEnvelope(await alice.client.get(`${base}/versions/${version}`), 404, 'PROMPT_VERSION_NOT_FOUND');
    }
    expectEnvelope(await alice.client.post(`${base}/versions/7/restore`, {}), 404, 'PROMPT_VERSION_NOT_FOUND');
    expectEnvelope(
      await alice.client.post(`${base}/versions/99999999999/restore`, {}),
      404,
      'PROMPT_VERSION_NOT_FOUND',
    );
    // Past the 32-bit range of version numbers in a body or query: invalid input, not a server error.
    expectEnvelope(await alice.client.get(`${base}/diff?from=1&to=2147483648`), 400, 'VALIDATION_FAILED');
    expectEnvelope(await alice.client.post(`${base}/render`, { version: 99999999999 }), 400, 'VALIDATION_FAILED');
    expectEnvelope(await alice.client.post(`${base}/versions/x/restore`, {}), 404, 'PROMPT_VERSION_NOT_FOUND');
    expect((await getPrompt(alice, prompt.id)).version).toBe(1);
    expectEnvelope(await bob.client.get(`${base}/versions/1`), 404, 'PROMPT_NOT_FOUND');
    expectEnvelope(await bob.client.get(`${base}/versions`), 404, 'PROMPT_NOT_FOUND');
  });

  it('labels a version, renders by label, moves and deletes labels', async () => {
    const prompt = await createPrompt(alice, { content: 'First {{x}}' });
    await patchPrompt(alice, prompt.id, { content: 'Second {{x}}' });
    await patchPrompt(alice, prompt.id, { content: 'Third {{x}}' });
    const base = `/api/prompts/${prompt.id}`;

    const labelled = await alice.client.put<Prompt>(`${base}/labels/production`, { version: 2 });
    expect(labelled.status, labelled.text).toBe(200);
    expect(labelled.body.labels).toEqual({ production: 2 });
    expect((await getPrompt(alice, prompt.id)).labels).toEqual({ production: 2 });
    expect(await render(alice, prompt.id, { label: 'production', variables: { x: 'go' } })).toEqual({
      text: 'Second go',
      missing: [],
      version: 2,
    });
    const versions = await alice.client.get<Paginated<PromptVersionSummary>>(`${base}/versions`);
    expect(versions.body.items.map((v) => v.labels)).toEqual([[], ['production'], []]);
    expect((await alice.client.get<PromptVersion>(`${base}/versions/2`)).body.labels).toEqual(['production']);

    // Moving the label.
    const moved = await alice.client.put<Prompt>(`${base}/labels/production`, { version: 3 });
    expect(moved.body.labels).toEqual({ production: 3 });
    expect((await render(alice, prompt.id, { label: 'production', variables: { x: 'go' } })).text).toBe('Third go');
    const staged = await alice.client.put<Prompt>(`${base}/labels/staging-1.0`, { version: 1 });
    expect(staged.body.labels).toEqual({ production: 3, 'staging-1.0': 1 });

    // Deleting a label.
    const removed = await alice.client.delete(`${base}/labels/staging-1.0`);
    expect(removed.status).toBe(204);
    expect((await getPrompt(alice, prompt.id)).labels).toEqual({ production: 3 });
    expectEnvelope(await alice.client.delete(`${base}/labels/staging-1.0`), 404, 'PROMPT_LABEL_NOT_FOUND');
    expectEnvelope(await alice.client.post(`${base}/render`, { label: 'staging-1.0' }), 404, 'PROMPT_LABEL_NOT_FOUND');
    expectEnvelope(await alice.client.post(`${base}/render`, { label: 'nope' }), 404, 'PROMPT_LABEL_NOT_FOUND');

    // Refused labels change nothing.
    expectEnvelope(await alice.client.put(`${base}/labels/Bad%20Label`, { version: 1 }), 400, 'VALIDATION_FAILED');
    expectEnvelope(await alice.client.put(`${base}/labels/latest`, { version: 1 }), 400, 'VALIDATION_FAILED');
    expectEnvelope(await alice.client.put(`${base}/labels/beta`, { version: 9 }), 404, 'PROMPT_VERSION_NOT_FOUND');
    expect(
      detailPaths(
        expectEnvelope(await alice.client.put(`${base}/labels/beta`, { version: 0 }), 400, 'VALIDATION_FAILED'),
      ),
    ).toEqual(['version']);
    expect((await getPrompt(alice, prompt.id)).labels).toEqual({ production: 3 });
    // Someone who cannot read it cannot label it.
    expectEnvelope(await bob.client.put(`${base}/labels/production`, { version: 1 }), 404, 'PROMPT_NOT_FOUND');
  });

  it('lets team editors label and restore, but not viewers (403 PROMPT_READ_ONLY)', async () => {
    const viewer = await newSignedInUser();
    await addMember(alice, team.id, viewer, 'viewer');
    const prompt = await createPrompt(alice, { content: 'A', visibility: 'team', teamId: team.id });
    await patchPrompt(alice, prompt.id, { content: 'B' });
    const base = `/api/prompts/${prompt.id}`;
    expect((await bob.client.put(`${base}/labels/production`, { version: 1 })).status).toBe(200);
    expectEnvelope(await viewer.client.put(`${base}/labels/production`, { version: 2 }), 403, 'PROMPT_READ_ONLY');
    expectEnvelope(await viewer.client.delete(`${base}/labels/production`), 403, 'PROMPT_READ_ONLY');
    expectEnvelope(await viewer.client.post(`${base}/versions/1/restore`, {}), 403, 'PROMPT_READ_ONLY');
    // The viewer may still read the history and render.
    expect((await viewer.client.get(`${base}/versions`)).status).toBe(200);
    expect((await render(viewer, prompt.id, { label: 'production' })).text).toBe('A');
    const after = await getPrompt(alice, prompt.id);
    expect(after).toMatchObject({ version: 2, content: 'B', labels: { production: 1 } });
  });
});

/* -------------------------------------------------------------------------------------------------------------- */

type Actor = 'owner' | 'teamOwner' | 'editor' | 'viewer' | 'outsider' | 'admin' | 'anonymous';
type Visibility = 'private' | 'team' | 'public';
interface Rights {
  read: boolean;
  edit: boolean;
  delete: boolean;
}

const R = (read: boolean, edit = false, del = false): Rights => ({ read, edit, delete: del });
const ALL = R(true, true, true);
const NONE = R(false);
const MATRIX: Record<Visibility, Record<Exclude<Actor, 'anonymous'>, Rights>> = {
  private: { owner: ALL, teamOwner: NONE, editor: NONE, viewer: NONE, outsider: NONE, admin: ALL },
  team: {
    owner: ALL,
    teamOwner: R(true, true, true),
    editor: R(true, true, false),
    viewer: R(true),
    outsider: NONE,
    admin: ALL,
  },
  public: { owner: ALL, teamOwner: R(true), editor: R(true), viewer: R(true), outsider: R(true), admin: ALL },
};

describe('prompts: the permission matrix', () => {
  const people = {} as Record<Exclude<Actor, 'anonymous' | 'admin'>, SignedInUser>;
  let team: Team;

  beforeAll(async () => {
    const [owner, teamOwner, editor, viewer, outsider] = await Promise.all([
      newSignedInUser(),
      newSignedInUser(),
      newSignedInUser(),
      newSignedInUser(),
      newSignedInUser(),
    ]);
    Object.assign(people, { owner, teamOwner, editor, viewer, outsider });
    team = await createTeam(teamOwner);
    // The prompt's owner is an editor of the team (so they may share into it).
    await addMember(teamOwner, team.id, owner, 'editor');
    await addMember(teamOwner, team.id, editor, 'editor');
    await addMember(teamOwner, team.id, viewer, 'viewer');
  });

  const actors: Actor[] = ['owner', 'teamOwner', 'editor', 'viewer', 'outsider', 'admin', 'anonymous'];
  const cases = (['private', 'team', 'public'] as Visibility[]).flatMap((visibility) =>
    actors.map((actor) => [visibility, actor] as const),
  );

  it.each(cases)('%s prompt, %s: read, copy, edit, delete', async (visibility, actor) => {
    const original = await createPrompt(people.owner, {
      content: 'Original {{topic}}',
      description: 'original',
      visibility,
      ...(visibility === 'team' && { teamId: team.id }),
    });
    const client = actor === 'admin' ? admin : actor === 'anonymous' ? new ApiClient() : people[actor].client;
    const actorId = actor === 'admin' ? adminId : actor === 'anonymous' ? undefined : people[actor].user.id;
    const path = `/api/prompts/${original.id}`;
    const ownerView = () => getPrompt(people.owner, original.id);

    if (actor === 'anonymous') {
      expectEnvelope(await client.get(path), 401, 'UNAUTHORIZED');
      expectEnvelope(await client.post(`${path}/copy`), 401, 'UNAUTHORIZED');
      expectEnvelope(await client.patch(path, { description: 'anon' }), 401, 'UNAUTHORIZED');
      expectEnvelope(await client.delete(path), 401, 'UNAUTHORIZED');
      expect(await ownerView()).toMatchObject({ description: 'original', version: 1 });
      return;
    }
    const rights = MATRIX[visibility][actor];

    // read
    const read = await client.get<Prompt>(path);
    if (!rights.read) {
      expectEnvelope(read, 404, 'PROMPT_NOT_FOUND');
      expectEnvelope(await client.post(`${path}/copy`), 404, 'PROMPT_NOT_FOUND');
      expectEnvelope(await client.patch(path, { description: 'hijacked' }), 404, 'PROMPT_NOT_FOUND');
      expectEnvelope(await client.delete(path), 404, 'PROMPT_NOT_FOUND');
      expectEnvelope(await client.post(`${path}/render`, {}), 404, 'PROMPT_NOT_FOUND');
      expectEnvelope(await client.put(`${path}/favorite`), 404, 'PROMPT_NOT_FOUND');
      const found = await list(client, `search=${encodeURIComponent(original.name)}`);
      expect(found.items.map((p) => p.id)).not.toContain(original.id);
      expect(await ownerView()).toMatchObject({ description: 'original', version: 1 });
      return;
    }
    expect(read.status, read.text).toBe(200);
    expect(read.body).toMatchObject({
      id: original.id,
      content: 'Original {{topic}}',
      ownerId: people.owner.user.id,
      canEdit: rights.edit,
      canDelete: rights.delete,
      canShare: actor === 'owner' || actor === 'admin',
    });
    const listed = await list(client, `search=${encodeURIComponent(original.name)}`);
    expect(listed.items.map((p) => p.id)).toContain(original.id);

    // copy: a private prompt of the copier
    const copy = await client.post<Prompt>(`${path}/copy`);
    expect(copy.status, copy.text).toBe(201);
    expect(copy.body).toMatchObject({
      name: `${original.name} (copy)`,
      content: original.content,
      description: original.description,
      variables: original.variables,
      visibility: 'private',
      teamId: null,
      official: false,
      version: 1,
      ownerId: actorId,
      canEdit: true,
    });
    expect(copy.body.id).not.toBe(original.id);
    if (actor !== 'owner' && actor !== 'admin') {
      expectEnvelope(await people.owner.client.get(`/api/prompts/${copy.body.id}`), 404, 'PROMPT_NOT_FOUND');
    }

    // edit
    const edit = await client.patch<Prompt>(path, { description: `edited by ${actor}`, content: 'Edited {{topic}}' });
    if (rights.edit) {
      expect(edit.status, edit.text).toBe(200);
      expect(await ownerView()).toMatchObject({ description: `edited by ${actor}`, version: 2 });
    } else {
      expectEnvelope(edit, 403, 'PROMPT_READ_ONLY');
      expect(await ownerView()).toMatchObject({ description: 'original', content: 'Original {{topic}}', version: 1 });
    }

    // delete
    const del = await client.delete(path);
    if (rights.delete) {
      expect(del.status, del.text).toBe(204);
      expectEnvelope(await people.owner.client.get(path), 404, 'PROMPT_NOT_FOUND');
      expectEnvelope(await client.get(path), 404, 'PROMPT_NOT_FOUND');
    } else {
      expectEnvelope(del, 403, 'PROMPT_READ_ONLY');
      expect((await ownerView()).id).toBe(original.id);
    }
  });

  it('answers 401 to anonymous callers everywhere', async () => {
    const anonymous = new ApiClient();
    const id = randomUUID();
    for (const [method, path] of [
      ['GET', '/api/prompts'],
      ['POST', '/api/prompts'],
      ['GET', '/api/prompts/categories'],
      ['GET', '/api/prompts/tags'],
      ['GET', '/api/prompts/export'],
      ['POST', '/api/prompts/import'],
      ['PUT', `/api/prompts/${id}/favorite`],
      ['GET', `/api/prompts/${id}/versions`],
      ['POST', `/api/prompts/${id}/render`],
    ] as const) {
      const json = method === 'GET' ? undefined : {};
      expectEnvelope(await anonymous.request(method, path, { json }), 401, 'UNAUTHORIZED');
    }
  });
});

describe('prompts: sharing', () => {
  let owner: SignedInUser;
  let teamOwner: SignedInUser;
  let editor: SignedInUser;
  let viewer: SignedInUser;
  let outsider: SignedInUser;
  let team: Team;

  beforeAll(async () => {
    [owner, teamOwner, editor, viewer, outsider] = await Promise.all([
      newSignedInUser(),
      newSignedInUser(),
      newSignedInUser(),
      newSignedInUser(),
      newSignedInUser(),
    ]);
    team = await createTeam(teamOwner);
    await addMember(teamOwner, team.id, owner, 'editor');
    await addMember(teamOwner, team.id, editor, 'editor');
    await addMember(teamOwner, team.id, viewer, 'viewer');
  });

  it('lets only the owner change who sees a prompt (403 PROMPT_SHARE_FORBIDDEN)', async () => {
    const prompt = await createPrompt(owner, { visibility: 'team', teamId: team.id, content: 'Team {{x}}' });
    const path = `/api/prompts/${prompt.id}`;
    expectEnvelope(await editor.client.patch(path, { visibility: 'public' }), 403, 'PROMPT_SHARE_FORBIDDEN');
    expectEnvelope(await teamOwner.client.patch(path, { visibility: 'private' }), 403, 'PROMPT_SHARE_FORBIDDEN');
    expectEnvelope(await viewer.client.patch(path, { visibility: 'public' }), 403, 'PROMPT_SHARE_FORBIDDEN');
    // An edit bundled with a share is refused as a whole.
    expectEnvelope(
      await editor.client.patch(path, { content: 'Hijacked {{x}}', visibility: 'private' }),
      403,
      'PROMPT_SHARE_FORBIDDEN',
    );
    expect(await getPrompt(owner, prompt.id)).toMatchObject({
      visibility: 'team',
      teamId: team.id,
      content: 'Team {{x}}',
      version: 1,
    });
    expectEnvelope(await outsider.client.get(path), 404, 'PROMPT_NOT_FOUND');

    const published = await patchPrompt(owner, prompt.id, { visibility: 'public' });
    expect(published).toMatchObject({ visibility: 'public', teamId: null, teamName: null });
    expect((await getPrompt(outsider, prompt.id)).canEdit).toBe(false);
    // Once public the team editor loses edit rights: public prompts are edited by their owner only.
    expectEnvelope(await editor.client.patch(path, { description: 'x' }), 403, 'PROMPT_READ_ONLY');

    const hidden = await patchPrompt(owner, prompt.id, { visibility: 'private' });
    expect(hidden.visibility).toBe('private');
    for (const other of [editor, viewer, teamOwner, outsider]) {
      expectEnvelope(await other.client.get(path), 404, 'PROMPT_NOT_FOUND');
    }
    const back = await patchPrompt(owner, prompt.id, { visibility: 'team', teamId: team.id });
    expect(back).toMatchObject({ visibility: 'team', teamId: team.id, teamName: team.name });
    expect((await getPrompt(viewer, prompt.id)).id).toBe(prompt.id);
    // The owner's sharing never made a new version.
    expect(back.version).toBe(1);
  });

  it('shares only into teams where the owner is an editor or owner', async () => {
    const [sharer, otherOwner] = await Promise.all([newSignedInUser(), newSignedInUser()]);
    const viewedTeam = await createTeam(otherOwner);
    await addMember(otherOwner, viewedTeam.id, sharer, 'viewer');
    const foreignTeam = await createTeam(otherOwner);
    const name = uniqueName('Share try');
    for (const teamId of [viewedTeam.id, foreignTeam.id, randomUUID()]) {
      const res = await sharer.client.post('/api/prompts', { name, content: 'x', visibility: 'team', teamId });
      expect(expectEnvelope(res, 403, 'PROMPT_SHARE_FORBIDDEN').details).toEqual([
        expect.objectContaining({ path: 'teamId' }),
      ]);
    }
    expect((await list(sharer, 'mine=true')).total).toBe(0);

    const prompt = await createPrompt(sharer, { name });
    for (const teamId of [viewedTeam.id, foreignTeam.id]) {
      expectEnvelope(
        await sharer.client.patch(`/api/prompts/${prompt.id}`, { visibility: 'team', teamId }),
        403,
        'PROMPT_SHARE_FORBIDDEN',
      );
    }
    expect(await getPrompt(sharer, prompt.id)).toMatchObject({ visibility: 'private', teamId: null });
    expectEnvelope(await otherOwner.client.get(`/api/prompts/${prompt.id}`), 404, 'PROMPT_NOT_FOUND');

    // Promoted to editor, the same share works.
    await otherOwner.client.patch(`/api/teams/${viewedTeam.id}/members/${sharer.user.id}`, { role: 'editor' });
    const shared = await patchPrompt(sharer, prompt.id, { visibility: 'team', teamId: viewedTeam.id });
    expect(shared).toMatchObject({ visibility: 'team', teamId: viewedTeam.id, teamName: viewedTeam.name });
    expect((await getPrompt(otherOwner, prompt.id)).canDelete).toBe(true);
  });

  it('lets only admins publish official system prompts, read-only to everyone else', async () => {
    expect(
      expectEnvelope(
        await owner.client.post('/api/prompts', { name: uniqueName('Fake official'), content: 'x', official: true }),
        403,
        'PROMPT_SHARE_FORBIDDEN',
      ).details,
    ).toEqual([expect.objectContaining({ path: 'official' })]);
    const mine = await createPrompt(owner, { visibility: 'public' });
    expectEnvelope(
      await owner.client.patch(`/api/prompts/${mine.id}`, { official: true }),
      403,
      'PROMPT_SHARE_FORBIDDEN',
    );
    expect((await getPrompt(owner, mine.id)).official).toBe(false);

    const official = await createPrompt(admin, {
      name: uniqueName('System prompt'),
      content: 'You are the company assistant. {{user_input}}',
      official: true,
    });
    expect(official).toMatchObject({ official: true, visibility: 'public', ownerId: adminId, teamId: null });
    const path = `/api/prompts/${official.id}`;
    const seen = await getPrompt(outsider, official.id);
    expect(seen).toMatchObject({ official: true, canEdit: false, canDelete: false, canShare: false });
    expectEnvelope(await outsider.client.patch(path, { content: 'changed' }), 403, 'PROMPT_READ_ONLY');
    expectEnvelope(await outsider.client.delete(path), 403, 'PROMPT_READ_ONLY');
    expectEnvelope(await outsider.client.patch(path, { official: false }), 403, 'PROMPT_SHARE_FORBIDDEN');
    const copy = await outsider.client.post<Prompt>(`${path}/copy`);
    expect(copy.status, copy.text).toBe(201);
    expect(copy.body).toMatchObject({ official: false, visibility: 'private', ownerId: outsider.user.id });
    expect(await getPrompt(admin, official.id)).toMatchObject({ official: true, content: official.content });
    expect((await list(outsider, `visibility=public&search=${encodeURIComponent(official.name)}`)).items).toEqual([
      expect.objectContaining({ id: official.id, official: true }),
    ]);

    // An admin may also mark an existing prompt of theirs official: it becomes public.
    const draft = await createPrompt(admin, { visibility: 'private' });
    const promoted = await patchPrompt(admin, draft.id, { official: true });
    expect(promoted).toMatchObject({ official: true, visibility: 'public' });
    expect((await getPrompt(outsider, draft.id)).official).toBe(true);
    expect((await admin.delete(`/api/prompts/${draft.id}`)).status).toBe(204);
    expect((await admin.delete(path)).status).toBe(204);
  });

  it('names copies "(copy)", then "(copy) (2)", within the name limit', async () => {
    const source = await createPrompt(owner, { visibility: 'public', name: uniqueName('Copied') });
    const first = await outsider.client.post<Prompt>(`/api/prompts/${source.id}/copy`);
    const second = await outsider.client.post<Prompt>(`/api/prompts/${source.id}/copy`);
    expect(first.body.name).toBe(`${source.name} (copy)`);
    expect(second.body.name).toBe(`${source.name} (copy) (2)`);
    const own = await owner.client.post<Prompt>(`/api/prompts/${source.id}/copy`);
    expect(own.body.name).toBe(`${source.name} (copy)`);
    // Copy of a copy's history starts afresh at version 1 with a note naming the source.
    const versions = await outsider.client.get<Paginated<PromptVersionSummary>>(
      `/api/prompts/${first.body.id}/versions`,
    );
    expect(versions.body.items).toEqual([expect.objectContaining({ version: 1, authorId: outsider.user.id })]);

    const longName = `${randomUUID()}${'L'.repeat(64)}`;
    expect(longName).toHaveLength(100);
    const long = await createPrompt(owner, { name: longName, visibility: 'public' });
    const longCopy = await outsider.client.post<Prompt>(`/api/prompts/${long.id}/copy`);
    expect(longCopy.status, longCopy.text).toBe(201);
    expect(longCopy.body.name.length).toBeLessThanOrEqual(100);
    expect(longCopy.body.name.endsWith(' (copy)')).toBe(true);
  });
});

/* -------------------------------------------------------------------------------------------------------------- */

describe('prompts: list, search, filters and favourites', () => {
  let alice: SignedInUser;
  let bob: SignedInUser;
  let team: Team;
  let tag: string;
  let translator: Prompt;
  let coder: Prompt;
  let marketing: Prompt;

  beforeAll(async () => {
    [alice, bob] = await Promise.all([newSignedInUser(), newSignedInUser()]);
    team = await createTeam(alice);
    tag = randomUUID().slice(0, 8);
    translator = await createPrompt(alice, {
      name: `${tag} Translator`,
      content: '请把下面的文字翻译成英文：{{text}}',
      category: 'translation',
      tags: [`${tag}-zh`, 'language'],
    });
    coder = await createPrompt(alice, {
      name: `${tag} Coder`,
      description: 'Writes TypeScript for you',
      content: 'Write code for {{task}}',
      category: 'coding',
      tags: ['ts'],
      visibility: 'public',
    });
    marketing = await createPrompt(alice, {
      name: `${tag} Marketing`,
      content: 'Write a slogan for {{product}}',
      category: `${tag}-custom`,
      tags: ['ads'],
      visibility: 'team',
      teamId: team.id,
    });
  });

  const ids = (page: Paginated<Prompt>) => page.items.map((p) => p.id);

  it('searches name, description, content and tags, Chinese included', async () => {
    expect(ids(await list(alice, `search=${tag}`)).sort()).toEqual([translator.id, coder.id, marketing.id].sort());
    expect(ids(await list(alice, `search=${tag}%20coder`))).toEqual([coder.id]);
    expect(ids(await list(alice, `search=typescript%20FOR&mine=true`))).toEqual([coder.id]);
    expect(ids(await list(alice, `search=${encodeURIComponent('翻译成')}&mine=true`))).toEqual([translator.id]);
    expect(ids(await list(alice, `search=${tag}-zh`))).toEqual([translator.id]);
    expect(ids(await list(alice, `search=slogan%20for&mine=true`))).toEqual([marketing.id]);
    expect((await list(alice, `search=${randomUUID()}`)).total).toBe(0);
    // Wildcards are taken literally.
    expect((await list(alice, `search=${tag}%25Coder`)).total).toBe(0);
  });

  it('filters by category, tag, visibility, team and owner', async () => {
    const mineQ = `search=${tag}`;
    expect(ids(await list(alice, `${mineQ}&category=translation`))).toEqual([translator.id]);
    expect(ids(await list(alice, `${mineQ}&category=CODING`))).toEqual([coder.id]);
    expect(ids(await list(alice, `${mineQ}&category=${tag}-custom`))).toEqual([marketing.id]);
    expect(ids(await list(alice, `${mineQ}&tag=ts`))).toEqual([coder.id]);
    expect(ids(await list(alice, `tag=${tag}-zh`))).toEqual([translator.id]);
    expect(ids(await list(alice, `${mineQ}&visibility=public`))).toEqual([coder.id]);
    expect(ids(await list(alice, `${mineQ}&visibility=private`))).toEqual([translator.id]);
    expect(ids(await list(alice, `teamId=${team.id}`))).toEqual([marketing.id]);
    expect(ids(await list(alice, `${mineQ}&mine=true&sort=name`))).toEqual([coder.id, marketing.id, translator.id]);
    expectEnvelope(await alice.client.get('/api/prompts?visibility=everyone'), 400, 'VALIDATION_FAILED');
    expectEnvelope(await alice.client.get('/api/prompts?teamId=abc'), 400, 'VALIDATION_FAILED');
    expectEnvelope(await alice.client.get('/api/prompts?mine=yes'), 400, 'VALIDATION_FAILED');
    expectEnvelope(await alice.client.get('/api/prompts?sort=random'), 400, 'VALIDATION_FAILED');
  });

  it("never lists other users' private prompts", async () => {
    // bob is no member of the team: only the public prompt.
    const seen = await list(bob, `search=${tag}`);
    expect(ids(seen)).toEqual([coder.id]);
    expect(seen.total).toBe(1);
    expect(seen.items[0]).toMatchObject({ canEdit: false, ownerName: alice.nickname });
    expect((await list(bob, `search=${encodeURIComponent('翻译成')}&tag=${tag}-zh`)).total).toBe(0);
    expect((await list(bob, `teamId=${team.id}`)).total).toBe(0);
    expect((await list(bob, `search=${tag}&mine=true`)).total).toBe(0);
    // Admins see everything.
    expect(ids(await list(admin, `search=${tag}&sort=name`))).toEqual([coder.id, marketing.id, translator.id]);
  });

  it('sorts by name or recent change, favourites first, and pages', async () => {
    await patchPrompt(alice, coder.id, { description: 'Writes TypeScript for you.' });
    expect(ids(await list(alice, `search=${tag}&sort=recent`))[0]).toBe(coder.id);
    await patchPrompt(alice, translator.id, { tags: [`${tag}-zh`, 'language', 'fresh'] });
    expect(ids(await list(alice, `search=${tag}`))[0]).toBe(translator.id);
    expect(ids(await list(alice, `search=${tag}&sort=name`))).toEqual([coder.id, marketing.id, translator.id]);

    expect((await alice.client.put(`/api/prompts/${translator.id}/favorite`)).status).toBe(204);
    const favouredFirst = await list(alice, `search=${tag}&sort=name`);
    expect(ids(favouredFirst)).toEqual([translator.id, coder.id, marketing.id]);
    expect(favouredFirst.items.map((p) => p.isFavorite)).toEqual([true, false, false]);
    expect(ids(await list(alice, `search=${tag}&favorite=true`))).toEqual([translator.id]);
    // bob's order is his own: alice's favourite is not his.
    await bob.client.put(`/api/prompts/${coder.id}/favorite`);
    expect((await list(bob, `search=${tag}`)).items.map((p) => p.isFavorite)).toEqual([true]);

    const page2 = await list(alice, `search=${tag}&sort=name&pageSize=2&page=2`);
    expect(page2).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(ids(page2)).toEqual([marketing.id]);
    expect((await list(alice, `search=${tag}&pageSize=100`)).items).toHaveLength(3);
    expect(
      detailPaths(expectEnvelope(await alice.client.get('/api/prompts?pageSize=101'), 400, 'VALIDATION_FAILED')),
    ).toEqual(['pageSize']);
    expectEnvelope(await alice.client.get('/api/prompts?page=0'), 400, 'VALIDATION_FAILED');
    await alice.client.delete(`/api/prompts/${translator.id}/favorite`);
  });

  it('lists the built-in categories and the custom ones in use, and tags, over readable prompts', async () => {
    const res = await alice.client.get<{ items: { id: string; builtin: boolean; count: number }[] }>(
      '/api/prompts/categories',
    );
    expect(res.status).toBe(200);
    expect(res.body.items.slice(0, 8).map((c) => [c.id, c.builtin])).toEqual(
      ['role-play', 'coding', 'copywriting', 'data-analysis', 'translation', 'knowledge-qa', 'tutoring', 'other'].map(
        (id) => [id, true],
      ),
    );
    expect(res.body.items.find((c) => c.id === `${tag}-custom`)).toEqual({
      id: `${tag}-custom`,
      builtin: false,
      count: 1,
    });
    expect(res.body.items.find((c) => c.id === 'translation')!.count).toBeGreaterThanOrEqual(1);
    const bobs = await bob.client.get<{ items: { id: string }[] }>('/api/prompts/categories');
    expect(bobs.body.items.map((c) => c.id)).not.toContain(`${tag}-custom`);
    expect(bobs.body.items).toHaveLength(new Set(bobs.body.items.map((c) => c.id)).size);

    const tags = await alice.client.get<{ items: { tag: string; count: number }[] }>('/api/prompts/tags');
    expect(tags.status).toBe(200);
    expect(tags.body.items).toContainEqual({ tag: `${tag}-zh`, count: 1 });
    const bobsTags = await bob.client.get<{ items: { tag: string }[] }>('/api/prompts/tags');
    expect(bobsTags.body.items.map((t) => t.tag)).not.toContain(`${tag}-zh`);
  });

  it('marks favourites per user, idempotently (204)', async () => {
    const path = `/api/prompts/${coder.id}/favorite`;
    const carol = await newSignedInUser();
    for (let i = 0; i < 2; i++) {
      const res = await carol.client.put(path);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
    }
    expect((await getPrompt(carol, coder.id)).isFavorite).toBe(true);
    expect((await getPrompt(alice, coder.id)).isFavorite).toBe(false);
    expect(ids(await list(carol, 'favorite=true'))).toEqual([coder.id]);
    for (let i = 0; i < 2; i++) expect((await carol.client.delete(path)).status).toBe(204);
    expect((await getPrompt(carol, coder.id)).isFavorite).toBe(false);
    expect((await list(carol, 'favorite=true')).total).toBe(0);
    expectEnvelope(await carol.client.put(`/api/prompts/${translator.id}/favorite`), 404, 'PROMPT_NOT_FOUND');
    expectEnvelope(await carol.client.delete(`/api/prompts/${translator.id}/favorite`), 404, 'PROMPT_NOT_FOUND');
  });
});

/* -------------------------------------------------------------------------------------------------------------- */

describe('prompts: import and export', () => {
  it('round-trips a library to another user, renaming clashes', async () => {
    const [alice, bob] = await Promise.all([newSignedInUser(), newSignedInUser()]);
    const a = await createPrompt(alice, {
      name: 'Alpha 翻译',
      content: 'Translate {{text}} into {{lang}} on {{current_date}}',
      description: 'translator',
      category: 'translation',
      tags: ['zh', 'en'],
      variables: [
        { name: 'text', description: 'what to translate' },
        { name: 'lang', default: 'English' },
      ],
    });
    const b = await createPrompt(alice, { name: 'Beta', content: 'Plain text, no variables', category: 'my-own' });

    const res = await alice.client.get<PromptLibraryExport>('/api/prompts/export');
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="[^"]+\.json"; filename\*=UTF-8''[^"]+\.json$/,
    );
    expect(res.body).toMatchObject({ format: 'modelyard.prompts', version: 1 });
    expect(res.body.prompts).toEqual([
      {
        name: a.name,
        content: a.content,
        description: 'translator',
        category: 'translation',
        tags: ['zh', 'en'],
        variables: a.variables,
      },
      { name: 'Beta', content: b.content, description: '', category: 'my-own', tags: [], variables: [] },
    ]);
    expect(res.text).not.toContain(alice.user.id);

    const only = await alice.client.get<PromptLibraryExport>(`/api/prompts/export?ids=${b.id}`);
    expect(only.body.prompts.map((p) => p.name)).toEqual(['Beta']);
    expectEnvelope(await bob.client.get(`/api/prompts/export?ids=${a.id}`), 404, 'PROMPT_NOT_FOUND');
    expectEnvelope(await alice.client.get('/api/prompts/export?ids=nope'), 400, 'VALIDATION_FAILED');

    const imported = await bob.client.post<{ created: { id: string; name: string }[]; renamed: unknown[] }>(
      '/api/prompts/import',
      res.body,
    );
    expect(imported.status, imported.text).toBe(201);
    expect(imported.body.created.map((c) => c.name)).toEqual([a.name, 'Beta']);
    expect(imported.body.renamed).toEqual([]);
    const copyOfA = await getPrompt(bob, imported.body.created[0]!.id);
    expect(copyOfA).toMatchObject({
      name: a.name,
      content: a.content,
      description: 'translator',
      category: 'translation',
      tags: ['zh', 'en'],
      variables: a.variables,
      builtins: ['current_date'],
      visibility: 'private',
      ownerId: bob.user.id,
      version: 1,
    });
    expect((await render(bob, copyOfA.id, { variables: { text: 'hi' } })).text).toContain('into English');

    const again = await bob.client.post<{ created: { name: string }[]; renamed: { from: string; to: string }[] }>(
      '/api/prompts/import',
      res.body,
    );
    expect(again.status).toBe(201);
    expect(again.body.created.map((c) => c.name)).toEqual([`${a.name} (2)`, 'Beta (2)']);
    expect(again.body.renamed).toEqual([
      { from: a.name, to: `${a.name} (2)` },
      { from: 'Beta', to: 'Beta (2)' },
    ]);
    const third = await bob.client.post<{ created: { name: string }[] }>('/api/prompts/import', only.body);
    expect(third.body.created.map((c) => c.name)).toEqual(['Beta (3)']);
    expect((await list(bob, 'mine=true')).total).toBe(5);
    // alice's own library is untouched.
    expect((await list(alice, 'mine=true')).total).toBe(2);
  });

  it('renames clashes inside one file too, and fills missing optional fields', async () => {
    const carol = await newSignedInUser();
    const res = await carol.client.post<{ created: { id: string; name: string }[] }>('/api/prompts/import', {
      format: 'modelyard.prompts',
      version: 1,
      prompts: [
        { name: 'Dup', content: 'one {{a}}' },
        { name: 'dup', content: 'two', tags: ['x', 'x'] },
      ],
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.created.map((c) => c.name)).toEqual(['Dup', 'dup (2)']);
    expect(await getPrompt(carol, res.body.created[0]!.id)).toMatchObject({
      category: 'other',
      description: '',
      variables: [{ name: 'a' }],
    });
    expect((await getPrompt(carol, res.body.created[1]!.id)).tags).toEqual(['x']);
  });

  it('refuses an invalid file (400) and creates nothing', async () => {
    const dave = await newSignedInUser();
    await createPrompt(dave, { name: 'Existing' });
    const valid = { name: 'Fine', content: 'fine' };
    const bad: unknown[] = [
      { format: 'other.format', version: 1, prompts: [valid] },
      { format: 'modelyard.prompts', version: 2, prompts: [valid] },
      { format: 'modelyard.prompts', version: 1, prompts: [] },
      { format: 'modelyard.prompts', version: 1 },
      { format: 'modelyard.prompts', version: 1, prompts: [valid, { name: 'Empty', content: '' }] },
      { format: 'modelyard.prompts', version: 1, prompts: [valid, { name: 'Huge', content: 'h'.repeat(20_001) }] },
      { format: 'modelyard.prompts', version: 1, prompts: [valid, { content: 'nameless' }] },
      [valid],
    ];
    for (const body of bad) {
      expectEnvelope(await dave.client.post('/api/prompts/import', body), 400, 'VALIDATION_FAILED');
    }
    const notJson = await dave.client.request('POST', '/api/prompts/import', {
      body: '{"format": "modelyard.prompts", ',
      headers: { 'content-type': 'application/json' },
    });
    expectEnvelope(notJson, 400, ['MALFORMED_BODY', 'VALIDATION_FAILED']);
    const after = await list(dave, 'mine=true');
    expect(after.total).toBe(1);
    expect(after.items.map((p) => p.name)).toEqual(['Existing']);
  });
});

/* -------------------------------------------------------------------------------------------------------------- */

describe('prompts: use in chat', () => {
  let alice: SignedInUser;
  let modelConfigId: string;

  beforeAll(async () => {
    alice = await newSignedInUser();
    const provider = await createProvider(admin);
    modelConfigId = (await createModelConfig(alice.client, provider.id, { model: 'mock-echo' })).id;
  });

  async function newSession(user: SignedInUser = alice): Promise<Session> {
    const res = await user.client.post<Session>('/api/chat/sessions', { modelConfigId });
    expect(res.status, res.text).toBe(201);
    return res.body;
  }

  const send = (sessionId: string, body: Record<string, unknown>, user: SignedInUser = alice) =>
    readSse(`/api/chat/sessions/${sessionId}/messages`, { json: body, token: user.client.accessToken });

  /** The same request, but read as a plain JSON answer (for refusals). */
  const sendRefused = (sessionId: string, body: Record<string, unknown>, user: SignedInUser = alice) =>
    user.client.post(`/api/chat/sessions/${sessionId}/messages`, body, { headers: { accept: 'text/event-stream' } });

  const session = async (id: string) => (await alice.client.get<Session>(`/api/chat/sessions/${id}`)).body;
  const messages = async (id: string) =>
    (await alice.client.get<MessageList>(`/api/chat/sessions/${id}/messages`)).body;

  it('counts a use and sets the system prompt only for the question taken when several are sent at once', async () => {
    const prompt = await createPrompt(alice, { content: 'System for {{user_input}}' });
    // A slow answer (≈ 2 s): the questions that lose the race find it still generating.
    const provider = await createProvider(admin);
    const slow = await createModelConfig(alice.client, provider.id, { model: 'mock-chat@tokens=40,tps=20' });
    const chat = (await alice.client.post<Session>('/api/chat/sessions', { modelConfigId: slow.id })).body;
    const sent = await Promise.all(
      ['one', 'two', 'three', 'four'].map((content) =>
        alice.client.post<{ userMessageId: string }>(`/api/chat/sessions/${chat.id}/messages`, {
          content,
          promptId: prompt.id,
        }),
      ),
    );
    const taken = sent.filter((res) => res.status === 202);
    expect(taken).toHaveLength(1);
    for (const refused of sent.filter((res) => res.status !== 202)) expect(refused.status).toBeGreaterThanOrEqual(400);
    const question = (await messages(chat.id)).items.find((m) => m.id === taken[0]!.body.userMessageId)!;
    expect((await session(chat.id)).systemPrompt).toBe(`System for ${question.content}`);
    expect((await getPrompt(alice, prompt.id)).usageCount).toBe(1);
    await alice.client.post(`/api/chat/sessions/${chat.id}/clear`);
  });

  it('renders the prompt as the system prompt, sends it upstream, and counts the use', async () => {
    const marker = randomUUID();
    const prompt = await createPrompt(alice, {
      content: `You are a {{role}} assistant (${marker}). The user asks: {{user_input}}. Call them {{user_name}}. Mood {{mood}}.`,
      variables: [{ name: 'mood', default: 'cheerful' }],
    });
    expect(prompt.usageCount).toBe(0);
    const chat = await newSession();
    const res = await send(chat.id, { content: 'Hello prompt', promptId: prompt.id, variables: { role: 'pirate' } });
    expect(res.status).toBe(200);
    expect(terminal(res.events)?.data).toMatchObject({ status: 'complete' });

    const expected = `You are a pirate assistant (${marker}). The user asks: Hello prompt. Call them ${alice.nickname}. Mood cheerful.`;
    expect(await session(chat.id)).toMatchObject({
      systemPrompt: expected,
      prompt: { id: prompt.id, name: prompt.name, version: 1 },
    });
    const upstream = (await upstreamRequests()).find((r) => JSON.stringify(r.body ?? null).includes(marker));
    const sent = (upstream?.body as { messages: { role: string; content: string }[] }).messages;
    expect(sent[0]).toEqual({ role: 'system', content: expected });
    expect(sent.at(-1)).toMatchObject({ role: 'user', content: 'Hello prompt' });

    const used = await getPrompt(alice, prompt.id);
    expect(used.usageCount).toBe(1);
    expect(used.lastUsedAt).not.toBeNull();
    expect(Math.abs(Date.parse(used.lastUsedAt!) - Date.now())).toBeLessThan(60_000);
    // Using a prompt is not editing it.
    expect(used.version).toBe(1);

    // The system prompt stays for the next turn without naming the prompt again (and without counting it again).
    const next = await send(chat.id, { content: `second ${marker}` });
    expect(terminal(next.events)?.data).toMatchObject({ status: 'complete' });
    const second = (await upstreamRequests()).find((r) => JSON.stringify(r.body ?? null).includes(`second ${marker}`));
    expect((second?.body as { messages: { role: string; content: string }[] }).messages[0]).toEqual({
      role: 'system',
      content: expected,
    });
    expect((await getPrompt(alice, prompt.id)).usageCount).toBe(1);
  });

  it('refuses a message while a variable is missing (400 PROMPT_VARIABLES_MISSING), persisting nothing', async () => {
    const prompt = await createPrompt(alice, { content: 'Act as {{role}} for {{audience}}: {{user_input}}' });
    const chat = await newSession();
    const res = await sendRefused(chat.id, {
      content: 'Hi',
      promptId: prompt.id,
      variables: { role: 'guide', audience: '' },
    });
    const envelope = expectEnvelope(res, 400, 'PROMPT_VARIABLES_MISSING');
    expect(envelope.details).toEqual([expect.objectContaining({ path: 'variables.audience' })]);
    expect(envelope.message).toContain('audience');
    const none = await sendRefused(chat.id, { content: 'Hi', promptId: prompt.id });
    expect(
      (expectEnvelope(none, 400, 'PROMPT_VARIABLES_MISSING').details as { path: unknown }[]).map((d) => d.path),
    ).toEqual(['variables.role', 'variables.audience']);

    expect((await messages(chat.id)).items).toEqual([]);
    expect(await session(chat.id)).toMatchObject({ systemPrompt: null, prompt: null, messageCount: 0 });
    expect((await getPrompt(alice, prompt.id)).usageCount).toBe(0);
  });

  it('pins a labelled or numbered version', async () => {
    const prompt = await createPrompt(alice, { content: 'Version ONE: {{user_input}}' });
    await patchPrompt(alice, prompt.id, { content: 'Version TWO: {{user_input}}' });
    await patchPrompt(alice, prompt.id, { content: 'Version THREE: {{user_input}}' });
    await alice.client.put(`/api/prompts/${prompt.id}/labels/production`, { version: 1 });

    const labelled = await newSession();
    const res = await send(labelled.id, { content: 'ping', promptId: prompt.id, promptLabel: 'production' });
    expect(terminal(res.events)?.data).toMatchObject({ status: 'complete' });
    expect(await session(labelled.id)).toMatchObject({
      systemPrompt: 'Version ONE: ping',
      prompt: { id: prompt.id, version: 1 },
    });

    const numbered = await newSession();
    await send(numbered.id, { content: 'pong', promptId: prompt.id, promptVersion: 2 });
    expect(await session(numbered.id)).toMatchObject({ systemPrompt: 'Version TWO: pong', prompt: { version: 2 } });

    const latest = await newSession();
    await send(latest.id, { content: 'pang', promptId: prompt.id });
    expect(await session(latest.id)).toMatchObject({ systemPrompt: 'Version THREE: pang', prompt: { version: 3 } });
    expect((await getPrompt(alice, prompt.id)).usageCount).toBe(3);

    const unknown = await newSession();
    expectEnvelope(
      await sendRefused(unknown.id, { content: 'x', promptId: prompt.id, promptLabel: 'nope' }),
      404,
      'PROMPT_LABEL_NOT_FOUND',
    );
    expectEnvelope(
      await sendRefused(unknown.id, { content: 'x', promptId: prompt.id, promptVersion: 9 }),
      404,
      'PROMPT_VERSION_NOT_FOUND',
    );
    expect((await messages(unknown.id)).items).toEqual([]);
  });

  it("refuses someone else's private prompt (404) but takes a team prompt shared with the sender", async () => {
    const [bob, teamOwner] = await Promise.all([newSignedInUser(), newSignedInUser()]);
    const secret = await createPrompt(bob, { content: `Bob's secret ${randomUUID()}` });
    const chat = await newSession();
    expectEnvelope(await sendRefused(chat.id, { content: 'x', promptId: secret.id }), 404, 'PROMPT_NOT_FOUND');
    expectEnvelope(await sendRefused(chat.id, { content: 'x', promptId: randomUUID() }), 404, 'PROMPT_NOT_FOUND');
    expect((await messages(chat.id)).items).toEqual([]);
    expect((await session(chat.id)).systemPrompt).toBeNull();
    expect((await getPrompt(bob, secret.id)).usageCount).toBe(0);

    const team = await createTeam(teamOwner);
    await addMember(teamOwner, team.id, bob, 'editor');
    await addMember(teamOwner, team.id, alice, 'viewer');
    const shared = await createPrompt(bob, {
      content: 'Team voice: {{user_input}}',
      visibility: 'team',
      teamId: team.id,
    });
    const res = await send(chat.id, { content: 'hello team', promptId: shared.id });
    expect(terminal(res.events)?.data).toMatchObject({ status: 'complete' });
    expect((await session(chat.id)).systemPrompt).toBe('Team voice: hello team');
    expect((await getPrompt(bob, shared.id)).usageCount).toBe(1);
  });

  it('unlinks the prompt when the system prompt is edited by hand', async () => {
    const prompt = await createPrompt(alice, { content: 'Linked: {{user_input}}' });
    const chat = await newSession();
    await send(chat.id, { content: 'one', promptId: prompt.id });
    expect((await session(chat.id)).prompt).toMatchObject({ id: prompt.id });
    const patched = await alice.client.patch<Session>(`/api/chat/sessions/${chat.id}`, { systemPrompt: 'free text' });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ systemPrompt: 'free text', prompt: null });
    expect(await session(chat.id)).toMatchObject({ systemPrompt: 'free text', prompt: null });
  });

  it('sorts the library by usage', async () => {
    const tag = randomUUID().slice(0, 8);
    const rarely = await createPrompt(alice, { name: `${tag} rarely`, content: 'R {{user_input}}' });
    const often = await createPrompt(alice, { name: `${tag} often`, content: 'O {{user_input}}' });
    const never = await createPrompt(alice, { name: `${tag} never`, content: 'N {{user_input}}' });
    for (const [prompt, times] of [
      [often, 2],
      [rarely, 1],
    ] as const) {
      for (let i = 0; i < times; i++) {
        const chat = await newSession();
        await send(chat.id, { content: 'use', promptId: prompt.id });
      }
    }
    const sorted = await list(alice, `search=${tag}&sort=usage`);
    expect(sorted.items.map((p) => [p.id, p.usageCount])).toEqual([
      [often.id, 2],
      [rarely.id, 1],
      [never.id, 0],
    ]);
  });
});
