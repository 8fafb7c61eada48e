import { describe, expect, it } from 'vitest';
import { ApiClient, expectEnvelope } from './support/client';

const anon = new ApiClient();

/** Every route of the HTTP contract implemented so far, as OpenAPI paths. */
const CONTRACT: Record<string, string[]> = {
  '/api/health': ['get'],
  '/api/auth/register': ['post'],
  '/api/auth/login': ['post'],
  '/api/auth/refresh': ['post'],
  '/api/auth/logout': ['post'],
  '/api/auth/me': ['get', 'patch'],
  '/api/auth/me/password': ['post'],
  '/api/auth/me/avatar': ['post'],
  '/api/users/{id}/avatar': ['get'],
  '/api/admin/users': ['get'],
  '/api/admin/users/{id}': ['patch'],
  '/api/admin/audit-logs': ['get'],
  '/api/admin/settings': ['get', 'patch'],
  '/api/settings/public': ['get'],
};

describe('OpenAPI', () => {
  it('serves a valid OpenAPI 3 document describing every contract route', async () => {
    const res = await anon.get<{
      openapi: string;
      info: { title: string };
      paths: Record<string, Record<string, unknown>>;
    }>('/api/docs-json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/json/);
    const doc = JSON.parse(res.text) as typeof res.body;
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    for (const [path, methods] of Object.entries(CONTRACT)) {
      expect(doc.paths, `OpenAPI lacks ${path}`).toHaveProperty([path]);
      for (const method of methods) expect(doc.paths[path], `OpenAPI lacks ${method} ${path}`).toHaveProperty([method]);
    }
  });

  it('describes the login body and the user it returns', async () => {
    const doc = (await anon.get<{ paths: Record<string, Record<string, unknown>> }>('/api/docs-json')).body;
    const login = JSON.stringify(doc.paths['/api/auth/login']);
    expect(login).toContain('requestBody');
    const all = JSON.stringify(doc);
    for (const field of ['accessToken', 'expiresIn', 'nickname', 'lastLoginAt']) expect(all).toContain(field);
  });

  it('gives every answer with a body its schema, and every POST, PUT or PATCH that reads a body its request body', async () => {
    type Operation = {
      requestBody?: unknown;
      responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
    };
    const doc = (await anon.get<{ paths: Record<string, Record<string, Operation>> }>('/api/docs-json')).body;
    const bare: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (!/^2\d\d$/.test(status) || status === '204') continue;
          const schemas = Object.values(response.content ?? {}).map((media) => media.schema);
          if (schemas.length === 0 || schemas.some((schema) => schema === undefined))
            bare.push(`${method} ${path} ${status}`);
        }
      }
    }
    expect(bare).toEqual([]);
    for (const path of ['/api/auth/me/avatar', '/api/compare/batches']) {
      expect(doc.paths[path]!.post!.requestBody, `${path} describes its multipart body`).toBeDefined();
    }
  });

  it('serves the interactive docs as HTML', async () => {
    const res = await anon.get('/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.text.toLowerCase()).toContain('swagger');
  });
});

describe('single-page app on the same port', () => {
  it.each(['/', '/chat', '/admin/users', '/login?redirect=%2Fchat'])('GET %s serves index.html', async (path) => {
    const res = await anon.get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.text).toMatch(/<!doctype html>/i);
    expect(res.text).toContain('<div id="app"');
  });

  it('sends the security headers with the app and with API answers', async () => {
    for (const res of [await anon.get('/'), await anon.get('/api/health'), await anon.get('/api/nope')]) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/script-src 'self'( 'sha256-[^']+')*;/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('strict-transport-security')).toBeNull();
      expect(res.headers.get('x-request-id')).toBeTruthy();
    }
  });

  it('keeps unknown /api paths a JSON 404, never the SPA', async () => {
    const res = await anon.get('/api/nope');
    expectEnvelope(res, 404, 'ROUTE_NOT_FOUND');
    expect(res.text).not.toMatch(/<html/i);
    expectEnvelope(await anon.get('/api'), 404, 'ROUTE_NOT_FOUND');
  });
});
