import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { adminClient, ApiClient, detailPaths, env, expectEnvelope, newSignedInUser } from './support/client';

const anon = new ApiClient();

describe('health', () => {
  it('reports the API, PostgreSQL and Redis as up', async () => {
    const res = await anon.get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', db: 'up', redis: 'up' });
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });
});

describe('error envelope', () => {
  it('answers an unknown GET route with a JSON 404 envelope', async () => {
    const body = expectEnvelope(await anon.get('/api/no-such-route'), 404, 'ROUTE_NOT_FOUND');
    expect(body.details).toBeUndefined();
  });

  it('answers an unknown POST route with the same JSON 404 envelope', async () => {
    expectEnvelope(await anon.post('/api/no-such-route', { a: 1 }), 404, 'ROUTE_NOT_FOUND');
  });

  it('answers a known path with an unsupported method with a JSON 404 envelope', async () => {
    expectEnvelope(await anon.request('DELETE', '/api/health'), 404, 'ROUTE_NOT_FOUND');
  });

  it('answers over-long path segments with the envelope, its request id and the security headers', async () => {
    const admin = await adminClient();
    // Long for an id, but within what the routes read: the route's own answer.
    expectEnvelope(await admin.get(`/api/teams/${'a'.repeat(101)}`), 404, 'NOT_FOUND');
    // Longer than the router reads, on a route with two parameters.
    const res = await admin.request('DELETE', `/api/prompts/${randomUUID()}/labels/${'a'.repeat(1001)}`);
    const body = expectEnvelope(res, 404, 'NOT_FOUND');
    expect(res.headers.get('x-request-id')).toBe(body.requestId);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.text).not.toContain('a'.repeat(1001));
  });

  it('rejects malformed JSON with 400 MALFORMED_BODY', async () => {
    const res = await anon.request('POST', '/api/auth/login', {
      body: '{"email": "a@b.c", "password": ',
      headers: { 'content-type': 'application/json' },
    });
    expectEnvelope(res, 400, 'MALFORMED_BODY');
  });

  it('takes an empty body labelled application/json as no body (many clients label every request)', async () => {
    const user = await newSignedInUser();
    const json = { 'content-type': 'application/json' };
    const created = await user.client.request<{ id: string; title: string }>('POST', '/api/chat/sessions', {
      headers: json,
    });
    expect(created.status).toBe(201);
    expect(created.body.title).toBe('New chat');
    // Whitespace only is empty too; a body that is there is still parsed (and refused when it is not JSON).
    expect((await user.client.request('POST', '/api/chat/sessions', { headers: json, body: ' \n' })).status).toBe(201);
    expectEnvelope(
      await user.client.request('POST', '/api/chat/sessions', { headers: json, body: '{' }),
      400,
      'MALFORMED_BODY',
    );
    expect((await user.client.request('POST', '/api/auth/logout', { headers: json })).status).toBe(204);
  });

  it('answers what the HTTP parser refuses (headers too large, not HTTP) with the envelope', async () => {
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const { hostname, port } = new URL(env.baseUrl);
        const socket = connect(Number(port), hostname, () => socket.end(request));
        let text = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (text += chunk));
        socket.on('close', () => resolve(text));
        socket.on('error', (error) => (text ? resolve(text) : reject(error)));
      });
    const envelopeOf = (response: string) => {
      const [head, body] = response.split('\r\n\r\n');
      return { statusLine: head!.split('\r\n')[0], body: JSON.parse(body!) as Record<string, unknown> };
    };
    const big = envelopeOf(await raw(`GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`));
    expect(big.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(big.body).toMatchObject({ statusCode: 431, code: 'HEADERS_TOO_LARGE', requestId: expect.any(String) });
    const garbage = envelopeOf(await raw('NOT HTTP AT ALL\r\n\r\n'));
    expect(garbage.body).toMatchObject({ statusCode: 400, code: 'MALFORMED_REQUEST', requestId: expect.any(String) });
  });

  it('drops a __proto__ key from an otherwise valid body instead of calling it invalid JSON', async () => {
    const res = await anon.request('POST', '/api/auth/login', {
      body: '{"email":"nobody@example.com","password":"wrong-password1","__proto__":{"role":"admin"}}',
      headers: { 'content-type': 'application/json' },
    });
    expectEnvelope(res, 401, 'INVALID_CREDENTIALS');
  });

  it('refuses a body over 1 MB with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await anon.request('POST', '/api/auth/login', {
      body: JSON.stringify({ email: 'a@b.c', password: 'x', padding: 'x'.repeat(1_100_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expectEnvelope(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('refuses bodies that are not JSON with 415, so a cross-site form cannot sign in or lock an account', async () => {
    const email = `form-${Date.now()}@example.com`;
    for (const [type, body] of [
      ['application/x-www-form-urlencoded', `email=${encodeURIComponent(email)}&password=wrong-password1`],
      ['text/plain', JSON.stringify({ email, password: 'wrong-password1' })],
      ['application/xml', '<login/>'],
    ]) {
      const res = await anon.request('POST', '/api/auth/login', { body, headers: { 'content-type': type! } });
      expectEnvelope(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('refuses a body nested thousands of levels deep with 400, not a crash', async () => {
    const res = await anon.request('POST', '/api/auth/login', {
      body: `{"email":"a@b.c","password":"x","deep":${'['.repeat(5000)}${']'.repeat(5000)}}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(detailPaths(expectEnvelope(res, 400, 'VALIDATION_FAILED'))[0]).toMatch(/^deep(\.0)+$/);
  });

  it('rejects a JSON body that is not an object with 400 VALIDATION_FAILED', async () => {
    const res = await anon.request('POST', '/api/auth/login', {
      body: '"just a string"',
      headers: { 'content-type': 'application/json' },
    });
    expectEnvelope(res, 400, 'VALIDATION_FAILED');
  });

  it('names every invalid field in the details of a validation failure', async () => {
    const res = await anon.post('/api/auth/register', { email: 'not-an-email', nickname: 'x', password: 'short' });
    const body = expectEnvelope(res, 400, 'VALIDATION_FAILED');
    expect(new Set(detailPaths(body))).toEqual(new Set(['email', 'nickname', 'password']));
    for (const detail of body.details ?? []) {
      expect((detail as { message?: unknown }).message).toBeTypeOf('string');
    }
  });

  it('names a missing field in the details', async () => {
    const body = expectEnvelope(await anon.post('/api/auth/login', { email: 'a@e2e.test' }), 400, 'VALIDATION_FAILED');
    expect(detailPaths(body)).toEqual(['password']);
  });

  it('refuses a JSON body over 1 MB with 413', async () => {
    const res = await anon.post('/api/auth/login', { email: 'big@e2e.test', password: 'x'.repeat(1024 * 1024 + 10) });
    expectEnvelope(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('accepts a JSON body just under 1 MB (it is then validated, not refused for size)', async () => {
    const res = await anon.post('/api/auth/register', { email: 'x', nickname: 'n'.repeat(1000 * 1000), password: 'x' });
    const body = expectEnvelope(res, 400, 'VALIDATION_FAILED');
    expect(detailPaths(body)).toContain('nickname');
  });

  it('echoes a well-formed client request id in the header and the envelope', async () => {
    const requestId = `e2e-${Date.now()}-trace`;
    const res = await anon.get('/api/no-such-route', { headers: { 'x-request-id': requestId } });
    const body = expectEnvelope(res, 404, 'ROUTE_NOT_FOUND');
    expect(body.requestId).toBe(requestId);
  });

  it('replaces a malformed client request id with its own', async () => {
    const res = await anon.get('/api/no-such-route', { headers: { 'x-request-id': 'bad id <script>' } });
    const body = expectEnvelope(res, 404, 'ROUTE_NOT_FOUND');
    expect(body.requestId).not.toContain('<');
  });

  it('gives every response its own request id', async () => {
    const [a, b] = await Promise.all([anon.get('/api/nope-a'), anon.get('/api/nope-b')]);
    expect(expectEnvelope(a, 404, 'ROUTE_NOT_FOUND').requestId).not.toBe(
      expectEnvelope(b, 404, 'ROUTE_NOT_FOUND').requestId,
    );
  });
});
