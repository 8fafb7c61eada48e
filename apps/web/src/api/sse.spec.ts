import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorResponse, installFakeApi } from '@/test-utils/fake-api';
import { generationStreams, type ReceivedGenerationEvent } from './chat';
import { isApiError } from './http';
import { followEventStream, readEventStream, type ServerEvent, StreamLostError } from './sse';

const encoder = new TextEncoder();

/** An event-stream response whose body arrives in exactly these byte chunks, then ends (or breaks off). */
function sseResponse(chunks: (string | Uint8Array)[], end: 'close' | 'drop' = 'close'): Response {
  let next = 0;
  // One chunk per read, so a drop happens after the reader has seen everything before it.
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk !== undefined) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      else if (end === 'close') controller.close();
      else controller.error(new TypeError('network error'));
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream; charset=utf-8' } });
}

const frame = (id: number, event: string, data: unknown) =>
  `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

const meta = {
  generationId: '30000000-0000-4000-8000-000000000001',
  sessionId: 's',
  userMessageId: 'u',
  assistantMessageId: 'a',
  model: 'mock',
  modelConfigId: null,
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('readEventStream', () => {
  it('parses frames however the network splits them, multi-byte characters and pings included', async () => {
    const text =
      ': ping\n\n' + frame(1, 'content', { text: '你好, ' }) + frame(2, 'content', { text: 'world' }) + ': ping\n\n';
    const bytes = encoder.encode(text);
    // Every 3 bytes: cuts through field names, the CRLF-free line ends and the UTF-8 sequences of 你好.
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 3) chunks.push(bytes.slice(i, i + 3));

    const events: ServerEvent[] = [];
    await readEventStream(sseResponse(chunks), (event) => events.push(event));

    expect(events).toEqual([
      { id: 1, event: 'content', data: JSON.stringify({ text: '你好, ' }) },
      { id: 2, event: 'content', data: JSON.stringify({ text: 'world' }) },
    ]);
  });

  it('refuses a response that is not an event stream', async () => {
    const json = new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } });
    await expect(readEventStream(json, () => undefined)).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });
});

describe('followEventStream', () => {
  it('re-opens after a drop with the last event id and delivers every event once, in order', async () => {
    const resumes: number[] = [];
    const states: string[] = [];
    const events: ServerEvent[] = [];
    const outcome = await followEventStream({
      connect: async () => sseResponse([frame(1, 'meta', meta), frame(2, 'content', { text: 'a' })], 'drop'),
      resume: (lastEventId) => {
        resumes.push(lastEventId);
        // The first resume fails outright; the second one repeats event 2 (which must be skipped) and goes on.
        if (resumes.length === 1) return Promise.reject(new TypeError('offline'));
        return Promise.resolve(
          sseResponse([
            frame(2, 'content', { text: 'a' }),
            frame(3, 'content', { text: 'b' }),
            frame(4, 'done', { status: 'complete' }),
          ]),
        );
      },
      isTerminal: (event) => event.event === 'done',
      onEvent: (event) => events.push(event),
      onConnectionChange: (state) => states.push(state),
      backoffMs: [0],
    });

    expect(outcome).toBe('ended');
    expect(resumes).toEqual([2, 2]);
    expect(events.map((e) => e.id)).toEqual([1, 2, 3, 4]);
    expect(states).toEqual(['reconnecting', 'open']);
  });

  it('treats a stream that ends before its terminal event as a drop', async () => {
    const resume = vi.fn(async () => sseResponse([frame(2, 'done', { status: 'complete' })]));
    const outcome = await followEventStream({
      connect: async () => sseResponse([frame(1, 'content', { text: 'x' })]),
      resume,
      isTerminal: (event) => event.event === 'done',
      onEvent: () => undefined,
      backoffMs: [0],
    });
    expect(outcome).toBe('ended');
    expect(resume).toHaveBeenCalledWith(1, expect.anything());
  });

  it('gives up after the allowed attempts, saying where to continue', async () => {
    const error = await followEventStream({
      connect: async () => sseResponse([frame(1, 'content', { text: 'x' })], 'drop'),
      resume: () => Promise.reject(new TypeError('offline')),
      isTerminal: () => false,
      onEvent: () => undefined,
      backoffMs: [0],
      maxAttempts: 2,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamLostError);
    expect((error as StreamLostError).lastEventId).toBe(1);
  });

  it('waits out an outage of any length while the browser is offline, and resumes as soon as it is back', async () => {
    const online = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    // Back online a moment after the drop: the wait ends then, not after its 15 s.
    const back = setTimeout(() => {
      online.mockReturnValue(true);
      globalThis.dispatchEvent(new Event('online'));
    }, 100);
    const resume = vi.fn(async () => sseResponse([frame(2, 'done', { status: 'complete' })]));
    try {
      const started = Date.now();
      const outcome = await followEventStream({
        connect: async () => sseResponse([frame(1, 'content', { text: 'x' })], 'drop'),
        resume,
        isTerminal: (event) => event.event === 'done',
        onEvent: () => undefined,
        backoffMs: [0],
        // Offline tries do not count: with a limit of none, an online failure would already have given up.
        maxAttempts: 0,
      });
      expect(outcome).toBe('ended');
      expect(resume).toHaveBeenCalledWith(1, expect.anything());
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      clearTimeout(back);
      online.mockRestore();
    }
  });

  it('stops quietly when aborted while waiting to reconnect', async () => {
    const controller = new AbortController();
    const pending = followEventStream({
      connect: async () => sseResponse([frame(1, 'content', { text: 'x' })], 'drop'),
      resume: () => Promise.reject(new TypeError('offline')),
      isTerminal: () => false,
      onEvent: () => undefined,
      onConnectionChange: () => controller.abort(),
      backoffMs: [60_000],
      signal: controller.signal,
    });
    await expect(pending).resolves.toBe('aborted');
  });
});

describe('generation streams over the HTTP client', () => {
  it('sends the message, then resumes the dropped answer from GET …/events with Last-Event-ID', async () => {
    const api = installFakeApi({
      'POST /api/chat/sessions/s1/messages': () =>
        sseResponse([frame(1, 'meta', meta), frame(2, 'content', { text: 'Hel' })], 'drop'),
      [`GET /api/chat/generations/${meta.generationId}/events`]: () =>
        sseResponse([frame(3, 'content', { text: 'lo' }), frame(4, 'done', { status: 'complete' })]),
    });
    const events: ReceivedGenerationEvent[] = [];
    const outcome = await generationStreams.send(
      's1',
      { content: 'hi' },
      { onEvent: (event) => events.push(event), signal: new AbortController().signal },
    );

    expect(outcome).toBe('ended');
    expect(events.map((e) => e.event)).toEqual(['meta', 'content', 'content', 'done']);
    const [post, resume] = api.calls;
    expect(post!.body).toEqual({ content: 'hi' });
    expect((post!.init.headers as Record<string, string>).Accept).toBe('text/event-stream');
    expect((resume!.init.headers as Record<string, string>)['Last-Event-ID']).toBe('2');
  });

  it('rejects with the error envelope when the server refuses to start (429)', async () => {
    installFakeApi({
      'POST /api/chat/sessions/s1/messages': () => errorResponse(429, 'TOO_MANY_GENERATIONS'),
    });
    const error = await generationStreams
      .send('s1', { content: 'hi' }, { onEvent: () => undefined, signal: new AbortController().signal })
      .catch((e: unknown) => e);
    expect(isApiError(error) && error.code).toBe('TOO_MANY_GENERATIONS');
  });

  it('re-attaches from the start without Last-Event-ID', async () => {
    const api = installFakeApi({
      [`GET /api/chat/generations/${meta.generationId}/events`]: () =>
        sseResponse([frame(1, 'meta', meta), frame(2, 'done', { status: 'complete' })]),
    });
    await generationStreams.reattach(meta.generationId, {
      onEvent: () => undefined,
      signal: new AbortController().signal,
    });
    expect((api.calls[0]!.init.headers as Record<string, string>)['Last-Event-ID']).toBeUndefined();
  });
});
