import '@/test-utils/happy-dom-node-name';
import type { Message } from '@modelyard/contracts';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '@/i18n';
import { buildTree } from '../message-tree';
import ChatMessageList from './ChatMessageList.vue';

const SESSION = '40000000-0000-4000-8000-000000000001';
const id = (n: number) => `50000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function conversation(count: number, sessionId = SESSION): Message[] {
  return Array.from({ length: count }, (_, i) => ({
    id: id(i + 1),
    sessionId,
    parentId: i === 0 ? null : id(i),
    role: i % 2 === 0 ? 'user' : 'assistant',
    content: i % 2 === 0 ? `Question ${i}` : `Answer ${i}`,
    ...(i % 2 === 1 && { reasoning: `Reasoning ${i}`, reasoningMs: 1200 }),
    status: 'complete',
    createdAt: '2026-01-01T00:00:00.000Z',
  }));
}

const scrollTop = Object.getOwnPropertyDescriptor(Element.prototype, 'scrollTop')!;

beforeEach(() => {
  // happy-dom does no layout: give the list a viewport, each message a height and the list the height of its canvas;
  // and scroll like a browser, within the content and with a \`scroll\` event after.
  Object.defineProperty(Element.prototype, 'scrollTop', {
    configurable: true,
    get: scrollTop.get,
    set(this: Element, value: number) {
      const before = scrollTop.get!.call(this) as number;
      const top = Math.max(0, Math.min(value, this.scrollHeight - this.clientHeight));
      scrollTop.set!.call(this, top);
      if (top !== before) setTimeout(() => this.dispatchEvent(new Event('scroll')));
    },
  });
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(800);
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(1000);
  vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockReturnValue(120);
  vi.spyOn(HTMLElement.prototype, 'scrollHeight', 'get').mockImplementation(function (this: HTMLElement) {
    return parseFloat((this.firstElementChild as HTMLElement | null)?.style.height ?? '') || 0;
  });
});
afterEach(() => {
  Object.defineProperty(Element.prototype, 'scrollTop', scrollTop);
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

/** A frame or two for the virtualiser to render and measure. */
async function frames(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await flushPromises();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function mountList(messages: Message[]) {
  return mount(ChatMessageList, {
    attachTo: document.body,
    props: { messages, tree: buildTree(messages), live: new Map(), busy: false, answersOnly: false },
    global: { plugins: [createPinia(), i18n, ElementPlus] },
  });
}

describe('message list', () => {
  it('keeps a half-written edit and a thinking panel the user opened when their rows scroll away and back', async () => {
    const wrapper = mountList(conversation(200));
    const list = wrapper.get('[data-testid="chat-messages"]').element as HTMLElement;
    const scrollTo = async (top: number) => {
      list.scrollTop = top;
      list.dispatchEvent(new Event('scroll'));
      await frames();
    };
    const question = () => wrapper.find(`[data-testid="message-${id(1)}"]`);
    const answer = () => wrapper.find(`[data-testid="message-${id(2)}"]`);
    await frames(); // opened at the end
    await scrollTo(0);

    await question().get('[data-testid="message-edit"]').trigger('click');
    await question().get('[data-testid="message-edit-input"]').setValue('Question 0, half rewritten');
    await answer().get('[data-testid="thinking-toggle"]').trigger('click');
    expect(answer().get('[data-testid="thinking-panel"]').attributes('data-state')).toBe('expanded');

    await scrollTo(15_000);
    expect(question().exists()).toBe(false);
    await scrollTo(0);

    const input = question().get<HTMLTextAreaElement>('[data-testid="message-edit-input"]');
    expect(input.element.value).toBe('Question 0, half rewritten');
    // Coming back into view does not take the focus (which would scroll the list to it).
    expect(document.activeElement).not.toBe(input.element);
    expect(answer().get('[data-testid="thinking-panel"]').attributes('data-state')).toBe('expanded');

    // Cancelled, the edit is gone for good.
    await question().get('[data-testid="message-edit-cancel"]').trigger('click');
    await scrollTo(15_000);
    await scrollTo(0);
    expect(question().find('[data-testid="message-edit-input"]').exists()).toBe(false);
    expect(question().get('[data-testid="message-content"]').text()).toBe('Question 0');
  });

  it('forgets edits and panel states when another conversation opens', async () => {
    const wrapper = mountList(conversation(4));
    await frames();
    await wrapper.get(`[data-testid="message-${id(3)}"] [data-testid="message-edit"]`).trigger('click');
    expect(wrapper.find('[data-testid="message-edit-input"]').exists()).toBe(true);

    // (Same ids, another session: only the session tells them apart here.)
    const other = conversation(4, '40000000-0000-4000-8000-000000000002');
    await wrapper.setProps({ messages: other, tree: buildTree(other) });
    await frames();
    expect(wrapper.find('[data-testid="message-edit-input"]').exists()).toBe(false);
  });

  it('offers no "Jump to latest" for a conversation that fits: there is nothing above to scroll up to', async () => {
    const wrapper = mountList(conversation(2));
    await frames();
    const list = wrapper.get('[data-testid="chat-messages"]');
    expect((list.element as HTMLElement).scrollTop).toBe(0);
    await list.trigger('wheel', { deltaY: -120 });
    await list.trigger('keydown', { key: 'PageUp' });
    await frames();
    expect(wrapper.find('[data-testid="chat-jump-latest"]').exists()).toBe(false);
  });

  it('goes to the first and the last message with Home and End, and leaves those keys to an editor', async () => {
    const wrapper = mountList(conversation(2000));
    await frames();
    const list = wrapper.get('[data-testid="chat-messages"]');
    const el = list.element as HTMLElement;
    const shownIndexes = () => wrapper.findAll('.message-list__row').map((row) => Number(row.attributes('data-index')));

    await list.trigger('keydown', { key: 'Home' });
    await frames();
    expect(el.scrollTop).toBe(0);
    expect(shownIndexes()).toContain(0);
    expect(wrapper.find('[data-testid="chat-jump-latest"]').exists()).toBe(true);

    await list.trigger('keydown', { key: 'End', ctrlKey: true });
    await frames();
    expect(shownIndexes()).toContain(1999);
    expect(el.scrollHeight - el.scrollTop - el.clientHeight).toBeLessThanOrEqual(1);
    expect(wrapper.find('[data-testid="chat-jump-latest"]').exists()).toBe(false);

    // In the editor, Home moves the caret: the list stays where it is.
    await wrapper.get(`[data-testid="message-${id(1999)}"] [data-testid="message-edit"]`).trigger('click');
    const top = el.scrollTop;
    const input = wrapper.get('[data-testid="message-edit-input"]');
    const home = new KeyboardEvent('keydown', { key: 'Home', bubbles: true, cancelable: true });
    input.element.dispatchEvent(home);
    await frames();
    expect(home.defaultPrevented).toBe(false);
    expect(el.scrollTop).toBe(top);
  });
});
