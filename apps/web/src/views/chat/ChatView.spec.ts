import '@/test-utils/happy-dom-node-name';
import type { ModelConfig, Prompt } from '@modelyard/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeSession } from '@/test-utils/chat';
import { jsonResponse, makeUser, signedInRoutes } from '@/test-utils/fake-api';
import { makeModelConfig } from '@/test-utils/models';
import { mountApp, settle } from '@/test-utils/mount-app';
import { makePrompt } from '@/test-utils/prompts';
import { waitFor } from '@/test-utils/wait';

const SESSION_ID = '40000000-0000-4000-8000-000000000001';
const USER_MESSAGE_ID = '50000000-0000-4000-8000-000000000001';
const ANSWER_ID = '50000000-0000-4000-8000-000000000002';
const GENERATION_ID = '60000000-0000-4000-8000-000000000001';

const page = <T>(items: T[]) => ({ items, total: items.length, page: 1, pageSize: 30 });

const PROMPT_ID = '80000000-0000-4000-8000-000000000001';

function makeTranslator(overrides: Partial<Prompt> = {}): Prompt {
  return makePrompt({
    id: PROMPT_ID,
    name: 'Translator',
    content: 'Translate {{user_input}} into {{language}}, {{tone}} tone.',
    description: 'Any language',
    category: 'translation',
    tags: [],
    variables: [
      { name: 'language', description: 'Target language' },
      { name: 'tone', default: 'neutral' },
    ],
    builtins: ['user_input'],
    version: 2,
    isFavorite: true,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  });
}

