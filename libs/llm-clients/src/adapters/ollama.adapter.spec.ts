import { describe, expect, it } from 'vitest';
import { createLlmClient } from '../client';
import { OLLAMA_CONTENT, OLLAMA_REASONING, OLLAMA_THINKING_NDJSON } from '../testing/recorded-frames';
import { collect, replay, sendJson, textOf } from '../testing/stub-upstream';
import { useStubUpstream } from '../testing/use-stub-upstream';
import type { ChatRequest } from '../types';

const NDJSON = 'application/x-ndjson';
const request: ChatRequest = { model: 'qwen3:8b', messages: [{ role: 'user', content: 'こんにちは' }] };

const stub = useStubUpstream({ kind: 'ollama' });

describe('Ollama streaming', () => {
  it('turns message.thinking into reasoning and the done line into usage and finish reason', async () => {
    stub.upstream.on('POST', '/api/chat', (res) => replay(res, NDJSON, OLLAMA_THINKING_NDJSON));
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(textOf(events, 'reasoning')).toBe(OLLAMA_REASONING);
    expect(textOf(events, 'content')).toBe(OLLAMA_CONTENT);
    expect(events.slice(-2)).toEqual([
      { type: 'usage', promptTokens: 14, completionTokens: 37 },
      { type: 'done', finishReason: 'stop' },
    ]);
  });

  it('turns a reasoning effort into think: a level for gpt-oss, true for other models', async () => {
    stub.upstream.on('POST', '/api/chat', (res) => replay(res, NDJSON, OLLAMA_THINKING_NDJSON));
    const client = createLlmClient(stub.connection());
    await collect(client.streamChat({ ...request, params: { reasoningEffort: 'low' } }));
    await collect(client.streamChat({ ...request, model: 'gpt-oss:20b', params: { reasoningEffort: 'low' } }));
    await collect(client.streamChat(request));
    const sent = stub.upstream.requests.map((r) => (r.json as Record<string, unknown>).think);
    expect(sent).toEqual([true, 'low', undefined]);
  });

  it('asks again without think when the model cannot think', async () => {
    stub.upstream.on('POST', '/api/chat', async (res) => {
      if ('think' in (stub.upstream.requests.at(-1)?.json as object)) {
        sendJson(res, 400, { error: '"llama3.2" does not support thinking' });
        return;
      }
      await replay(res, NDJSON, OLLAMA_THINKING_NDJSON);
    });
    const events = await collect(
      createLlmClient(stub.connection()).streamChat({
        ...request,
        model: 'llama3.2',
        params: { reasoningEffort: 'high' },
      }),
    );
    expect(stub.upstream.requests.map((r) => 'think' in (r.json as object))).toEqual([true, false]);
    expect(events.at(-1)).toMatchObject({ type: 'done' });
  });

  it('maps parameters into options (max tokens become num_predict) and sends no credentials by default', async () => {
    stub.upstream.on('POST', '/api/chat', (res) => replay(res, NDJSON, OLLAMA_THINKING_NDJSON));
    const params = {
      temperature: 0.7,
      topP: 0.8,
      topK: 20,
      maxTokens: 256,
      presencePenalty: 1.5,
      frequencyPenalty: 0.3,
      stop: ['<|im_end|>'],
      seed: 42,
    };
    await collect(createLlmClient(stub.connection()).streamChat({ ...request, params }));

    const [sent] = stub.upstream.requests;
    expect(sent?.json).toEqual({
      model: 'qwen3:8b',
      messages: request.messages,
      stream: true,
      options: {
        num_predict: 256,
        temperature: 0.7,
        top_p: 0.8,
        top_k: 20,
        presence_penalty: 1.5,
        frequency_penalty: 0.3,
        stop: ['<|im_end|>'],
        seed: 42,
      },
    });
    expect(sent?.headers.authorization).toBeUndefined();
  });

  it('omits options when no parameter is set, and sends a key behind a proxy as a bearer token', async () => {
    stub.upstream.on('POST', '/api/chat', (res) => replay(res, NDJSON, OLLAMA_THINKING_NDJSON));
    await collect(createLlmClient(stub.connection({ apiKey: 'proxy-token-42' })).streamChat(request));

    expect(stub.upstream.requests[0]?.json).toEqual({ model: 'qwen3:8b', messages: request.messages, stream: true });
    expect(stub.upstream.requests[0]?.headers.authorization).toBe('Bearer proxy-token-42');
  });

  it.each(['/api', '/api/', '/v1', '/v1/', '/'])('finds /api/chat from a base URL ending in %s', async (suffix) => {
    stub.upstream.on('POST', '/api/chat', (res) => replay(res, NDJSON, OLLAMA_THINKING_NDJSON));
    const events = await collect(
      createLlmClient(stub.connection({ baseUrl: `${stub.upstream.origin}${suffix}` })).streamChat(request),
    );

    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
  });

  it('reports a stream without the done line as truncated after what arrived', async () => {
    const cut = OLLAMA_THINKING_NDJSON.split('\n').slice(0, 3).join('\n') + '\n';
    stub.upstream.on('POST', '/api/chat', (res) => replay(res, NDJSON, cut));
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(textOf(events, 'content')).toBe('こんにちは！');
    expect(events.at(-1)).toMatchObject({ type: 'error', kind: 'truncated' });
  });

  it('reports an error line after the 200 as an upstream failure', async () => {
    const lines = OLLAMA_THINKING_NDJSON.split('\n').slice(0, 3);
    lines.push('{"error":"model runner has unexpectedly stopped, this may be due to resource limitations"}', '');
    stub.upstream.on('POST', '/api/chat', (res) => replay(res, NDJSON, lines.join('\n')));
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(textOf(events, 'reasoning')).toBe(OLLAMA_REASONING);
    expect(events.at(-1)).toEqual({
      type: 'error',
      kind: 'upstream',
      message: 'model runner has unexpectedly stopped, this may be due to resource limitations',
    });
  });

  it('reports an unknown model as not_found with Ollama’s message', async () => {
    stub.upstream.on('POST', '/api/chat', (res) =>
      sendJson(res, 404, { error: 'model "llama9" not found, try pulling it first' }),
    );
    const events = await collect(createLlmClient(stub.connection()).streamChat({ ...request, model: 'llama9' }));

    expect(events).toEqual([
      { type: 'error', kind: 'not_found', message: 'model "llama9" not found, try pulling it first', status: 404 },
    ]);
  });
});

