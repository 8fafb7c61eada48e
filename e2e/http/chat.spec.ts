import { randomUUID } from 'node:crypto';
import type { Message, MessageList, ModelConfig, Paginated, Session } from '@modelyard/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiClient,
  adminClient,
  detailPaths,
  env,
  expectEnvelope,
  newSignedInUser,
  type SignedInUser,
} from './support/client';
import { createModelConfig, createProvider, mockBaseUrl, upstreamRequests } from './support/mock-llm';
import { fold, readSse, type ReceivedEvent, terminal } from './support/sse';

let admin: ApiClient;
let alice: SignedInUser;
let providerId: string;
let providerName: string;
let ollamaProviderId: string;
let anthropicProviderId: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  admin = await adminClient();
  alice = await newSignedInUser();
  ({ id: providerId, name: providerName } = await createProvider(admin));
  ollamaProviderId = (await createProvider(admin, { kind: 'ollama', apiKey: undefined })).id;
  anthropicProviderId = (await createProvider(admin, { kind: 'anthropic' })).id;
});

async function configFor(user: SignedInUser, model: string, provider = providerId): Promise<ModelConfig> {
  return createModelConfig(user.client, provider, { model });
}

async function newSession(user: SignedInUser, modelConfigId?: string): Promise<Session> {
  const res = await user.client.post<Session>('/api/chat/sessions', modelConfigId ? { modelConfigId } : {});
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function send(
  user: SignedInUser,
  sessionId: string,
  body: Record<string, unknown>,
  options: { stopAfter?: number } = {},
) {
  return readSse(`/api/chat/sessions/${sessionId}/messages`, {
    json: body,
    token: user.client.accessToken,
    ...options,
  });
}

async function messages(user: SignedInUser, sessionId: string): Promise<MessageList> {
  return (await user.client.get<MessageList>(`/api/chat/sessions/${sessionId}/messages`)).body;
}

async function waitForStatus(
  user: SignedInUser,
  sessionId: string,
  messageId: string,
  statuses: Message['status'][],
): Promise<Message> {
  for (let i = 0; i < 100; i++) {
    const found = (await messages(user, sessionId)).items.find((m) => m.id === messageId);
    if (found && statuses.includes(found.status)) return found;
    await sleep(100);
  }
  throw new Error(`message ${messageId} never reached ${statuses.join('|')}`);
}

function meta(events: ReceivedEvent[]) {
  const first = events[0];
  if (first?.event !== 'meta') throw new Error(`the stream did not open with meta: ${JSON.stringify(first)}`);
  return first.data;
}

describe('chat: streaming a generation', () => {
  it('streams meta, content, usage and done with increasing ids, and persists the answer', async () => {
    const config = await configFor(alice, 'mock-chat@tokens=12');
    const session = await newSession(alice, config.id);
    const res = await send(alice, session.id, { content: 'Hello there' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    // The stream is written on the raw socket; it still carries the headers every response gets.
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const ids = res.events.map((e) => e.id);
    expect(ids).toEqual(ids.map((_, i) => i + 1));
    expect(res.events.map((e) => e.event)).toEqual(expect.arrayContaining(['meta', 'content', 'usage', 'done']));
    expect(res.events.at(-1)?.event).toBe('done');
    const m = meta(res.events);
    expect(m).toMatchObject({ sessionId: session.id, model: 'mock-chat@tokens=12' });
    const done = terminal(res.events);
    expect(done?.data).toMatchObject({ status: 'complete' });
    const { content } = fold(res.events);
    expect(content.split(' ').length).toBe(12);

    const list = await messages(alice, session.id);
    const answer = list.items.find((x) => x.id === m.assistantMessageId);
    expect(answer).toMatchObject({ role: 'assistant', status: 'complete', content, parentId: m.userMessageId });
    expect(answer?.usage?.completionTokens).toBeGreaterThan(0);
    expect(answer?.ttftMs).toBeGreaterThanOrEqual(0);
    // What the stream said of the answer's timing is what was stored.
    const timing = done?.data as { ttftMs: number; totalMs: number };
    expect({ ttftMs: answer?.ttftMs, totalMs: answer?.totalMs }).toEqual({
      ttftMs: timing.ttftMs,
      totalMs: timing.totalMs,
    });
    // The first text told it already (a client shows it while streaming); later texts do not repeat it.
    const texts = res.events.filter((e) => e.event === 'content');
    expect((texts[0]?.data as { ttftMs?: number }).ttftMs).toBe(timing.ttftMs);
    expect(texts.slice(1).every((e) => (e.data as { ttftMs?: number }).ttftMs === undefined)).toBe(true);
    expect(list.currentLeafId).toBe(m.assistantMessageId);
    expect(list.items.find((x) => x.id === m.userMessageId)).toMatchObject({ role: 'user', content: 'Hello there' });
  });

  it('sends the deltas that reach it together as one event, and paced ones as they come', async () => {
    const answer = async (model: string) => {
      const session = await newSession(alice, (await configFor(alice, model)).id);
      const { events } = await send(alice, session.id, { content: 'Count to sixty' });
      expect(terminal(events)?.data).toMatchObject({ status: 'complete' });
      return {
        words: fold(events).content.split(' ').length,
        contentEvents: events.filter((e) => e.event === 'content').length,
      };
    };
    // tps=0: the upstream writes all 60 chunks at once, so they reach the API in one or a few network reads.
    const burst = await answer('mock-chat@tokens=60,tps=0');
    expect(burst.words).toBe(60);
    expect(burst.contentEvents).toBeLessThan(60);
    // 20 tokens/s: each chunk comes on its own, and none waits for the next.
    const paced = await answer('mock-chat@tokens=8,tps=20');
    expect(paced.words).toBe(8);
    expect(paced.contentEvents).toBeGreaterThanOrEqual(6);
  });

  it.each([
    ['native reasoning_content (OpenAI)', 'mock-reasoning', () => providerId],
    ['native reasoning field (OpenAI)', 'mock-reasoning-field', () => providerId],
    ['<think> tags', 'mock-think-tags', () => providerId],
    ['tags split across chunks', 'mock-split-tags', () => providerId],
    ['Ollama message.thinking', 'mock-reasoning', () => ollamaProviderId],
    ['Anthropic thinking blocks', 'mock-reasoning', () => anthropicProviderId],
  ])('separates reasoning from the answer: %s', async (_name, model, provider) => {
    const config = await configFor(alice, model, provider());
    const session = await newSession(alice, config.id);
    const res = await send(alice, session.id, { content: 'Why is the sky blue?' });
    const { reasoning, content } = fold(res.events);
    expect(terminal(res.events)?.data).toMatchObject({ status: 'complete' });
    expect(reasoning.length).toBeGreaterThan(10);
    expect(content.length).toBeGreaterThan(10);
    for (const text of [reasoning, content]) expect(text).not.toMatch(/<\/?think/i);
    expect(content).not.toMatch(/^\s/);
    const done = terminal(res.events);
    expect(done?.event === 'done' && done.data.reasoningMs).toBeGreaterThanOrEqual(0);
    // The thinking's length rides on the first answer text (a replay after a reload shows it at once), and only there.
    const answerEvents = res.events.filter((e) => e.event === 'content');
    expect(answerEvents[0]?.data).toMatchObject({ reasoningMs: done?.event === 'done' ? done.data.reasoningMs : -1 });
    expect(answerEvents.slice(1).every((e) => !('reasoningMs' in e.data))).toBe(true);
    const stored = (await messages(alice, session.id)).items.find((m) => m.id === meta(res.events).assistantMessageId);
    expect(stored).toMatchObject({ reasoning, content });
  });

  it('turns an orphan closing tag into reasoning with reclassify, and remembers it for the next turn', async () => {
    const config = await configFor(alice, 'mock-orphan-close');
    const session = await newSession(alice, config.id);
    const first = await send(alice, session.id, { content: 'First question' });
    expect(first.events.some((e) => e.event === 'reclassify')).toBe(true);
    const firstText = fold(first.events);
    expect(firstText.reasoning.length).toBeGreaterThan(10);
    expect(firstText.content).not.toContain('</think>');
    expect((await alice.client.get<ModelConfig>(`/api/model-configs/${config.id}`)).body.reasoningStartsOpen).toBe(
      true,
    );

    const second = await send(alice, session.id, { content: 'Second question' });
    // Learned: the next answer streams reasoning from its first token, no correction needed.
    expect(second.events.some((e) => e.event === 'reclassify')).toBe(false);
    expect(second.events.find((e) => e.event === 'reasoning' || e.event === 'content')?.event).toBe('reasoning');
    expect(fold(second.events)).toEqual(firstText);
  });

  it('unlearns "starts in reasoning" when an answer then finishes without any closing tag', async () => {
    // mock-echo repeats the question: the first answer holds a closing tag on its own line, which reads as an
    // orphan (reasoning before it); the plain second answer proves the model does not start inside reasoning.
    const config = await configFor(alice, 'mock-echo');
    const session = await newSession(alice, config.id);
    const configUrl = `/api/model-configs/${config.id}`;
    // A closing tag named as a word of a sentence is text: nothing is reclassified or learned from it.
    const mention = await send(alice, session.id, { content: 'Qwen3 ends its thinking with the </think> tag' });
    expect(mention.events.some((e) => e.event === 'reclassify')).toBe(false);
    expect(fold(mention.events)).toEqual({
      reasoning: '',
      content: 'You said: Qwen3 ends its thinking with the </think> tag',
    });
    expect((await alice.client.get<ModelConfig>(configUrl)).body.reasoningStartsOpen).toBe(false);

    const first = await send(alice, session.id, { content: 'Weighing it up\n</think>\n\nFine' });
    expect(first.events.some((e) => e.event === 'reclassify')).toBe(true);
    expect(fold(first.events)).toEqual({ reasoning: 'You said: Weighing it up\n', content: 'Fine' });
    expect((await alice.client.get<ModelConfig>(configUrl)).body.reasoningStartsOpen).toBe(true);

    const second = await send(alice, session.id, { content: 'Just a plain question' });
    const last = second.events.filter((e) => e.event === 'reclassify').at(-1);
    expect(last?.data).toEqual({ reasoning: '', content: 'You said: Just a plain question' });
    expect(fold(second.events)).toEqual({ reasoning: '', content: 'You said: Just a plain question' });
    const stored = (await messages(alice, session.id)).items.at(-1)!;
    expect(stored.content).toBe('You said: Just a plain question');
    expect(stored.reasoning).toBeUndefined();
    expect(stored.reasoningMs).toBeUndefined();
    expect((await alice.client.get<ModelConfig>(configUrl)).body.reasoningStartsOpen).toBe(false);

    // And the next answer streams as content from its first token.
    const third = await send(alice, session.id, { content: 'Another one' });
    expect(third.events.some((e) => e.event === 'reclassify')).toBe(false);
    expect(fold(third.events).content).toBe('You said: Another one');
  });

  it('keeps tags that appear later in an answer as content', async () => {
    const config = await configFor(alice, 'mock-echo');
    const session = await newSession(alice, config.id);
    const question = 'Explain how <think>inner</think> tags work';
    const res = await send(alice, session.id, { content: question });
    expect(fold(res.events)).toEqual({ reasoning: '', content: `You said: ${question}` });
  });

  it('sends the current branch upstream without reasoning, and continues it on the next turn', async () => {
    const reasoning = await configFor(alice, 'mock-reasoning');
    const echo = await configFor(alice, 'mock-echo');
    const session = await newSession(alice, reasoning.id);
    const first = await send(alice, session.id, { content: `first ${randomUUID()}` });
    const firstAnswer = fold(first.events);
    const marker = `second ${randomUUID()}`;
    const second = await send(alice, session.id, { content: marker, modelConfigId: echo.id });
    expect(fold(second.events).content).toBe(`You said: ${marker}`);
    const request = (await upstreamRequests()).find((r) => JSON.stringify(r.body ?? null).includes(marker));
    const sent = (request?.body as { messages: { role: string; content: string }[] }).messages;
    expect(sent.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(sent[1]?.content).toBe(firstAnswer.content);
    expect(JSON.stringify(sent)).not.toContain(firstAnswer.reasoning.slice(0, 30));
    // Switching the model mid-session sticks to the session, and the config reports the session using it.
    expect((await alice.client.get<Session>(`/api/chat/sessions/${session.id}`)).body.modelConfigId).toBe(echo.id);
    expect((await alice.client.get(`/api/model-configs/${echo.id}/usage`)).body).toEqual({ sessions: 1 });
    expect((await alice.client.get(`/api/model-configs/${reasoning.id}/usage`)).body).toEqual({ sessions: 0 });
  });

  it('says when an answer stopped at the token limit (finishReason length), live and stored', async () => {
    const config = await createModelConfig(alice.client, providerId, {
      model: 'mock-chat@tokens=60',
      params: { maxTokens: 8 },
    });
    const session = await newSession(alice, config.id);
    const res = await send(alice, session.id, { content: 'Tell me everything' });
    expect(terminal(res.events)?.data).toMatchObject({ status: 'complete', finishReason: 'length' });
    const stored = (await messages(alice, session.id)).items.at(-1)!;
    expect(stored).toMatchObject({ status: 'complete', finishReason: 'length' });
    expect(stored.content.split(' ').length).toBeLessThan(60);

    const whole = await send(alice, session.id, {
      content: 'Short one',
      modelConfigId: (await configFor(alice, 'mock-chat@tokens=5')).id,
    });
    expect(terminal(whole.events)?.data).toMatchObject({ status: 'complete', finishReason: 'stop' });
  });

  it('joins a question whose answer failed to the next one, so user and assistant turns still alternate', async () => {
    const failing = await configFor(alice, 'mock-fault-401');
    const echo = await configFor(alice, 'mock-echo');
    const session = await newSession(alice, failing.id);
    const lost = `unanswered ${randomUUID()}`;
    expect(terminal((await send(alice, session.id, { content: lost })).events)?.event).toBe('error');
    const marker = `again ${randomUUID()}`;
    await send(alice, session.id, { content: marker, modelConfigId: echo.id });
    const request = (await upstreamRequests()).find((r) => JSON.stringify(r.body ?? null).includes(marker));
    const sent = (request?.body as { messages: { role: string; content: string }[] }).messages;
    expect(sent).toEqual([{ role: 'user', content: `${lost}\n\n${marker}` }]);
  });
});

describe('chat: generations outlive their connection', () => {
  it('re-attaches after a drop with Last-Event-ID (no gap, no duplicate) and replays from the start without it', async () => {
    const config = await configFor(alice, 'mock-chat@tokens=40,tps=80');
    const session = await newSession(alice, config.id);
    const partial = await send(alice, session.id, { content: 'stream me' }, { stopAfter: 6 });
    const { generationId } = meta(partial.events);
    const lastSeen = partial.events.at(-1)!.id;
    const resumed = await readSse(`/api/chat/generations/${generationId}/events`, {
      token: alice.client.accessToken,
      lastEventId: lastSeen,
    });
    expect(resumed.events[0]?.id).toBe(lastSeen + 1);
    const stitched = [...partial.events, ...resumed.events];
    expect(stitched.map((e) => e.id)).toEqual(stitched.map((_, i) => i + 1));
    expect(terminal(resumed.events)?.data).toMatchObject({ status: 'complete' });

    const replay = await readSse(`/api/chat/generations/${generationId}/events`, { token: alice.client.accessToken });
    expect(replay.events.map((e) => e.id)).toEqual(stitched.map((e) => e.id));
    expect(fold(replay.events)).toEqual(fold(stitched));
    expect(fold(stitched).content.split(' ').length).toBe(40);

    // EventSource reconnects whenever the server closes, with the id of the last event it saw (here `done`), and
    // a client may send an id past the end: the server closes again at once, with nothing to send.
    for (const after of [terminal(stitched)!.id, 999]) {
      const signal = AbortSignal.timeout(10_000);
      const again = await readSse(`/api/chat/generations/${generationId}/events`, {
        token: alice.client.accessToken,
        lastEventId: after,
        signal,
      });
      expect(signal.aborted, `the stream after event ${after} stayed open`).toBe(false);
      expect(again.status).toBe(200);
      expect(again.events).toEqual([]);
    }
  });

  it('resumes from an id ahead of what was sent so far without sending anything twice; a malformed id is a 400', async () => {
    const config = await configFor(alice, 'mock-chat@tokens=40,tps=20');
    const session = await newSession(alice, config.id);
    const partial = await send(alice, session.id, { content: 'slowly' }, { stopAfter: 3 });
    const { generationId } = meta(partial.events);
    // Another process's client could have seen further than this one has sent: it continues after that id.
    const ahead = partial.events.at(-1)!.id + 5;
    const resumed = await readSse(`/api/chat/generations/${generationId}/events`, {
      token: alice.client.accessToken,
      lastEventId: ahead,
    });
    expect(resumed.events[0]?.id).toBe(ahead + 1);
    expect(resumed.events.map((e) => e.id)).toEqual(resumed.events.map((_, i) => ahead + 1 + i));
    expect(terminal(resumed.events)?.event).toBe('done');

    for (const bad of ['abc', '1e2', '0x3', '-1', '3abc', '9'.repeat(40)]) {
      expectEnvelope(
        await alice.client.get(`/api/chat/generations/${generationId}/events`, {
          headers: { accept: 'text/event-stream', 'last-event-id': bad },
        }),
        400,
        'INVALID_LAST_EVENT_ID',
      );
    }
    const whole = await readSse(`/api/chat/generations/${generationId}/events?lastEventId=`, {
      token: alice.client.accessToken,
    });
    expect(whole.events[0]?.event).toBe('meta');
    expect(whole.events[0]?.id).toBe(1);
  });

  it('ends a resume from beyond the last event when the generation ends, instead of pinging for ever', async () => {
    const config = await configFor(alice, 'mock-chat@tokens=20,tps=20');
    const session = await newSession(alice, config.id);
    const partial = await send(alice, session.id, { content: 'briefly' }, { stopAfter: 2 });
    const { generationId } = meta(partial.events);
    // Still generating (≈ 1 s): the stream closes with the generation, having sent nothing.
    const beyond = await readSse(`/api/chat/generations/${generationId}/events`, {
      token: alice.client.accessToken,
      lastEventId: 100_000,
    });
    expect(beyond.status).toBe(200);
    expect(beyond.events).toEqual([]);
    expect((await messages(alice, session.id)).items.at(-1)?.status).toBe('complete');
  });

  it('streams when asked to (Accept: text/event-stream) and answers 202 with the ids to a client that does not ask', async () => {
    const config = await configFor(alice, 'mock-chat@tokens=5');
    const session = await newSession(alice, config.id);
    const streamed = await send(alice, session.id, { content: 'stream it' });
    expect(streamed.status, streamed.text).toBe(200);
    expect(streamed.events.map((e) => e.event)).toEqual(expect.arrayContaining(['meta', 'content', 'done']));

    // No Accept header at all (fetch then asks for any type, as curl does), and JSON only: the ids.
    for (const accept of [null, 'application/json']) {
      const res = await fetch(`${env.baseUrl}/api/chat/sessions/${session.id}/messages`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${alice.client.accessToken}`,
          'content-type': 'application/json',
          ...(accept && { accept }),
        },
        body: JSON.stringify({ content: `not streamed (${accept ?? 'no Accept'})` }),
      });
      expect(res.status).toBe(202);
      expect(res.headers.get('content-type')).toContain('application/json');
      const started = (await res.json()) as { assistantMessageId: string };
      await waitForStatus(alice, session.id, started.assistantMessageId, ['complete']);
    }
  });

  it('lets several watchers follow one generation live', async () => {
    const config = await configFor(alice, 'mock-chat@tokens=30,tps=60');
    const session = await newSession(alice, config.id);
    const started = await alice.client.post<{ generationId: string }>(`/api/chat/sessions/${session.id}/messages`, {
      content: 'fan out',
    });
    expect(started.status).toBe(202);
    const watchers = await Promise.all(
      [1, 2, 3].map(() =>
        readSse(`/api/chat/generations/${started.body.generationId}/events`, { token: alice.client.accessToken }),
      ),
    );
    const texts = watchers.map((w) => fold(w.events).content);
    expect(new Set(texts).size).toBe(1);
    expect(texts[0]?.split(' ').length).toBe(30);
  });

  it('saves answers while they stream, at most about a second behind what was sent', async () => {
    const config = await configFor(alice, 'mock-chat@tokens=60,tps=20');
    // Two at once: the interim save writes every streaming answer of the process in one statement.
    const sessions = await Promise.all([newSession(alice, config.id), newSession(alice, config.id)]);
    const started = await Promise.all(
      sessions.map((session) =>
        alice.client.post<{ assistantMessageId: string }>(`/api/chat/sessions/${session.id}/messages`, {
          content: 'slowly, please',
        }),
      ),
    );
    for (const res of started) expect(res.status, res.text).toBe(202);
    await sleep(2000);
    for (const [index, session] of sessions.entries()) {
      const id = started[index]!.body.assistantMessageId;
      const midway = (await messages(alice, session.id)).items.find((m) => m.id === id);
      expect(midway?.status).toBe('streaming');
      // About 40 of the 60 words were sent by now; the saved text may lag by a save interval (750 ms).
      expect(midway!.content.split(' ').length).toBeGreaterThanOrEqual(10);
      expect(midway!.content.split(' ').length).toBeLessThan(60);
    }
    for (const [index, session] of sessions.entries()) {
      const done = await waitForStatus(alice, session.id, started[index]!.body.assistantMessageId, ['complete']);
      expect(done.content.split(' ').length).toBe(60);
    }
  });

  it('finishes and persists the answer when the client goes away', async () => {
    const config = await configFor(alice, 'mock-chat@tokens=30,tps=60');
    const session = await newSession(alice, config.id);
    const partial = await send(alice, session.id, { content: 'leave early' }, { stopAfter: 3 });
    const { assistantMessageId } = meta(partial.events);
    const stored = await waitForStatus(alice, session.id, assistantMessageId, ['complete']);
    expect(stored.content.split(' ').length).toBe(30);
  });

  it('stops: the upstream request is aborted and the partial answer is kept as stopped', async () => {
    const tokens = 200 + Math.floor(Math.random() * 800);
    const model = `mock-chat@tokens=${tokens},tps=20`;
    const config = await configFor(alice, model);
    const session = await newSession(alice, config.id);
    const started = await alice.client.post<{ generationId: string; assistantMessageId: string }>(
      `/api/chat/sessions/${session.id}/messages`,
      { content: 'long one' },
    );
    const watcher = readSse(`/api/chat/generations/${started.body.generationId}/events`, {
      token: alice.client.accessToken,
    });
    await sleep(600);
    const stop = await alice.client.post(`/api/chat/generations/${started.body.generationId}/stop`);
    expect(stop.status).toBe(202);
    expect(stop.body).toEqual({ stopping: true });
    const watched = await watcher;
    expect(terminal(watched.events)?.data).toMatchObject({ status: 'stopped' });
    const stored = await waitForStatus(alice, session.id, started.body.assistantMessageId, ['stopped']);
    // Nothing left to stop: still 202 (stopping is idempotent), and it says so.
    const again = await alice.client.post(`/api/chat/generations/${started.body.generationId}/stop`);
    expect([again.status, again.body]).toEqual([202, { stopping: false }]);
    const words = stored.content.split(' ').length;
    expect(words).toBeGreaterThan(0);
    expect(words).toBeLessThan(tokens);
    expect(stored.content).toBe(fold(watched.events).content);
    // The model never sent its counts for an answer cut short: they are estimated here, and say so.
    expect(stored.usage).toMatchObject({ estimated: true });
    expect(stored.usage!.completionTokens).toBeGreaterThan(0);
    let upstream;
    for (let i = 0; i < 30 && upstream?.outcome !== 'client-closed'; i++) {
      upstream = (await upstreamRequests()).find((r) => r.model === model);
      await sleep(100);
    }
    expect(upstream?.outcome).toBe('client-closed');
  });

  it.each([
    ['mock-fault-429', /rate|retry/i, false],
    ['mock-fault-500', /500|fail/i, false],
    ['mock-fault-reset', /connection|reach|network|closed|terminated/i, true],
    ['mock-fault-truncated', /truncat|ended|incomplete/i, true],
  ])('keeps what arrived when the upstream fails: %s', async (model, reason, partialExpected) => {
    const config = await configFor(alice, model);
    const session = await newSession(alice, config.id);
    const res = await send(alice, session.id, { content: 'break please' });
    const end = terminal(res.events);
    expect(end?.event).toBe('error');
    expect(end?.event === 'error' && end.data.message).toMatch(reason);
    const stored = (await messages(alice, session.id)).items.find((m) => m.id === meta(res.events).assistantMessageId);
    expect(stored?.status).toBe('error');
    expect(stored?.error?.message).toMatch(reason);
    // Users read the provider's name, never its (often internal) address.
    expect(stored?.error?.message).not.toContain(new URL(mockBaseUrl('openai')).host);
    if (model === 'mock-fault-reset') expect(stored?.error?.message).toContain(providerName);
    if (partialExpected) expect(stored?.content.length).toBeGreaterThan(0);
    expect(stored?.content).toBe(fold(res.events).content);
  });

  it('limits concurrent generations per user with a clear 429', async () => {
    const user = await newSignedInUser();
    const config = await configFor(user, 'mock-chat@tokens=100,tps=20');
    const session = await newSession(user, config.id);
    const started: { generationId: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await user.client.post<{ generationId: string }>(`/api/chat/sessions/${session.id}/messages`, {
        content: `n${i}`,
        parentId: null,
      });
      expect(res.status, res.text).toBe(202);
      started.push(res.body);
    }
    const refused = await user.client.post(`/api/chat/sessions/${session.id}/messages`, {
      content: 'one too many',
      parentId: null,
    });
    expectEnvelope(refused, 429, 'TOO_MANY_GENERATIONS');
    for (const g of started) await user.client.post(`/api/chat/generations/${g.generationId}/stop`);
  });
});

describe('chat: branches', () => {
  it('regenerates as a sibling and edits-and-resends as a sibling branch; the leaf switches between them', async () => {
    const config = await configFor(alice, 'mock-echo');
    const session = await newSession(alice, config.id);
    const first = meta((await send(alice, session.id, { content: 'original' })).events);
    // No body at all: every field of a regeneration is optional (API.md lists the route bare).
    const regen = await readSse(`/api/chat/messages/${first.assistantMessageId}/regenerate`, {
      method: 'POST',
      token: alice.client.accessToken,
    });
    expect(regen.status, regen.text).toBe(200);
    const second = meta(regen.events);
    expect(second.userMessageId).toBe(first.userMessageId);
    const list = await messages(alice, session.id);
    const siblings = list.items.filter((m) => m.parentId === first.userMessageId);
    expect(siblings.map((m) => m.id)).toEqual([first.assistantMessageId, second.assistantMessageId]);
    expect(list.currentLeafId).toBe(second.assistantMessageId);

    // Edit the user message: a new user message under the same parent (null: the root).
    const edited = meta((await send(alice, session.id, { content: 'edited', parentId: null })).events);
    const after = await messages(alice, session.id);
    expect(after.items.filter((m) => m.parentId === null).map((m) => m.content)).toEqual(['original', 'edited']);
    expect(after.currentLeafId).toBe(edited.assistantMessageId);

    const switched = await alice.client.patch<Session>(`/api/chat/sessions/${session.id}`, {
      currentLeafId: first.assistantMessageId,
    });
    expect(switched.body.currentLeafId).toBe(first.assistantMessageId);
    const exported = await alice.client.get(`/api/chat/sessions/${session.id}/export?format=txt`);
    expect(exported.text).toContain('You said: original');
    expect(exported.text).not.toContain('edited');

    // The message list is paged like every list: oldest first, the leaf of the whole session on every page.
    const all = await messages(alice, session.id);
    expect(all).toMatchObject({ total: 5, page: 1, pageSize: 100 });
    const pages = await Promise.all(
      [1, 2, 3, 4].map(
        async (page) =>
          (await alice.client.get<MessageList>(`/api/chat/sessions/${session.id}/messages?page=${page}&pageSize=2`))
            .body,
      ),
    );
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1, 0]);
    expect(pages.flatMap((p) => p.items.map((m) => m.id))).toEqual(all.items.map((m) => m.id));
    expect(pages.every((p) => p.total === 5 && p.currentLeafId === first.assistantMessageId)).toBe(true);
    expectEnvelope(
      await alice.client.get(`/api/chat/sessions/${session.id}/messages?pageSize=101`),
      400,
      'VALIDATION_FAILED',
    );
  });
});

describe('chat: turn rules', () => {
  it('refuses a question after an answer still generating (409) and regenerating a question (400)', async () => {
    const config = await configFor(alice, 'mock-chat@tokens=100,tps=20');
    const session = await newSession(alice, config.id);
    const started = await alice.client.post<{ generationId: string; userMessageId: string }>(
      `/api/chat/sessions/${session.id}/messages`,
      { content: 'first' },
    );
    expect(started.status, started.text).toBe(202);
    const next = await alice.client.post(`/api/chat/sessions/${session.id}/messages`, { content: 'second' });
    expect(detailPaths(expectEnvelope(next, 409, 'ANSWER_IN_PROGRESS'))).toEqual(['parentId']);
    expectEnvelope(
      await alice.client.post(`/api/chat/messages/${started.body.userMessageId}/regenerate`),
      400,
      'NOT_AN_ANSWER',
    );
    await alice.client.post(`/api/chat/generations/${started.body.generationId}/stop`);
    expect((await messages(alice, session.id)).items.map((m) => m.content)).not.toContain('second');
  });

  it('takes one of two questions sent at once to the same chat; the other is a 409, and the chat does not fork', async () => {
    const config = await configFor(alice, 'mock-chat@tokens=40,tps=20');
    const session = await newSession(alice, config.id);
    expect(terminal((await send(alice, session.id, { content: 'warm up' })).events)?.event).toBe('done');
    for (let round = 0; round < 3; round++) {
      const sent = await Promise.all(
        ['left', 'right'].map((content) =>
          alice.client.post<{ generationId: string }>(`/api/chat/sessions/${session.id}/messages`, { content }),
        ),
      );
      expect(sent.map((r) => r.status).sort()).toEqual([202, 409]);
      expectEnvelope(
        sent.find((r) => r.status === 409)!,
        409,
        'ANSWER_IN_PROGRESS',
      );
      await alice.client.post(`/api/chat/generations/${sent.find((r) => r.status === 202)!.body.generationId}/stop`);
      const list = await messages(alice, session.id);
      await waitForStatus(alice, session.id, list.currentLeafId!, ['stopped', 'complete']);
    }
    // One line of turns: every message has at most one child.
    const all = (await messages(alice, session.id)).items;
    const children = new Map<string | null, number>();
    for (const m of all) children.set(m.parentId, (children.get(m.parentId) ?? 0) + 1);
    expect([...children.values()].every((n) => n === 1)).toBe(true);
    expect(all).toHaveLength(8);
  });

  it('answers a question racing the deletion or clearing of its chat with 404 or 409, never a 500', async () => {
    const config = await configFor(alice, 'mock-echo');
    const statuses = new Set<number>();
    for (let round = 0; round < 6; round++) {
      const session = await newSession(alice, config.id);
      const [sent] = await Promise.all([
        alice.client.post(`/api/chat/sessions/${session.id}/messages`, { content: `race ${round}` }),
        round % 2 === 0
          ? alice.client.delete(`/api/chat/sessions/${session.id}`)
          : alice.client.post(`/api/chat/sessions/${session.id}/clear`),
      ]);
      statuses.add(sent.status);
      if (sent.status !== 202) expect(sent.body).toMatchObject({ code: expect.stringMatching(/_/) });
    }
    expect([...statuses].every((status) => [202, 404, 409].includes(status))).toBe(true);
  });

  it('refuses to regenerate an answer with no question before it (an imported one) before calling the model', async () => {
    const imported = await alice.client.post<Session>('/api/chat/sessions/import', {
      format: 'modelyard.chat',
      version: 1,
      session: { title: 'Answer first' },
      messages: [{ role: 'assistant', content: 'I speak first.' }],
    });
    expect(imported.status, imported.text).toBe(201);
    const [answer] = (await messages(alice, imported.body.id)).items;
    expectEnvelope(await alice.client.post(`/api/chat/messages/${answer!.id}/regenerate`), 400, 'NO_QUESTION');
    expect(JSON.stringify(await upstreamRequests())).not.toContain('I speak first.');
  });

  it("says the chat's model is no longer available when its shared config is withdrawn (409), not 404", async () => {
    const shared = await createModelConfig(admin, providerId, { model: 'mock-echo', visibility: 'shared' });
    const session = await newSession(alice, shared.id);
    expect(terminal((await send(alice, session.id, { content: 'before' })).events)?.event).toBe('done');
    const withdrawn = await admin.patch(`/api/model-configs/${shared.id}`, { visibility: 'private' });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    const refused = await alice.client.post(`/api/chat/sessions/${session.id}/messages`, { content: 'after' });
    expect(detailPaths(expectEnvelope(refused, 409, 'MODEL_UNAVAILABLE'))).toEqual(['modelConfigId']);
    const own = await configFor(alice, 'mock-echo');
    const moved = await send(alice, session.id, { content: 'after', modelConfigId: own.id });
    expect(terminal(moved.events)?.event).toBe('done');
  });
});

describe('chat: sessions', () => {
  it('creates, renames, pins, archives, searches (Chinese too) and deletes', async () => {
    const user = await newSignedInUser();
    const config = await configFor(user, 'mock-echo');
    const a = await newSession(user, config.id);
    const b = await newSession(user, config.id);
    expect(a).toMatchObject({
      title: 'New chat',
      pinned: false,
      archived: false,
      messageCount: 0,
      modelConfigId: config.id,
    });
    await send(user, b.id, { content: '请帮我翻译这段关于量子计算的文字' });
    const renamed = await user.client.patch<Session>(`/api/chat/sessions/${a.id}`, {
      title: 'Quarterly plan',
      pinned: true,
    });
    expect(renamed.body).toMatchObject({ title: 'Quarterly plan', pinned: true });

    const list = await user.client.get<Paginated<Session>>('/api/chat/sessions');
    expect(list.body.items.map((s) => s.id)).toEqual([a.id, b.id]);
    const found = await user.client.get<Paginated<Session>>(
      `/api/chat/sessions?search=${encodeURIComponent('量子计算')}`,
    );
    expect(found.body.items.map((s) => s.id)).toEqual([b.id]);
    expect(found.body.items[0]?.snippet).toContain('量子计算');
    const byTitle = await user.client.get<Paginated<Session>>('/api/chat/sessions?search=quarterly');
    expect(byTitle.body.items.map((s) => s.id)).toEqual([a.id]);

    await user.client.patch(`/api/chat/sessions/${a.id}`, { archived: true });
    expect((await user.client.get<Paginated<Session>>('/api/chat/sessions')).body.items.map((s) => s.id)).toEqual([
      b.id,
    ]);
    expect(
      (await user.client.get<Paginated<Session>>('/api/chat/sessions?archived=true')).body.items.map((s) => s.id),
    ).toEqual([a.id]);

    const cleared = await user.client.post<Session>(`/api/chat/sessions/${b.id}/clear`);
    expect(cleared.body).toMatchObject({ messageCount: 0, currentLeafId: null });
    // An id in capitals is the same session: deleted once, not also "skipped".
    const batch = await user.client.post<{ deleted: string[]; skipped: string[] }>('/api/chat/sessions/batch-delete', {
      ids: [a.id, b.id, a.id.toUpperCase()],
    });
    expect(batch.body.deleted.sort()).toEqual([a.id, b.id].sort());
    expect(batch.body.skipped).toEqual([]);
    expect((await user.client.get<Paginated<Session>>('/api/chat/sessions?archived=true')).body.total).toBe(0);
  });

  /** A new chat's first question, then its title once the auto-titler has set it (or "New chat" after 5 s). */
  async function titleAfterFirst(model: string, question: string): Promise<string> {
    const user = await newSignedInUser();
    const session = await newSession(user, (await configFor(user, model)).id);
    await send(user, session.id, { content: question });
    let title = 'New chat';
    for (let i = 0; i < 50 && title === 'New chat'; i++) {
      title = (await user.client.get<Session>(`/api/chat/sessions/${session.id}`)).body.title;
      await sleep(100);
    }
    return title;
  }

  it('titles a new chat after its first answer', async () => {
    const title = await titleAfterFirst('mock-echo', 'Tell me about volcanoes');
    expect(title).not.toBe('New chat');
    expect(title.split(' ').length).toBeLessThanOrEqual(6);
  });

  it('titles a chat whose first answer failed after its question', async () => {
    const title = await titleAfterFirst('mock-fault-500', 'Why do volcanoes erupt so violently sometimes?');
    expect(title).toBe('Why do volcanoes erupt so violently');
  });

  it('exports Markdown, JSON and text, several as a zip, and imports a JSON export back', async () => {
    const config = await configFor(alice, 'mock-reasoning');
    const session = await newSession(alice, config.id);
    await alice.client.patch(`/api/chat/sessions/${session.id}`, { title: 'Export me/now' });
    const answer = fold((await send(alice, session.id, { content: 'What is 2+2?' })).events);
    const md = await alice.client.get(`/api/chat/sessions/${session.id}/export?format=md`);
    expect(md.headers.get('content-disposition')).toMatch(/Export%20me_now_\d{4}-\d{2}-\d{2}\.md/);
    // Named after the user's day, wherever the server is.
    const zone = 'Pacific/Kiritimati';
    const theirDay = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date());
    const zoned = await alice.client.get(`/api/chat/sessions/${session.id}/export?format=md&timeZone=${zone}`);
    expect(zoned.headers.get('content-disposition')).toContain(`Export%20me_now_${theirDay}.md`);
    expect(md.text).toContain('# Export me/now');
    expect(md.text).toContain(answer.content);
    const json = await alice.client.get<{ messages: { role: string; content: string; reasoning?: string }[] }>(
      `/api/chat/sessions/${session.id}/export?format=json`,
    );
    expect(json.body.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(json.body.messages[1]?.reasoning).toBe(answer.reasoning);

    const imported = await alice.client.post<Session>('/api/chat/sessions/import', json.body);
    expect(imported.status, imported.text).toBe(201);
    const importedMessages = await messages(alice, imported.body.id);
    expect(importedMessages.items.map((m) => [m.role, m.content])).toEqual(
      json.body.messages.map((m) => [m.role, m.content]),
    );
    const reexported = await alice.client.get<{ messages: unknown[] }>(
      `/api/chat/sessions/${imported.body.id}/export?format=json`,
    );
    expect(reexported.body.messages).toEqual(
      json.body.messages.map((m) => expect.objectContaining({ role: m.role, content: m.content })),
    );

    const many = await alice.client.request('POST', '/api/chat/sessions/export', {
      json: { ids: [session.id, imported.body.id], format: 'md' },
    });
    expect(many.status).toBe(200);
    expect(many.headers.get('content-type')).toBe('application/zip');
    expectEnvelope(
      await alice.client.post('/api/chat/sessions/import', { format: 'something-else' }),
      400,
      'VALIDATION_FAILED',
    );
  });
});

describe('chat: export and import round trip', () => {
  it('exports every branch with what each answer recorded, and imports it back the same', async () => {
    const config = await configFor(alice, 'mock-echo');
    const session = await newSession(alice, config.id);
    const first = meta((await send(alice, session.id, { content: 'original' })).events);
    await readSse(`/api/chat/messages/${first.assistantMessageId}/regenerate`, {
      method: 'POST',
      token: alice.client.accessToken,
    });
    await send(alice, session.id, { content: 'edited', parentId: null });
    const slow = await configFor(alice, 'mock-chat@tokens=400,tps=20');
    const started = await alice.client.post<{ generationId: string; assistantMessageId: string }>(
      `/api/chat/sessions/${session.id}/messages`,
      { content: 'long one', modelConfigId: slow.id },
    );
    await sleep(500);
    await alice.client.post(`/api/chat/generations/${started.body.generationId}/stop`);
    await waitForStatus(alice, session.id, started.body.assistantMessageId, ['stopped']);
    await alice.client.patch(`/api/chat/sessions/${session.id}`, { currentLeafId: first.assistantMessageId });
    const original = await messages(alice, session.id);

    type Exported = { session: { currentLeafId: string }; messages: (Message & { parentId: string | null })[] };
    const json = await alice.client.get<Exported>(`/api/chat/sessions/${session.id}/export?format=json`);
    expect(json.body.messages).toHaveLength(7);
    expect(json.body.session.currentLeafId).toBe(first.assistantMessageId);
    const imported = await alice.client.post<Session>('/api/chat/sessions/import', json.body);
    expect(imported.status, imported.text).toBe(201);
    const copy = await messages(alice, imported.body.id);

    // The same tree under new ids: each message's parent, the leaf on show, and every recorded field.
    const newToOld = new Map(copy.items.map((m, i) => [m.id, original.items[i]!.id]));
    expect(copy.items.map((m) => (m.parentId ? newToOld.get(m.parentId) : null))).toEqual(
      original.items.map((m) => m.parentId),
    );
    expect(newToOld.get(copy.currentLeafId!)).toBe(first.assistantMessageId);
    const recorded = (m: Message) => ({
      role: m.role,
      content: m.content,
      status: m.status,
      usage: m.usage,
      ttftMs: m.ttftMs,
      totalMs: m.totalMs,
      model: m.model,
    });
    expect(copy.items.map(recorded)).toEqual(original.items.map(recorded));
    expect(copy.items.map((m) => m.status)).toContain('stopped');
  });

  it('imports exports larger than a request body may usually be, and refuses a cycle of parents', async () => {
    const long = 'x'.repeat(100_000);
    const file = {
      format: 'modelyard.chat',
      version: 1,
      session: { title: 'Big one' },
      messages: Array.from({ length: 16 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: long })),
    };
    const imported = await alice.client.post<Session>('/api/chat/sessions/import', file);
    expect(imported.status, imported.text).toBe(201);
    expect((await messages(alice, imported.body.id)).total).toBe(16);

    const cyclic = await alice.client.post('/api/chat/sessions/import', {
      ...file,
      messages: [
        { id: 'a', parentId: 'b', role: 'user', content: 'one' },
        { id: 'b', parentId: 'a', role: 'assistant', content: 'two' },
      ],
    });
    expect(detailPaths(expectEnvelope(cyclic, 400, 'INVALID_IMPORT'))).toEqual(['messages.0.parentId']);
    const orphan = await alice.client.post('/api/chat/sessions/import', {
      ...file,
      messages: [{ id: 'a', parentId: 'nowhere', role: 'user', content: 'one' }],
    });
    expectEnvelope(orphan, 400, 'INVALID_IMPORT');

    // A date after the import is taken as now: the message does not list after those sent from now on, and the
    // session's own export imports back.
    const dated = await alice.client.post<Session>('/api/chat/sessions/import', {
      ...file,
      session: { title: 'From the future' },
      messages: [
        { role: 'user', content: 'later', createdAt: '9999-12-31T23:59:59.999Z' },
        { role: 'assistant', content: 'undated' },
      ],
    });
    expect(dated.status, dated.text).toBe(201);
    const stored = (await messages(alice, dated.body.id)).items;
    expect(stored.map((m) => m.content)).toEqual(['later', 'undated']);
    expect(stored.every((m) => Date.parse(m.createdAt) <= Date.now())).toBe(true);
    const again = await alice.client.get(`/api/chat/sessions/${dated.body.id}/export?format=json`);
    expect((await alice.client.post('/api/chat/sessions/import', JSON.parse(again.text) as object)).status).toBe(201);
    const before = (await alice.client.get<Paginated<Session>>('/api/chat/sessions?search=Big%20one')).body.total;
    expect(before).toBe(1);
  });

  it('refuses an export of more than 32 MB of text in one go, and still exports each part (the API once ran out of memory)', async () => {
    const user = await newSignedInUser();
    // Two imports of ≈ 17 MB each (an import may be 20 MB): one exports, both in one zip would be 34 MB.
    const long = 'y'.repeat(180_000);
    const file = (title: string) => ({
      format: 'modelyard.chat',
      version: 1,
      session: { title },
      messages: Array.from({ length: 96 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: long })),
    });
    const ids: string[] = [];
    for (const title of ['Archive one', 'Archive two']) {
      const imported = await user.client.post<Session>('/api/chat/sessions/import', file(title));
      expect(imported.status, imported.text).toBe(201);
      ids.push(imported.body.id);
    }
    const both = await user.client.request('POST', '/api/chat/sessions/export', { json: { ids, format: 'json' } });
    const refused = expectEnvelope(both, 400, 'EXPORT_TOO_LARGE');
    expect(refused.message).toMatch(/at most 32 MB/);
    const one = await user.client.request('POST', '/api/chat/sessions/export', {
      json: { ids: [ids[0]], format: 'txt' },
    });
    expect(one.status).toBe(200);
    expect(one.headers.get('content-type')).toBe('application/zip');
    const single = await user.client.get(`/api/chat/sessions/${ids[1]}/export?format=md`);
    expect(single.status).toBe(200);
    expect(single.text.length).toBeGreaterThan(48 * 180_000);
    expect((await user.client.get('/api/health')).status).toBe(200);
  });
});

describe('chat: isolation and bad input', () => {
  it("never shows or changes another user's sessions, messages or generations (404)", async () => {
    const bob = await newSignedInUser();
    const config = await configFor(alice, 'mock-echo');
    const session = await newSession(alice, config.id);
    const { generationId, assistantMessageId } = meta((await send(alice, session.id, { content: 'private' })).events);
    expectEnvelope(await bob.client.get(`/api/chat/sessions/${session.id}`), 404, 'SESSION_NOT_FOUND');
    expectEnvelope(await bob.client.get(`/api/chat/sessions/${session.id}/messages`), 404, 'SESSION_NOT_FOUND');
    expectEnvelope(
      await bob.client.patch(`/api/chat/sessions/${session.id}`, { title: 'x' }),
      404,
      'SESSION_NOT_FOUND',
    );
    expectEnvelope(await bob.client.delete(`/api/chat/sessions/${session.id}`), 404, 'SESSION_NOT_FOUND');
    expectEnvelope(await bob.client.get(`/api/chat/sessions/${session.id}/export?format=md`), 404, 'SESSION_NOT_FOUND');
    expectEnvelope(
      await bob.client.post(`/api/chat/sessions/${session.id}/messages`, { content: 'hi' }),
      404,
      'SESSION_NOT_FOUND',
    );
    expectEnvelope(await bob.client.get(`/api/chat/generations/${generationId}/events`), 404, 'GENERATION_NOT_FOUND');
    expectEnvelope(await bob.client.post(`/api/chat/generations/${generationId}/stop`), 404, 'GENERATION_NOT_FOUND');
    expectEnvelope(
      await bob.client.post(`/api/chat/messages/${assistantMessageId}/regenerate`, {}),
      404,
      'MESSAGE_NOT_FOUND',
    );
    const bobs = await bob.client.post<{ deleted: string[] }>('/api/chat/sessions/batch-delete', { ids: [session.id] });
    expect(bobs.body.deleted).toEqual([]);
    expect((await alice.client.get(`/api/chat/sessions/${session.id}`)).status).toBe(200);
    // Someone else's private model config cannot be used either.
    const own = await newSession(bob);
    expectEnvelope(
      await bob.client.post(`/api/chat/sessions/${own.id}/messages`, { content: 'x', modelConfigId: config.id }),
      404,
      'MODEL_CONFIG_NOT_FOUND',
    );
  });

  it('rejects bad input with the standard envelope and loses nothing', async () => {
    const user = await newSignedInUser();
    const session = await newSession(user);
    expectEnvelope(
      await user.client.post(`/api/chat/sessions/${session.id}/messages`, { content: 'no model yet' }),
      400,
      'NO_MODEL_CONFIG',
    );
    const config = await configFor(user, 'mock-echo');
    expectEnvelope(
      await user.client.post(`/api/chat/sessions/${session.id}/messages`, { content: '   ' }),
      400,
      'VALIDATION_FAILED',
    );
    expectEnvelope(
      await user.client.post(`/api/chat/sessions/${session.id}/messages`, { content: 'x', parentId: randomUUID() }),
      400,
      'INVALID_PARENT',
    );
    expectEnvelope(await user.client.get(`/api/chat/sessions/${randomUUID()}`), 404, 'SESSION_NOT_FOUND');
    expectEnvelope(await user.client.get(`/api/chat/generations/${randomUUID()}/events`), 404, 'GENERATION_NOT_FOUND');
    expectEnvelope(await user.client.patch(`/api/chat/sessions/${session.id}`, {}), 400, 'VALIDATION_FAILED');
    expectEnvelope(
      await user.client.get(`/api/chat/sessions/${session.id}/export?format=pdf`),
      400,
      'VALIDATION_FAILED',
    );
    expect(
      detailPaths(
        expectEnvelope(
          await user.client.post(`/api/chat/sessions/${session.id}/messages`, {
            content: 'x',
            promptId: randomUUID(),
            promptVersion: 1,
            promptLabel: 'production',
          }),
          400,
          'VALIDATION_FAILED',
        ),
      ),
    ).toEqual(['promptLabel']);
    // Bytes that are not UTF-8: a malformed body, not a mismatched length.
    const garbled = await fetch(`${env.baseUrl}/api/chat/sessions/${session.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.client.accessToken}`, 'content-type': 'application/json' },
      body: Buffer.concat([Buffer.from('{"content":"'), Buffer.from([0xff, 0xfe]), Buffer.from(' bad"}')]),
    });
    expect([garbled.status, ((await garbled.json()) as { code: string }).code]).toEqual([400, 'MALFORMED_BODY']);
    const after = await user.client.get<Session>(`/api/chat/sessions/${session.id}`);
    expect(after.body.messageCount).toBe(0);
    expect(config.isDefault).toBe(true);
  });

  it('refuses to continue a question with another question (two in a row would go upstream)', async () => {
    const user = await newSignedInUser();
    const config = await configFor(user, 'mock-echo');
    const session = await newSession(user, config.id);
    await send(user, session.id, { content: 'first' });
    const [question, answer] = (await messages(user, session.id)).items;
    expect([question?.role, answer?.role]).toEqual(['user', 'assistant']);
    const refused = await user.client.post(`/api/chat/sessions/${session.id}/messages`, {
      content: 'second',
      parentId: question!.id,
    });
    expect(detailPaths(expectEnvelope(refused, 400, 'INVALID_PARENT'))).toEqual(['parentId']);
    expect((await user.client.get<Session>(`/api/chat/sessions/${session.id}`)).body.messageCount).toBe(2);
    // Continuing the answer is fine.
    const next = await send(user, session.id, { content: 'second', parentId: answer!.id });
    expect(next.events.at(-1)?.event).toBe('done');
  });

  it('refuses NUL characters (PostgreSQL text cannot hold them) up front, and changes nothing', async () => {
    const user = await newSignedInUser();
    const first = await configFor(user, 'mock-echo');
    const other = await configFor(user, 'mock-echo');
    const session = await newSession(user, first.id);
    const sent = await user.client.post(`/api/chat/sessions/${session.id}/messages`, {
      content: 'a\u0000b',
      modelConfigId: other.id,
    });
    expect(detailPaths(expectEnvelope(sent, 400, 'VALIDATION_FAILED'))).toEqual(['content']);
    const unchanged = (await user.client.get<Session>(`/api/chat/sessions/${session.id}`)).body;
    expect(unchanged).toMatchObject({ modelConfigId: first.id, messageCount: 0 });
    expectEnvelope(
      await user.client.patch(`/api/chat/sessions/${session.id}`, { systemPrompt: 'x\u0000' }),
      400,
      'VALIDATION_FAILED',
    );
    expectEnvelope(await user.client.get('/api/chat/sessions?search=a%00b'), 400, 'VALIDATION_FAILED');
    const imported = await user.client.post('/api/chat/sessions/import', {
      format: 'modelyard.chat',
      version: 1,
      session: { title: 'nul import' },
      messages: [{ role: 'user', content: 'a\u0000b' }],
    });
    expect(detailPaths(expectEnvelope(imported, 400, 'VALIDATION_FAILED'))).toEqual(['messages.0.content']);
    const listed = (await user.client.get<Paginated<Session>>('/api/chat/sessions')).body;
    expect(listed.items.map((s) => s.title)).not.toContain('nul import');
  });
});
