import { describe, expect, it } from 'vitest';
import { createLlmClient, streamChatWithReasoning } from '../client';
import {
  DEEPSEEK_CONTENT,
  DEEPSEEK_REASONER_SSE,
  DEEPSEEK_REASONING,
  OPENROUTER_CONTENT,
  OPENROUTER_REASONING,
  OPENROUTER_REASONING_SSE,
  VLLM_CONTENT,
  VLLM_NO_USAGE_SSE,
} from '../testing/recorded-frames';
import { collect, replay, sendJson, startStream, textOf, writeInPieces } from '../testing/stub-upstream';
import { useStubUpstream } from '../testing/use-stub-upstream';
import { LlmError, type ChatRequest } from '../types';

const API_KEY = 'sk-test-0123456789abcdef';
const request: ChatRequest = {
  model: 'deepseek-reasoner',
  messages: [
    { role: 'system', content: 'Answer briefly.' },
    { role: 'user', content: '9.11 和 9.8 哪个大？' },
  ],
};

const stub = useStubUpstream({ kind: 'openai', apiKey: API_KEY });

function serveSse(payload: string, path = '/v1/chat/completions'): void {
  stub.upstream.on('POST', path, (res) => replay(res, 'text/event-stream', payload));
}

describe('OpenAI-compatible streaming', () => {
  it('splits DeepSeek reasoning_content from content and reports the usage from the finish chunk', async () => {
    serveSse(DEEPSEEK_REASONER_SSE);
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(textOf(events, 'reasoning')).toBe(DEEPSEEK_REASONING);
    expect(textOf(events, 'content')).toBe(DEEPSEEK_CONTENT);
    expect(events.slice(-2)).toEqual([
      { type: 'usage', promptTokens: 17, completionTokens: 52 },
      { type: 'done', finishReason: 'stop' },
    ]);
  });

  it('maps every parameter, asks for usage, and keeps top_k away from OpenAI', async () => {
    serveSse(DEEPSEEK_REASONER_SSE);
    const params = {
      temperature: 0.6,
      topP: 0.95,
      topK: 20,
      maxTokens: 512,
      presencePenalty: 0.5,
      frequencyPenalty: 0.25,
      stop: ['</answer>'],
      seed: 7,
    };
    await collect(createLlmClient(stub.connection()).streamChat({ ...request, params }));

    const [sent] = stub.upstream.requests;
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.json).toEqual({
      model: 'deepseek-reasoner',
      messages: request.messages,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.6,
      top_p: 0.95,
      max_tokens: 512,
      presence_penalty: 0.5,
      frequency_penalty: 0.25,
      stop: ['</answer>'],
      seed: 7,
    });
    expect(sent?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent?.headers.accept).toBe('text/event-stream');
    expect(sent?.headers['content-type']).toBe('application/json');
  });

  it('sends a reasoning effort as reasoning_effort, and asks again without it when a server refuses it', async () => {
    stub.upstream.on('POST', '/v1/chat/completions', async (res) => {
      if ('reasoning_effort' in (stub.upstream.requests.at(-1)?.json as object)) {
        sendJson(res, 400, {
          error: { message: 'Unrecognized request argument supplied: reasoning_effort', type: 'invalid_request_error' },
        });
        return;
      }
      await replay(res, 'text/event-stream', DEEPSEEK_REASONER_SSE);
    });
    const events = await collect(
      createLlmClient(stub.connection()).streamChat({ ...request, params: { reasoningEffort: 'high' } }),
    );
    expect(stub.upstream.requests[0]?.json).toMatchObject({ reasoning_effort: 'high' });
    expect(stub.upstream.requests).toHaveLength(2);
    expect(stub.upstream.requests[1]?.json).not.toHaveProperty('reasoning_effort');
    expect(events.at(-1)).toMatchObject({ type: 'done' });
  });

  it('sends top_k to servers declared to accept it, and omits stream_options when told to', async () => {
    serveSse(VLLM_NO_USAGE_SSE);
    const client = createLlmClient(stub.connection(), { openai: { acceptsTopK: true, includeUsage: false } });
    await collect(client.streamChat({ ...request, params: { topK: 40 } }));

    const body = stub.upstream.requests[0]?.json as Record<string, unknown>;
    expect(body.top_k).toBe(40);
    expect(body).not.toHaveProperty('stream_options');
  });

  it('does not double OpenRouter reasoning sent both as `reasoning` and `reasoning_details`', async () => {
    serveSse(OPENROUTER_REASONING_SSE);
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(textOf(events, 'reasoning')).toBe(OPENROUTER_REASONING);
    expect(textOf(events, 'content')).toBe(OPENROUTER_CONTENT);
    // Usage arrives in its own chunk after the finish chunk and must still be picked up.
    expect(events.slice(-2)).toEqual([
      { type: 'usage', promptTokens: 12, completionTokens: 30 },
      { type: 'done', finishReason: 'stop' },
    ]);
  });

  it('estimates usage when a vLLM stream reports none', async () => {
    serveSse(VLLM_NO_USAGE_SSE);
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(textOf(events, 'content')).toBe(VLLM_CONTENT);
    const usage = events.find((event) => event.type === 'usage');
    expect(usage).toMatchObject({ type: 'usage', estimated: true });
    expect(usage?.type === 'usage' && usage.promptTokens).toBeGreaterThan(10);
    expect(usage?.type === 'usage' && usage.completionTokens).toBeGreaterThan(5);
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
  });

  it('separates inline <think> blocks when piped through the reasoning splitter', async () => {
    serveSse(VLLM_NO_USAGE_SSE);
    const client = createLlmClient(stub.connection());
    const events = await collect(streamChatWithReasoning(client, request, { tags: { mode: 'auto' } }));

    expect(textOf(events, 'reasoning')).toContain('先算一下：2+2=4');
    expect(textOf(events, 'content').trim()).toBe('答案是 4。');
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
  });

  it('retries once without stream_options when an older server rejects it', async () => {
    let calls = 0;
    stub.upstream.on('POST', '/v1/chat/completions', async (res) => {
      calls += 1;
      if (calls === 1) {
        sendJson(res, 400, {
          object: 'error',
          message:
            "[{'type': 'extra_forbidden', 'loc': ('body', 'stream_options'), 'msg': 'Extra inputs are not permitted'}]",
          type: 'BadRequestError',
          param: null,
          code: 400,
        });
        return;
      }
      await replay(res, 'text/event-stream', VLLM_NO_USAGE_SSE);
    });
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(stub.upstream.requests).toHaveLength(2);
    expect(stub.upstream.requests[0]?.json).toHaveProperty('stream_options');
    expect(stub.upstream.requests[1]?.json).not.toHaveProperty('stream_options');
    expect(textOf(events, 'content')).toBe(VLLM_CONTENT);
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
  });

  it('retries with max_completion_tokens when a reasoning model refuses max_tokens', async () => {
    let calls = 0;
    stub.upstream.on('POST', '/v1/chat/completions', async (res) => {
      calls += 1;
      if (calls === 1) {
        sendJson(res, 400, {
          error: {
            message:
              "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
            type: 'invalid_request_error',
            param: 'max_tokens',
            code: 'unsupported_parameter',
          },
        });
        return;
      }
      await replay(res, 'text/event-stream', DEEPSEEK_REASONER_SSE);
    });
    const events = await collect(
      createLlmClient(stub.connection()).streamChat({ ...request, params: { maxTokens: 100 } }),
    );

    expect(stub.upstream.requests[1]?.json).toMatchObject({ max_completion_tokens: 100 });
    expect(stub.upstream.requests[1]?.json).not.toHaveProperty('max_tokens');
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
  });

  it('leaves out the sampling settings a reasoning model refuses, one named field at a time', async () => {
    stub.upstream.on('POST', '/v1/chat/completions', async (res) => {
      const sent = stub.upstream.requests.at(-1)?.json as Record<string, unknown>;
      const refused = ['temperature', 'top_p'].find((field) => field in sent);
      if (refused) {
        sendJson(res, 400, {
          error: {
            message: `Unsupported value: '${refused}' does not support 0.7 with this model. Only the default (1) value is supported.`,
            type: 'invalid_request_error',
            param: refused,
            code: 'unsupported_value',
          },
        });
        return;
      }
      await replay(res, 'text/event-stream', DEEPSEEK_REASONER_SSE);
    });
    const events = await collect(
      createLlmClient(stub.connection()).streamChat({ ...request, params: { temperature: 0.7, topP: 0.9 } }),
    );

    expect(stub.upstream.requests).toHaveLength(3);
    expect(stub.upstream.requests[2]?.json).not.toHaveProperty('temperature');
    expect(stub.upstream.requests[2]?.json).not.toHaveProperty('top_p');
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });

    // Learned: the model's next request leaves them out from the start.
    await collect(
      createLlmClient(stub.connection()).streamChat({ ...request, params: { temperature: 0.7, topP: 0.9 } }),
    );
    expect(stub.upstream.requests).toHaveLength(4);
  });

  it.each([
    [
      'OpenAI and older vLLM',
      (max: number) =>
        `This model's maximum context length is 2048 tokens. However, you requested ${max + 50} tokens (50 in the messages, ${max} in the completion). Please reduce the length of the messages or completion.`,
    ],
    [
      'vLLM 0.8 and later (naming max_completion_tokens too)',
      (max: number) =>
        `'max_tokens' or 'max_completion_tokens' is too large: ${max}. This model's maximum context length is 2048 tokens and your request has 50 input tokens (${max} > 2048 - 50).`,
    ],
    [
      'vLLM 0.18 and later',
      (max: number) =>
        `This model's maximum context length is 2048 tokens. However, you requested ${max} output tokens and your prompt contains 50 input tokens, for a total of ${max + 50} tokens that is too large.`,
    ],
  ])('fits the token limit into what the context leaves when a small server says so (%s)', async (_, phrasing) => {
    stub.upstream.on('POST', '/v1/chat/completions', async (res) => {
      const sent = stub.upstream.requests.at(-1)?.json as { max_tokens: number };
      if (!sent.max_tokens || sent.max_tokens > 1998) {
        sendJson(res, 400, {
          object: 'error',
          message: phrasing(sent.max_tokens),
          type: 'BadRequestError',
          param: null,
          code: 400,
        });
        return;
      }
      await replay(res, 'text/event-stream', DEEPSEEK_REASONER_SSE);
    });
    const client = createLlmClient(stub.connection());
    const events = await collect(client.streamChat({ ...request, params: { maxTokens: 4096 } }));
    expect(stub.upstream.requests.map((r) => (r.json as { max_tokens: number }).max_tokens)).toEqual([4096, 1998]);
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });

    // It depends on the prompt's length: the next request asks for the configured limit again.
    await collect(client.streamChat({ ...request, params: { maxTokens: 4096 } }));
    expect(stub.upstream.requests.map((r) => (r.json as { max_tokens: number }).max_tokens)).toEqual([
      4096, 1998, 4096, 1998,
    ]);
  });

  it('leaves out stop sequences for a model that refuses them, not for a message about another field', async () => {
    stub.upstream.on('POST', '/v1/chat/completions', async (res) => {
      const sent = stub.upstream.requests.at(-1)?.json as Record<string, unknown>;
      if ('stop' in sent) {
        sendJson(res, 400, {
          error: {
            message: "Unsupported parameter: 'stop' is not supported with this model.",
            type: 'invalid_request_error',
            param: 'stop',
            code: 'unsupported_parameter',
          },
        });
        return;
      }
      await replay(res, 'text/event-stream', DEEPSEEK_REASONER_SSE);
    });
    const events = await collect(
      createLlmClient(stub.connection()).streamChat({ ...request, params: { stop: ['END'] } }),
    );
    expect(stub.upstream.requests).toHaveLength(2);
    expect(stub.upstream.requests[1]?.json).not.toHaveProperty('stop');
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });

    stub.upstream.on('POST', '/v1/chat/completions', (res) =>
      sendJson(res, 400, {
        error: { message: "Unsupported parameter: 'stop_sequences'", type: 'invalid_request_error' },
      }),
    );
    await collect(
      createLlmClient(stub.connection()).streamChat({ ...request, model: 'other', params: { stop: ['END'] } }),
    );
    expect(stub.upstream.requests).toHaveLength(3);
  });

  it('does not retry other 400s', async () => {
    stub.upstream.on('POST', '/v1/chat/completions', (res) =>
      sendJson(res, 400, { error: { message: 'messages: must not be empty', type: 'invalid_request_error' } }),
    );
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(stub.upstream.requests).toHaveLength(1);
    expect(events).toEqual([
      { type: 'error', kind: 'bad_request', message: 'messages: must not be empty', status: 400 },
    ]);
  });

  it('reports a stream that ends without finish_reason or [DONE] as truncated, keeping what arrived', async () => {
    const cut = DEEPSEEK_REASONER_SSE.split('\n\n').slice(0, 6).join('\n\n') + '\n\n';
    serveSse(cut);
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(textOf(events, 'reasoning')).toBe('用户问9.11和9.8哪个大。比较小数部分：0.11 < 0.8。');
    const last = events.at(-1);
    expect(last).toMatchObject({ type: 'error', kind: 'truncated' });
    // A cut-off answer still cost tokens: the estimate comes before the error.
    expect(events.at(-2)).toMatchObject({ type: 'usage', estimated: true });
  });

  it('skips a malformed frame and carries on', async () => {
    const frames = DEEPSEEK_REASONER_SSE.split('\n\n');
    frames.splice(4, 0, 'data: {"id":"3f0e1b2a","choices":[{"delta":{"content":"lost');
    serveSse(frames.join('\n\n'));
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(textOf(events, 'content')).toBe(DEEPSEEK_CONTENT);
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
  });

  it('mentions skipped malformed frames when the stream is then cut off', async () => {
    serveSse('data: {"choices":[{"delta":{"content":"Hi"}}]}\n\ndata: {not json}\n\n');
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(events.at(-1)).toMatchObject({ type: 'error', kind: 'truncated' });
    expect(events.at(-1)?.type === 'error' && events.at(-1)).toMatchObject({
      message: expect.stringContaining('1 malformed frame'),
    });
  });

  it.each([
    [
      'an error object inside the stream (OpenRouter provider failure)',
      'data: {"id":"gen-1","object":"chat.completion.chunk","created":1,"model":"x","provider":"Together","error":{"code":502,"message":"Upstream provider returned 502"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}',
      'Upstream provider returned 502',
      502,
    ],
    [
      "llama.cpp's `error:` line",
      'error: {"code":500,"message":"Failed to decode the batch: KV cache is full","type":"server_error"}',
      'Failed to decode the batch: KV cache is full',
      500,
    ],
  ])('reports %s as the error it is, after the text so far', async (_name, errorLine, message, status) => {
    serveSse(
      [
        'data: {"id":"gen-1","object":"chat.completion.chunk","created":1,"model":"x","choices":[{"index":0,"delta":{"content":"Part"},"finish_reason":null}]}',
        errorLine,
        '',
      ].join('\n\n'),
    );
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(textOf(events, 'content')).toBe('Part');
    expect(events.at(-1)).toEqual({ type: 'error', kind: 'upstream', message, status });
  });

  it('reads a whole JSON answer sent where a stream was asked for', async () => {
    stub.upstream.on('POST', '/v1/chat/completions', (res) =>
      sendJson(res, 200, {
        id: 'x',
        object: 'chat.completion',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: '答案是 9.8。', reasoning_content: 'Compare decimals.' },
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 9, completion_tokens: 5 },
      }),
    );
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(events).toEqual([
      { type: 'reasoning', text: 'Compare decimals.' },
      { type: 'content', text: '答案是 9.8。' },
      { type: 'usage', promptTokens: 9, completionTokens: 5 },
      { type: 'done', finishReason: 'stop' },
    ]);
  });

  it("reports an error document sent with status 200 in the upstream's own words", async () => {
    stub.upstream.on('POST', '/v1/chat/completions', (res) =>
      sendJson(res, 200, { error: { message: 'Model is loading, try again later', type: 'server_error', code: 503 } }),
    );
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(events).toEqual([
      { type: 'error', kind: 'upstream', message: 'Model is loading, try again later', status: 503 },
    ]);
  });

  it.each(['text/event-stream', 'text/plain'])(
    "reads an error document labelled %s (a gateway's 200 'insufficient balance') in the upstream's words",
    async (contentType) => {
      stub.upstream.on('POST', '/v1/chat/completions', (res) =>
        replay(res, contentType, '{"error":{"message":"Insufficient account balance","type":"insufficient_quota"}}'),
      );
      const events = await collect(createLlmClient(stub.connection()).streamChat(request));

      expect(events).toEqual([{ type: 'error', kind: 'upstream', message: 'Insufficient account balance' }]);
    },
  );

  it("maps Zhipu's finish reasons: `sensitive` is a content filter, `network_error` a failure after the text so far", async () => {
    const ending = (reason: string) =>
      `data: {"choices":[{"index":0,"delta":{"content":"部分"},"finish_reason":null}]}\n\ndata: {"choices":[{"index":0,"delta":{},"finish_reason":"${reason}"}],"usage":{"prompt_tokens":8,"completion_tokens":2}}\n\ndata: [DONE]\n\n`;
    serveSse(ending('sensitive'));
    expect((await collect(createLlmClient(stub.connection()).streamChat(request))).at(-1)).toEqual({
      type: 'done',
      finishReason: 'content_filter',
    });

    serveSse(ending('network_error'));
    const failed = await collect(createLlmClient(stub.connection()).streamChat(request));
    expect(textOf(failed, 'content')).toBe('部分');
    expect(failed.slice(-2)).toEqual([
      { type: 'usage', promptTokens: 8, completionTokens: 2 },
      { type: 'error', kind: 'upstream', message: 'the model failed while answering (finish reason network_error)' },
    ]);
  });

  it('reads content sent as an array of parts (Mistral), thinking parts as reasoning', async () => {
    serveSse(
      [
        '{"choices":[{"index":0,"delta":{"role":"assistant","content":[{"type":"thinking","thinking":[{"type":"text","text":"Think"}]}]},"finish_reason":null}]}',
        '{"choices":[{"index":0,"delta":{"content":[{"type":"text","text":"arr"}]},"finish_reason":null}]}',
        '{"choices":[{"index":0,"delta":{"content":"ay"},"finish_reason":"stop"}]}',
        '[DONE]',
      ]
        .map((data) => `data: ${data}\n\n`)
        .join(''),
    );
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(textOf(events, 'reasoning')).toBe('Think');
    expect(textOf(events, 'content')).toBe('array');
  });

  it('takes the text of an `event: error` frame as the reason when it is not JSON', async () => {
    serveSse(
      'data: {"choices":[{"index":0,"delta":{"content":"Par"},"finish_reason":null}]}\n\nevent: error\ndata: upstream request timeout\n\n',
    );
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(textOf(events, 'content')).toBe('Par');
    expect(events.at(-1)).toEqual({ type: 'error', kind: 'upstream', message: 'upstream request timeout' });
  });

  it('still streams a stream that is merely labelled JSON', async () => {
    stub.upstream.on('POST', '/v1/chat/completions', (res) =>
      replay(
        res,
        'application/json',
        'data: {"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n',
      ),
    );
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(textOf(events, 'content')).toBe('Hi');
    expect(events.at(-1)).toMatchObject({ type: 'done', finishReason: 'stop' });
  });

  it('treats finish_reason as the end when the server hangs up without [DONE]', async () => {
    stub.upstream.on('POST', '/v1/chat/completions', async (res, _request, raw) => {
      startStream(res, 'text/event-stream');
      await writeInPieces(
        res,
        'data: {"choices":[{"index":0,"delta":{"content":"OK"},"finish_reason":null}]}\n\ndata: {"choices":[{"index":0,"delta":{},"finish_reason":"length"}]}\n\n',
      );
      raw.socket.destroy();
    });
    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(textOf(events, 'content')).toBe('OK');
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'length' });
  });

  it('reads repeated token envelopes exactly like full frames, whatever changes between them', async () => {
    const envelope = (delta: unknown, extra = ''): string =>
      `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":${JSON.stringify(delta)},"finish_reason":null}]${extra}}\n\n`;
    const tokens = ['Hel', 'lo "q"', '', ' wörld 🙂', '\n', '<think>', 'x</think>', 'end'];
    const payload = [
      envelope({ role: 'assistant', content: '' }),
      ...tokens.map((text) => envelope({ content: text })),
      // The envelope changes mid-stream (another id), then a frame with an effect besides content.
      envelope({ content: 'new id' }).replace('"c1"', '"c2"'),
      envelope({ content: 'more' }).replace('"c1"', '"c2"'),
      envelope({ content: 'and thoughts', reasoning_content: 'hmm' }).replace('"c1"', '"c2"'),
      envelope({ content: 'fin' }).replace('"finish_reason":null', '"finish_reason":"length"'),
      envelope({ content: 'x' }, ',"usage":{"prompt_tokens":3,"completion_tokens":9}'),
      'data: [DONE]\n\n',
    ].join('');
    serveSse(payload);

    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(events).toEqual([
      ...tokens.filter(Boolean).map((text) => ({ type: 'content', text })),
      { type: 'content', text: 'new id' },
      { type: 'content', text: 'more' },
      { type: 'reasoning', text: 'hmm' },
      { type: 'content', text: 'and thoughts' },
      { type: 'content', text: 'fin' },
      { type: 'content', text: 'x' },
      { type: 'usage', promptTokens: 3, completionTokens: 9 },
      { type: 'done', finishReason: 'length' },
    ]);
  });

  it('treats a repeated envelope sent as an `error` event as the error it reports', async () => {
    const token = (text: string): string =>
      `{"id":"c1","choices":[{"index":0,"delta":{"content":${JSON.stringify(text)}},"finish_reason":null}]}`;
    serveSse(`data: ${token('a')}\n\ndata: ${token('b')}\n\nevent: error\ndata: ${token('c')}\n\ndata: [DONE]\n\n`);

    const events = await collect(createLlmClient(stub.connection()).streamChat(request));

    expect(events.slice(0, 2)).toEqual([
      { type: 'content', text: 'a' },
      { type: 'content', text: 'b' },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'error', kind: 'upstream' });
    expect(textOf(events, 'content')).toBe('ab');
  });

  it('uses a base URL path as given (Zhipu /api/paas/v4) and /v1 for a bare host', async () => {
    serveSse(DEEPSEEK_REASONER_SSE, '/api/paas/v4/chat/completions');
    serveSse(DEEPSEEK_REASONER_SSE, '/v1/chat/completions');
    await collect(
      createLlmClient(stub.connection({ baseUrl: `${stub.upstream.origin}/api/paas/v4/` })).streamChat(request),
    );
    await collect(createLlmClient(stub.connection({ baseUrl: `${stub.upstream.origin}/` })).streamChat(request));

    expect(stub.upstream.requests.map((sent) => sent.path)).toEqual([
      '/api/paas/v4/chat/completions',
      '/v1/chat/completions',
    ]);
  });
});

