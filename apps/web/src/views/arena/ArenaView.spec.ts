import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { STORAGE_KEYS } from '@/stores/preferences';
import { errorResponse, jsonResponse, makeUser, signedInRoutes } from '@/test-utils/fake-api';
import { mountApp } from '@/test-utils/mount-app';
import { waitFor } from '@/test-utils/wait';

vi.setConfig({ testTimeout: 40_000 });

const BATTLE_ID = '50000000-0000-4000-8000-000000000001';
const models = {
  items: [
    { modelConfigId: '20000000-0000-4000-8000-00000000000a', name: 'Secret Alpha', model: 'alpha-7b' },
    { modelConfigId: '20000000-0000-4000-8000-00000000000b', name: 'Secret Beta', model: 'beta-13b' },
  ],
};

function eventStream(frames: { event: string; data: unknown }[]): Response {
  const text = frames.map((f, i) => `id: ${i + 1}\nevent: ${f.event}\ndata: ${JSON.stringify(f.data)}\n\n`).join('');
  return new Response(text, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

beforeEach(() => {
  localStorage.clear();
  localStorage.setItem(STORAGE_KEYS.locale, 'en');
});

afterEach(() => {
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
});

describe('arena page', () => {
  it('streams two anonymous sides, takes the vote once both ended, then reveals the models', async () => {
    const { wrapper, api } = await mountApp('/arena', {
      ...signedInRoutes(makeUser()),
      'GET /api/arena/models': () => jsonResponse(200, models),
      'POST /api/arena/battles': () =>
        eventStream([
          { event: 'meta', data: { battleId: BATTLE_ID } },
          { event: 'meta', data: { column: 0, label: 'Model A' } },
          { event: 'meta', data: { column: 1, label: 'Model B' } },
          { event: 'content', data: { column: 0, text: 'Rivers run.' } },
          { event: 'content', data: { column: 1, text: 'Water flows.' } },
          { event: 'done', data: { column: 0, status: 'complete', ttftMs: 10, totalMs: 90, reasoningMs: null } },
          { event: 'done', data: { column: 1, status: 'complete', ttftMs: 20, totalMs: 120, reasoningMs: null } },
        ]),
      [`POST /api/arena/battles/${BATTLE_ID}/vote`]: () =>
        jsonResponse(200, {
          winner: 'b',
          a: { modelConfigId: models.items[0]!.modelConfigId, name: 'Secret Alpha' },
          b: { modelConfigId: models.items[1]!.modelConfigId, name: 'Secret Beta' },
        }),
      // The thinking is kept back until the vote; the page asks for it then.
      [`GET /api/arena/battles/${BATTLE_ID}`]: () =>
        jsonResponse(200, {
          id: BATTLE_ID,
          prompt: 'A haiku about rivers',
          sides: [
            { label: 'Model A', content: 'Rivers run.', reasoning: null, status: 'complete', generationId: null },
            {
              label: 'Model B',
              content: 'Water flows.',
              reasoning: 'Think of water first.',
              status: 'complete',
              generationId: null,
            },
          ],
          winner: 'b',
          revealed: null,
          createdAt: '2026-01-01T00:00:00.000Z',
        }),
    });
    await waitFor(() => expect(wrapper.find('[data-testid="arena-prompt"]').exists()).toBe(true));
    // Not an admin: no settings tab.
    expect(wrapper.find('[data-testid="arena-tab-manage"]').exists()).toBe(false);

    await wrapper.get('textarea[data-testid="arena-prompt"]').setValue('A haiku about rivers');
    await wrapper.get('[data-testid="arena-start"]').trigger('click');
    await waitFor(() =>
      expect(wrapper.findAll('[data-testid="arena-column"][data-status="complete"]')).toHaveLength(2),
    );
    const columns = wrapper.findAll('[data-testid="arena-column"]');
    expect(columns[0]!.text()).toContain('Model A');
    expect(columns[0]!.text()).toContain('Rivers run.');
    expect(columns[1]!.text()).toContain('Water flows.');
    for (const secret of ['Secret Alpha', 'Secret Beta', 'alpha-7b', 'beta-13b'])
      expect(document.body.innerHTML).not.toContain(secret);

    await waitFor(() => expect(wrapper.get('[data-testid="arena-vote-b"]').attributes('disabled')).toBeUndefined());
    await wrapper.get('[data-testid="arena-vote-b"]').trigger('click');
    await waitFor(() => expect(wrapper.find('[data-testid="arena-revealed"]').exists()).toBe(true));
    expect(api.calls.find((call) => call.path.endsWith('/vote'))!.body).toEqual({ winner: 'b' });
    await waitFor(() => expect(wrapper.findAll('[data-testid="thinking-panel"]')).toHaveLength(1));
    const revealed = wrapper.get('[data-testid="arena-revealed"]').text();
    expect(revealed).toContain('Model A was Secret Alpha');
    expect(revealed).toContain('Model B was Secret Beta');
    expect(wrapper.find('[data-testid="arena-new"]').exists()).toBe(true);
  });

  it('explains that the arena needs two models, with a way to enrol them for admins', async () => {
    const { wrapper } = await mountApp('/arena', {
      ...signedInRoutes(makeUser({ role: 'admin' })),
      'GET /api/arena/models': () => jsonResponse(200, { items: [] }),
      'POST /api/arena/battles': () => errorResponse(409, 'ARENA_NOT_ENOUGH_MODELS'),
    });
    await waitFor(() => expect(wrapper.find('[data-testid="arena-not-enough"]').exists()).toBe(true));
    expect(wrapper.get('[data-testid="arena-not-enough"]').text()).toContain('at least two models');
    expect(wrapper.find('[data-testid="arena-enrol"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="arena-tab-manage"]').exists()).toBe(true);
  });
});
