import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Batch } from '@modelyard/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthUser } from '../../src/common/auth/auth.decorators';
import { AppConfig } from '../../src/config/app-config';
import { CompareBatchesRepository } from '../../src/modules/compare-batches/compare-batches.repository';
import { ModelConfigsService } from '../../src/modules/model-configs/model-configs.service';
import { ProvidersService } from '../../src/modules/providers/providers.service';
import { UsersRepository } from '../../src/modules/users/users.repository';
import { WorkerModule } from '../../src/worker.module';
import { startTestApp, type TestApp } from './support/app';
import { API_ENTRY, sleep, spawnApi } from './support/processes';

const QUESTIONS = 40;

describe('a batch compare job across restarts', () => {
  const secrets = { JWT_SECRET: randomBytes(32).toString('hex'), ENCRYPTION_KEY: randomBytes(32).toString('hex') };
  let t: TestApp;
  let token: string;
  let modelConfigId: string;
  const children: ChildProcess[] = [];
  const workers: INestApplicationContext[] = [];
  const env = () => ({
    ...secrets,
    DATA_DIR: mkdtempSync(join(process.env.TEST_TMP_DIR ?? tmpdir(), 'batch-')),
    ADMIN_PASSWORD: `Batch-${randomUUID()}1a`,
  });

  async function startWorker(): Promise<INestApplicationContext> {
    const config = AppConfig.fromProcessEnv({ ...env(), LOG_LEVEL: 'silent' });
    const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
    await worker.init();
    workers.push(worker);
    return worker;
  }

  async function upload(url: string): Promise<string> {
    const form = new FormData();
    form.append('modelConfigIds', modelConfigId);
    form.append('concurrency', '2');
    const text = Array.from({ length: QUESTIONS }, (_, i) => `question ${i}`).join('\n');
    form.append('file', new Blob([text]), 'questions.txt');
    const res = await fetch(`${url}/api/compare/batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { id: string }).id;
  }

  async function batch(url: string, id: string): Promise<Batch> {
    const res = await fetch(`${url}/api/compare/batches/${id}`, { headers: { authorization: `Bearer ${token}` } });
    return (await res.json()) as Batch;
  }

  async function waitFor(url: string, id: string, done: (b: Batch) => boolean, ms = 30_000): Promise<Batch> {
    const deadline = Date.now() + ms;
    for (;;) {
      const b = await batch(url, id);
      if (done(b)) return b;
      if (Date.now() > deadline) throw new Error(`batch ${id} stuck at ${b.status} ${b.done}/${b.total}`);
      await sleep(50);
    }
  }

  beforeAll(async () => {
    if (!existsSync(API_ENTRY)) throw new Error(`${API_ENTRY} is missing: build the API first (npm test does)`);
    const mockLlmUrl = process.env.MOCK_LLM_URL;
    if (!mockLlmUrl) throw new Error('MOCK_LLM_URL must name the mock LLM upstream (the test harness starts one)');
    t = await startTestApp(secrets);
    const created = await t.app.get(UsersRepository).create({
      email: `batch-${randomUUID()}@medium.test`,
      nickname: `batch-${randomUUID().slice(0, 8)}`,
      passwordHash: 'x',
      role: 'admin',
    });
    const user: AuthUser = { id: created.id, role: 'admin' };
    const provider = await t.app.get(ProvidersService).create(user, {
      name: `Batch ${randomUUID().slice(0, 8)}`,
      kind: 'openai',
      baseUrl: `${mockLlmUrl}/v1`,
    });
    modelConfigId = (
      await t.app.get(ModelConfigsService).create(user, {
        name: `Batch ${randomUUID().slice(0, 8)}`,
        providerId: provider.id,
        model: 'mock-chat@ttft=60,tps=0,tokens=5',
      })
    ).id;
    token = await t.app.get(JwtService).signAsync({ sub: user.id, tv: 0 });
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    for (const worker of workers) await worker.close().catch(() => undefined);
    await t?.close();
  });

  it('runs on while the API process is killed and restarted, and answers every cell exactly once', async () => {
    await startWorker();
    const first = await spawnApi(env());
    children.push(first.child);
    const id = await upload(first.url);
    await waitFor(first.url, id, (b) => b.done >= 3);
    first.child.kill('SIGKILL');

    const second = await spawnApi(env());
    children.push(second.child);
    const finished = await waitFor(second.url, id, (b) => b.status === 'completed');
    expect(finished).toMatchObject({ done: QUESTIONS, total: QUESTIONS });
    const results = await t.app.get(CompareBatchesRepository).results(id);
    expect(results.map((r) => r.idx).sort((a, b) => a - b)).toEqual(Array.from({ length: QUESTIONS }, (_, i) => i));
    expect(results.every((r) => r.status === 'complete' && r.answer.length > 0)).toBe(true);
  }, 60_000);

  it('is resumed by the next worker when its worker shuts down mid-job, without redoing finished cells', async () => {
    const api = await spawnApi(env());
    children.push(api.child);
    const id = await upload(api.url);
    const partway = await waitFor(api.url, id, (b) => b.done >= 3);
    expect(partway.status).toBe('running');
    // A graceful stop (deploy, SIGTERM): the batch is handed back to the queue, not finished.
    await workers.shift()!.close();
    const between = await batch(api.url, id);
    expect(between.status).toBe('running');
    expect(between.done).toBeLessThan(QUESTIONS);

    await startWorker();
    const finished = await waitFor(api.url, id, (b) => b.status === 'completed');
    expect(finished.done).toBe(QUESTIONS);
    const results = await t.app.get(CompareBatchesRepository).results(id);
    expect(results).toHaveLength(QUESTIONS);
    // The cells finished before the stop kept their first answer: nothing was asked twice.
    expect(results.filter((r) => r.status === 'complete')).toHaveLength(QUESTIONS);
  }, 60_000);
});