describe('OpenAI-compatible non-streaming chat', () => {
  it('returns content, native reasoning, usage and finish reason', async () => {
    stub.upstream.on('POST', '/v1/chat/completions', (res) =>
      sendJson(res, 200, {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1737453211,
        model: 'deepseek-reasoner',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: '9.8 更大。', reasoning_content: '比较小数部分。' },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 17, completion_tokens: 20, total_tokens: 37 },
      }),
    );
    const result = await createLlmClient(stub.connection()).chat({ ...request, params: { maxTokens: 50 } });

    expect(result).toEqual({
      content: '9.8 更大。',
      reasoning: '比较小数部分。',
      finishReason: 'stop',
      usage: { promptTokens: 17, completionTokens: 20 },
    });
    expect(stub.upstream.requests[0]?.json).toMatchObject({ stream: false, max_tokens: 50 });
    expect(stub.upstream.requests[0]?.json).not.toHaveProperty('stream_options');
  });

  it('rejects with an LlmError carrying the kind and status', async () => {
    stub.upstream.on('POST', '/v1/chat/completions', (res) =>
      sendJson(res, 404, {
        error: { message: 'The model `gpt-9` does not exist', type: 'invalid_request_error', code: 'model_not_found' },
      }),
    );
    const failure = createLlmClient(stub.connection()).chat({ ...request, model: 'gpt-9' });

    await expect(failure).rejects.toBeInstanceOf(LlmError);
    await expect(failure).rejects.toMatchObject({
      kind: 'not_found',
      status: 404,
      message: 'The model `gpt-9` does not exist',
    });
  });
});

