import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createApp } from '../../../src/bootstrap/create-app';
import { AppConfig } from '../../../src/config/app-config';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Boots the real AppModule in-process against the harness' PostgreSQL and Redis (or overrides). */
export async function startTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const config = AppConfig.fromProcessEnv({
    DATA_DIR: mkdtempSync(join(process.env.TEST_TMP_DIR ?? tmpdir(), 'medium-app-')),
    WEB_DIST_DIR: join(tmpdir(), 'no-spa-in-medium-tests'),
    LOG_LEVEL: 'silent',
    BCRYPT_COST: '4',
    ...overrides,
  });
  const app = await createApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  return { app, config, inject: (options) => fastify.inject(options), close: () => app.close() };
}
