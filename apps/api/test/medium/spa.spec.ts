import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app';

describe('the built SPA on the API port', () => {
  const dist = mkdtempSync(join(process.env.TEST_TMP_DIR ?? tmpdir(), 'medium-spa-'));
  let t: TestApp;

  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><html><body><div id="app"></div></body></html>');
    writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dist, 'assets', 'index-old.js'), 'console.log("old")');
    t = await startTestApp({ WEB_DIST_DIR: dist });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('serves files, hashed assets for a year, and index.html for client-side routes', async () => {
    const asset = await t.inject({ method: 'GET', url: '/assets/index-old.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await t.inject({ method: 'GET', url: '/favicon.svg' });
    expect([icon.statusCode, icon.headers['cache-control']]).toEqual([200, 'no-cache']);
    const route = await t.inject({ method: 'GET', url: '/chat/some-session' });
    expect(route.statusCode).toBe(200);
    expect(route.body).toContain('<div id="app">');
  });

  it('serves the assets of a web build replaced under the running server, and a missing one as a 404', async () => {
    writeFileSync(join(dist, 'assets', 'index-new.js'), 'console.log("new")');
    const fresh = await t.inject({ method: 'GET', url: '/assets/index-new.js' });
    expect([fresh.statusCode, fresh.body]).toEqual([200, 'console.log("new")']);

    const missing = await t.inject({ method: 'GET', url: '/assets/index-gone.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).not.toContain('<div id="app">');
    const outside = await t.inject({ method: 'GET', url: '/assets/..%2findex.html' });
    expect(outside.body).not.toContain('<div id="app">');
  });
});
