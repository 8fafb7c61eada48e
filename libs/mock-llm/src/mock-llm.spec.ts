import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MOCK_MODELS, type MockLlmServer, type RecordedRequest, startMockLlm } from './index';

let server: MockLlmServer;

beforeAll(async () => {
  server = await startMockLlm({ port: 0 });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.clearRequests();
});

interface SseFrame {
  event?: string;
  data: string;
}

/** Just enough of the SSE grammar for these frames: `event:` and `data:` lines, frames split by a blank line. */
function parseSse(text: string): SseFrame[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const frame: SseFrame = { data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) frame.event = line.slice('event: '.length);
        else if (line.startsWith('data: ')) frame.data += line.slice('data: '.length);
      }
      return frame;
    });
}

type Json = Record<string, unknown>;

function jsonFrames(text: string): Json[] {
  return parseSse(text)
    .filter((frame) => frame.data !== '[DONE]')
    .map((frame) => JSON.parse(frame.data) as Json);
}

function ndjson(text: string): Json[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Json);
}

function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal,
  });
}

const ANTHROPIC_HEADERS = { 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-ant-test' };
const user = (content: string) => [{ role: 'user', content }];

async function openAiStream(model: string, extra: Json = {}): Promise<{ text: string; chunks: Json[] }> {
  const res = await post('/v1/chat/completions', { model, stream: true, messages: user('hello there'), ...extra });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const text = await res.text();
  return { text, chunks: jsonFrames(text) };
}

function deltas(chunks: Json[]): Json[] {
  return chunks.flatMap((chunk) => (chunk.choices as Json[]).map((choice) => choice.delta as Json));
}

function joined(values: unknown[]): string {
  return values.filter((value): value is string => typeof value === 'string').join('');
}

async function settledRecord(predicate: (record: RecordedRequest) => boolean): Promise<RecordedRequest> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const record = server.requests().find(predicate);
    if (record && record.outcome !== 'pending') return record;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('request never settled');
}

describe('model listings', () => {
  it('lists every scenario in the OpenAI shape', async () => {
    const body = (await (await fetch(`${server.url}/v1/models`)).json()) as { object: string; data: Json[] };
    expect(body.object).toBe('list');
    expect(body.data.map((model) => model.id)).toEqual(MOCK_MODELS.map((model) => model.id));
    expect(body.data[0]).toEqual({
      id: 'mock-echo',
      object: 'model',
      created: expect.any(Number),
      owned_by: 'modelyard-mock',
    });
    const bare = (await (await fetch(`${server.url}/models`)).json()) as { data: Json[] };
    expect(bare.data).toHaveLength(MOCK_MODELS.length);
  });

  it('answers /v1/models in the Anthropic shape when the request carries Anthropic headers', async () => {
    const body = (await (await fetch(`${server.url}/v1/models`, { headers: ANTHROPIC_HEADERS })).json()) as Json;
    expect(body).toMatchObject({ has_more: false, first_id: 'mock-echo' });
    expect((body.data as Json[])[1]).toEqual({
      type: 'model',
      id: 'mock-chat',
      display_name: 'Mock Chat',
      created_at: expect.any(String),
    });
  });

  it('serves the Ollama tags, show, version and root endpoints', async () => {
    expect(await (await fetch(`${server.url}/`)).text()).toBe('Ollama is running');
    expect(await (await fetch(`${server.url}/api/version`)).json()).toEqual({ version: '0.12.0' });
    const tags = (await (await fetch(`${server.url}/api/tags`)).json()) as { models: Json[] };
    expect(tags.models.find((model) => model.name === 'mock-chat:latest')).toMatchObject({
      model: 'mock-chat:latest',
      details: { format: 'gguf', family: 'qwen2' },
    });

    const show = (await (await post('/api/show', { model: 'mock-reasoning:latest' })).json()) as Json;
    expect(show.capabilities).toEqual(['completion', 'thinking']);
    expect(show.model_info).toMatchObject({ 'general.architecture': 'qwen2', 'qwen2.context_length': 65536 });

    const missing = await post('/api/show', { model: 'llama9' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "model 'llama9' not found" });
  });
});