function eventStream(frames: { event: string; data: unknown }[]): Response {
  const text = frames.map((f, i) => `id: ${i + 1}\nevent: ${f.event}\ndata: ${JSON.stringify(f.data)}\n\n`).join('');
  return new Response(text, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

/** A signed-in user with no conversations yet and these model configs. */
function emptyChatRoutes(configs: ModelConfig[]) {
  return {
    ...signedInRoutes(makeUser()),
    'GET /api/chat/sessions': () => jsonResponse(200, page([])),
    'GET /api/model-configs': () => jsonResponse(200, { ...page(configs), pageSize: 100 }),
  };
}

// The page's chunks (marked, DOMPurify, the virtualiser) are transformed on first use: allow for a slow machine.
vi.setConfig({ testTimeout: 20_000 });

beforeEach(() => {
  // happy-dom does no layout: give the message list a viewport and each message a height, so the virtualised list
  // has rows to show.
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(800);
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(1000);
  vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockReturnValue(120);
});

afterEach(() => {
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('chat page', () => {
  it('without any model config, points to the Models page; without conversations, says so', async () => {
    const { wrapper } = await mountApp('/chat', {
      ...emptyChatRoutes([]),
    });
    await waitFor(() => expect(wrapper.find('[data-testid="chat-no-models"]').exists()).toBe(true));
    expect(wrapper.get('[data-testid="chat-to-models"]').attributes('href')).toBe('/models');
    expect(wrapper.get('[data-testid="chat-sessions-empty"]').text()).toContain('No conversations yet');
    expect(wrapper.find('[data-testid="chat-input"]').exists()).toBe(false);
  });

  it('creates the chat with its first message and streams the answer in, thinking first', async () => {
    const config = makeModelConfig({ name: 'Thinker', isDefault: true });
    const created = makeSession({ modelConfigId: config.id });
    const { wrapper, router, api } = await mountApp('/chat', {
      ...emptyChatRoutes([config]),
      'POST /api/chat/sessions': () => jsonResponse(201, created),
      [`GET /api/chat/sessions/${SESSION_ID}`]: () => jsonResponse(200, { ...created, messageCount: 2 }),
      [`POST /api/chat/sessions/${SESSION_ID}/messages`]: () =>
        eventStream([
          {
            event: 'meta',
            data: {
              generationId: GENERATION_ID,
              sessionId: SESSION_ID,
              userMessageId: USER_MESSAGE_ID,
              assistantMessageId: ANSWER_ID,
              model: 'mock-reasoning',
              modelConfigId: config.id,
            },
          },
          { event: 'reasoning', data: { text: 'Rayleigh scattering…' } },
          { event: 'content', data: { text: 'Because of **Rayleigh** scattering.' } },
          { event: 'usage', data: { promptTokens: 9, completionTokens: 12 } },
          { event: 'done', data: { status: 'complete', ttftMs: 120, totalMs: 900, reasoningMs: 300 } },
        ]),
    });
    await waitFor(() => expect(wrapper.find('[data-testid="chat-input"]').exists()).toBe(true));
    expect(wrapper.get('[data-testid="chat-model-select"]').text()).toContain('Thinker');

    await wrapper.get('[data-testid="chat-input"]').setValue('Why is the sky blue?');
    await wrapper.get('[data-testid="chat-input"]').trigger('keydown', { key: 'Enter' });

    await waitFor(() => expect(router.currentRoute.value.fullPath).toBe(`/chat/${SESSION_ID}`));
    await waitFor(() =>
      expect(wrapper.find(`[data-testid="message-${ANSWER_ID}"]`).attributes('data-status')).toBe('complete'),
    );
    await settle();
    const answer = wrapper.get(`[data-testid="message-${ANSWER_ID}"]`);
    expect(answer.get('[data-testid="message-content"] strong').text()).toBe('Rayleigh');
    expect(answer.get('[data-testid="thinking-panel"]').attributes('data-state')).toBe('collapsed');
    expect(answer.get('[data-testid="thinking-timer"]').text()).toBe('Thought for 0.3 s');
    expect(answer.get('[data-testid="message-meta"]').text()).toContain('9 → 12 tokens');
    const question = wrapper.get(`[data-testid="message-${USER_MESSAGE_ID}"]`);
    expect(question.attributes('data-role')).toBe('user');
    expect(question.get('[data-testid="message-content"]').text()).toBe('Why is the sky blue?');

    const sent = api.calls.find((c) => c.method === 'POST' && c.path.endsWith('/messages'))!;
    expect(sent.body).toEqual({ content: 'Why is the sky blue?', parentId: null, modelConfigId: config.id });
    expect(wrapper.find('[data-testid="chat-send"]').exists()).toBe(true);
  });

  it('a refused first message takes its new chat back and gives the text back; drafts stay with their chat', async () => {
    localStorage.clear();
    const config = makeModelConfig({ name: 'Thinker', isDefault: true });
    const created = makeSession({ modelConfigId: config.id });
    const { wrapper, router, api } = await mountApp('/chat', {
      ...emptyChatRoutes([config]),
      'POST /api/chat/sessions': () => jsonResponse(201, created),
      [`DELETE /api/chat/sessions/${SESSION_ID}`]: () => new Response(null, { status: 204 }),
      [`POST /api/chat/sessions/${SESSION_ID}/messages`]: () =>
        jsonResponse(400, {
          statusCode: 400,
          code: 'MODEL_CONFIG_PROVIDER_DISABLED',
          message: 'The provider is disabled',
          requestId: 'r',
        }),
    });
    await waitFor(() => expect(wrapper.find('[data-testid="chat-input"]').exists()).toBe(true));
    await wrapper.get('[data-testid="chat-input"]').setValue('Hello there');
    await wrapper.get('[data-testid="chat-input"]').trigger('keydown', { key: 'Enter' });

    await waitFor(() => expect(api.count(`DELETE /api/chat/sessions/${SESSION_ID}`)).toBe(1));
    await settle();
    expect(router.currentRoute.value.fullPath).toBe('/chat');
    expect(wrapper.find(`[data-testid="chat-session-${SESSION_ID}"]`).exists()).toBe(false);
    expect(wrapper.get('[data-testid="chat-send-error"]').text()).toContain('disabled');
    expect(wrapper.get('[data-testid="chat-input"]').element).toHaveProperty('value', 'Hello there');

    // Unsent text is kept for this (new) chat, across a reload of the page.
    await waitFor(() => expect(localStorage.getItem('modelyard.chat.draft.new')).toContain('Hello there'));
  });

  it('says when a message is too long to send, before sending it', async () => {
    const config = makeModelConfig({ name: 'Thinker', isDefault: true });
    const { wrapper, api } = await mountApp('/chat', {
      ...emptyChatRoutes([config]),
    });
    await waitFor(() => expect(wrapper.find('[data-testid="chat-input"]').exists()).toBe(true));
    await wrapper.get('[data-testid="chat-input"]').setValue('x'.repeat(100_001));
    expect(wrapper.get('[data-testid="chat-input-length"]').text()).toBe(
      'Too long to send: 100,001 of at most 100,000 characters.',
    );
    expect(wrapper.get('[data-testid="chat-send"]').attributes('disabled')).toBeDefined();
    await wrapper.get('[data-testid="chat-input"]').trigger('keydown', { key: 'Enter' });
    await settle();
    expect(api.count('POST /api/chat/sessions')).toBe(0);
    localStorage.clear();
  });

  it('uses a library prompt with the next message; a refusal for missing variables reopens the form', async () => {
    const config = makeModelConfig({ name: 'Thinker', isDefault: true });
    const created = makeSession({ modelConfigId: config.id });
    const translator = makeTranslator();
    // Edited since it was listed: `tone` lost its default.
    const fresh = makeTranslator({ version: 3, variables: [{ name: 'language' }, { name: 'tone' }] });
    const { wrapper, api } = await mountApp('/chat', {
      ...emptyChatRoutes([config]),
      'GET /api/prompts': () => jsonResponse(200, { ...page([translator]), pageSize: 20 }),
      [`GET /api/prompts/${PROMPT_ID}`]: () => jsonResponse(200, fresh),
      'POST /api/chat/sessions': () => jsonResponse(201, created),
      [`GET /api/chat/sessions/${SESSION_ID}`]: () => jsonResponse(200, created),
      [`GET /api/chat/sessions/${SESSION_ID}/messages`]: () => jsonResponse(200, { items: [], currentLeafId: null }),
      [`POST /api/chat/sessions/${SESSION_ID}/messages`]: () =>
        jsonResponse(400, {
          statusCode: 400,
          code: 'PROMPT_VARIABLES_MISSING',
          message: 'Some variables of the prompt have no value: tone',
          details: [{ path: 'variables.tone', message: 'is required' }],
          requestId: 'r',
        }),
    });
    await waitFor(() => expect(wrapper.find('[data-testid="chat-input"]').exists()).toBe(true));

    await wrapper.get('[data-testid="chat-system-prompt"]').trigger('click');
    await waitFor(() => expect(document.querySelector('[data-testid="system-prompt-library"]')).not.toBeNull());
    document.querySelector<HTMLElement>('[data-testid="system-prompt-library"]')!.click();
    await waitFor(() =>
      expect(document.querySelector('[data-testid="library-prompt-item"][data-name="Translator"]')).not.toBeNull(),
    );
    document.querySelector<HTMLElement>('[data-testid="library-prompt-item"][data-name="Translator"]')!.click();
    await settle();
    const tone = document.querySelector<HTMLTextAreaElement>('[data-testid="library-variable"][data-variable="tone"]')!;
    expect(tone.value).toBe('neutral');
    expect(document.querySelector('[data-testid="library-builtins"]')?.textContent).toContain('{{user_input}}');

    // `language` has no default: Use asks for it first.
    document.querySelector<HTMLButtonElement>('[data-testid="library-prompt-use"]')!.click();
    await settle();
    const language = () =>
      document.querySelector<HTMLTextAreaElement>('[data-testid="library-variable"][data-variable="language"]')!;
    expect(language().getAttribute('aria-invalid')).toBe('true');
    language().value = 'French';
    language().dispatchEvent(new Event('input'));
    await settle();
    document.querySelector<HTMLButtonElement>('[data-testid="library-prompt-use"]')!.click();
    await waitFor(() => expect(wrapper.find('[data-testid="chat-prompt-chip"]').exists()).toBe(true));
    expect(wrapper.get('[data-testid="chat-prompt-chip"]').text()).toContain('System prompt: Translator v2');
    expect(wrapper.get('[data-testid="chat-prompt-chip"]').attributes('data-state')).toBe('pending');

    await wrapper.get('[data-testid="chat-input"]').setValue('Good morning');
    await wrapper.get('[data-testid="chat-input"]').trigger('keydown', { key: 'Enter' });
    await waitFor(() => expect(api.count(`POST /api/chat/sessions/${SESSION_ID}/messages`)).toBe(1));
    const sent = api.calls.find((c) => c.method === 'POST' && c.path.endsWith('/messages'))!;
    expect(sent.body).toMatchObject({
      content: 'Good morning',
      promptId: PROMPT_ID,
      variables: { language: 'French', tone: 'neutral' },
    });

    // The refusal: the form is back, on the fresh version of the prompt, with `tone` marked; the chip stays.
    await waitFor(() =>
      expect(
        document.querySelector('[data-testid="library-variable"][data-variable="tone"]')?.getAttribute('aria-invalid'),
      ).toBe('true'),
    );
    expect(wrapper.find('[data-testid="chat-prompt-chip"]').exists()).toBe(true);
    expect(wrapper.get('[data-testid="chat-input"]').element).toHaveProperty('value', 'Good morning');
    await settle(); // let the reopened form's requests finish before the fake API goes away
  });
});
