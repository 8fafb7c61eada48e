import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import type Redis from 'ioredis';
import { createParser } from 'eventsource-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthUser } from '../../src/common/auth/auth.decorators';
import { ChatRepository } from '../../src/modules/chat/chat.repository';
import { ChatService } from '../../src/modules/chat/chat.service';
import { ModelConfigsService } from '../../src/modules/model-configs/model-configs.service';
import { ProvidersService } from '../../src/modules/providers/providers.service';
import { UsersRepository } from '../../src/modules/users/users.repository';
import { REDIS_CLIENT } from '../../src/common/redis/redis.tokens';
import { startTestApp, type TestApp } from './support/app';
import { API_ENTRY, sleep, spawnApi } from './support/processes';

describe('an API process killed mid-generation', () => {
  const secrets = { JWT_SECRET: randomBytes(32).toString('hex'), ENCRYPTION_KEY: randomBytes(32).toString('hex') };
  let t: TestApp;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    t = await startTestApp(secrets);
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await t?.close();
  });

  /**
   * A spawned API streaming a long answer to a client that has read it for 2 s: what the client saw so far, and the
   * reader to go on reading.
   */
  async function startStreaming() {
    if (!existsSync(API_ENTRY)) throw new Error(`${API_ENTRY} is missing: build the API first (npm test does)`);
    const mockLlmUrl = process.env.MOCK_LLM_URL;
    if (!mockLlmUrl) throw new Error('MOCK_LLM_URL must name the mock LLM upstream (the test harness starts one)');
    const created = await t.app.get(UsersRepository).create({
      email: `crash-${randomUUID()}@medium.test`,
      nickname: `crash-${randomUUID().slice(0, 8)}`,
      passwordHash: 'x',
      role: 'admin',
    });
    const user: AuthUser = { id: created.id, role: 'admin' };
    const provider = await t.app.get(ProvidersService).create(user, {
      name: `Crash ${randomUUID().slice(0, 8)}`,
      kind: 'openai',
      baseUrl: `${mockLlmUrl}/v1`,
    });
    const config = await t.app.get(ModelConfigsService).create(user, {
      name: `Crash ${randomUUID().slice(0, 8)}`,
      providerId: provider.id,
      model: 'mock-chat@tokens=400,tps=25',
    });
    const session = await t.app.get(ChatService).createSession(user, { modelConfigId: config.id });
    const token = await t.app.get(JwtService).signAsync({ sub: user.id, tv: 0 });
    const env = {
      ...secrets,
      DATA_DIR: mkdtempSync(join(process.env.TEST_TMP_DIR ?? tmpdir(), 'crash-')),
      ADMIN_PASSWORD: `Crash-${randomUUID()}1a`,
    };

    const first = await spawnApi(env);
    children.push(first.child);
    const res = await fetch(`${first.url}/api/chat/sessions/${session.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ content: 'a long answer, please' }),
    });
    let seen = '';
    let assistantMessageId = '';
    const events: { event: string | undefined; data: Record<string, unknown> }[] = [];
    const parser = createParser({
      onEvent: (m) => {
        const data = JSON.parse(m.data) as { text?: string; assistantMessageId?: string };
        events.push({ event: m.event, data });
        if (m.event === 'meta') assistantMessageId = data.assistantMessageId ?? '';
        if (m.event === 'content') seen += data.text ?? '';
      },
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    const deadline = Date.now() + 2000;
    while (Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
    return { first, env, token, reader, parser, decoder, assistantMessageId, seen: () => seen, events };
  }

  /**
   * Streams a long answer through a spawned API for 2 s, kills it (no shutdown hooks, no final write), runs `meanwhile`,
   * restarts it and checks the answer ends `interrupted` with everything the client saw.
   */
  async function crashAndRestart(meanwhile: (generationId: string) => Promise<void> = async () => {}) {
    const { first, env, token, reader, assistantMessageId, seen: seenSoFar } = await startStreaming();
    const seen = seenSoFar();
    // No shutdown hooks, no final write: the process is simply gone.
    first.child.kill('SIGKILL');
    await reader.cancel().catch(() => undefined);
    expect(seen.split(' ').length).toBeGreaterThan(10);

    const repo = t.app.get(ChatRepository);
    await meanwhile((await repo.findMessage(assistantMessageId))!.generationId!);

    const restarted = await spawnApi(env);
    children.push(restarted.child);
    let stored = await repo.findMessage(assistantMessageId);
    for (let i = 0; i < 300 && stored?.status === 'streaming'; i++) {
      await sleep(100);
      stored = await repo.findMessage(assistantMessageId);
    }
    expect(stored?.status).toBe('interrupted');
    // Its time runs to its last save before the kill (≈ 2 s in), not through the downtime until the sweep.
    expect(stored!.totalMs).toBeGreaterThan(500);
    expect(stored!.totalMs).toBeLessThan(4_000);
    // Its first token came ≈ 0.2 s in (the mock's default) and was saved with the text: the message says so.
    expect(stored!.ttftMs).toBeGreaterThan(0);
    expect(stored!.ttftMs).toBeLessThan(stored!.totalMs!);
    // Events reach watchers from memory first and Redis within ~25 ms, so at most the last moment can be missing:
    // the promise is "nothing seen is lost beyond the last second" (25 tokens at this speed).
    const kept = stored!.content;
    expect(kept.startsWith(seen) || seen.startsWith(kept)).toBe(true);
    const lostWords = seen.startsWith(kept) ? seen.slice(kept.length).split(' ').filter(Boolean).length : 0;
    expect(lostWords).toBeLessThanOrEqual(25);
    expect(kept.split(' ').length).toBeGreaterThan(10);
    expect(kept.split(' ').length).toBeLessThan(400);

    // Re-attaching to it through the restarted process replays what there was and ends.
    const replay = await fetch(`${restarted.url}/api/chat/generations/${stored!.generationId}/events`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    });
    const text = await replay.text();
    expect(text).toContain('"status":"interrupted"');
  }

  it('ends its answers as interrupted on a graceful stop (SIGTERM), telling the connected client, within 10 s', async () => {
    const { first, reader, parser, decoder, assistantMessageId, events } = await startStreaming();
    const exited = new Promise<number>((resolve) => first.child.once('exit', () => resolve(Date.now())));
    const stoppedAt = Date.now();
    first.child.kill('SIGTERM');
    try {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        parser.feed(decoder.decode(chunk.value, { stream: true }));
      }
    } catch {
      // The connection closes with the process: what arrived before counts.
    }
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'interrupted' } });
    expect((await exited) - stoppedAt).toBeLessThan(10_000);
    expect((await t.app.get(ChatRepository).findMessage(assistantMessageId))?.status).toBe('interrupted');
  }, 60_000);

  it('is finished as interrupted after a restart, keeping everything the client saw', async () => {
    await crashAndRestart();
  }, 60_000);

  it('keeps the saved text when Redis lost part of the stream (a crash, appends that failed while it was down)', async () => {
    await crashAndRestart(async (generationId) => {
      const redis = t.app.get<Redis>(REDIS_CLIENT);
      const entries = await redis.xrange(`chat:gen:${generationId}`, '-', '+');
      expect(entries.length).toBeGreaterThan(3);
      await redis.xdel(`chat:gen:${generationId}`, ...entries.slice(3).map(([id]) => id));
    });
  }, 60_000);
});