describe('OpenAI chat completions', () => {
  it('streams one chunk per token, a finish chunk and [DONE], without usage unless asked', async () => {
    const { text, chunks } = await openAiStream('mock-chat@tokens=5');
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && !('usage' in chunk))).toBe(true);
    const all = deltas(chunks);
    expect(all[0]).toEqual({ role: 'assistant', content: '' });
    expect(all.slice(1, -1).map((delta) => delta.content)).toEqual(['This ', 'is ', 'a ', 'simulated ', 'answer']);
    const last = chunks[chunks.length - 1].choices as Json[];
    expect(last[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
  });

  it('sends a usage chunk with empty choices only when stream_options.include_usage is set', async () => {
    const { chunks } = await openAiStream('mock-chat@tokens=5', { stream_options: { include_usage: true } });
    const usage = chunks[chunks.length - 1];
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toMatchObject({ prompt_tokens: 2, completion_tokens: 5, total_tokens: 7 });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it('answers without streaming with a chat.completion object', async () => {
    const res = await post('/chat/completions', {
      model: 'mock-echo',
      messages: [...user('first'), { role: 'assistant', content: 'ok' }, ...user('say hi')],
    });
    const body = (await res.json()) as Json;
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'mock-echo',
      choices: [{ index: 0, message: { role: 'assistant', content: 'You said: say hi' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 4, completion_tokens: 4, total_tokens: 8 },
    });
  });

  it('cuts at max_tokens with finish_reason length, and at a stop sequence with stop', async () => {
    const cut = (await (
      await post('/v1/chat/completions', { model: 'mock-chat', max_tokens: 3, messages: user('x') })
    ).json()) as Json;
    expect(cut).toMatchObject({
      choices: [{ message: { content: 'This is a ' }, finish_reason: 'length' }],
      usage: { completion_tokens: 3 },
    });

    const { chunks } = await openAiStream('mock-chat', { max_completion_tokens: 2 });
    expect((chunks[chunks.length - 1].choices as Json[])[0].finish_reason).toBe('length');

    const stopped = (await (
      await post('/v1/chat/completions', { model: 'mock-chat', stop: ['simulated'], messages: user('x') })
    ).json()) as Json;
    expect(stopped).toMatchObject({ choices: [{ message: { content: 'This is a ' }, finish_reason: 'stop' }] });
  });

  it('streams native reasoning as reasoning_content, or as reasoning for mock-reasoning-field', async () => {
    const native = deltas((await openAiStream('mock-reasoning@reasoning=3,tokens=2')).chunks);
    expect(joined(native.map((delta) => delta.reasoning_content))).toBe('Okay, the user');
    expect(joined(native.map((delta) => delta.content))).toBe('This is');

    const field = deltas((await openAiStream('mock-reasoning-field@reasoning=3,tokens=2')).chunks);
    expect(joined(field.map((delta) => delta.reasoning))).toBe('Okay, the user');
    expect(field.some((delta) => 'reasoning_content' in delta)).toBe(false);

    const whole = (await (
      await post('/v1/chat/completions', { model: 'mock-reasoning@reasoning=3,tokens=2', messages: user('x') })
    ).json()) as Json;
    expect(whole).toMatchObject({
      choices: [{ message: { content: 'This is', reasoning_content: 'Okay, the user' } }],
    });
  });

  it('puts tag reasoning in the content, split across chunks for mock-split-tags', async () => {
    const tags = deltas((await openAiStream('mock-think-tags@reasoning=2,tokens=2')).chunks);
    expect(joined(tags.map((delta) => delta.content))).toBe('<think>\nOkay, the\n</think>\n\nThis is');

    const split = deltas((await openAiStream('mock-split-tags@reasoning=2,tokens=2')).chunks).slice(1, -1);
    const pieces = split.map((delta) => String(delta.content));
    expect(pieces.join('')).toBe('<think>\nOkay, the\n</think>\n\nThis is');
    expect(pieces.every((piece) => piece.length >= 1 && piece.length <= 3)).toBe(true);
    expect(pieces.some((piece) => piece.includes('<think>') || piece.includes('</think>'))).toBe(false);

    const orphan = deltas((await openAiStream('mock-orphan-close@reasoning=2,tokens=2')).chunks);
    expect(joined(orphan.map((delta) => delta.content))).toBe('Okay, the\n</think>\n\nThis is');
  });

  it('streams the markdown fixtures', async () => {
    const xss = joined(deltas((await openAiStream('mock-markdown-xss')).chunks).map((delta) => delta.content));
    expect(xss).toContain('<script>alert(1)</script>');
    expect(xss).toContain('<img src=x onerror=alert(1)>');
    expect(xss).toContain('```html');

    const long = (await post('/v1/chat/completions', { model: 'mock-long', messages: user('x') }).then((res) =>
      res.json(),
    )) as Json;
    const usage = long.usage as Json;
    expect(usage.completion_tokens).toBeGreaterThanOrEqual(2000);
    expect(usage.completion_tokens).toBeLessThan(2300);
  });
});

describe('Ollama chat', () => {
  it('streams NDJSON by default with thinking, then a done line with statistics', async () => {
    const res = await post('/api/chat', {
      model: 'mock-reasoning:latest@reasoning=2,tokens=3',
      messages: user('hi there'),
    });
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = ndjson(await res.text());
    expect(lines[0]).toMatchObject({ message: { role: 'assistant', content: '', thinking: 'Okay, ' }, done: false });
    expect(joined(lines.map((line) => (line.message as Json).thinking))).toBe('Okay, the');
    expect(joined(lines.map((line) => (line.message as Json).content))).toBe('This is a');
    expect(lines[lines.length - 1]).toMatchObject({
      model: 'mock-reasoning:latest@reasoning=2,tokens=3',
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: 'stop',
      prompt_eval_count: 2,
      eval_count: 5,
      total_duration: expect.any(Number),
      load_duration: expect.any(Number),
      prompt_eval_duration: expect.any(Number),
      eval_duration: expect.any(Number),
    });
  });

  it('answers stream:false with one object, honours num_predict and think:false', async () => {
    const res = await post('/api/chat', {
      model: 'mock-reasoning',
      stream: false,
      think: false,
      options: { num_predict: 2 },
      messages: user('x'),
    });
    const body = (await res.json()) as Json;
    expect(body).toMatchObject({
      message: { role: 'assistant', content: 'This is ' },
      done: true,
      done_reason: 'length',
      eval_count: 2,
    });
    expect((body.message as Json).thinking).toBeUndefined();
  });

  it('refuses think:true for a model without the thinking capability, like Ollama', async () => {
    const res = await post('/api/chat', { model: 'mock-chat', think: true, messages: user('x') });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: '"mock-chat" does not support thinking' });
  });
});

