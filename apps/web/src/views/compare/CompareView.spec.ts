import type { CompareAnswer, CompareRun } from '@modelyard/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { STORAGE_KEYS } from '@/stores/preferences';
import { jsonResponse, makeUser, signedInRoutes } from '@/test-utils/fake-api';
import { mountApp } from '@/test-utils/mount-app';
import { makeModelConfig } from '@/test-utils/models';
import { waitFor } from '@/test-utils/wait';
import { MODEL_STORAGE_KEY } from './compare-selection';

vi.setConfig({ testTimeout: 40_000 });

const RUN_ID = '30000000-0000-4000-8000-000000000001';
const fast = makeModelConfig({ id: '20000000-0000-4000-8000-00000000000a', name: 'Fast', model: 'mock-fast' });
const slow = makeModelConfig({ id: '20000000-0000-4000-8000-00000000000b', name: 'Slow', model: 'mock-slow' });
const page = <T>(items: T[]) => ({ items, total: items.length, page: 1, pageSize: 100 });
const heads = [
  { column: 0, modelConfigId: fast.id, name: 'Fast', model: 'mock-fast' },
  { column: 1, modelConfigId: slow.id, name: 'Slow', model: 'mock-slow' },
];

function eventStream(frames: { event: string; data: unknown }[]): Response {
  const text = frames.map((f, i) => `id: ${i + 1}\nevent: ${f.event}\ndata: ${JSON.stringify(f.data)}\n\n`).join('');
  return new Response(text, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

const answer = (overrides: Partial<CompareAnswer>): CompareAnswer => ({
  messageId: '40000000-0000-4000-8000-000000000001',
  generationId: null,
  content: 'Answer',
  reasoning: null,
  status: 'complete',
  error: null,
  usage: { promptTokens: 5, completionTokens: 20 },
  ttftMs: 100,
  totalMs: 500,
  reasoningMs: null,
  tokensPerSecond: 50,
  estimatedCost: null,
  rating: null,
  ...overrides,
});

const savedRun: CompareRun = {
  id: RUN_ID,
  title: 'Why is the sky blue?',
  systemPrompt: null,
  columns: heads,
  turnCount: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  turns: [
    {
      prompt: 'Why is the sky blue?',
      createdAt: '2026-01-01T00:00:00.000Z',
      answers: [
        answer({ content: 'Rayleigh scattering.', totalMs: 400 }),
        answer({
          messageId: '40000000-0000-4000-8000-000000000002',
          content: '',
          status: 'error',
          error: { code: 'UPSTREAM_ERROR', message: 'upstream said 500' },
          usage: null,
          totalMs: null,
          ttftMs: null,
          tokensPerSecond: null,
        }),
      ],
      fastestColumn: 0,
    },
  ],
};

beforeEach(() => {
  localStorage.clear();
  localStorage.setItem(STORAGE_KEYS.locale, 'en');
});

afterEach(() => {
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
});

describe('compare page', () => {
  it('explains itself when empty, sends to the remembered models, and streams each column into its own card', async () => {
    localStorage.setItem(MODEL_STORAGE_KEY, JSON.stringify([fast.id, slow.id, 'gone']));
    const { wrapper, router, api } = await mountApp('/compare', {
      ...signedInRoutes(makeUser()),
      'GET /api/model-configs': () => jsonResponse(200, page([fast, slow])),
      'POST /api/compare/runs': () =>
        eventStream([
          { event: 'meta', data: { runId: RUN_ID, columns: heads } },
          { event: 'content', data: { column: 1, text: 'Partial' } },
          { event: 'content', data: { column: 0, text: 'Rayleigh scattering.' } },
          { event: 'usage', data: { column: 0, promptTokens: 5, completionTokens: 20 } },
          { event: 'done', data: { column: 0, status: 'complete', ttftMs: 100, totalMs: 400, reasoningMs: null } },
          { event: 'error', data: { column: 1, code: 'UPSTREAM_ERROR', message: 'upstream said 500' } },
        ]),
      [`GET /api/compare/runs/${RUN_ID}`]: () => jsonResponse(200, savedRun),
      [`POST /api/compare/runs/${RUN_ID}/ratings`]: ({ body }) =>
        jsonResponse(200, { ...(body as object), messageId: savedRun.turns[0]!.answers[0]!.messageId, note: null }),
    });
    await waitFor(() => expect(wrapper.find('[data-testid="compare-empty"]').exists()).toBe(true));
    expect(wrapper.get('[data-testid="compare-empty"]').text()).toContain('Compare models side by side');
    await waitFor(() => expect(wrapper.get('[data-testid="compare-model-select"]').text()).toContain('Fast'));
    expect(wrapper.get('[data-testid="compare-model-select"]').text()).toContain('Slow');

    const input = wrapper.get('textarea[data-testid="compare-prompt"]');
    await input.setValue('Why is the sky blue?');
    await input.trigger('keydown', { key: 'Enter', ctrlKey: true });

    await waitFor(() => expect(router.currentRoute.value.fullPath).toBe(`/compare/${RUN_ID}`));
    const post = api.calls.find((c) => c.method === 'POST' && c.path === '/api/compare/runs')!;
    expect(post.body).toMatchObject({ prompt: 'Why is the sky blue?', modelConfigIds: [fast.id, slow.id] });
    expect((post.init.headers as Record<string, string>).Accept).toBe('text/event-stream');

    await waitFor(() =>
      expect(wrapper.get('[data-testid="compare-column"][data-column="1"]').attributes('data-status')).toBe('error'),
    );
    const first = wrapper.get('[data-testid="compare-column"][data-column="0"]');
    await waitFor(() => expect(first.attributes('data-status')).toBe('complete'));
    expect(first.text()).toContain('Rayleigh scattering.');
    expect(first.get('[data-testid="compare-metrics"]').text()).toContain('400 ms');
    expect(first.find('[data-testid="compare-fastest"]').exists()).toBe(true);
    const failed = wrapper.get('[data-testid="compare-column"][data-column="1"]');
    expect(failed.get('[data-testid="column-error"]').text()).toContain('upstream said 500');
    expect(failed.find('[data-testid="compare-fastest"]').exists()).toBe(false);
    // The finished run is read back from the server (speed, message ids).
    await waitFor(() => expect(api.count(`GET /api/compare/runs/${RUN_ID}`)).toBeGreaterThan(0));
    await waitFor(() => expect(first.get('[data-testid="compare-metrics"]').text()).toContain('Tokens/s'));

    // Rating: the fourth star saves four stars for that column's answer.
    const stars = first.findAll('[data-testid="compare-rate-stars"] .el-rate__item');
    await stars[3]!.trigger('click');
    await waitFor(() => expect(api.count(`POST /api/compare/runs/${RUN_ID}/ratings`)).toBe(1));
    expect(api.calls.at(-1)!.body).toMatchObject({ column: 0, stars: 4 });
    await waitFor(() => expect(first.get('[data-testid="compare-rate"]').attributes('data-stars')).toBe('4'));
  });

  it('reopens a saved run from its URL with every turn, metric and the fastest badge', async () => {
    const { wrapper } = await mountApp(`/compare/${RUN_ID}`, {
      ...signedInRoutes(makeUser()),
      'GET /api/model-configs': () => jsonResponse(200, page([fast, slow])),
      [`GET /api/compare/runs/${RUN_ID}`]: () => jsonResponse(200, savedRun),
    });
    await waitFor(() => expect(wrapper.findAll('[data-testid="compare-column"]')).toHaveLength(2));
    expect(wrapper.get('[data-testid="compare-turn-prompt"]').text()).toBe('Why is the sky blue?');
    expect(wrapper.get('[data-column="0"] [data-testid="compare-fastest"]').text()).toContain('Fastest');
    expect(wrapper.get('[data-column="1"] [data-testid="compare-column-status"]').text()).toBe('Failed');
    expect(wrapper.find('[data-testid="compare-send"]').text()).toBe('Send to all');
  });
});
