import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bullmq';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { type Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MaintenanceJob, QueueName } from '../../src/common/queue/queue.types';
import { redisOptionsFromUrl } from '../../src/common/redis/redis-connection';
import { AppConfig } from '../../src/config/app-config';
import { RefreshTokensRepository } from '../../src/modules/auth/refresh-tokens.repository';
import { UsersRepository } from '../../src/modules/users/users.repository';
import { WorkerModule } from '../../src/worker.module';

describe('queue worker (worker.ts modules) against real Redis and PostgreSQL', () => {
  let worker: INestApplicationContext;
  let events: QueueEvents;

  beforeAll(async () => {
    const config = AppConfig.fromProcessEnv({
      DATA_DIR: mkdtempSync(join(tmpdir(), 'medium-worker-')),
      LOG_LEVEL: 'silent',
    });
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
    await worker.init();
    events = new QueueEvents(QueueName.Maintenance, {
      connection: redisOptionsFromUrl(config.env.REDIS_URL),
      prefix: 'modelyard',
    });
    await events.waitUntilReady();
  });

  afterAll(async () => {
    await events?.close();
    await worker?.close();
  });

  it('purges refresh tokens that expired more than a week ago and keeps the rest', async () => {
    const users = worker.get(UsersRepository);
    const tokens = worker.get(RefreshTokensRepository);
    const user = await users.create({
      email: `worker-${randomUUID()}@medium.test`,
      nickname: `worker-${randomUUID().slice(0, 8)}`,
      passwordHash: 'x',
      role: 'user',
    });
    const make = (expiresAt: Date) =>
      tokens.create({
        userId: user.id,
        familyId: randomUUID(),
        tokenHash: randomUUID(),
        expiresAt,
        ip: null,
        userAgent: null,
      });
    const stale = await make(new Date(Date.now() - 8 * 86400_000));
    const live = await make(new Date(Date.now() + 86400_000));

    const queue = worker.get<Queue>(getQueueToken(QueueName.Maintenance));
    const job = await queue.add(MaintenanceJob.PurgeExpiredRefreshTokens, { requestId: 'medium-test' });
    const result = (await job.waitUntilFinished(events, 15_000)) as { deleted: number };

    // The scheduled run that fires when the worker starts may have purged it first; either way it is gone.
    expect(typeof result.deleted).toBe('number');
    expect(await tokens.findByHash(stale.tokenHash)).toBeNull();
    expect(await tokens.findByHash(live.tokenHash)).not.toBeNull();
  });

  it('keeps a single hourly schedule however many workers start', async () => {
    const queue = worker.get<Queue>(getQueueToken(QueueName.Maintenance));
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.filter((s) => s.key === MaintenanceJob.PurgeExpiredRefreshTokens)).toHaveLength(1);
  });
});
