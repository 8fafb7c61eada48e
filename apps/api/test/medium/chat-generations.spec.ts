import { randomUUID } from 'node:crypto';
import type { GenerationEvent } from '@modelyard/contracts';
import { createParser } from 'eventsource-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthUser } from '../../src/common/auth/auth.decorators';
import { ChatRepository } from '../../src/modules/chat/chat.repository';
import { ChatService } from '../../src/modules/chat/chat.service';
import { GenerationEventsRepository } from '../../src/modules/chat/generation-events.repository';
import { GenerationsService } from '../../src/modules/chat/generations.service';
import { ModelConfigsService } from '../../src/modules/model-configs/model-configs.service';
import { ProvidersService } from '../../src/modules/providers/providers.service';
import { UsersRepository } from '../../src/modules/users/users.repository';
import { startTestApp, type TestApp } from './support/app';

type Received = GenerationEvent & { id: number };

const mockLlmUrl = () => {
  const url = process.env.MOCK_LLM_URL;
  if (!url) throw new Error('MOCK_LLM_URL must name the mock LLM upstream (the test harness starts one)');
  return url;
};

/** Reads an SSE response from a listening instance with a real frame parser. */
async function readEvents(url: string, token: string, lastEventId?: number): Promise<Received[]> {
  const res = await fetch(url, {
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'text/event-stream',
      ...(lastEventId ? { 'last-event-id': String(lastEventId) } : {}),
    },
  });
  expect(res.headers.get('content-type')).toMatch(/event-stream/);
  const events: Received[] = [];
  const parser = createParser({
    onEvent: (m) => events.push({ id: Number(m.id), event: m.event, data: JSON.parse(m.data) } as Received),
  });
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
    parser.feed(decoder.decode(chunk, { stream: true }));
  return events;
}

const contentOf = (events: Received[]) => events.map((e) => (e.event === 'content' ? e.data.text : '')).join('');