describe('Anthropic messages', () => {
  it('streams the full event sequence with a signed thinking block before the text block', async () => {
    const res = await post(
      '/v1/messages',
      { model: 'mock-reasoning@reasoning=2,tokens=2', max_tokens: 64, stream: true, messages: user('hi there') },
      ANTHROPIC_HEADERS,
    );
    const frames = parseSse(await res.text());
    const events = frames.map((frame) => frame.event);
    expect(events).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const data = frames.map((frame) => JSON.parse(frame.data) as Json);
    expect(data.every((payload, index) => payload.type === events[index])).toBe(true);
    expect(data[0].message).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [],
      stop_reason: null,
      usage: { input_tokens: 2 },
    });
    expect(data[2]).toEqual({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'thinking', thinking: '' },
    });
    expect(data[3]).toEqual({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'thinking_delta', thinking: 'Okay, ' },
    });
    expect(data[5]).toMatchObject({ index: 0, delta: { type: 'signature_delta', signature: expect.any(String) } });
    expect(data[8]).toEqual({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'This ' } });
    expect(data[11]).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 4 },
    });
  });

  it('answers without streaming with content blocks and maps limits to stop reasons', async () => {
    const body = (await (
      await post(
        '/v1/messages',
        { model: 'mock-reasoning@reasoning=2,tokens=2', max_tokens: 64, messages: user('x') },
        ANTHROPIC_HEADERS,
      )
    ).json()) as Json;
    expect(body).toMatchObject({
      type: 'message',
      content: [
        { type: 'thinking', thinking: 'Okay, the', signature: expect.any(String) },
        { type: 'text', text: 'This is' },
      ],
      stop_reason: 'end_turn',
      usage: { output_tokens: 4 },
    });

    const limited = (await (
      await post('/v1/messages', { model: 'mock-chat', max_tokens: 2, messages: user('x') }, ANTHROPIC_HEADERS)
    ).json()) as Json;
    expect(limited).toMatchObject({ stop_reason: 'max_tokens', content: [{ type: 'text', text: 'This is ' }] });

    const stopped = (await (
      await post(
        '/v1/messages',
        { model: 'mock-chat', max_tokens: 50, stop_sequences: ['a simulated'], messages: user('x') },
        ANTHROPIC_HEADERS,
      )
    ).json()) as Json;
    expect(stopped).toMatchObject({
      stop_reason: 'stop_sequence',
      stop_sequence: 'a simulated',
      content: [{ text: 'This is ' }],
    });
  });

  it('rejects a request without anthropic-version or max_tokens like the real API', async () => {
    const noVersion = await post(
      '/v1/messages',
      { model: 'mock-chat', max_tokens: 10, messages: user('x') },
      { 'x-api-key': 'k' },
    );
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });

    const noMax = await post('/v1/messages', { model: 'mock-chat', messages: user('x') }, ANTHROPIC_HEADERS);
    expect(noMax.status).toBe(400);
    expect(await noMax.json()).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
    });
  });
});

