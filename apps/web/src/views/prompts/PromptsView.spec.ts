import type { Prompt } from '@modelyard/contracts';
import { describe, expect, it, vi } from 'vitest';
import { errorResponse, jsonResponse, makeUser, signedInRoutes } from '@/test-utils/fake-api';
import { mountApp, resetAppBetweenTests, settle } from '@/test-utils/mount-app';
import { makePrompt } from '@/test-utils/prompts';
import { waitFor } from '@/test-utils/wait';

vi.setConfig({ testTimeout: 20_000 });

const ada = makeUser();
const byTestId = (id: string) => `[data-testid="${id}"]`;

const prompt = (overrides: Partial<Prompt>): Prompt =>
  makePrompt({
    visibility: 'team',
    teamId: '30000000-0000-4000-8000-000000000001',
    teamName: 'Platform',
    version: 4,
    usageCount: 12,
    ...overrides,
  });

const reviewer = prompt({});
const official = prompt({
  id: '10000000-0000-4000-8000-000000000002',
  name: 'House style',
  visibility: 'public',
  teamId: null,
  teamName: null,
  official: true,
  canEdit: false,
  canDelete: false,
  canShare: false,
});

function routes(items: Prompt[]) {
  return {
    ...signedInRoutes(ada),
    'GET /api/prompts': () => jsonResponse(200, { items, total: items.length, page: 1, pageSize: 24 }),
    'GET /api/prompts/categories': () => jsonResponse(200, { items: [{ id: 'coding', builtin: true, count: 2 }] }),
    'GET /api/prompts/tags': () => jsonResponse(200, { items: [{ tag: 'review', count: 1 }] }),
    'GET /api/teams': () => jsonResponse(200, { items: [], total: 0, page: 1, pageSize: 100 }),
  };
}

resetAppBetweenTests();

describe('prompt library', () => {
  it('reads its filters from the URL, shows the cards, and a chip click filters and updates the URL', async () => {
    const { wrapper, api, router } = await mountApp(
      '/prompts?category=coding&favorite=1',
      routes([reviewer, official]),
    );
    await waitFor(() => expect(wrapper.findAll(byTestId('prompt-card'))).toHaveLength(2));
    const first = api.calls.find((c) => c.path === '/api/prompts')!;
    expect(first.url.searchParams.get('category')).toBe('coding');
    expect(first.url.searchParams.get('favorite')).toBe('true');

    const card = wrapper.get('[data-testid="prompt-card"][data-name="Reviewer"]');
    expect(card.get(byTestId('prompt-visibility')).text()).toBe('Team: Platform');
    const house = wrapper.get('[data-testid="prompt-card"][data-name="House style"]');
    expect(house.find(byTestId('prompt-official')).exists()).toBe(true);

    await wrapper.get('[data-testid="prompt-category-chip"][data-category=""]').trigger('click');
    await settle();
    expect(router.currentRoute.value.query).toEqual({ favorite: '1' });
    expect(
      api.calls
        .filter((c) => c.path === '/api/prompts')
        .at(-1)!
        .url.searchParams.get('category'),
    ).toBeNull();
  });

  it('stars a prompt at once and takes the star back when the server refuses', async () => {
    const { wrapper, api } = await mountApp('/prompts', routes([reviewer]));
    await waitFor(() => expect(wrapper.find(byTestId('prompt-favorite')).exists()).toBe(true));
    api.on(`PUT /api/prompts/${reviewer.id}/favorite`, () => jsonResponse(204));
    await wrapper.get(byTestId('prompt-favorite')).trigger('click');
    expect(wrapper.get(byTestId('prompt-favorite')).attributes('aria-pressed')).toBe('true');
    await settle();
    expect(api.count(`PUT /api/prompts/${reviewer.id}/favorite`)).toBe(1);

    api.on(`DELETE /api/prompts/${reviewer.id}/favorite`, () => errorResponse(500, 'INTERNAL_ERROR'));
    await wrapper.get(byTestId('prompt-favorite')).trigger('click');
    await settle();
    expect(wrapper.get(byTestId('prompt-favorite')).attributes('aria-pressed')).toBe('true');
  });

  it('offers to create the first prompt when the library is empty, and to clear filters when nothing matches', async () => {
    const { wrapper } = await mountApp('/prompts', routes([]));
    await waitFor(() => expect(wrapper.find(byTestId('prompts-empty')).exists()).toBe(true));
    document.body.innerHTML = '';

    const filtered = await mountApp('/prompts?q=nothing', routes([]));
    await waitFor(() => expect(filtered.wrapper.find(byTestId('prompts-no-match')).exists()).toBe(true));
    await filtered.wrapper.get(`${byTestId('prompts-no-match')} ${byTestId('prompt-clear-filters')}`).trigger('click');
    await settle();
    expect(filtered.router.currentRoute.value.query).toEqual({});
  });
});
