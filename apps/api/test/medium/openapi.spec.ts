import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app';

const SPEC_FILE = join(__dirname, '../../openapi.json');

describe('committed OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('matches what the running API serves (regenerate with UPDATE_OPENAPI=1 npm test -- --only medium)', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/docs-json' });
    expect(res.statusCode).toBe(200);
    const served = `${JSON.stringify(res.json(), null, 2)}\n`;
    if (process.env.UPDATE_OPENAPI === '1') writeFileSync(SPEC_FILE, served);
    const committed = readFileSync(SPEC_FILE, 'utf8');
    expect(served, 'apps/api/openapi.json is out of date').toBe(committed);
  });

  it('documents every route of the contract', async () => {
    const spec = (await t.inject({ method: 'GET', url: '/api/docs-json' })).json() as { paths: Record<string, object> };
    for (const path of [
      '/api/health',
      '/api/auth/register',
      '/api/auth/login',
      '/api/auth/refresh',
      '/api/auth/logout',
      '/api/auth/me',
      '/api/auth/me/password',
      '/api/admin/users',
      '/api/admin/users/{id}',
    ]) {
      expect(spec.paths, path).toHaveProperty([path]);
    }
  });
});