describe('auth and unknown models', () => {
  it('requires the configured key and answers 401 in each protocol shape', async () => {
    const guarded = await startMockLlm({ port: 0, apiKey: 'sk-right' });
    try {
      const call = (path: string, body: unknown, headers: Record<string, string> = {}) =>
        fetch(`${guarded.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        });

      const openAi = await call('/v1/chat/completions', { model: 'mock-chat', messages: user('x') });
      expect(openAi.status).toBe(401);
      expect(await openAi.json()).toMatchObject({
        error: { type: 'invalid_request_error', message: expect.any(String) },
      });

      const ollama = await call(
        '/api/chat',
        { model: 'mock-chat', messages: user('x') },
        { authorization: 'Bearer wrong' },
      );
      expect(ollama.status).toBe(401);
      expect(await ollama.json()).toEqual({ error: 'unauthorized' });

      const anthropic = await call(
        '/v1/messages',
        { model: 'mock-chat', max_tokens: 5, messages: user('x') },
        { 'anthropic-version': '2023-06-01' },
      );
      expect(anthropic.status).toBe(401);
      expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });

      const ok = await call(
        '/v1/messages',
        { model: 'mock-chat', max_tokens: 5, messages: user('x') },
        { 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-right' },
      );
      expect(ok.status).toBe(200);
      const azure = await call(
        '/v1/chat/completions',
        { model: 'mock-chat', messages: user('x') },
        { 'api-key': 'sk-right' },
      );
      expect(azure.status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it('refuses any key starting with "invalid" even without a configured key', async () => {
    const res = await post(
      '/v1/chat/completions',
      { model: 'mock-chat', messages: user('x') },
      { authorization: 'Bearer invalid-key-123' },
    );
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_api_key' } });
  });

  it('answers an unknown model with 404 in each protocol shape', async () => {
    const openAi = await post('/v1/chat/completions', { model: 'gpt-9', messages: user('x') });
    expect(openAi.status).toBe(404);
    expect(await openAi.json()).toMatchObject({ error: { code: 'model_not_found', type: 'invalid_request_error' } });
    const ollama = await post('/api/chat', { model: 'gpt-9', messages: user('x') });
    expect(await ollama.json()).toEqual({ error: "model 'gpt-9' not found" });
    const anthropic = await post(
      '/v1/messages',
      { model: 'gpt-9', max_tokens: 5, messages: user('x') },
      ANTHROPIC_HEADERS,
    );
    expect(anthropic.status).toBe(404);
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });

  it('rejects an unknown override key with 400', async () => {
    const res = await post('/v1/chat/completions', { model: 'mock-chat@speed=3', messages: user('x') });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: Json }).error.message).toContain("unknown override 'speed'");
  });
});

describe('faults', () => {
  it('answers 429 with Retry-After, overridable per model name', async () => {
    const res = await post('/v1/chat/completions', { model: 'mock-fault-429', messages: user('x') });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(await res.json()).toMatchObject({ error: { code: 'rate_limit_exceeded' } });

    const anthropic = await post(
      '/v1/messages',
      { model: 'mock-fault-429@retryAfter=1', max_tokens: 5, messages: user('x') },
      ANTHROPIC_HEADERS,
    );
    expect(anthropic.headers.get('retry-after')).toBe('1');
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });

  it('rate-limits only the first request per model name for mock-fault-429-once', async () => {
    const model = `mock-fault-429-once@tokens=2,ttft=0`;
    const first = await post('/api/chat', { model, stream: false, messages: user('x') });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    await first.text();
    const second = await post('/api/chat', { model, stream: false, messages: user('x') });
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ done: true, message: { content: 'This is' } });
  });

  it('fails with 500 for mock-fault-500 and for fail=1', async () => {
    const res = await post(
      '/v1/messages',
      { model: 'mock-fault-500', max_tokens: 5, messages: user('x') },
      ANTHROPIC_HEADERS,
    );
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    const flaky = await post('/v1/chat/completions', { model: 'mock-chat@fail=1', messages: user('x') });
    expect(flaky.status).toBe(500);
    expect(await flaky.json()).toMatchObject({ error: { type: 'server_error' } });
    expect((await settledRecord((record) => record.model === 'mock-chat@fail=1')).outcome).toBe('fault');
  });

  it('fails every second request for fail=0.5', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await post('/v1/chat/completions', { model: 'mock-chat@fail=0.5,tokens=1', messages: user('x') });
      statuses.push(res.status);
      await res.text();
    }
    expect(statuses).toEqual([200, 500, 200, 500]);
  });

  it('ends a truncated stream cleanly without any terminal frame', async () => {
    const { text, chunks } = await openAiStream('mock-fault-truncated');
    expect(text).not.toContain('[DONE]');
    expect(chunks.every((chunk) => (chunk.choices as Json[]).every((choice) => choice.finish_reason === null))).toBe(
      true,
    );

    const ollama = ndjson(
      await (await post('/api/chat', { model: 'mock-fault-truncated', messages: user('x') })).text(),
    );
    expect(ollama.some((line) => line.done === true)).toBe(false);
    const anthropic = await (
      await post(
        '/v1/messages',
        { model: 'mock-fault-truncated', max_tokens: 50, stream: true, messages: user('x') },
        ANTHROPIC_HEADERS,
      )
    ).text();
    expect(anthropic).toContain('content_block_delta');
    expect(anthropic).not.toContain('message_stop');
  });

  it('resets the connection after a few tokens', async () => {
    const res = await post('/v1/chat/completions', { model: 'mock-fault-reset', stream: true, messages: user('x') });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect((await settledRecord((record) => record.model === 'mock-fault-reset')).outcome).toBe('fault');
  });

  it('sends one invalid JSON frame mid-stream and carries on', async () => {
    const text = await (
      await post('/v1/chat/completions', { model: 'mock-fault-malformed', stream: true, messages: user('x') })
    ).text();
    const frames = parseSse(text).filter((frame) => frame.data !== '[DONE]');
    const broken = frames.filter((frame) => {
      try {
        JSON.parse(frame.data);
        return false;
      } catch {
        return true;
      }
    });
    expect(broken).toHaveLength(1);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('records client-closed when the client gives up on a stalled stream', async () => {
    const controller = new AbortController();
    const res = await post(
      '/v1/chat/completions',
      { model: 'mock-fault-stall', stream: true, messages: user('x') },
      {},
      controller.signal,
    );
    const reader = res.body!.getReader();
    let received = '';
    while ((received.match(/"content":"[^"]+"/g) ?? []).length < 3) {
      const { value } = await reader.read();
      received += new TextDecoder().decode(value);
    }
    controller.abort();
    expect((await settledRecord((record) => record.model === 'mock-fault-stall')).outcome).toBe('client-closed');
  });

  it('never sends headers for mock-fault-stall-headers', async () => {
    const controller = new AbortController();
    const pending = post(
      '/api/chat',
      { model: 'mock-fault-stall-headers', messages: user('x') },
      {},
      controller.signal,
    );
    const early = await Promise.race([
      pending.then(() => 'headers'),
      new Promise((resolve) => setTimeout(() => resolve('silence'), 100)),
    ]);
    expect(early).toBe('silence');
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect((await settledRecord((record) => record.model === 'mock-fault-stall-headers')).outcome).toBe(
      'client-closed',
    );
  });
});

describe('timing and the request log', () => {
  it('records client-closed when the client aborts mid-stream, and stops streaming', async () => {
    const controller = new AbortController();
    const model = 'mock-chat@tps=50,tokens=500';
    const res = await post('/api/chat', { model, messages: user('x') }, {}, controller.signal);
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    const record = await settledRecord((entry) => entry.model === model);
    expect(record).toMatchObject({
      protocol: 'ollama',
      method: 'POST',
      path: '/api/chat',
      outcome: 'client-closed',
      endedAt: expect.any(String),
    });
  });

  it('waits ttft before the first token', async () => {
    const started = performance.now();
    const { chunks } = await openAiStream('mock-chat@ttft=80,tokens=1');
    expect(chunks.length).toBeGreaterThan(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });

  it('exposes the log over HTTP and clears it', async () => {
    await post(
      '/v1/chat/completions',
      { model: 'mock-echo', messages: user('logged') },
      { authorization: 'Bearer sk-1' },
    );
    const log = (await (await fetch(`${server.url}/__mock/requests`)).json()) as RecordedRequest[];
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      protocol: 'openai',
      path: '/v1/chat/completions',
      model: 'mock-echo',
      outcome: 'completed',
      headers: { authorization: 'Bearer sk-1' },
      body: { model: 'mock-echo', messages: user('logged') },
    });
    expect((await fetch(`${server.url}/__mock/requests`, { method: 'DELETE' })).status).toBe(204);
    expect(server.requests()).toEqual([]);
  });
});
