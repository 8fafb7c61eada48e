import type { Session } from '@modelyard/contracts';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { i18n } from '@/i18n';
import { useChatSessionsStore } from '@/stores/chat-sessions';
import { numberedSession, sessionId } from '@/test-utils/chat';
import { errorResponse, installFakeApi, jsonResponse } from '@/test-utils/fake-api';
import { settle } from '@/test-utils/mount-app';
import { waitFor } from '@/test-utils/wait';
import ChatSessionPanel from './ChatSessionPanel.vue';

const sid = sessionId;
const session = (n: number, overrides: Partial<Session> = {}) => numberedSession(n, 'Report', overrides);

/** A server with `count` conversations matching the search "report" (none match anything else). */
function fakeServer(count: number, extra: Parameters<typeof installFakeApi>[0] = {}) {
  let all = Array.from({ length: count }, (_, i) => session(i + 1, { snippet: `the report number ${i + 1}` }));
  return installFakeApi({
    'GET /api/chat/sessions': ({ url }) => {
      const page = Number(url.searchParams.get('page'));
      const pageSize = Number(url.searchParams.get('pageSize'));
      const search = url.searchParams.get('search') ?? '';
      const matches = all.filter((s) => s.title.toLowerCase().includes(search.toLowerCase()));
      const items = matches.slice((page - 1) * pageSize, page * pageSize);
      return jsonResponse(200, { items, total: matches.length, page, pageSize });
    },
    'POST /api/chat/sessions/batch-delete': ({ body }) => {
      const ids = (body as { ids: string[] }).ids;
      all = all.filter((s) => !ids.includes(s.id));
      return jsonResponse(200, { deleted: ids, skipped: [] });
    },
    ...extra,
  });
}

async function mountPanel() {
  const pinia = createPinia();
  setActivePinia(pinia);
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/chat/:sessionId?', name: 'chat', component: { render: () => null } }],
  });
  await router.push('/chat');
  const wrapper = mount(ChatSessionPanel, {
    attachTo: document.body,
    // Each conversation's menu is an Element Plus dropdown, slow to render in happy-dom (and not tested here).
    global: { plugins: [pinia, i18n, router, ElementPlus], stubs: { ElDropdown: true } },
  });
  const sessions = useChatSessionsStore(pinia);
  await sessions.load();
  await settle();
  return { wrapper, sessions };
}

async function search(wrapper: Awaited<ReturnType<typeof mountPanel>>['wrapper'], text: string) {
  await wrapper.get('input[data-testid="chat-session-search"]').setValue(text);
  await new Promise((resolve) => setTimeout(resolve, 350)); // the search waits for a pause in typing
  await settle();
}

const rows = (wrapper: Awaited<ReturnType<typeof mountPanel>>['wrapper']) =>
  wrapper.findAll('[data-testid="chat-session-list"] > li');

const toast = (type: 'error' | 'success') => document.querySelector(`.el-message--${type}`)?.textContent ?? '';

