import { createServer } from 'node:net';
import { brotliCompressSync, constants as zlib, createGzip, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createLlmClient } from './client';
import { describeLlmError } from './describe-error';
import { errorForTransportFailure } from './http-errors';
import { guardUpstreamAddresses } from './http-transport';
import { DEEPSEEK_REASONER_SSE } from './testing/recorded-frames';
import { collect, replay, sendJson, startStream, textOf, writeInPieces } from './testing/stub-upstream';
import { useStubUpstream } from './testing/use-stub-upstream';
import { DEFAULT_TIMEOUTS, type ChatRequest, type ProviderConnection, type RawStreamEvent } from './types';

const API_KEY = 'sk-proj-SECRET-abcdef0123456789';
const request: ChatRequest = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] };
const FIRST_FRAMES =
  'data: {"choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}\n\n' +
  'data: {"choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":null}]}\n\n';

const stub = useStubUpstream({ kind: 'openai', apiKey: API_KEY });

function lastError(events: RawStreamEvent[]): Extract<RawStreamEvent, { type: 'error' }> {
  const last = events.at(-1);
  if (last?.type !== 'error') throw new Error(`expected an error event, got ${JSON.stringify(last)}`);
  return last;
}

async function streamOnce(overrides: Partial<ProviderConnection> = {}, chat: ChatRequest = request) {
  return collect(createLlmClient(stub.connection(overrides)).streamChat(chat));
}

