import type { Message, Session } from '@modelyard/contracts';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeSession } from '@/test-utils/chat';
import { errorResponse, installFakeApi, jsonResponse } from '@/test-utils/fake-api';
import { useChatStore } from './chat';
import { useChatSessionsStore } from './chat-sessions';

const SID = '40000000-0000-4000-8000-000000000001';
const GEN = '60000000-0000-4000-8000-000000000001';
const id = (n: number) => `50000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function session(overrides: Partial<Session> = {}): Session {
  return makeSession({ id: SID, title: 'Physics', ...overrides });
}

function message(
  n: number,
  parent: number | null,
  role: Message['role'],
  content: string,
  extra: Partial<Message> = {},
) {
  return {
    id: id(n),
    sessionId: SID,
    parentId: parent === null ? null : id(parent),
    role,
    content,
    status: 'complete',
    createdAt: `2026-01-01T00:00:0${n}.000Z`,
    ...extra,
  } as Message;
}

function eventStream(frames: { event: string; data: unknown }[], firstId = 1): Response {
  const text = frames
    .map((f, i) => `id: ${firstId + i}\nevent: ${f.event}\ndata: ${JSON.stringify(f.data)}\n\n`)
    .join('');
  return new Response(text, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

beforeEach(() => {
  setActivePinia(createPinia());
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('chat store', () => {
  it('re-attaches to an answer still streaming when a conversation opens, replaying it in place', async () => {
    const streaming = message(2, 1, 'assistant', 'Light scatt', { status: 'streaming', generationId: GEN });
    const api = installFakeApi({
      [`GET /api/chat/sessions/${SID}`]: () => jsonResponse(200, session({ currentLeafId: id(2) })),
      [`GET /api/chat/sessions/${SID}/messages`]: () =>
        jsonResponse(200, { items: [message(1, null, 'user', 'Why blue?'), streaming], currentLeafId: id(2) }),
      [`GET /api/chat/generations/${GEN}/events`]: () =>
        eventStream([
          { event: 'meta', data: { generationId: GEN, assistantMessageId: id(2), userMessageId: id(1) } },
          { event: 'content', data: { text: 'Light scatt' } },
          { event: 'content', data: { text: 'ers.' } },
          { event: 'done', data: { status: 'complete', ttftMs: 5, totalMs: 50, reasoningMs: null } },
        ]),
    });
    const chat = useChatStore();
    await chat.open(SID);
    expect(chat.path.map((m) => m.id)).toEqual([id(1), id(2)]);

    await vi.waitFor(() => expect(chat.messages.get(id(2))?.status).toBe('complete'));
    expect(chat.messages.get(id(2))?.content).toBe('Light scatters.');
    expect(chat.live.size).toBe(0);
    const resume = api.calls.find((c) => c.path.endsWith('/events'))!;
    expect((resume.init.headers as Record<string, string>)['Last-Event-ID']).toBeUndefined();
  });

  it('follows an answer it gave up on again by itself once the network is back', async () => {
    vi.useFakeTimers();
    try {
      const streaming = message(2, 1, 'assistant', '', { status: 'streaming', generationId: GEN });
      const api = installFakeApi({
        [`GET /api/chat/sessions/${SID}`]: () => jsonResponse(200, session({ currentLeafId: id(2) })),
        [`GET /api/chat/sessions/${SID}/messages`]: () =>
          jsonResponse(200, { items: [message(1, null, 'user', 'Why blue?'), streaming], currentLeafId: id(2) }),
        [`GET /api/chat/generations/${GEN}/events`]: () => Promise.reject(new TypeError('Failed to fetch')),
      });
      const chat = useChatStore();
      await chat.open(SID);
      // The server stays out of reach through every retry: the answer is shown as lost (with its Reconnect).
      await vi.advanceTimersByTimeAsync(120_000);
      expect(chat.live.get(id(2))?.connection).toBe('lost');

      api.on(`GET /api/chat/generations/${GEN}/events`, () =>
        eventStream([
          { event: 'meta', data: { generationId: GEN, assistantMessageId: id(2), userMessageId: id(1) } },
          { event: 'content', data: { text: 'Light scatters.' } },
          { event: 'done', data: { status: 'complete', ttftMs: 5, totalMs: 50, reasoningMs: null } },
        ]),
      );
      globalThis.dispatchEvent(new Event('online'));
      await vi.advanceTimersByTimeAsync(1_000);
      expect(chat.messages.get(id(2))).toMatchObject({ status: 'complete', content: 'Light scatters.' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('switching to a sibling shows its latest branch and remembers it on the session', async () => {
    const api = installFakeApi({
      [`GET /api/chat/sessions/${SID}`]: () => jsonResponse(200, session()),
      [`GET /api/chat/sessions/${SID}/messages`]: () =>
        jsonResponse(200, {
          items: [
            message(1, null, 'user', 'q'),
            message(2, 1, 'assistant', 'first answer'),
            message(3, 1, 'assistant', 'second answer'),
            message(4, 3, 'user', 'follow-up'),
          ],
          currentLeafId: id(2),
        }),
      [`PATCH /api/chat/sessions/${SID}`]: ({ body }) => jsonResponse(200, session(body as Partial<Session>)),
    });
    const chat = useChatStore();
    await chat.open(SID);
    expect(chat.path.map((m) => m.content)).toEqual(['q', 'first answer']);

    chat.switchSibling(id(2), 1);
    expect(chat.path.map((m) => m.content)).toEqual(['q', 'second answer', 'follow-up']);
    await vi.waitFor(() => expect(api.count(`PATCH /api/chat/sessions/${SID}`)).toBe(1));
    expect(api.calls.at(-1)!.body).toEqual({ currentLeafId: id(4) });
  });

  it('a refused send takes its optimistic messages back out and says why', async () => {
    installFakeApi({
      [`GET /api/chat/sessions/${SID}`]: () => jsonResponse(200, session()),
      [`GET /api/chat/sessions/${SID}/messages`]: () =>
        jsonResponse(200, {
          items: [message(1, null, 'user', 'q'), message(2, 1, 'assistant', 'a')],
          currentLeafId: id(2),
        }),
      [`POST /api/chat/sessions/${SID}/messages`]: () => errorResponse(429, 'TOO_MANY_GENERATIONS'),
    });
    const chat = useChatStore();
    await chat.open(SID);

    await expect(chat.send('one more')).rejects.toMatchObject({ code: 'TOO_MANY_GENERATIONS' });
    expect(chat.sendError?.code).toBe('TOO_MANY_GENERATIONS');
    expect(chat.path.map((m) => m.content)).toEqual(['q', 'a']);
    expect(chat.messages.size).toBe(2);
    expect(chat.busy).toBe(false);
  });

  it('stop asks the server to stop the generation; the answer ends as stopped with its text', async () => {
    let finish!: (frames: string) => void;
    const rest = new Promise<string>((resolve) => (finish = resolve));
    const api = installFakeApi({
      [`GET /api/chat/sessions/${SID}`]: () => jsonResponse(200, session()),
      [`GET /api/chat/sessions/${SID}/messages`]: () => jsonResponse(200, { items: [], currentLeafId: null }),
      [`POST /api/chat/sessions/${SID}/messages`]: () => {
        const encoder = new TextEncoder();
        const body = new ReadableStream<Uint8Array>({
          async start(controller) {
            controller.enqueue(
              encoder.encode(
                `id: 1\nevent: meta\ndata: ${JSON.stringify({ generationId: GEN, userMessageId: id(1), assistantMessageId: id(2) })}\n\n` +
                  `id: 2\nevent: content\ndata: ${JSON.stringify({ text: 'Once upon' })}\n\n`,
              ),
            );
            controller.enqueue(encoder.encode(await rest));
            controller.close();
          },
        });
        return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
      },
      [`POST /api/chat/generations/${GEN}/stop`]: () => {
        finish(
          `id: 3\nevent: done\ndata: ${JSON.stringify({ status: 'stopped', ttftMs: 1, totalMs: 9, reasoningMs: null })}\n\n`,
        );
        return jsonResponse(202, { stopping: true });
      },
      [`GET /api/chat/sessions`]: () => jsonResponse(200, { items: [], total: 0, page: 1, pageSize: 30 }),
    });
    const chat = useChatStore();
    await chat.open(SID);
    await chat.send('Tell me a story');
    expect(chat.busy).toBe(true);
    await vi.waitFor(() => expect(chat.live.get(id(2))?.state?.content).toBe('Once upon'));

    await chat.stop(id(2));
    await vi.waitFor(() => expect(chat.messages.get(id(2))?.status).toBe('stopped'));
    expect(chat.messages.get(id(2))?.content).toBe('Once upon');
    expect(chat.busy).toBe(false);
    expect(api.count(`POST /api/chat/generations/${GEN}/stop`)).toBe(1);
  });
});

const PROMPT_ID = '80000000-0000-4000-8000-000000000001';
const pending = { promptId: PROMPT_ID, name: 'Translator', version: 3, variables: { language: 'French' } };

/** A conversation with one question and answer, whose sends answer with a short stream (or `refuse`). */
function promptedChat(refuse?: () => Response) {
  let stored = session({ messageCount: 2 });
  let sends = 0;
  const api = installFakeApi({
    [`GET /api/chat/sessions/${SID}`]: () => jsonResponse(200, stored),
    [`GET /api/chat/sessions/${SID}/messages`]: () =>
      jsonResponse(200, {
        items: [message(1, null, 'user', 'q'), message(2, 1, 'assistant', 'a')],
        currentLeafId: id(2),
      }),
    [`POST /api/chat/sessions/${SID}/messages`]: ({ body }) => {
      if (refuse && sends++ === 0) return refuse();
      const input = body as { promptId?: string };
      if (input.promptId)
        stored = {
          ...stored,
          systemPrompt: 'Translate into French.',
          prompt: { id: PROMPT_ID, name: 'Translator', version: 3 },
        };
      const n = 10 + api.count(`POST /api/chat/sessions/${SID}/messages`) * 2;
      return eventStream([
        { event: 'meta', data: { generationId: GEN, userMessageId: id(n), assistantMessageId: id(n + 1) } },
        { event: 'content', data: { text: 'Bonjour' } },
        { event: 'done', data: { status: 'complete', ttftMs: 1, totalMs: 2, reasoningMs: null } },
      ]);
    },
    [`PATCH /api/chat/sessions/${SID}`]: ({ body }) => {
      const changes = body as Partial<Session>;
      stored = { ...stored, ...changes, ...(changes.systemPrompt === null && { prompt: null }) };
      return jsonResponse(200, stored);
    },
  });
  return api;
}

const sendBodies = (api: ReturnType<typeof installFakeApi>) =>
  api.calls.filter((c) => c.method === 'POST' && c.path === `/api/chat/sessions/${SID}/messages`).map((c) => c.body);

describe('chat store: a library prompt for the next message', () => {
  it('sends the pending prompt with the next message only, then shows the session linked to it', async () => {
    const api = promptedChat();
    const chat = useChatStore();
    await chat.open(SID);
    chat.choosePrompt(pending);

    await chat.send('Hello');
    expect(chat.pendingPrompt).toBeNull();
    await vi.waitFor(() => expect(chat.session?.prompt).toEqual({ id: PROMPT_ID, name: 'Translator', version: 3 }));
    await vi.waitFor(() => expect(chat.busy).toBe(false));

    await chat.send('Again');
    const [first, second] = sendBodies(api) as Record<string, unknown>[];
    expect(first).toMatchObject({ content: 'Hello', promptId: PROMPT_ID, variables: { language: 'French' } });
    expect(first!.timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(second).not.toHaveProperty('promptId');
    expect(second).not.toHaveProperty('variables');
  });

  it('keeps the pending prompt when the server finds variables missing, and names them', async () => {
    const api = promptedChat(() =>
      jsonResponse(400, {
        statusCode: 400,
        code: 'PROMPT_VARIABLES_MISSING',
        message: 'Fill in: tone',
        details: [{ path: 'variables.tone', message: 'is required' }],
        requestId: 'r',
      }),
    );
    const chat = useChatStore();
    await chat.open(SID);
    chat.choosePrompt(pending);

    await expect(chat.send('Hello')).rejects.toMatchObject({ code: 'PROMPT_VARIABLES_MISSING' });
    expect(chat.pendingPrompt).toEqual(pending);
    expect(chat.promptVariablesMissing).toEqual(['tone']);
    expect(chat.sendError?.code).toBe('PROMPT_VARIABLES_MISSING');

    // The user fixes the form and picks the prompt again: the refusal is forgotten and the next send carries it.
    chat.choosePrompt({ ...pending, variables: { language: 'French', tone: 'formal' } });
    expect(chat.promptVariablesMissing).toBeNull();
    expect(chat.sendError).toBeNull();
    await chat.send('Hello');
    expect(sendBodies(api).at(-1)).toMatchObject({
      promptId: PROMPT_ID,
      variables: { language: 'French', tone: 'formal' },
    });
    expect(chat.pendingPrompt).toBeNull();
  });

  it('removing a pending prompt only forgets it; removing the one in use clears the system prompt', async () => {
    const api = promptedChat();
    const chat = useChatStore();
    await chat.open(SID);
    chat.choosePrompt(pending);
    await chat.clearPrompt();
    expect(chat.pendingPrompt).toBeNull();
    expect(api.count(`PATCH /api/chat/sessions/${SID}`)).toBe(0);

    chat.choosePrompt(pending);
    await chat.send('Hello');
    await vi.waitFor(() => expect(chat.activePrompt?.name).toBe('Translator'));
    await chat.clearPrompt();
    expect(api.calls.find((c) => c.method === 'PATCH')!.body).toEqual({ systemPrompt: null });
    expect(chat.activePrompt).toBeNull();
  });

  it('a prompt picked in a new chat goes with the first message, after the chat is created', async () => {
    const api = installFakeApi({
      'POST /api/chat/sessions': () => jsonResponse(201, session()),
      [`GET /api/chat/sessions/${SID}`]: () =>
        jsonResponse(200, session({ prompt: { id: PROMPT_ID, name: 'Translator', version: 3 } })),
      [`POST /api/chat/sessions/${SID}/messages`]: () =>
        eventStream([
          { event: 'meta', data: { generationId: GEN, userMessageId: id(1), assistantMessageId: id(2) } },
          { event: 'done', data: { status: 'complete', ttftMs: 1, totalMs: 2, reasoningMs: null } },
        ]),
    });
    const chat = useChatStore();
    await chat.open(null);
    chat.choosePrompt(pending);
    await chat.send('Hello');
    expect(api.calls.map((c) => `${c.method} ${c.path}`).slice(0, 2)).toEqual([
      'POST /api/chat/sessions',
      `POST /api/chat/sessions/${SID}/messages`,
    ]);
    expect(sendBodies(api)[0]).toMatchObject({ promptId: PROMPT_ID });
    await vi.waitFor(() => expect(chat.activePrompt?.version).toBe(3));
  });

  it('a prompt picked for one conversation is dropped when another one opens', async () => {
    promptedChat();
    const chat = useChatStore();
    await chat.open(null);
    chat.choosePrompt(pending);
    await chat.open(SID);
    expect(chat.pendingPrompt).toBeNull();
  });
});

describe('chat sessions store', () => {
  it('pages in more conversations, skipping ones it already has, and keeps pinned ones first', async () => {
    const a = session({ id: id(11), title: 'A', lastActivityAt: '2026-01-03T00:00:00.000Z' });
    const b = session({ id: id(12), title: 'B', lastActivityAt: '2026-01-02T00:00:00.000Z' });
    const c = session({ id: id(13), title: 'C', lastActivityAt: '2026-01-01T00:00:00.000Z' });
    installFakeApi({
      'GET /api/chat/sessions': ({ url }) =>
        url.searchParams.get('page') === '1'
          ? jsonResponse(200, { items: [a, b], total: 3, page: 1, pageSize: 30 })
          : jsonResponse(200, { items: [b, c], total: 3, page: 2, pageSize: 30 }),
    });
    const sessions = useChatSessionsStore();
    await sessions.load();
    expect(sessions.hasMore).toBe(true);
    await sessions.loadMore();
    expect(sessions.items.map((s) => s.title)).toEqual(['A', 'B', 'C']);
    expect(sessions.hasMore).toBe(false);

    sessions.upsert({ ...c, pinned: true });
    expect(sessions.items.map((s) => s.title)).toEqual(['C', 'A', 'B']);
    sessions.upsert({ ...a, archived: true });
    expect(sessions.items.map((s) => s.title)).toEqual(['C', 'B']);
    expect(sessions.total).toBe(2);
  });
});