afterEach(() => {
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('chat sessions panel', () => {
  it('says that only loaded matches are selected, and can select all of them', async () => {
    fakeServer(45);
    const { wrapper } = await mountPanel();
    await search(wrapper, 'report');
    expect(rows(wrapper)).toHaveLength(30);

    await wrapper.get('[data-testid="chat-sessions-select"]').trigger('click');
    await wrapper.get('[data-testid="chat-sessions-select-all"] input').setValue(true);
    await settle();
    expect(wrapper.get('[data-testid="chat-sessions-selected-count"]').text()).toBe('30 of 45 selected');
    expect(wrapper.get('[data-testid="chat-sessions-only-loaded"]').text()).toContain(
      'The other 15 are not loaded yet.',
    );

    await wrapper.get('[data-testid="chat-sessions-select-everything"]').trigger('click');
    await waitFor(() => expect(rows(wrapper)).toHaveLength(45));
    expect(wrapper.get('[data-testid="chat-sessions-selected-count"]').text()).toBe('45 selected');
    expect(wrapper.find('[data-testid="chat-sessions-only-loaded"]').exists()).toBe(false);
  });

  it('after deleting the loaded matches, lists the ones still left instead of "no match"', async () => {
    const api = fakeServer(45);
    const { wrapper } = await mountPanel();
    await search(wrapper, 'report');
    await wrapper.get('[data-testid="chat-sessions-select"]').trigger('click');
    await wrapper.get('[data-testid="chat-sessions-select-all"] input').setValue(true);
    await wrapper.get('[data-testid="chat-sessions-batch-delete"]').trigger('click');
    await waitFor(() => expect(document.querySelector('.el-message-box')).not.toBeNull());
    document.querySelector<HTMLButtonElement>('.el-message-box__btns .el-button--danger')!.click();

    await waitFor(() => expect(api.count('POST /api/chat/sessions/batch-delete')).toBe(1));
    await waitFor(() => expect(rows(wrapper)).toHaveLength(15));
    expect(rows(wrapper)[0]!.text()).toContain('Report 31');
    expect(wrapper.find('[data-testid="chat-sessions-empty"]').exists()).toBe(false);
  });

  it('when reloading fails, shows the error with Retry instead of the old results, and reloads once online', async () => {
    const api = fakeServer(3);
    const { wrapper } = await mountPanel();
    await search(wrapper, 'report 2');
    expect(rows(wrapper)).toHaveLength(1);
    expect(wrapper.get('[data-testid="chat-session-snippet"]').text()).toContain('the report number 2');

    api.on('GET /api/chat/sessions', () => Promise.reject(new TypeError('Failed to fetch')));
    await search(wrapper, '');
    expect(wrapper.find('[data-testid="chat-session-list"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="chat-session-snippet"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="chat-sessions-error"]').text()).toContain(
      'The conversations could not be loaded.',
    );
    expect(wrapper.get('[data-testid="chat-sessions-retry"]').text()).toBe('Retry');

    fakeServer(3);
    window.dispatchEvent(new Event('online'));
    await waitFor(() => expect(rows(wrapper)).toHaveLength(3));
    expect(wrapper.find('[data-testid="chat-sessions-error"]').exists()).toBe(false);
  });

  it('Retry in the list loads it again', async () => {
    installFakeApi({ 'GET /api/chat/sessions': () => errorResponse(503, 'SERVICE_UNAVAILABLE') });
    const { wrapper } = await mountPanel();
    expect(wrapper.find('[data-testid="chat-sessions-error"]').exists()).toBe(true);
    fakeServer(2);
    await wrapper.get('[data-testid="chat-sessions-retry"]').trigger('click');
    await waitFor(() => expect(rows(wrapper)).toHaveLength(2));
  });

  it('says a file that is not a Modelyard chat export is not one, without sending it', async () => {
    const api = fakeServer(0);
    const { wrapper } = await mountPanel();
    const input = wrapper.get<HTMLInputElement>('[data-testid="chat-sessions-import-input"]');
    Object.defineProperty(input.element, 'files', {
      configurable: true,
      value: [new File(['{"hello":1}'], 'hello.json', { type: 'application/json' })],
    });
    await input.trigger('change');
    await waitFor(() => expect(toast('error')).toContain('That file is not a Modelyard chat export (JSON).'));
    expect(api.count('POST /api/chat/sessions/import')).toBe(0);
  });

  it("names the message the server found wrong in an import, not 'Some fields are not valid.'", async () => {
    const api = fakeServer(0, {
      'POST /api/chat/sessions/import': () =>
        jsonResponse(400, {
          statusCode: 400,
          code: 'INVALID_IMPORT',
          message: 'Message 2 of the file repeats an earlier message id',
          details: [{ path: 'messages.1.id', message: 'repeats an earlier message id' }],
          requestId: 'r',
        }),
    });
    const { wrapper } = await mountPanel();
    const file = {
      format: 'modelyard.chat',
      version: 1,
      session: { title: 'Twice' },
      messages: [
        { id: 'a', parentId: null, role: 'user', content: 'Hi' },
        { id: 'a', parentId: null, role: 'assistant', content: 'Hello' },
      ],
    };
    const input = wrapper.get<HTMLInputElement>('[data-testid="chat-sessions-import-input"]');
    Object.defineProperty(input.element, 'files', {
      configurable: true,
      value: [new File([JSON.stringify(file)], 'twice.json', { type: 'application/json' })],
    });
    await input.trigger('change');
    await waitFor(() => expect(api.count('POST /api/chat/sessions/import')).toBe(1));
    await waitFor(() =>
      expect(toast('error')).toContain('Message 2 of the file repeats the id of an earlier message.'),
    );
    expect(document.body.textContent).not.toContain('Some fields are not valid.');
  });

  it('marks a pinned conversation with a labelled pin, not an arrow', async () => {
    installFakeApi({
      'GET /api/chat/sessions': () =>
        jsonResponse(200, { items: [session(1, { pinned: true }), session(2)], total: 2, page: 1, pageSize: 30 }),
    });
    const { wrapper } = await mountPanel();
    const pins = wrapper.findAll('[data-testid="chat-session-pinned"]');
    expect(pins).toHaveLength(1);
    expect(pins[0]!.attributes('role')).toBe('img');
    expect(pins[0]!.attributes('aria-label')).toBe('Pinned');
    expect(
      wrapper
        .get(`[data-testid="chat-session-${sid(1)}"]`)
        .find('[data-testid="chat-session-pinned"]')
        .exists(),
    ).toBe(true);
    await flushPromises();
  });
});