describe('HTTP status errors', () => {
  it('maps 401 to auth and never repeats the API key the upstream echoed', async () => {
    stub.upstream.on('POST', '/v1/chat/completions', (res) =>
      sendJson(res, 401, {
        error: {
          message: `Incorrect API key provided: ${API_KEY}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      }),
    );
    const events = await streamOnce();

    const error = lastError(events);
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect(error.message).toContain('Incorrect API key provided: ***.');
    expect(JSON.stringify(events)).not.toContain(API_KEY);
    expect(describeLlmError(error)).toMatch(/^The provider rejected the API key \(HTTP 401\): Incorrect API key/);
  });

  it("keeps SiliconFlow's bare JSON string body as the upstream's words", async () => {
    stub.upstream.on('POST', '/v1/chat/completions', (res) => sendJson(res, 401, 'Invalid token'));
    const error = lastError(await streamOnce());
    expect(describeLlmError(error)).toBe('The provider rejected the API key (HTTP 401): Invalid token');
  });

  it('never repeats the key in model-list or chat failures either', async () => {
    stub.upstream.on('GET', '/v1/models', (res) =>
      sendJson(res, 403, { error: `key ${API_KEY} lacks scope models.read` }),
    );
    stub.upstream.on('POST', '/v1/chat/completions', (res) =>
      sendJson(res, 500, { error: { message: `boom for ${API_KEY}` } }),
    );
    const client = createLlmClient(stub.connection());

    const listing = await client.listModels().catch((error: unknown) => error);
    const chatting = await client.chat(request).catch((error: unknown) => error);
    expect(listing).toMatchObject({ kind: 'auth', status: 403, message: 'key *** lacks scope models.read' });
    expect(chatting).toMatchObject({ kind: 'upstream', status: 500, message: 'boom for ***' });
  });

  it.each([
    ['Retry-After in seconds', { 'retry-after': '7' }, 7_000, 7],
    ['retry-after-ms', { 'retry-after-ms': '1500', 'retry-after': '2' }, 1_500, 2],
  ])('maps 429 to rate_limit with %s', async (_label, headers, expected, seconds) => {
    stub.upstream.on('POST', '/v1/chat/completions', (res) =>
      sendJson(res, 429, { error: { message: 'Rate limit reached for requests', type: 'requests' } }, headers),
    );
    const error = lastError(await streamOnce());

    expect(error).toEqual({
      type: 'error',
      kind: 'rate_limit',
      message: 'Rate limit reached for requests',
      status: 429,
      retryAfterMs: expected,
    });
    expect(describeLlmError(error)).toBe(`Rate limited; retry after ${seconds} s: Rate limit reached for requests`);
  });

  it('reads the message of an error body framed as an event stream', async () => {
    stub.upstream.on('POST', '/v1/chat/completions', (res) => {
      res.writeHead(500, { 'content-type': 'text/event-stream' });
      res.end(
        'event: error\ndata: {"error":{"message":"CUDA out of memory","type":"server_error"}}\n\ndata: [DONE]\n\n',
      );
    });
    const error = lastError(await streamOnce());
    expect(describeLlmError(error)).toBe('The provider failed (HTTP 500): CUDA out of memory');
  });

  it('reads a Retry-After HTTP date', async () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    stub.upstream.on('POST', '/v1/chat/completions', (res) =>
      sendJson(res, 429, { error: { message: 'slow down' } }, { 'retry-after': at }),
    );
    const error = lastError(await streamOnce());

    expect(error.retryAfterMs).toBeGreaterThan(25_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('maps 404 to not_found, described as an unknown model', async () => {
    stub.upstream.on('POST', '/v1/chat/completions', (res) =>
      sendJson(res, 404, {
        error: {
          message: 'The model `gpt-9` does not exist or you do not have access to it.',
          code: 'model_not_found',
        },
      }),
    );
    const error = lastError(await streamOnce({}, { ...request, model: 'gpt-9' }));

    expect(error).toMatchObject({ kind: 'not_found', status: 404 });
    expect(describeLlmError(error, { model: 'gpt-9' })).toBe(
      "Unknown model 'gpt-9': The model `gpt-9` does not exist or you do not have access to it.",
    );
  });

  it.each([400, 413, 422])('maps %i to bad_request', async (status) => {
    stub.upstream.on('POST', '/v1/chat/completions', (res) =>
      sendJson(res, status, { detail: [{ loc: ['body', 'messages'], msg: 'field required' }] }),
    );
    expect(lastError(await streamOnce())).toMatchObject({ kind: 'bad_request', status, message: 'field required' });
  });

  it.each([500, 502, 503])('maps %i to upstream with the provider’s message', async (status) => {
    stub.upstream.on('POST', '/v1/chat/completions', (res) =>
      sendJson(res, status, { type: 'error', error: { type: 'api_error', message: 'Internal server error' } }),
    );
    const error = lastError(await streamOnce());

    expect(error).toMatchObject({ kind: 'upstream', status, message: 'Internal server error' });
    expect(describeLlmError(error)).toBe(`The provider failed (HTTP ${status}): Internal server error`);
  });

  it('falls back to the status line for an HTML error page and truncates long messages', async () => {
    stub.upstream.on('POST', '/v1/chat/completions', (res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>');
    });
    stub.upstream.on('GET', '/v1/models', (res) => sendJson(res, 400, { error: { message: 'x'.repeat(5_000) } }));

    expect(lastError(await streamOnce())).toMatchObject({ kind: 'upstream', message: 'HTTP 502 Bad Gateway' });
    const long = await createLlmClient(stub.connection())
      .listModels()
      .then(
        () => new Error('resolved'),
        (error: Error) => error,
      );
    expect(long.message.length).toBeLessThanOrEqual(300);
  });

  it('reports a 200 web page (base URL pointing at a UI) as a configuration problem', async () => {
    stub.upstream.on('GET', '/v1/models', (res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Open WebUI</title>');
    });
    await expect(createLlmClient(stub.connection()).listModels()).rejects.toMatchObject({
      kind: 'bad_request',
      message: expect.stringContaining('check the base URL'),
    });
  });
});

describe('network failures', () => {
  it('reports a refused connection with the address it tried', async () => {
    const port = await closedPort();
    const events = await streamOnce({ baseUrl: `http://127.0.0.1:${port}/v1` });

    expect(events).toEqual([
      { type: 'error', kind: 'network', message: `could not connect to http://127.0.0.1:${port} (connection refused)` },
    ]);
    expect(describeLlmError(lastError(events), { baseUrl: `http://127.0.0.1:${port}/v1` })).toBe(
      `Could not reach 127.0.0.1:${port}: could not connect (connection refused)`,
    );
  });

  it('checks the addresses a host name resolves to at every connection when a guard is set', async () => {
    stub.upstream.on('POST', '/v1/chat/completions', (res) => replay(res, 'text/event-stream', DEEPSEEK_REASONER_SSE));
    const port = new URL(stub.upstream.origin).port;
    const byName = { baseUrl: `http://localhost:${port}/v1` };
    guardUpstreamAddresses((address) => (address === '127.0.0.1' || address === '::1' ? 'a refused address' : null));
    try {
      const refused = await streamOnce(byName);
      expect(lastError(refused)).toMatchObject({
        kind: 'network',
        message: expect.stringMatching(
          /could not connect to http:\/\/localhost:\d+: localhost resolves to a refused address/,
        ),
      });
      expect(stub.upstream.requests).toHaveLength(0);
    } finally {
      guardUpstreamAddresses(null);
    }
    // Without a guard, or with one that allows the address, the same name connects (fresh sockets: none pooled).
    guardUpstreamAddresses(() => null);
    try {
      const events = await streamOnce(byName);
      expect(events.at(-1)).toMatchObject({ type: 'done' });
    } finally {
      guardUpstreamAddresses(null);
    }
  });

  it('reports an unknown host', async () => {
    const events = await streamOnce({ baseUrl: 'http://no-such-host.invalid/v1' });
    expect(lastError(events)).toMatchObject({
      kind: 'network',
      message: expect.stringContaining('could not connect to http://no-such-host.invalid'),
    });
  });

  it('reports a connection reset mid-stream after the text that arrived', async () => {
    stub.upstream.on('POST', '/v1/chat/completions', async (res, _sent, raw) => {
      startStream(res, 'text/event-stream');
      await writeInPieces(res, FIRST_FRAMES);
      raw.socket.destroy();
    });
    const events = await streamOnce();

    expect(textOf(events, 'content')).toBe('Hello');
    expect(lastError(events)).toMatchObject({
      kind: 'network',
      message: expect.stringContaining('broke in the middle of the response'),
    });
  });

  it('sends once more when the connection closes before any response (a stale keep-alive socket)', async () => {
    let calls = 0;
    stub.upstream.on('POST', '/v1/chat/completions', async (res, _sent, raw) => {
      calls++;
      if (calls === 1) {
        raw.socket.destroy();
        return;
      }
      await replay(res, 'text/event-stream', `${FIRST_FRAMES}data: [DONE]\n\n`);
    });
    const events = await streamOnce();

    expect(calls).toBe(2);
    expect(textOf(events, 'content')).toBe('Hello');
    expect(events.at(-1)).toMatchObject({ type: 'done' });
  });

  it('gives up after the second closed connection and says so', async () => {
    let calls = 0;
    stub.upstream.on('POST', '/v1/chat/completions', (_res, _sent, raw) => {
      calls++;
      raw.socket.destroy();
    });
    const events = await streamOnce();

    expect(calls).toBe(2);
    expect(lastError(events)).toMatchObject({
      kind: 'network',
      message: expect.stringContaining('was closed before a response arrived'),
    });
  });

  it('reports an invalid base URL as an error event instead of throwing', async () => {
    expect(await streamOnce({ baseUrl: 'localhost:11434' })).toEqual([
      { type: 'error', kind: 'bad_request', message: expect.stringContaining('base URL') },
    ]);
  });

  it('names the connect timeout', () => {
    const error = errorForTransportFailure(
      Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' }),
      {
        url: new URL('https://api.example.com/v1/chat/completions'),
        timeouts: { ...DEFAULT_TIMEOUTS, connectMs: 2_500 },
        responseStarted: false,
      },
    );
    expect(error).toMatchObject({
      kind: 'timeout',
      message: 'connect timeout: no connection to https://api.example.com within 2500 ms',
    });
    expect(describeLlmError(error)).toBe(
      'Timed out: connect timeout: no connection to https://api.example.com within 2500 ms',
    );
  });
});

describe('timeouts', () => {
  it('gives up when no response arrives within the first-byte timeout', async () => {
    stub.upstream.on('POST', '/v1/chat/completions', () => undefined);
    const started = Date.now();
    const error = lastError(await streamOnce({ timeouts: { firstByteMs: 150 } }));

    expect(error).toMatchObject({ kind: 'timeout', message: expect.stringContaining('first-byte timeout') });
    expect(Date.now() - started).toBeLessThan(2_000);
    await stub.upstream.requests[0]?.clientClosedEarly;
  });

  it('counts the time to the first body byte, not just the headers, against the first-byte timeout', async () => {
    stub.upstream.on('POST', '/v1/chat/completions', (res) => startStream(res, 'text/event-stream'));
    const error = lastError(await streamOnce({ timeouts: { firstByteMs: 150, idleMs: 5_000 } }));

    expect(error).toMatchObject({ kind: 'timeout', message: expect.stringContaining('first-byte timeout') });
  });

  it('lets a model think silently past the idle limit while the first-byte deadline allows it', async () => {
    stub.upstream.on('POST', '/v1/chat/completions', async (res) => {
      startStream(res, 'text/event-stream');
      await new Promise((resolve) => setTimeout(resolve, 600));
      await writeInPieces(res, DEEPSEEK_REASONER_SSE);
      res.end();
    });
    // Silent three times the idle limit; the idle limit is wide enough for a busy machine between two pieces.
    const events = await streamOnce({ timeouts: { firstByteMs: 3_000, idleMs: 200 } });

    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
  });

  it('gives up when the stream goes quiet for longer than the idle timeout, keeping what arrived', async () => {
    stub.upstream.on('POST', '/v1/chat/completions', async (res) => {
      startStream(res, 'text/event-stream');
      await writeInPieces(res, FIRST_FRAMES);
    });
    const events = await streamOnce({ timeouts: { idleMs: 150 } });

    expect(textOf(events, 'content')).toBe('Hello');
    expect(lastError(events)).toMatchObject({ kind: 'timeout', message: expect.stringContaining('idle timeout') });
    await stub.upstream.requests[0]?.clientClosedEarly;
  });
});

describe('cancellation', () => {
  it('stops on abort mid-stream, closes the upstream connection and ends with `aborted`', async () => {
    stub.upstream.on('POST', '/v1/chat/completions', async (res) => {
      startStream(res, 'text/event-stream');
      await writeInPieces(res, FIRST_FRAMES);
    });
    const controller = new AbortController();
    const events: RawStreamEvent[] = [];
    for await (const event of createLlmClient(stub.connection()).streamChat({
      ...request,
      signal: controller.signal,
    })) {
      events.push(event);
      if (textOf(events, 'content') === 'Hello') controller.abort();
    }

    expect(lastError(events)).toMatchObject({ kind: 'aborted' });
    expect(describeLlmError(lastError(events))).toBe('Cancelled');
    await stub.upstream.requests[0]?.clientClosedEarly;
  });

  it('aborts while waiting for the response headers', async () => {
    stub.upstream.on('POST', '/v1/chat/completions', () => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const events = await collect(
      createLlmClient(stub.connection()).streamChat({ ...request, signal: controller.signal }),
    );

    expect(events).toEqual([{ type: 'error', kind: 'aborted', message: 'the request was cancelled' }]);
    await stub.upstream.requests[0]?.clientClosedEarly;
  });

  it("reports a caller's deadline (AbortSignal.timeout) as a timeout, not a cancellation", async () => {
    stub.upstream.on('POST', '/v1/chat/completions', () => undefined);
    stub.upstream.on('GET', '/v1/models', () => undefined);
    const client = createLlmClient(stub.connection());
    const events = await collect(client.streamChat({ ...request, signal: AbortSignal.timeout(50) }));

    expect(events).toEqual([{ type: 'error', kind: 'timeout', message: 'the provider did not answer in time' }]);
    const listing = await client.listModels(AbortSignal.timeout(50)).catch((error: unknown) => error);
    expect(listing).toMatchObject({ kind: 'timeout' });
    expect(describeLlmError(listing)).toBe('Timed out: the provider did not answer in time');
  });

  it('does not send anything for an already aborted signal', async () => {
    const events = await collect(
      createLlmClient(stub.connection()).streamChat({ ...request, signal: AbortSignal.abort() }),
    );

    expect(events).toEqual([{ type: 'error', kind: 'aborted', message: 'the request was cancelled' }]);
    expect(stub.upstream.requests).toHaveLength(0);
  });

  it('closes the upstream connection when the consumer stops reading', async () => {
    stub.upstream.on('POST', '/v1/chat/completions', async (res) => {
      startStream(res, 'text/event-stream');
      await writeInPieces(res, FIRST_FRAMES);
    });
    for await (const event of createLlmClient(stub.connection()).streamChat(request)) {
      if (event.type === 'content') break;
    }
    await stub.upstream.requests[0]?.clientClosedEarly;
  });
});

describe('compressed bodies (sent although no encoding was asked for)', () => {
  it('streams a gzipped answer as it arrives, not only at its end', async () => {
    let firstReceived!: () => void;
    const received = new Promise<void>((resolve) => {
      firstReceived = resolve;
    });
    stub.upstream.on('POST', '/v1/chat/completions', async (res) => {
      startStream(res, 'text/event-stream', { 'content-encoding': 'gzip' });
      const gzip = createGzip();
      gzip.pipe(res);
      gzip.write(FIRST_FRAMES);
      gzip.flush(zlib.Z_SYNC_FLUSH);
      // The rest follows only once the client has shown the first words.
      await received;
      gzip.end('data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n');
    });
    const events = [];
    for await (const event of createLlmClient(stub.connection()).streamChat(request)) {
      events.push(event);
      if (event.type === 'content') firstReceived();
    }
    expect(textOf(events, 'content')).toBe('Hello');
    expect(events.at(-1)).toMatchObject({ type: 'done', finishReason: 'stop' });
  });

  it("reads a gzipped error body for the upstream's message and a brotli model list", async () => {
    stub.upstream.on('POST', '/v1/chat/completions', (res) => {
      res.writeHead(400, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ error: { message: 'model is required' } })));
    });
    stub.upstream.on('GET', '/v1/models', (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br' });
      res.end(brotliCompressSync(JSON.stringify({ object: 'list', data: [{ id: 'qwen3-8b' }] })));
    });
    const client = createLlmClient(stub.connection());
    expect(describeLlmError(lastError(await collect(client.streamChat(request))))).toContain('model is required');
    expect((await client.listModels()).map((model) => model.id)).toEqual(['qwen3-8b']);
  });
});

describe('connection pooling', () => {
  it('reuses one keep-alive connection for sequential requests, also after an error status', async () => {
    let calls = 0;
    stub.upstream.on('POST', '/v1/chat/completions', async (res) => {
      calls += 1;
      if (calls === 2) {
        sendJson(res, 429, { error: { message: 'slow down' } }, { 'retry-after': '1' });
        return;
      }
      await replay(res, 'text/event-stream', DEEPSEEK_REASONER_SSE);
    });
    stub.upstream.on('GET', '/v1/models', (res) => sendJson(res, 200, { data: [{ id: 'gpt-4o' }] }));
    const client = createLlmClient(stub.connection());

    expect((await collect(client.streamChat(request))).at(-1)).toMatchObject({ type: 'done' });
    expect((await collect(client.streamChat(request))).at(-1)).toMatchObject({ kind: 'rate_limit' });
    expect((await collect(client.streamChat(request))).at(-1)).toMatchObject({ type: 'done' });
    await client.listModels();

    const ports = stub.upstream.requests.map((sent) => sent.remotePort);
    expect(ports).toHaveLength(4);
    expect(new Set(ports).size).toBe(1);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
