import { describe, expect, it } from 'vitest';
import { createLlmClient } from '../client';
import {
  ANTHROPIC_CONTENT,
  ANTHROPIC_OVERLOADED_SSE,
  ANTHROPIC_REASONING,
  ANTHROPIC_THINKING_SSE,
} from '../testing/recorded-frames';
import { collect, replay, sendJson, textOf } from '../testing/stub-upstream';
import { useStubUpstream } from '../testing/use-stub-upstream';
import type { ChatRequest } from '../types';

const API_KEY = 'sk-ant-api03-test-key-0123456789';
const request: ChatRequest = {
  model: 'claude-sonnet-4-20250514',
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'system', content: 'Use metric units.' },
    { role: 'user', content: 'What is 27 × 453?' },
  ],
};

const stub = useStubUpstream({ kind: 'anthropic', apiKey: API_KEY });

function serveMessages(payload: string): void {
  stub.upstream.on('POST', '/v1/messages', (res) => replay(res, 'text/event-stream', payload));
}

describe('Anthropic streaming', () => {
  it('yields thinking as reasoning and text as content, ignoring signatures and redacted blocks', async () => {
    serveMessages(ANTHROPIC_THINKING_SSE);
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(textOf(events, 'reasoning')).toBe(ANTHROPIC_REASONING);
    expect(textOf(events, 'content')).toBe(ANTHROPIC_CONTENT);
    expect(JSON.stringify(events)).not.toContain('EqQBCgIYAhIM');
    // Prompt tokens include the 4 read from the prompt cache.
    expect(events.slice(-2)).toEqual([
      { type: 'usage', promptTokens: 40, completionTokens: 87 },
      { type: 'done', finishReason: 'stop' },
    ]);
  });

  it('moves system messages to `system`, defaults max_tokens and drops what Anthropic cannot take', async () => {
    serveMessages(ANTHROPIC_THINKING_SSE);
    const params = {
      temperature: 0.5,
      topP: 0.9,
      topK: 40,
      presencePenalty: 0.5,
      frequencyPenalty: 0.5,
      seed: 3,
      stop: ['\n\nHuman:'],
    };
    await collect(createLlmClient(stub.connection()).streamChat({ ...request, params }));

    const [sent] = stub.upstream.requests;
    expect(sent?.json).toEqual({
      model: 'claude-sonnet-4-20250514',
      max_tokens: 4096,
      system: 'You are terse.\n\nUse metric units.',
      messages: [{ role: 'user', content: 'What is 27 × 453?' }],
      stream: true,
      temperature: 0.5,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['\n\nHuman:'],
    });
  });

  it('sends no top_p of 1 (it changes nothing) and drops top_p when a model refuses it beside temperature', async () => {
    serveMessages(ANTHROPIC_THINKING_SSE);
    await collect(createLlmClient(stub.connection()).streamChat({ ...request, params: { temperature: 0.7, topP: 1 } }));
    expect(stub.upstream.requests[0]?.json).toMatchObject({ temperature: 0.7 });
    expect(stub.upstream.requests[0]?.json).not.toHaveProperty('top_p');

    stub.upstream.on('POST', '/v1/messages', async (res) => {
      if ('top_p' in (stub.upstream.requests.at(-1)?.json as object)) {
        sendJson(res, 400, {
          type: 'error',
          error: {
            type: 'invalid_request_error',
            message: '`temperature` and `top_p` cannot both be specified for this model. Please use only one.',
          },
        });
        return;
      }
      await replay(res, 'text/event-stream', ANTHROPIC_THINKING_SSE);
    });
    const events = await collect(
      createLlmClient(stub.connection()).streamChat({ ...request, params: { temperature: 0.7, topP: 0.9 } }),
    );
    expect(stub.upstream.requests).toHaveLength(3);
    expect(stub.upstream.requests[2]?.json).toMatchObject({ temperature: 0.7 });
    expect(stub.upstream.requests[2]?.json).not.toHaveProperty('top_p');
    expect(textOf(events, 'content')).toBe(ANTHROPIC_CONTENT);
  });

  it('asks for extended thinking with a budget beside max_tokens when a reasoning effort is set', async () => {
    serveMessages(ANTHROPIC_THINKING_SSE);
    const client = createLlmClient(stub.connection());
    await collect(
      client.streamChat({
        ...request,
        params: { temperature: 0.5, topP: 0.9, topK: 40, maxTokens: 1000, reasoningEffort: 'medium' },
      }),
    );
    const sent = stub.upstream.requests[0]?.json as Record<string, unknown>;
    // The answer keeps its 1,000 tokens; thinking is not compatible with a changed temperature, top_k or top_p < 0.95.
    expect(sent).toMatchObject({ max_tokens: 9192, thinking: { type: 'enabled', budget_tokens: 8192 } });
    expect(sent).not.toHaveProperty('temperature');
    expect(sent).not.toHaveProperty('top_k');
    expect(sent).not.toHaveProperty('top_p');

    await collect(client.streamChat({ ...request, params: { topP: 0.97, reasoningEffort: 'low' } }));
    expect(stub.upstream.requests[1]?.json).toMatchObject({
      max_tokens: 4096 + 2048,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      top_p: 0.97,
    });
    // Without an effort, no thinking is asked for.
    await collect(client.streamChat({ ...request, params: { temperature: 0.5 } }));
    expect(stub.upstream.requests[2]?.json).not.toHaveProperty('thinking');
  });

  it('asks again without thinking (and its budget) when the model has no extended thinking', async () => {
    stub.upstream.on('POST', '/v1/messages', async (res) => {
      if ('thinking' in (stub.upstream.requests.at(-1)?.json as object)) {
        sendJson(res, 400, {
          type: 'error',
          error: { type: 'invalid_request_error', message: 'thinking: this model does not support thinking' },
        });
        return;
      }
      await replay(res, 'text/event-stream', ANTHROPIC_THINKING_SSE);
    });
    const events = await collect(
      createLlmClient(stub.connection()).streamChat({
        ...request,
        model: 'claude-3-5-haiku-20241022',
        params: { maxTokens: 1000, reasoningEffort: 'low' },
      }),
    );
    expect(stub.upstream.requests).toHaveLength(2);
    expect(stub.upstream.requests[1]?.json).toMatchObject({ max_tokens: 1000 });
    expect(stub.upstream.requests[1]?.json).not.toHaveProperty('thinking');
    expect(textOf(events, 'content')).toBe(ANTHROPIC_CONTENT);
  });

  it('authenticates with x-api-key and anthropic-version, never a bearer token', async () => {
    serveMessages(ANTHROPIC_THINKING_SSE);
    await collect(createLlmClient(stub.connection()).streamChat({ ...request, params: { maxTokens: 100 } }));

    const headers = stub.upstream.requests[0]?.headers;
    expect(headers?.['x-api-key']).toBe(API_KEY);
    expect(headers?.['anthropic-version']).toBe('2023-06-01');
    expect(headers?.authorization).toBeUndefined();
    expect(stub.upstream.requests[0]?.json).toMatchObject({ max_tokens: 100 });
  });

  it('uses apiVersion as the anthropic-version header and tolerates a base URL ending in /v1', async () => {
    serveMessages(ANTHROPIC_THINKING_SSE);
    const client = createLlmClient(
      stub.connection({ baseUrl: `${stub.upstream.origin}/v1/`, apiVersion: '2024-10-22' }),
    );
    await collect(client.streamChat(request));

    expect(stub.upstream.requests[0]?.path).toBe('/v1/messages');
    expect(stub.upstream.requests[0]?.headers['anthropic-version']).toBe('2024-10-22');
  });

  it('maps stop reasons to the shared vocabulary', async () => {
    serveMessages(ANTHROPIC_THINKING_SSE.replace('"stop_reason":"end_turn"', '"stop_reason":"max_tokens"'));
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'length' });
  });

  it('reports an overloaded_error event as an upstream failure after the text so far', async () => {
    serveMessages(ANTHROPIC_OVERLOADED_SSE);
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(textOf(events, 'content')).toBe('Partial');
    // The prompt's 10 tokens are message_start's; only the answer's are estimated.
    expect(events.slice(-2)).toEqual([
      { type: 'usage', promptTokens: 10, completionTokens: 1, estimated: true },
      { type: 'error', kind: 'upstream', message: 'Overloaded' },
    ]);
  });

  it('reports HTTP 529 with Anthropic’s error body as an upstream failure', async () => {
    stub.upstream.on('POST', '/v1/messages', (res) =>
      sendJson(res, 529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    );
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(events).toEqual([{ type: 'error', kind: 'upstream', message: 'Overloaded', status: 529 }]);
  });

  it('reads an error or a whole message sent as JSON with status 200 where a stream was asked for', async () => {
    stub.upstream.on('POST', '/v1/messages', (res) =>
      sendJson(res, 200, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    );
    expect(await collect(createLlmClient(stub.connection()).streamChat(request))).toEqual([
      { type: 'error', kind: 'upstream', message: 'Overloaded' },
    ]);

    stub.upstream.on('POST', '/v1/messages', (res) =>
      sendJson(res, 200, {
        id: 'msg_01',
        type: 'message',
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Multiply.', signature: 'EqQB' },
          { type: 'text', text: '12231' },
        ],
        stop_reason: 'end_turn',
        usage: { input_tokens: 20, output_tokens: 9 },
      }),
    );
    expect(await collect(createLlmClient(stub.connection()).streamChat(request))).toEqual([
      { type: 'reasoning', text: 'Multiply.' },
      { type: 'content', text: '12231' },
      { type: 'usage', promptTokens: 20, completionTokens: 9 },
      { type: 'done', finishReason: 'stop' },
    ]);
  });

  it('reports a stream cut before message_stop as truncated', async () => {
    serveMessages(ANTHROPIC_THINKING_SSE.split('event: message_delta')[0] ?? '');
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(textOf(events, 'content')).toBe(ANTHROPIC_CONTENT);
    expect(events.at(-1)).toMatchObject({ type: 'error', kind: 'truncated' });
    expect(events.at(-2)).toMatchObject({ type: 'usage', promptTokens: 40, estimated: true });
  });

  it("keeps message_start's prompt count when the connection resets or the answer is stopped", async () => {
    const opening = ANTHROPIC_OVERLOADED_SSE.split('event: error')[0] ?? '';
    stub.upstream.on('POST', '/v1/messages', async (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(opening);
      await new Promise((resolve) => setTimeout(resolve, 50));
      res.socket?.destroy();
    });
    const reset = await collect(createLlmClient(stub.connection()).streamChat(request));
    expect(reset.slice(-2)).toMatchObject([
      { type: 'usage', promptTokens: 10, completionTokens: 1, estimated: true },
      { type: 'error', kind: 'network' },
    ]);

    stub.upstream.on('POST', '/v1/messages', (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(opening);
    });
    const stop = new AbortController();
    const stopped = [];
    for await (const event of createLlmClient(stub.connection()).streamChat({ ...request, signal: stop.signal })) {
      stopped.push(event);
      if (event.type === 'content') stop.abort();
    }
    expect(stopped.slice(-2)).toMatchObject([
      { type: 'usage', promptTokens: 10, completionTokens: 1, estimated: true },
      { type: 'error', kind: 'aborted' },
    ]);
  });
});

