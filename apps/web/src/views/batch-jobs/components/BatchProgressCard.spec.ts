import '@/test-utils/happy-dom-node-name';
import type { Batch } from '@modelyard/contracts';
import { mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '@/i18n';
import BatchProgressCard from './BatchProgressCard.vue';

const batch = (etaSeconds: number | null): Batch => ({
  id: '10000000-0000-4000-8000-000000000001',
  name: 'Run',
  filename: 'qa.txt',
  status: 'running',
  done: 1,
  total: 4,
  questions: 4,
  concurrency: 1,
  hasExpected: false,
  cancelRequested: false,
  models: [{ column: 0, modelConfigId: null, name: 'Swift', done: 1, errors: 0, pausedUntil: null }],
  etaSeconds,
  error: null,
  createdAt: '2026-01-01T10:00:00.000Z',
  startedAt: '2026-01-01T10:00:01.000Z',
  finishedAt: null,
});

afterEach(() => {
  vi.useRealTimers();
});

describe('batch progress', () => {
  it('counts the estimate down between progress events, and takes the next estimate as it comes', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse('2026-01-01T10:00:10.000Z'));
    const wrapper = mount(BatchProgressCard, {
      props: { batch: batch(120) },
      global: { plugins: [i18n, ElementPlus] },
    });
    const eta = () => wrapper.get('[data-testid="batch-eta"]').text();
    expect(eta()).toContain('2 min');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(eta()).toContain('1 min 30 s');
    await wrapper.setProps({ batch: batch(300) });
    expect(eta()).toContain('5 min');
    // A small revision (answers finish in bursts) is met halfway: 300 → 330 shows 5 min 15 s, not a jump.
    await wrapper.setProps({ batch: batch(330) });
    expect(eta()).toContain('5 min 15 s');
    // Counted down to nothing while still running: it says the last answers are finishing, not "0 s left".
    await vi.advanceTimersByTimeAsync(400_000);
    expect(eta()).toBe('Finishing the last answers…');
  });
});
