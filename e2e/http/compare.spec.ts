import { randomUUID } from 'node:crypto';
import type { CompareRun, CompareRunSummary, Paginated } from '@modelyard/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ApiClient,
  adminClient,
  detailPaths,
  expectEnvelope,
  newSignedInUser,
  type SignedInUser,
} from './support/client';
import { createModelConfig, createProvider, upstreamRequests } from './support/mock-llm';
import { readSse, type ReceivedEvent } from './support/sse';

type ColumnEvent = ReceivedEvent & { data: { column: number } };

let alice: SignedInUser;
let bob: SignedInUser;
let fast: string;
let medium: string;
let slow: string;
let failing: string;
let providerId: string;

beforeAll(async () => {
  const admin = await adminClient();
  [alice, bob] = await Promise.all([newSignedInUser(), newSignedInUser()]);
  providerId = (await createProvider(admin)).id;
  const make = async (model: string) => (await createModelConfig(alice.client, providerId, { model })).id;
  // Same length, different speeds: the metrics must come out in this order.
  fast = await make('mock-chat@ttft=20,tps=400,tokens=40');
  medium = await make('mock-chat@ttft=300,tps=200,tokens=40');
  slow = await make('mock-chat@ttft=700,tps=100,tokens=40');
  failing = await make('mock-fault-500');
});

/** Sent as curl or a bare fetch would, without asking for an event stream: it is the route's answer anyway. */
function compare(body: unknown, who: SignedInUser = alice) {
  return readSse('/api/compare/runs', { json: body, token: who.client.accessToken, accept: null });
}

function byColumn(events: ReceivedEvent[]): Map<number, ColumnEvent[]> {
  const columns = new Map<number, ColumnEvent[]>();
  for (const event of events.slice(1) as ColumnEvent[]) {
    const list = columns.get(event.data.column) ?? [];
    list.push(event);
    columns.set(event.data.column, list);
  }
  return columns;
}

const text = (events: ColumnEvent[]) =>
  events
    .filter((e) => e.event === 'content')
    .map((e) => (e.data as unknown as { text: string }).text)
    .join('');