describe('Ollama non-streaming chat', () => {
  it('returns thinking as reasoning with token counts', async () => {
    stub.upstream.on('POST', '/api/chat', (res) =>
      sendJson(res, 200, {
        model: 'qwen3:8b',
        created_at: '2025-06-02T08:15:01.233Z',
        message: { role: 'assistant', content: 'こんにちは！', thinking: '挨拶。' },
        done_reason: 'stop',
        done: true,
        prompt_eval_count: 14,
        eval_count: 9,
      }),
    );
    const result = await createLlmClient(stub.connection()).chat({ ...request, params: { maxTokens: 20 } });

    expect(result).toEqual({
      content: 'こんにちは！',
      reasoning: '挨拶。',
      finishReason: 'stop',
      usage: { promptTokens: 14, completionTokens: 9 },
    });
    expect(stub.upstream.requests[0]?.json).toMatchObject({ stream: false, options: { num_predict: 20 } });
  });
});

describe('Ollama model list', () => {
  const tags = {
    models: ['qwen3:8b', 'llava:7b', 'nomic-embed-text:latest', 'broken:1b', 'deepseek-r1:7b', 'gemma3:4b'].map(
      (name) => ({
        name,
        model: name,
        modified_at: '2025-05-30T10:00:00Z',
        size: 5_200_000_000,
        digest: 'a1b2c3',
        details: { format: 'gguf', family: 'qwen3', parameter_size: '8.2B', quantization_level: 'Q4_K_M' },
      }),
    ),
  };
  const shows: Record<string, unknown> = {
    'qwen3:8b': {
      capabilities: ['completion', 'tools', 'thinking'],
      model_info: { 'general.architecture': 'qwen3', 'qwen3.context_length': 40960, 'qwen3.block_count': 36 },
    },
    'llava:7b': {
      capabilities: ['completion', 'vision'],
      model_info: { 'general.architecture': 'llama', 'llama.context_length': 32768 },
    },
    'nomic-embed-text:latest': {
      capabilities: ['embedding'],
      model_info: { 'general.architecture': 'nomic-bert', 'nomic-bert.context_length': 2048 },
    },
    // An Ollama from before `capabilities` existed: only the architecture's context length.
    'deepseek-r1:7b': { model_info: { 'general.architecture': 'qwen2', 'qwen2.context_length': 131072 } },
    'gemma3:4b': { capabilities: ['completion', 'vision'], model_info: { 'general.architecture': 'gemma3' } },
  };

  it('combines /api/tags with /api/show details, at most four at a time, tolerating failures', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    stub.upstream.on('GET', '/api/tags', (res) => sendJson(res, 200, tags));
    stub.upstream.on('POST', '/api/show', async (res, sent) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight -= 1;
      const model = (sent.json as { model: string }).model;
      const show = shows[model];
      if (show) sendJson(res, 200, show);
      else sendJson(res, 500, { error: 'failed to read manifest' });
    });
    const models = await createLlmClient(stub.connection()).listModels();

    expect(models).toEqual([
      { id: 'qwen3:8b', name: 'qwen3:8b', contextLength: 40960, capabilities: ['chat', 'tools', 'reasoning'] },
      { id: 'llava:7b', name: 'llava:7b', contextLength: 32768, capabilities: ['chat', 'vision'] },
      {
        id: 'nomic-embed-text:latest',
        name: 'nomic-embed-text:latest',
        contextLength: 2048,
        capabilities: ['embedding'],
      },
      { id: 'broken:1b', name: 'broken:1b', capabilities: ['chat'] },
      { id: 'deepseek-r1:7b', name: 'deepseek-r1:7b', contextLength: 131072, capabilities: ['chat', 'reasoning'] },
      { id: 'gemma3:4b', name: 'gemma3:4b', capabilities: ['chat', 'vision'] },
    ]);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(4);
  });
});