describe('Anthropic non-streaming chat', () => {
  it('collects thinking and text blocks', async () => {
    stub.upstream.on('POST', '/v1/messages', (res) =>
      sendJson(res, 200, {
        id: 'msg_01',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-20250514',
        content: [
          { type: 'thinking', thinking: '27 × 453 = 12231.', signature: 'EqQB…' },
          { type: 'text', text: '12 231' },
        ],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 20, output_tokens: 30 },
      }),
    );
    const result = await createLlmClient(stub.connection()).chat(request);

    expect(result).toEqual({
      content: '12 231',
      reasoning: '27 × 453 = 12231.',
      finishReason: 'stop',
      usage: { promptTokens: 20, completionTokens: 30 },
    });
    expect(stub.upstream.requests[0]?.json).toMatchObject({ stream: false, max_tokens: 4096 });
  });
});

describe('Anthropic model list', () => {
  it('pages through /v1/models and uses display names', async () => {
    stub.upstream.on('GET', '/v1/models', (res, sent) => {
      if (!sent.query.get('after_id')) {
        sendJson(res, 200, {
          data: [
            {
              type: 'model',
              id: 'claude-opus-4-20250514',
              display_name: 'Claude Opus 4',
              created_at: '2025-05-22T00:00:00Z',
            },
            {
              type: 'model',
              id: 'claude-3-7-sonnet-20250219',
              display_name: 'Claude Sonnet 3.7',
              created_at: '2025-02-24T00:00:00Z',
            },
          ],
          has_more: true,
          first_id: 'claude-opus-4-20250514',
          last_id: 'claude-3-7-sonnet-20250219',
        });
        return;
      }
      sendJson(res, 200, {
        data: [
          {
            type: 'model',
            id: 'claude-3-5-haiku-20241022',
            display_name: 'Claude Haiku 3.5',
            created_at: '2024-10-22T00:00:00Z',
          },
          { type: 'model', id: 'claude-2.1', display_name: 'Claude 2.1', created_at: '2023-11-21T00:00:00Z' },
          // A model the name patterns cannot know: the Models API's `capabilities` object says what it does.
          {
            type: 'model',
            id: 'claude-nova-5',
            display_name: 'Claude Nova 5',
            created_at: '2026-05-22T00:00:00Z',
            max_input_tokens: 1_000_000,
            capabilities: {
              batch: { supported: true },
              thinking: { supported: true, types: { enabled: { supported: true } } },
              image_input: { supported: true },
              pdf_input: { supported: false },
            },
          },
          {
            type: 'model',
            id: 'claude-opus-4-text',
            display_name: 'Text only',
            created_at: '2026-05-22T00:00:00Z',
            capabilities: { thinking: { supported: false }, image_input: { supported: false } },
          },
        ],
        has_more: false,
        first_id: 'claude-3-5-haiku-20241022',
        last_id: 'claude-2.1',
      });
    });
    const models = await createLlmClient(stub.connection()).listModels();

    expect(models).toEqual([
      { id: 'claude-opus-4-20250514', name: 'Claude Opus 4', capabilities: ['chat', 'reasoning', 'vision'] },
      { id: 'claude-3-7-sonnet-20250219', name: 'Claude Sonnet 3.7', capabilities: ['chat', 'reasoning', 'vision'] },
      { id: 'claude-3-5-haiku-20241022', name: 'Claude Haiku 3.5', capabilities: ['chat', 'vision'] },
      { id: 'claude-2.1', name: 'Claude 2.1', capabilities: ['chat'] },
      {
        id: 'claude-nova-5',
        name: 'Claude Nova 5',
        capabilities: ['chat', 'reasoning', 'vision'],
        contextLength: 1_000_000,
      },
      { id: 'claude-opus-4-text', name: 'Text only', capabilities: ['chat'] },
    ]);
    expect(stub.upstream.requests.map((sent) => sent.query.get('after_id'))).toEqual([
      null,
      'claude-3-7-sonnet-20250219',
    ]);
    expect(stub.upstream.requests[0]?.headers['x-api-key']).toBe(API_KEY);
  });
});