describe('compare: side by side', () => {
  it('streams every column in parallel over one connection, each event tagged with its column', async () => {
    const prompt = `Compare me ${randomUUID()}`;
    const started = performance.now();
    const result = await compare({ prompt, modelConfigIds: [slow, fast, medium] });
    const wallMs = performance.now() - started;
    expect(result.status).toBe(200);
    const [meta] = result.events;
    expect(meta?.event).toBe('meta');
    const { runId, columns } = meta!.data as unknown as {
      runId: string;
      columns: { column: number; modelConfigId: string }[];
    };
    expect(columns.map((c) => c.modelConfigId)).toEqual([slow, fast, medium]);
    expect(new Set(result.events.map((e) => e.id)).size).toBe(result.events.length);

    const perColumn = byColumn(result.events);
    expect([...perColumn.keys()].sort()).toEqual([0, 1, 2]);
    for (const events of perColumn.values()) {
      expect(events[0]?.event).toBe('meta');
      expect(events.at(-1)?.event).toBe('done');
      expect(text(events).length).toBeGreaterThan(0);
    }
    // Parallel, not one after another: the whole run takes less than the columns' times added up.
    const totals = [...perColumn.values()].map(
      (events) => (events.at(-1)!.data as unknown as { totalMs: number }).totalMs,
    );
    expect(wallMs).toBeLessThan(totals.reduce((a, b) => a + b, 0));

    const run = (await alice.client.get<CompareRun>(`/api/compare/runs/${runId}`)).body;
    expect(run.turns).toHaveLength(1);
    const [turn] = run.turns;
    expect(turn!.prompt).toBe(prompt);
    const answers = turn!.answers.map((a) => a!);
    expect(answers.every((a) => a.status === 'complete' && a.usage && a.ttftMs !== null)).toBe(true);
    // Column 1 is the fast model, 2 the medium, 0 the slow: time to first token and total time follow.
    expect(answers[1]!.ttftMs!).toBeLessThan(answers[2]!.ttftMs!);
    expect(answers[2]!.ttftMs!).toBeLessThan(answers[0]!.ttftMs!);
    expect(answers[1]!.totalMs!).toBeLessThan(answers[0]!.totalMs!);
    expect(answers[1]!.tokensPerSecond!).toBeGreaterThan(answers[0]!.tokensPerSecond!);
    expect(turn!.fastestColumn).toBe(1);

    // A column is a hidden chat session: its answer can be re-attached to (the page does after a reload), but the
    // chat's own routes neither show nor change it.
    const columnMeta = perColumn.get(0)![0]!.data as unknown as { sessionId: string; assistantMessageId: string };
    const hidden = `/api/chat/sessions/${columnMeta.sessionId}`;
    const replay = await readSse(`/api/chat/generations/${answers[0]!.generationId}/events`, {
      token: alice.client.accessToken,
    });
    expect(replay.events.at(-1)?.event).toBe('done');
    expectEnvelope(await alice.client.get(hidden), 404, 'SESSION_NOT_FOUND');
    expectEnvelope(await alice.client.get(`${hidden}/messages`), 404, 'SESSION_NOT_FOUND');
    expectEnvelope(await alice.client.post(`${hidden}/messages`, { content: 'sneaky' }), 404, 'SESSION_NOT_FOUND');
    expectEnvelope(await alice.client.patch(hidden, { title: 'mine now' }), 404, 'SESSION_NOT_FOUND');
    expectEnvelope(await alice.client.post(`${hidden}/clear`), 404, 'SESSION_NOT_FOUND');
    expectEnvelope(await alice.client.delete(hidden), 404, 'SESSION_NOT_FOUND');
    expectEnvelope(
      await alice.client.post(`/api/chat/messages/${columnMeta.assistantMessageId}/regenerate`),
      404,
      'MESSAGE_NOT_FOUND',
    );
    const deleted = await alice.client.post<{ deleted: string[] }>('/api/chat/sessions/batch-delete', {
      ids: [columnMeta.sessionId],
    });
    expect(deleted.body.deleted).toEqual([]);
    const intact = (await alice.client.get<CompareRun>(`/api/compare/runs/${runId}`)).body;
    expect(intact.turns).toHaveLength(1);
    expect(intact.turns[0]!.answers.map((a) => a?.content)).toEqual(answers.map((a) => a.content));
  });

  it('shows a failing column’s error while the others finish', async () => {
    const result = await compare({ prompt: 'One of you will fail', modelConfigIds: [fast, failing] });
    const perColumn = byColumn(result.events);
    expect(perColumn.get(0)!.at(-1)!.event).toBe('done');
    const failed = perColumn.get(1)!.at(-1)!;
    expect(failed.event).toBe('error');
    expect((failed.data as unknown as { message: string }).message).toMatch(/\S/);
    const runId = (result.events[0]!.data as unknown as { runId: string }).runId;
    const run = (await alice.client.get<CompareRun>(`/api/compare/runs/${runId}`)).body;
    expect(run.turns[0]!.answers[0]!.status).toBe('complete');
    expect(run.turns[0]!.answers[1]!.status).toBe('error');
    expect(run.turns[0]!.fastestColumn).toBe(0);
  });

  it('continues each column’s own conversation on a follow-up, and sends the system prompt to every model', async () => {
    const marker = randomUUID();
    const first = await compare({
      prompt: `First ${marker}`,
      modelConfigIds: [fast, medium],
      systemPrompt: `Sys ${marker}`,
    });
    const runId = (first.events[0]!.data as unknown as { runId: string }).runId;
    const second = await readSse(`/api/compare/runs/${runId}/messages`, {
      json: { content: `Second ${marker}` },
      token: alice.client.accessToken,
    });
    expect([...byColumn(second.events).values()].map((events) => events.at(-1)?.event)).toEqual(['done', 'done']);
    const requests = (await upstreamRequests()).filter((r) =>
      JSON.stringify(r.body ?? null).includes(`Second ${marker}`),
    );
    expect(requests).toHaveLength(2);
    for (const request of requests) {
      const messages = (request.body as { messages: { role: string; content: string }[] }).messages;
      expect(messages[0]).toEqual({ role: 'system', content: `Sys ${marker}` });
      expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    }
    const run = (await alice.client.get<CompareRun>(`/api/compare/runs/${runId}`)).body;
    expect(run.turns.map((t) => t.prompt)).toEqual([`First ${marker}`, `Second ${marker}`]);
  });

  it('refuses a follow-up while a column still answers (409, nothing sent), and keeps turns lined up after', async () => {
    const slowLong = await createModelConfig(alice.client, providerId, {
      model: 'mock-chat@ttft=10,tps=20,tokens=400',
    });
    const prompt = `Busy ${randomUUID()}`;
    const started = await alice.client.post<{ runId: string }>('/api/compare/runs', {
      prompt,
      modelConfigIds: [fast, slowLong.id],
    });
    expect(started.status, started.text).toBe(202);
    const runId = started.body.runId;
    await new Promise((r) => setTimeout(r, 500));
    const refused = await alice.client.post(`/api/compare/runs/${runId}/messages`, { content: 'too soon' });
    expect(detailPaths(expectEnvelope(refused, 409, 'ANSWER_IN_PROGRESS'))).toEqual(['columns.1']);
    expect((await alice.client.post(`/api/compare/runs/${runId}/stop`, {})).status).toBe(202);
    for (let i = 0; i < 50; i++) {
      const run = (await alice.client.get<CompareRun>(`/api/compare/runs/${runId}`)).body;
      if (run.turns[0]!.answers.every((a) => a && a.status !== 'streaming')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const next = await alice.client.post(`/api/compare/runs/${runId}/messages`, { content: 'now then' });
    expect(next.status, next.text).toBe(202);
    for (let i = 0; i < 100; i++) {
      const run = (await alice.client.get<CompareRun>(`/api/compare/runs/${runId}`)).body;
      if (run.turns[1]?.answers[0]?.status === 'complete') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await alice.client.post(`/api/compare/runs/${runId}/stop`, {});
    const run = (await alice.client.get<CompareRun>(`/api/compare/runs/${runId}`)).body;
    expect(run.turns.map((t) => t.prompt)).toEqual([prompt, 'now then']);
    expect(run.turnCount).toBe(2);
    expect(run.turns.every((t) => t.answers.every((a) => a !== null))).toBe(true);
    expect(JSON.stringify(run)).not.toContain('too soon');
  });

  it('counts only compared turns when a run starts from an earlier conversation', async () => {
    const started = await alice.client.post<{ runId: string }>('/api/compare/runs', {
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
        { role: 'user', content: `c ${randomUUID()}` },
      ],
      modelConfigIds: [fast, medium],
    });
    expect(started.status, started.text).toBe(202);
    const run = (await alice.client.get<CompareRun>(`/api/compare/runs/${started.body.runId}`)).body;
    expect(run.turns).toHaveLength(1);
    expect(run.turnCount).toBe(1);
    const listed = (await alice.client.get<Paginated<CompareRunSummary>>('/api/compare/runs')).body.items;
    expect(listed.find((r) => r.id === run.id)?.turnCount).toBe(1);
  });

  it('rates answers, lists and searches runs, exports them, and keeps them private', async () => {
    const marker = `needle-${randomUUID().slice(0, 8)}`;
    const result = await compare({ prompt: `Rate me ${marker}`, modelConfigIds: [fast, medium] });
    const runId = (result.events[0]!.data as unknown as { runId: string }).runId;

    const rated = await alice.client.post(`/api/compare/runs/${runId}/ratings`, { column: 1, stars: 4, note: 'solid' });
    expect(rated.status).toBe(200);
    expectEnvelope(
      await alice.client.post(`/api/compare/runs/${runId}/ratings`, { column: 1, stars: 6 }),
      400,
      'VALIDATION_FAILED',
    );
    expectEnvelope(
      await alice.client.post(`/api/compare/runs/${runId}/ratings`, { column: 5, stars: 3 }),
      404,
      'COMPARE_COLUMN_NOT_FOUND',
    );
    const run = (await alice.client.get<CompareRun>(`/api/compare/runs/${runId}`)).body;
    expect(run.turns[0]!.answers[1]!.rating).toEqual({ stars: 4, note: 'solid' });
    expect(run.turns[0]!.answers[0]!.rating).toBeNull();

    const found = (await alice.client.get<Paginated<CompareRunSummary>>(`/api/compare/runs?search=${marker}`)).body;
    expect(found.items.map((r) => r.id)).toEqual([runId]);
    const byModel = (
      await alice.client.get<Paginated<CompareRunSummary>>(`/api/compare/runs?modelConfigId=${medium}&pageSize=100`)
    ).body;
    expect(byModel.items.some((r) => r.id === runId)).toBe(true);
    const future = (await alice.client.get<Paginated<CompareRunSummary>>('/api/compare/runs?from=2999-01-01')).body;
    expect(future.total).toBe(0);

    const md = await alice.client.get<string>(`/api/compare/runs/${runId}/export?format=md`);
    expect(md.headers.get('content-disposition')).toMatch(/attachment/);
    expect(md.text).toContain(`Rate me ${marker}`);
    expect(md.text).toContain('★★★★☆');
    const csv = await alice.client.get<string>(`/api/compare/runs/${runId}/export?format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toMatch(/^turn,prompt,column,model_config,model,status,answer/);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    const json = await alice.client.get<{ run: CompareRun }>(`/api/compare/runs/${runId}/export?format=json`);
    expect(json.body.run.id).toBe(runId);

    expectEnvelope(await bob.client.get(`/api/compare/runs/${runId}`), 404, 'COMPARE_RUN_NOT_FOUND');
    expectEnvelope(
      await bob.client.post(`/api/compare/runs/${runId}/ratings`, { column: 0, stars: 1 }),
      404,
      'COMPARE_RUN_NOT_FOUND',
    );
    const bobs = (await bob.client.get<Paginated<CompareRunSummary>>('/api/compare/runs')).body;
    expect(bobs.items.some((r) => r.id === runId)).toBe(false);

    expect((await alice.client.delete(`/api/compare/runs/${runId}`)).status).toBe(204);
    expectEnvelope(await alice.client.get(`/api/compare/runs/${runId}`), 404, 'COMPARE_RUN_NOT_FOUND');
  });

  it('refuses bad requests before starting anything', async () => {
    const tooFew = await compare({ prompt: 'x', modelConfigIds: [fast] });
    expect(tooFew.status).toBe(400);
    expect(JSON.parse(tooFew.text!).code).toBe('VALIDATION_FAILED');
    const tooMany = await compare({ prompt: 'x', modelConfigIds: [fast, fast, fast, fast, fast, fast, fast] });
    expect(tooMany.status).toBe(400);
    const neither = await alice.client.post('/api/compare/runs', { modelConfigIds: [fast, medium] });
    expect(detailPaths(expectEnvelope(neither, 400, 'VALIDATION_FAILED'))).toContain('prompt');
    const blankQuestion = await alice.client.post('/api/compare/runs', {
      messages: [{ role: 'user', content: '   ' }],
      modelConfigIds: [fast, medium],
    });
    expect(detailPaths(expectEnvelope(blankQuestion, 400, 'VALIDATION_FAILED'))).toContain('messages');
    // PostgreSQL text cannot hold NUL: refused up front, naming the field, instead of failing half-way.
    const nul = await alice.client.post('/api/compare/runs', { prompt: 'a\u0000b', modelConfigIds: [fast, medium] });
    expect(detailPaths(expectEnvelope(nul, 400, 'VALIDATION_FAILED'))).toEqual(['prompt']);
    // Another user's private config is not theirs to use.
    const foreign = await compare({ prompt: 'x', modelConfigIds: [fast, medium] }, bob);
    expect(foreign.status).toBe(404);
    const before = (await bob.client.get<Paginated<CompareRunSummary>>('/api/compare/runs')).body.total;
    expect(before).toBe(0);
    expect((await new ApiClient().get('/api/compare/runs')).status).toBe(401);
  });

  it('stops one column and keeps its partial answer while the other finishes', async () => {
    const slowLong = await createModelConfig(alice.client, providerId, {
      model: 'mock-chat@ttft=10,tps=20,tokens=400',
    });
    const pending = compare({ prompt: 'Stop the second one', modelConfigIds: [fast, slowLong.id] });
    // Give the slow column time to start writing, then stop only it.
    let runId: string | undefined;
    for (let i = 0; i < 50 && !runId; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const list = (
        await alice.client.get<Paginated<CompareRunSummary>>('/api/compare/runs?search=Stop%20the%20second')
      ).body;
      runId = list.items[0]?.id;
    }
    await new Promise((r) => setTimeout(r, 600));
    const stop = await alice.client.post(`/api/compare/runs/${runId}/stop`, { column: 1 });
    expect([stop.status, stop.body]).toEqual([202, { stopping: true }]);
    const result = await pending;
    // Nothing generating any more: still 202, and it says nothing was stopped.
    const again = await alice.client.post(`/api/compare/runs/${runId}/stop`, {});
    expect([again.status, again.body]).toEqual([202, { stopping: false }]);
    const perColumn = byColumn(result.events);
    expect(perColumn.get(0)!.at(-1)!.event).toBe('done');
    const stopped = perColumn.get(1)!.at(-1)!;
    expect(stopped.event).toBe('done');
    expect((stopped.data as unknown as { status: string }).status).toBe('stopped');
    const run = (await alice.client.get<CompareRun>(`/api/compare/runs/${runId}`)).body;
    expect(run.turns[0]!.answers[1]!.status).toBe('stopped');
    expect(run.turns[0]!.answers[1]!.content.length).toBeGreaterThan(0);
  });
});
