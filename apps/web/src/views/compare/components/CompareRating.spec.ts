import '@/test-utils/happy-dom-node-name';
import { mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '@/i18n';
import CompareRating from './CompareRating.vue';

afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

function mountRating() {
  return mount(CompareRating, {
    props: { rating: null },
    global: { plugins: [i18n, ElementPlus] },
    attachTo: document.body,
  });
}

describe('compare rating', () => {
  it('saves the stars the arrow keys chose once the user stops, and keeps the control usable meanwhile', async () => {
    vi.useFakeTimers();
    const wrapper = mountRating();
    const rate = wrapper.get('[data-testid="compare-rate-stars"]');
    for (let i = 0; i < 3; i++) await rate.trigger('keydown', { key: 'ArrowRight', code: 'ArrowRight' });
    expect(wrapper.emitted('save')).toBeUndefined();
    // An earlier save coming back does not move the stars being chosen.
    await wrapper.setProps({ rating: { stars: 1, note: null }, saving: true });
    expect(rate.attributes('aria-valuenow')).toBe('3');
    expect(rate.classes()).not.toContain('is-disabled');
    vi.advanceTimersByTime(1000);
    expect(wrapper.emitted('save')).toEqual([[{ stars: 3, note: undefined }]]);
  });

  it('gives focus back to the note button when a note is saved (Ctrl+Enter) or dropped (Esc)', async () => {
    const wrapper = mount(CompareRating, {
      props: { rating: { stars: 3, note: null } },
      global: { plugins: [i18n, ElementPlus] },
      attachTo: document.body,
    });
    const toggle = () => wrapper.get('[data-testid="compare-rate-note-toggle"]');
    await toggle().trigger('click');
    await new Promise((resolve) => setTimeout(resolve));
    const input = wrapper.get('textarea');
    // Opening it puts the caret in the note.
    expect(document.activeElement).toBe(input.element);
    await input.setValue('Clear and short');
    await input.trigger('keydown', { key: 'Enter', ctrlKey: true });
    await new Promise((resolve) => setTimeout(resolve));
    expect(wrapper.emitted('save')).toEqual([[{ stars: 3, note: 'Clear and short' }]]);
    expect(document.activeElement).toBe(toggle().element);

    await toggle().trigger('click');
    await wrapper.get('textarea').trigger('keydown', { key: 'Escape' });
    await new Promise((resolve) => setTimeout(resolve));
    expect(wrapper.find('[data-testid="compare-rate-note-input"]').exists()).toBe(false);
    expect(document.activeElement).toBe(toggle().element);
    expect(wrapper.emitted('save')).toHaveLength(1);
  });

  it('saves a click at once', async () => {
    const wrapper = mountRating();
    const stars = wrapper.findAll('.el-rate__item');
    await stars[3]!.trigger('pointerdown');
    await stars[3]!.trigger('click');
    expect(wrapper.emitted('save')).toEqual([[{ stars: 4, note: undefined }]]);
  });
});