describe('generations across API processes', () => {
  let a: TestApp;
  let b: TestApp;
  let urlB: string;
  let user: AuthUser;
  let token: string;
  let modelConfigId: string;

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp();
    await b.app.listen({ port: 0, host: '127.0.0.1' });
    urlB = await b.app.getUrl();
    const created = await a.app.get(UsersRepository).create({
      email: `gen-${randomUUID()}@medium.test`,
      nickname: `gen-${randomUUID().slice(0, 8)}`,
      passwordHash: 'x',
      role: 'admin',
    });
    user = { id: created.id, role: 'admin' };
    const { JwtService } = await import('@nestjs/jwt');
    token = await b.app.get(JwtService).signAsync({ sub: user.id, tv: 0 });
    const provider = await a.app.get(ProvidersService).create(user, {
      name: `Gen ${randomUUID().slice(0, 8)}`,
      kind: 'openai',
      baseUrl: `${mockLlmUrl()}/v1`,
    });
    const config = await a.app.get(ModelConfigsService).create(user, {
      name: `Slow ${randomUUID().slice(0, 8)}`,
      providerId: provider.id,
      model: 'mock-chat@tokens=40,tps=60',
    });
    modelConfigId = config.id;
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('starts on one instance and re-attaches, resumes and stops through another', async () => {
    const chat = a.app.get(ChatService);
    const session = await chat.createSession(user, { modelConfigId });
    const started = await chat.sendMessage(user, session.id, { content: 'cross-instance' });
    expect(a.app.get(GenerationsService).isLocal(started.generationId)).toBe(true);
    expect(b.app.get(GenerationsService).isLocal(started.generationId)).toBe(false);

    const url = `${urlB}/api/chat/generations/${started.generationId}/events`;
    const full = await readEvents(url, token);
    expect(full.map((e) => e.id)).toEqual(full.map((_, i) => i + 1));
    expect(full.at(-1)).toMatchObject({ event: 'done', data: { status: 'complete' } });
    expect(contentOf(full).split(' ')).toHaveLength(40);

    const resumed = await readEvents(url, token, 10);
    expect(resumed[0]?.id).toBe(11);
    expect(resumed.map((e) => e.id)).toEqual(full.slice(10).map((e) => e.id));

    // Stop through B: A aborts the upstream and keeps the partial answer.
    const long = await a.app.get(ModelConfigsService).create(user, {
      name: `Long ${randomUUID().slice(0, 8)}`,
      providerId: (await a.app.get(ModelConfigsService).get(user, modelConfigId)).providerId,
      model: 'mock-chat@tokens=500,tps=30',
    });
    const second = await chat.sendMessage(user, session.id, {
      content: 'stop me from elsewhere',
      modelConfigId: long.id,
    });
    const watching = readEvents(url.replace(started.generationId, second.generationId), token);
    await new Promise((r) => setTimeout(r, 400));
    await b.app.get(ChatService).stopGeneration(user, second.generationId);
    const stopped = await watching;
    expect(stopped.at(-1)).toMatchObject({ event: 'done', data: { status: 'stopped' } });
    const stored = await a.app.get(ChatRepository).findMessage(second.assistantMessage.id);
    expect(stored?.status).toBe('stopped');
    expect(stored?.content).toBe(contentOf(stopped));
  });

  it('finishes the generation of a dead process as interrupted, rebuilt from its event stream', async () => {
    const chat = a.app.get(ChatService);
    const repo = a.app.get(ChatRepository);
    const events = a.app.get(GenerationEventsRepository);
    const session = await chat.createSession(user, { modelConfigId });
    const generationId = randomUUID();
    const deadInstance = `dead-${randomUUID()}`;
    // What a process that died mid-answer leaves behind: a streaming row persisted a while ago, and more text in Redis.
    const [, assistant] = (await repo.appendMessages(
      session.id,
      [
        { sessionId: session.id, parentId: null, role: 'user', content: 'question', status: 'complete' },
        {
          sessionId: session.id,
          parentId: null,
          role: 'assistant',
          content: 'Persisted part',
          status: 'streaming',
          generationId,
          ownerInstance: deadInstance,
          model: 'mock-chat',
        },
      ],
      1,
    ))!;
    await events.append(generationId, [
      {
        id: 1,
        event: 'meta',
        data: {
          generationId,
          sessionId: session.id,
          userMessageId: null,
          assistantMessageId: assistant!.id,
          model: 'mock-chat',
          modelConfigId,
        },
      },
      { id: 2, event: 'content', data: { text: 'Persisted part' } },
      { id: 3, event: 'content', data: { text: ' and what came after' } },
    ]);
    const follower = readEvents(`${urlB}/api/chat/generations/${generationId}/events`, token);
    // The dead process held one of the user's concurrency slots.
    expect(await events.claimSlot(user.id, generationId, 100)).toBe(true);

    expect(await b.app.get(GenerationsService).sweepOrphans()).toBeGreaterThanOrEqual(1);
    const stored = await repo.findMessage(assistant!.id);
    expect(stored).toMatchObject({ status: 'interrupted', content: 'Persisted part and what came after' });
    const seen = await follower;
    expect(seen.at(-1)).toMatchObject({ id: 4, event: 'done', data: { status: 'interrupted' } });
    expect(await events.activeSlots(user.id)).not.toContain(generationId);
  });

  it('resumes inside a stored batch: events up to Last-Event-ID are dropped, the rest kept in order', async () => {
    const events = a.app.get(GenerationEventsRepository);
    const generationId = randomUUID();
    const text = (id: number) => ({ id, event: 'content' as const, data: { text: `t${id}` } });
    await events.append(generationId, [1, 2, 3, 4, 5].map(text));
    await events.append(generationId, [6, 7].map(text), 60);
    expect((await events.read(generationId, 3)).map((e) => e.id)).toEqual([4, 5, 6, 7]);
    expect((await events.read(generationId, 5)).map((e) => e.id)).toEqual([6, 7]);
    expect(await events.read(generationId, 7)).toEqual([]);
    expect((await events.read(generationId, 0)).map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const follower = events.openFollower();
    try {
      expect((await follower.next(generationId, 4, 100)).map((e) => e.id)).toEqual([5, 6, 7]);
    } finally {
      follower.close();
    }
  });

  it('leaves generations of live processes alone', async () => {
    const chat = a.app.get(ChatService);
    const session = await chat.createSession(user, { modelConfigId });
    const started = await chat.sendMessage(user, session.id, { content: 'still running' });
    await b.app.get(GenerationsService).sweepOrphans();
    const row = await a.app.get(ChatRepository).findMessage(started.assistantMessage.id);
    expect(['streaming', 'complete']).toContain(row?.status);
    const events = await readEvents(`${urlB}/api/chat/generations/${started.generationId}/events`, token);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'complete' } });
  });
});