describe('OpenAI-compatible model list', () => {
  it('reads vLLM max_model_len and infers reasoning from the name', async () => {
    stub.upstream.on('GET', '/v1/models', (res) =>
      sendJson(res, 200, {
        object: 'list',
        data: [
          {
            id: 'Qwen/QwQ-32B',
            object: 'model',
            created: 1741000000,
            owned_by: 'vllm',
            root: 'Qwen/QwQ-32B',
            parent: null,
            max_model_len: 32768,
            permission: [{ id: 'modelperm-1', object: 'model_permission', allow_sampling: true }],
          },
        ],
      }),
    );
    const models = await createLlmClient(stub.connection()).listModels();

    expect(models).toEqual([
      { id: 'Qwen/QwQ-32B', name: 'Qwen/QwQ-32B', contextLength: 32768, capabilities: ['chat', 'reasoning'] },
    ]);
    expect(stub.upstream.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('lists OpenAI and OpenRouter models with capabilities from names and metadata', async () => {
    // Listed beside the chat models, not for chat: speech, transcription, images, video, moderation, completions.
    const NOT_FOR_CHAT = [
      'whisper-1',
      'tts-1-hd',
      'gpt-4o-mini-tts',
      'gpt-4o-transcribe',
      'gpt-4o-realtime-preview',
      'dall-e-3',
      'gpt-image-1',
      'sora-2',
      'omni-moderation-latest',
      'davinci-002',
    ];
    stub.upstream.on('GET', '/v1/models', (res) =>
      sendJson(res, 200, {
        object: 'list',
        data: [
          { id: 'gpt-4o', object: 'model', created: 1715367049, owned_by: 'system' },
          { id: 'o3-mini', object: 'model', created: 1737146383, owned_by: 'system' },
          { id: 'text-embedding-3-small', object: 'model', created: 1705948997, owned_by: 'system' },
          { id: 'deepseek-reasoner', object: 'model', owned_by: 'deepseek' },
          ...NOT_FOR_CHAT.map((id) => ({ id, object: 'model', created: 1, owned_by: 'system' })),
          { id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' },
          {
            id: 'mistralai/mistral-small-3.1-24b-instruct',
            name: 'Mistral: Mistral Small 3.1 24B',
            context_length: 131072,
            architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'] },
            supported_parameters: ['max_tokens', 'temperature', 'tools'],
          },
        ],
      }),
    );
    const models = await createLlmClient(stub.connection()).listModels();

    expect(models).toEqual([
      { id: 'gpt-4o', name: 'gpt-4o', capabilities: ['chat', 'vision'] },
      { id: 'o3-mini', name: 'o3-mini', capabilities: ['chat', 'reasoning'] },
      { id: 'text-embedding-3-small', name: 'text-embedding-3-small', capabilities: ['embedding'] },
      { id: 'deepseek-reasoner', name: 'deepseek-reasoner', capabilities: ['chat', 'reasoning'] },
      ...NOT_FOR_CHAT.map((id) => ({ id, name: id, capabilities: [] })),
      { id: 'gpt-4o-mini', name: 'gpt-4o-mini', capabilities: ['chat', 'vision'] },
      {
        id: 'mistralai/mistral-small-3.1-24b-instruct',
        name: 'mistralai/mistral-small-3.1-24b-instruct',
        contextLength: 131072,
        capabilities: ['chat', 'vision', 'tools'],
      },
    ]);
  });

  it('reports an unreachable model list as an LlmError', async () => {
    stub.upstream.on('GET', '/v1/models', (res) => sendJson(res, 401, { error: { message: 'Invalid token' } }));
    await expect(createLlmClient(stub.connection()).listModels()).rejects.toMatchObject({ kind: 'auth', status: 401 });
  });
});
