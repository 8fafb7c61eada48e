import { describe, expect, it, vi } from 'vitest';
import { errorResponse, jsonResponse, makeUser, type Route, signedInRoutes } from '@/test-utils/fake-api';
import { mountApp, resetAppBetweenTests, settle } from '@/test-utils/mount-app';
import { makePrompt } from '@/test-utils/prompts';
import { waitFor } from '@/test-utils/wait';

// Whole-app tests load lazy route chunks; give them room on slow machines.
vi.setConfig({ testTimeout: 20_000 });

const ada = makeUser();
const byTestId = (id: string) => `[data-testid="${id}"]`;

const reviewer = makePrompt({ usageCount: 3 });

function routes(extra: Record<string, Route> = {}): Record<string, Route> {
  return {
    ...signedInRoutes(ada),
    'GET /api/prompts/categories': () => jsonResponse(200, { items: [{ id: 'coding', builtin: true, count: 1 }] }),
    'GET /api/prompts/tags': () => jsonResponse(200, { items: [{ tag: 'review', count: 1 }] }),
    'GET /api/teams': () => jsonResponse(200, { items: [], total: 0, page: 1, pageSize: 100 }),
    ...extra,
  };
}

resetAppBetweenTests();

function chips(wrapper: Awaited<ReturnType<typeof mountApp>>['wrapper']) {
  return wrapper
    .findAll(byTestId('variable-chip'))
    .map((c) => [c.attributes('data-variable'), c.attributes('data-builtin')]);
}

