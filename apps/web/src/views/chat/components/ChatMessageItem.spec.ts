import '@/test-utils/happy-dom-node-name';
import type { Message } from '@modelyard/contracts';
import { mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '@/i18n';
import type { LiveAnswer } from '@/stores/chat';
import { initialStreamState, type StreamState } from '../stream-reducer';
import ChatMessageItem from './ChatMessageItem.vue';

const CREATED = Date.parse('2026-01-01T00:00:00.000Z');

const answer = (overrides: Partial<Message> = {}): Message => ({
  id: '50000000-0000-4000-8000-000000000002',
  sessionId: '40000000-0000-4000-8000-000000000001',
  parentId: '50000000-0000-4000-8000-000000000001',
  role: 'assistant',
  content: '',
  status: 'streaming',
  model: 'mock-reasoning',
  createdAt: new Date(CREATED).toISOString(),
  ...overrides,
});

const live = (state: Partial<StreamState>, replayed = false): LiveAnswer => ({
  messageId: answer().id,
  state: initialStreamState(state),
  connection: 'open',
  replayed,
  stopping: false,
});

function mountItem(props: { message?: Message; live?: LiveAnswer; answersOnly?: boolean }) {
  return mount(ChatMessageItem, {
    props: {
      message: props.message ?? answer(),
      live: props.live,
      siblings: { index: 0, count: 1 },
      busy: props.live !== undefined,
      answersOnly: props.answersOnly ?? false,
    },
    global: { plugins: [createPinia(), i18n, ElementPlus] },
  });
}

afterEach(() => {
  vi.useRealTimers();
  i18n.global.locale.value = 'en';
});

describe('chat message', () => {
  it("says when an answer ended at the token limit or in the provider's content filter", async () => {
    const wrapper = mountItem({ message: answer({ status: 'complete', content: 'Part', finishReason: 'length' }) });
    expect(wrapper.get('[data-testid="message-cut-off"]').text()).toBe('Cut off at the token limit');
    expect(wrapper.find('[data-testid="message-filtered"]').exists()).toBe(false);

    await wrapper.setProps({
      message: answer({ status: 'complete', content: 'Part', finishReason: 'content_filter' }),
    });
    expect(wrapper.get('[data-testid="message-filtered"]').text()).toBe("Ended by the provider's content filter");
    expect(wrapper.find('[data-testid="message-cut-off"]').exists()).toBe(false);

    await wrapper.setProps({ message: answer({ status: 'complete', content: 'Whole', finishReason: 'stop' }) });
    expect(wrapper.find('[data-testid="message-filtered"]').exists()).toBe(false);
  });

  it('with answers only, says the model is thinking while its hidden thinking goes on', async () => {
    const thinking = live({ reasoning: 'Let me see…', reasoningStartedAt: CREATED });
    const wrapper = mountItem({ live: thinking, answersOnly: true });
    expect(wrapper.find('[data-testid="thinking-panel"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="message-waiting"]').text()).toBe('Thinking…');
    expect(wrapper.text()).not.toContain('Let me see');

    // Shown, the thinking panel says it instead.
    await wrapper.setProps({ answersOnly: false });
    expect(wrapper.find('[data-testid="message-waiting"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="thinking-panel"]').attributes('data-state')).toBe('thinking');

    // The answer started: nothing to wait for.
    await wrapper.setProps({
      answersOnly: true,
      live: live({ reasoning: 'Let me see…', content: 'Yes.', reasoningStartedAt: CREATED, answerStartedAt: CREATED }),
    });
    expect(wrapper.find('[data-testid="message-waiting"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="message-content"]').text()).toBe('Yes.');

    i18n.global.locale.value = 'zh-CN';
    await wrapper.setProps({ live: thinking });
    expect(wrapper.get('[data-testid="message-waiting"]').text()).toBe('思考中…');
  });

  it('folds the thinking away when the answer starts, even if the user folded or opened it meanwhile', async () => {
    const wrapper = mountItem({ live: live({ reasoning: 'Hmm', reasoningStartedAt: CREATED }) });
    const panel = () => wrapper.get('[data-testid="thinking-panel"]').attributes('data-state');
    expect(panel()).toBe('thinking');
    await wrapper.get('[data-testid="thinking-toggle"]').trigger('click');
    expect(panel()).toBe('collapsed');

    await wrapper.setProps({
      live: live({ reasoning: 'Hmm', content: 'So', reasoningStartedAt: CREATED, answerStartedAt: CREATED + 500 }),
    });
    expect(panel()).toBe('collapsed');
    expect(wrapper.get('[data-testid="thinking-timer"]').text()).toBe('Thought for 0.5 s');
    await wrapper.get('[data-testid="thinking-toggle"]').trigger('click');
    expect(panel()).toBe('expanded');
  });

  it('before anything arrives, waits without saying thinking', () => {
    const wrapper = mountItem({ live: live({}), answersOnly: true });
    const waiting = wrapper.get('[data-testid="message-waiting"]');
    expect(waiting.find('.typing-dots').exists()).toBe(true);
    expect(waiting.text()).toBe('Waiting for the model…');
  });

  it('after a reload mid-thinking, times the thinking when the answer starts live', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const reload = CREATED + 4000;
    vi.setSystemTime(reload);
    // The replay (the reload) pins the thinking's start to the message's creation.
    const wrapper = mountItem({ live: live({ reasoning: 'Hmm', reasoningStartedAt: CREATED }, true) });
    expect(wrapper.get('[data-testid="thinking-timer"]').text()).toBe('Thinking… 4.0 s');

    vi.setSystemTime(reload + 3000);
    await wrapper.setProps({
      live: live(
        { reasoning: 'Hmm', content: 'So', reasoningStartedAt: CREATED, answerStartedAt: reload + 3000 },
        true,
      ),
    });
    expect(wrapper.get('[data-testid="thinking-timer"]').text()).toBe('Thought for 7.0 s');

    // The server's own figure wins once `done` brings it.
    await wrapper.setProps({
      live: live({ reasoning: 'Hmm', content: 'So.', status: 'complete', reasoningMs: 6800 }, true),
    });
    expect(wrapper.get('[data-testid="thinking-timer"]').text()).toBe('Thought for 6.8 s');
  });

  it('after a reload past the thinking, gives no made-up duration until `done`', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(CREATED + 9000);
    // Thinking and answer came in the same replay: when the answer started is not known.
    const wrapper = mountItem({
      live: live(
        { reasoning: 'Hmm', content: 'So', reasoningStartedAt: CREATED, answerStartedAt: CREATED + 9000 },
        true,
      ),
    });
    expect(wrapper.get('[data-testid="thinking-timer"]').text()).toBe('Thought process');
  });

  it('shows the figures of an answer with thousands separators, and no speed for one that came in a burst', () => {
    const burst = mountItem({
      message: answer({
        content: 'Done.',
        status: 'complete',
        usage: { promptTokens: 12_345, completionTokens: 48 },
        ttftMs: 10,
        totalMs: 11,
      }),
    });
    expect(burst.get('[data-testid="message-meta"]').text()).toBe(
      '12,345 → 48 tokens · first token 10 ms · 11 ms total',
    );

    const steady = mountItem({
      message: answer({
        content: 'Done.',
        status: 'complete',
        usage: { promptTokens: 10, completionTokens: 50 },
        ttftMs: 500,
        totalMs: 2500,
      }),
    });
    expect(steady.get('[data-testid="message-meta"]').text()).toBe(
      '10 → 50 tokens · first token 500 ms · 2.5 s total · 25 tokens/s',
    );

    // Counted here (the model reported none, or the answer was stopped): marked as estimates.
    const counted = mountItem({
      message: answer({
        content: 'Stopped here',
        status: 'stopped',
        usage: { promptTokens: 10, completionTokens: 50, estimated: true },
        ttftMs: 500,
        totalMs: 2500,
      }),
    });
    expect(counted.get('[data-testid="message-meta"]').text()).toBe(
      '≈ 10 → ≈ 50 tokens · first token 500 ms · 2.5 s total · ≈ 25 tokens/s',
    );
  });

  it('shows a failed answer the same way live and after a reload', () => {
    const error = { code: 'UPSTREAM_ERROR', message: 'The provider failed' };
    const usage = { promptTokens: 9, completionTokens: 30 };
    // Live: the stream ends with `error`, which has no times.
    const streamed = mountItem({ live: live({ status: 'error', error, usage }) });
    // Reloaded: the stored message has its times.
    const reloaded = mountItem({
      message: answer({ status: 'error', error, usage, ttftMs: 400, totalMs: 2400 }),
    });
    expect(streamed.get('[data-testid="message-meta"]').text()).toBe('9 → 30 tokens');
    expect(reloaded.get('[data-testid="message-meta"]').text()).toBe('9 → 30 tokens');
  });
});
