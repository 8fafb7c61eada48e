import { describe, expect, it } from 'vitest';
import { createLlmClient } from './client';
import { collect, replay, sendJson, textOf } from './testing/stub-upstream';
import { useStubUpstream } from './testing/use-stub-upstream';
import type { ChatRequest } from './types';

const request: ChatRequest = { model: 'odd-server', messages: [{ role: 'user', content: 'hi' }] };
const stub = useStubUpstream({ kind: 'openai', apiKey: 'sk-storable-test' });

/** The next chat request is answered with these SSE frames (objects as JSON, strings as they are). */
const serveSse = (...frames: unknown[]) =>
  stub.upstream.on('POST', '/v1/chat/completions', (res) =>
    replay(
      res,
      'text/event-stream',
      frames.map((frame) => `data: ${typeof frame === 'string' ? frame : JSON.stringify(frame)}\n\n`).join(''),
    ),
  );

describe('what a model sends is storable', () => {
  it('drops NUL characters from text, reasoning and the finish reason, and bounds the finish reason', async () => {
    serveSse(
      { choices: [{ delta: { reasoning_content: 'th\u0000ink' } }] },
      { choices: [{ delta: { content: 'a\u0000b' } }] },
      { choices: [{ delta: {}, finish_reason: `st\u0000op${'x'.repeat(5000)}` }] },
      '[DONE]',
    );
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));
    expect(textOf(events, 'reasoning')).toBe('think');
    expect(textOf(events, 'content')).toBe('ab');
    const done = events.at(-1);
    expect(done?.type).toBe('done');
    const reason = done?.type === 'done' ? done.finishReason : '';
    expect(reason.startsWith('stopxx')).toBe(true);
    expect(reason).toHaveLength(100);
  });

  it('keeps reported token counts whole, non-negative and within what is stored', async () => {
    serveSse(
      { choices: [{ delta: { content: 'hi' } }] },
      { choices: [{ delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 1e15, completion_tokens: -5 } },
      '[DONE]',
    );
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));
    expect(events).toContainEqual({ type: 'usage', promptTokens: 2_147_483_647, completionTokens: 0 });

    serveSse(
      {
        choices: [{ delta: { content: 'hi' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 3.7, completion_tokens: 2 },
      },
      '[DONE]',
    );
    const rounded = await collect(createLlmClient(stub.connection()).streamChat(request));
    expect(rounded).toContainEqual({ type: 'usage', promptTokens: 4, completionTokens: 2 });
  });

  it('shows an OpenAI refusal as the answer, streamed or not', async () => {
    serveSse(
      { choices: [{ delta: { role: 'assistant', content: null, refusal: '' } }] },
      { choices: [{ delta: { refusal: "I'm sorry, " } }] },
      { choices: [{ delta: { refusal: 'I cannot help with that.' } }] },
      { choices: [{ delta: {}, finish_reason: 'stop' }] },
      '[DONE]',
    );
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));
    expect(textOf(events, 'content')).toBe("I'm sorry, I cannot help with that.");

    stub.upstream.on('POST', '/v1/chat/completions', (res) =>
      sendJson(res, 200, {
        choices: [{ message: { role: 'assistant', content: null, refusal: 'No.' }, finish_reason: 'stop' }],
      }),
    );
    const result = await createLlmClient(stub.connection()).chat(request);
    expect(result.content).toBe('No.');
  });

  it('drops NUL characters from a whole answer too', async () => {
    stub.upstream.on('POST', '/v1/chat/completions', (res) =>
      sendJson(res, 200, { choices: [{ message: { role: 'assistant', content: 'a\u0000b' }, finish_reason: 'stop' }] }),
    );
    expect((await createLlmClient(stub.connection()).chat(request)).content).toBe('ab');
  });
});