describe('prompt editor', () => {
  it('shows a chip for each variable as it is typed, and a chip click inserts the variable at the cursor', async () => {
    const { wrapper } = await mountApp('/prompts/new', routes());
    await waitFor(() => expect(wrapper.find(byTestId('prompt-content')).exists()).toBe(true));
    const content = wrapper.get<HTMLTextAreaElement>(byTestId('prompt-content'));

    await content.setValue('Summarise {{topic}} for {{user_name}}.');
    await settle();
    expect(chips(wrapper)).toEqual([
      ['topic', 'false'],
      ['user_name', 'true'],
    ]);
    // The render preview fills the built-in with the signed-in user's nickname and flags what is still missing.
    expect(wrapper.get(byTestId('render-preview')).attributes('data-missing')).toBe('topic');
    expect(wrapper.get(byTestId('render-preview')).text()).toContain('for Ada.');

    // Never focused: a built-in goes at the end.
    await wrapper.get('[data-testid="builtin-variable-chip"][data-variable="current_date"]').trigger('click');
    expect(content.element.value).toBe('Summarise {{topic}} for {{user_name}}.{{current_date}}');

    // With the caret after "Summarise ", the chip goes there.
    await content.trigger('focus');
    content.element.setSelectionRange(10, 10);
    await wrapper.get('[data-testid="variable-chip"][data-variable="topic"]').trigger('click');
    await settle();
    expect(content.element.value).toBe('Summarise {{topic}}{{topic}} for {{user_name}}.{{current_date}}');
    expect(chips(wrapper).map(([name]) => name)).toEqual(['topic', 'user_name', 'current_date']);
  });

  it('asks for a change note when the content changes, and shows a taken name on the name field', async () => {
    const { wrapper, api } = await mountApp(
      `/prompts/${reviewer.id}`,
      routes({
        [`GET /api/prompts/${reviewer.id}`]: () => jsonResponse(200, reviewer),
        [`PATCH /api/prompts/${reviewer.id}`]: () =>
          errorResponse(409, 'PROMPT_NAME_TAKEN', 'You already have a prompt named "Translator"'),
      }),
    );
    await waitFor(() => expect(wrapper.find(byTestId('prompt-name')).exists()).toBe(true));
    expect(wrapper.get<HTMLInputElement>(byTestId('prompt-name')).element.value).toBe('Reviewer');
    expect(wrapper.find(byTestId('prompt-change-note')).exists()).toBe(false);

    await wrapper.get(byTestId('prompt-name')).setValue('Translator');
    await wrapper.get(byTestId('prompt-content')).setValue('Review {{code}} carefully.');
    await settle();
    await wrapper.get(byTestId('prompt-change-note')).setValue('more care');
    await wrapper.get(byTestId('prompt-save')).trigger('click');
    await waitFor(() => expect(wrapper.text()).toContain('You already have a prompt with this name.'));

    const patch = api.calls.find((c) => c.method === 'PATCH')!;
    expect(patch.body).toEqual({ name: 'Translator', content: 'Review {{code}} carefully.', changeNote: 'more care' });
  });

  it('opens Try it on the latest version, named in the version picker', async () => {
    const v2 = { ...reviewer, version: 2, labels: { production: 1 } };
    const { wrapper } = await mountApp(
      `/prompts/${reviewer.id}?tab=try`,
      routes({
        [`GET /api/prompts/${reviewer.id}`]: () => jsonResponse(200, v2),
        'GET /api/model-configs': () => jsonResponse(200, { items: [], total: 0, page: 1, pageSize: 100 }),
      }),
    );
    await waitFor(() => expect(wrapper.find(byTestId('try-pin')).exists()).toBe(true));
    await settle();
    expect(wrapper.get(byTestId('try-pin')).text()).toContain('v2');
  });

  it('lists the versions and compares one with the one before, side by side', async () => {
    const v2 = { ...reviewer, version: 2, content: 'Review {{code}} carefully.', labels: { production: 1 } };
    const { wrapper, api } = await mountApp(
      `/prompts/${reviewer.id}?tab=versions`,
      routes({
        [`GET /api/prompts/${reviewer.id}`]: () => jsonResponse(200, v2),
        [`GET /api/prompts/${reviewer.id}/versions`]: () =>
          jsonResponse(200, {
            items: [
              {
                version: 2,
                changeNote: 'more care',
                authorId: ada.id,
                authorName: 'Ada',
                labels: [],
                createdAt: v2.updatedAt,
              },
              {
                version: 1,
                changeNote: null,
                authorId: ada.id,
                authorName: 'Ada',
                labels: ['production'],
                createdAt: v2.createdAt,
              },
            ],
            total: 2,
            page: 1,
            pageSize: 50,
          }),
        [`GET /api/prompts/${reviewer.id}/diff`]: () =>
          jsonResponse(200, {
            from: 1,
            to: 2,
            changes: [
              { type: 'removed', value: 'Review {{code}}.' },
              { type: 'added', value: 'Review {{code}} carefully.' },
            ],
          }),
      }),
    );
    await waitFor(() => expect(wrapper.findAll(byTestId('version-row'))).toHaveLength(2));
    const rows = wrapper.findAll(byTestId('version-row'));
    expect(rows.map((r) => r.attributes('data-version'))).toEqual(['2', '1']);
    expect(rows[0]!.text()).toContain('more care');
    expect(rows[1]!.find('[data-testid="version-label"][data-label="production"]').exists()).toBe(true);
    // The current version cannot be restored onto itself.
    expect(rows[0]!.find(byTestId('version-restore')).exists()).toBe(false);
    expect(rows[1]!.find(byTestId('version-restore')).exists()).toBe(true);

    await rows[0]!.get(byTestId('version-compare-previous')).trigger('click');
    await waitFor(() => expect(wrapper.find(`${byTestId('version-diff')} tbody tr`).exists()).toBe(true));
    const call = api.calls.find((c) => c.path.endsWith('/diff'))!;
    expect([call.url.searchParams.get('from'), call.url.searchParams.get('to')]).toEqual(['1', '2']);
    const diffRow = wrapper.get(`${byTestId('version-diff')} tbody tr`);
    expect(diffRow.attributes('data-type')).toBe('changed');
    expect(diffRow.findAll('td').map((td) => td.text())).toEqual([
      '1',
      '−Review {{code}}.',
      '1',
      '+Review {{code}} carefully.',
    ]);
  });
});
