import { type ModelConfig, type Provider, PROVIDER_PRESETS } from '@modelyard/contracts';
import { describe, expect, it, vi } from 'vitest';
import { errorResponse, jsonResponse, makeUser, type Route, signedInRoutes } from '@/test-utils/fake-api';
import { makeModelConfig, makeProvider } from '@/test-utils/models';
import { mountApp, resetAppBetweenTests, settle } from '@/test-utils/mount-app';
import { waitFor } from '@/test-utils/wait';

// Whole-app tests load lazy route chunks; give them room on slow machines.
vi.setConfig({ testTimeout: 20_000 });

const admin = makeUser({ id: '00000000-0000-4000-8000-00000000000a', email: 'root@example.com', role: 'admin' });
const ada = makeUser();
const provider = makeProvider({ name: 'Mock', modelConfigCount: 2 });
const mine = makeModelConfig({ name: 'My chat', ownerId: ada.id, isDefault: true });
const shared = makeModelConfig({
  id: '20000000-0000-4000-8000-000000000002',
  name: 'Team reasoning',
  model: 'mock-reasoning',
  visibility: 'shared',
  editable: false,
  ownerId: admin.id,
  reasoningStartsOpen: true,
});

resetAppBetweenTests();

const page = (items: ModelConfig[]) => jsonResponse(200, { items, total: items.length, page: 1, pageSize: 20 });

function modelsRoutes(opts: { user?: typeof ada; providers?: Provider[]; configs?: ModelConfig[] } = {}) {
  const routes: Record<string, Route> = {
    ...signedInRoutes(opts.user ?? ada),
    'GET /api/providers': () => jsonResponse(200, { items: opts.providers ?? [provider] }),
    'GET /api/providers/presets': () => jsonResponse(200, { items: PROVIDER_PRESETS }),
    'GET /api/providers/detected': () => jsonResponse(200, { items: [] }),
    'GET /api/model-configs': () => page(opts.configs ?? [mine, shared]),
  };
  return routes;
}

const byTestId = (id: string) => `[data-testid="${id}"]`;

async function answerConfirm(choice: 'confirm' | 'cancel') {
  await waitFor(() => expect(document.querySelector('.el-message-box')).not.toBeNull());
  const buttons = document.querySelectorAll<HTMLButtonElement>('.el-message-box__btns button');
  (choice === 'confirm' ? buttons[buttons.length - 1] : buttons[0])!.click();
  await settle();
}

describe('models page', () => {
  it('an admin tests a provider and sees the latency, then a readable error, inline on the card', async () => {
    const { wrapper, api } = await mountApp('/models', modelsRoutes({ user: admin }));
    await waitFor(() => expect(wrapper.find(byTestId('provider-card-Mock')).exists()).toBe(true));
    const card = wrapper.get(byTestId('provider-card-Mock'));
    expect(card.get(byTestId('provider-key-Mock')).text()).toBe('…3f9a');
    expect(card.get(byTestId('provider-status-Mock')).text()).toBe('Not tested');
    expect(card.find(byTestId('provider-edit-Mock')).exists()).toBe(true);
    expect(card.find(byTestId('provider-enabled-Mock')).exists()).toBe(true);

    api.on(`POST /api/providers/${provider.id}/test`, () => jsonResponse(200, { ok: true, latencyMs: 42 }));
    await wrapper.get(byTestId('provider-test-Mock')).trigger('click');
    await waitFor(() => expect(wrapper.get(byTestId('provider-test-result-Mock')).attributes('data-state')).toBe('ok'));
    expect(wrapper.get(byTestId('provider-test-result-Mock')).text()).toContain('✓');
    expect(wrapper.get(byTestId('provider-test-result-Mock')).text()).toContain('42 ms');
    expect(wrapper.get(byTestId('provider-status-Mock')).attributes('data-status')).toBe('ok');

    api.on(`POST /api/providers/${provider.id}/test`, () =>
      jsonResponse(200, { ok: false, latencyMs: 8, error: 'The provider refused the API key (HTTP 401)' }),
    );
    await wrapper.get(byTestId('provider-test-Mock')).trigger('click');
    await waitFor(() =>
      expect(wrapper.get(byTestId('provider-test-result-Mock')).text()).toContain('refused the API key (HTTP 401)'),
    );
    expect(wrapper.get(byTestId('provider-status-Mock')).attributes('data-status')).toBe('error');
  });

  it('a refresh that fails upstream is reported on the card, not as a broken page', async () => {
    const { wrapper, api, notifyError } = await mountApp('/models', modelsRoutes({ user: admin }));
    await waitFor(() => expect(wrapper.find(byTestId('provider-refresh-Mock')).exists()).toBe(true));
    api.on(`GET /api/providers/${provider.id}/models`, () =>
      jsonResponse(502, {
        statusCode: 502,
        code: 'PROVIDER_REQUEST_FAILED',
        message: 'Could not list the models of Mock: connection refused',
        requestId: 'r',
      }),
    );
    await wrapper.get(byTestId('provider-refresh-Mock')).trigger('click');
    await waitFor(() =>
      expect(wrapper.get(byTestId('provider-refresh-result-Mock')).text()).toContain('connection refused'),
    );
    expect(api.calls.find((c) => c.path.endsWith('/models'))!.url.searchParams.get('refresh')).toBe('true');
    expect(notifyError).not.toHaveBeenCalled();
  });

  it('a user sees providers read-only, and a shared config with Duplicate and View but no Edit or Delete', async () => {
    const { wrapper, api } = await mountApp('/models', modelsRoutes());
    await waitFor(() => expect(wrapper.find(byTestId('model-config-row-Team reasoning')).exists()).toBe(true));

    expect(wrapper.find(byTestId('provider-add')).exists()).toBe(false);
    expect(wrapper.find(byTestId('provider-edit-Mock')).exists()).toBe(false);
    expect(wrapper.find(byTestId('provider-delete-Mock')).exists()).toBe(false);
    expect(wrapper.find(byTestId('provider-enabled-Mock')).exists()).toBe(false);
    expect(api.count('GET /api/providers/detected')).toBe(0);

    expect(wrapper.find(byTestId('model-config-readonly-Team reasoning')).exists()).toBe(true);
    expect(wrapper.find(byTestId('model-config-duplicate-Team reasoning')).exists()).toBe(true);
    expect(wrapper.find(byTestId('model-config-view-Team reasoning')).exists()).toBe(true);
    expect(wrapper.find(byTestId('model-config-edit-Team reasoning')).exists()).toBe(false);
    expect(wrapper.find(byTestId('model-config-delete-Team reasoning')).exists()).toBe(false);
    expect(wrapper.get(byTestId('model-config-row-Team reasoning')).text()).toContain('starts in reasoning');

    expect(wrapper.find(byTestId('model-config-edit-My chat')).exists()).toBe(true);
    expect(wrapper.find(byTestId('model-config-default-badge-My chat')).exists()).toBe(true);
    expect(wrapper.get(byTestId('model-config-default-My chat')).attributes('disabled')).toBeDefined();

    api.on(`POST /api/model-configs/${shared.id}/duplicate`, () =>
      jsonResponse(201, { ...shared, id: '20000000-0000-4000-8000-000000000003', name: 'Team reasoning (copy)' }),
    );
    const listsBefore = api.count('GET /api/model-configs');
    await wrapper.get(byTestId('model-config-duplicate-Team reasoning')).trigger('click');
    await waitFor(() => expect(api.count(`POST /api/model-configs/${shared.id}/duplicate`)).toBe(1));
    await waitFor(() => expect(api.count('GET /api/model-configs')).toBe(listsBefore + 1));
  });

  it('tests a model config and shows the latency and the reply in its row', async () => {
    const { wrapper, api } = await mountApp('/models', modelsRoutes());
    await waitFor(() => expect(wrapper.find(byTestId('model-config-test-My chat')).exists()).toBe(true));
    let answer!: (response: Response) => void;
    api.on(`POST /api/model-configs/${mine.id}/test`, () => new Promise<Response>((resolve) => (answer = resolve)));

    await wrapper.get(byTestId('model-config-test-My chat')).trigger('click');
    await waitFor(() =>
      expect(wrapper.get(byTestId('model-config-test-result-My chat')).attributes('data-state')).toBe('running'),
    );
    answer(jsonResponse(200, { ok: true, latencyMs: 123, reply: 'OK' }));
    await waitFor(() =>
      expect(wrapper.get(byTestId('model-config-test-result-My chat')).attributes('data-state')).toBe('ok'),
    );
    const result = wrapper.get(byTestId('model-config-test-result-My chat')).text();
    expect(result).toContain('✓');
    expect(result).toContain('123 ms');
    expect(wrapper.get(byTestId('model-config-test-result-My chat-reply')).text()).toBe('Reply: OK');
  });

  it('deletes a model config only after confirmation', async () => {
    const { wrapper, api } = await mountApp('/models', modelsRoutes());
    await waitFor(() => expect(wrapper.find(byTestId('model-config-delete-My chat')).exists()).toBe(true));
    api.on(`DELETE /api/model-configs/${mine.id}`, () => new Response(null, { status: 204 }));
    api.on(`GET /api/model-configs/${mine.id}/usage`, () => jsonResponse(200, { sessions: 2 }));

    await wrapper.get(byTestId('model-config-delete-My chat')).trigger('click');
    // The question warns that chats use the config.
    await waitFor(() =>
      expect(document.querySelector('.el-message-box')?.textContent).toContain('Chat sessions using it: 2'),
    );
    await answerConfirm('cancel');
    expect(api.count(`DELETE /api/model-configs/${mine.id}`)).toBe(0);

    await wrapper.get(byTestId('model-config-delete-My chat')).trigger('click');
    // The dialog opens once the usage count has arrived; the cancelled one may still be in the DOM.
    await waitFor(() => expect(api.count(`GET /api/model-configs/${mine.id}/usage`)).toBe(2));
    await settle();
    await answerConfirm('confirm');
    await waitFor(() => expect(api.count(`DELETE /api/model-configs/${mine.id}`)).toBe(1));
  });

  it('asks before deleting a provider and says how many model configs go with it', async () => {
    const { wrapper, api } = await mountApp('/models', modelsRoutes({ user: admin }));
    await waitFor(() => expect(wrapper.find(byTestId('provider-delete-Mock')).exists()).toBe(true));
    await wrapper.get(byTestId('provider-delete-Mock')).trigger('click');
    await waitFor(() =>
      expect(document.querySelector('.el-message-box')?.textContent).toContain('Its model configs (2)'),
    );
    await answerConfirm('cancel');
    expect(api.count(`DELETE /api/providers/${provider.id}`)).toBe(0);
  });

  it('shows an empty state that fits the role', async () => {
    const asUser = await mountApp('/models', modelsRoutes({ providers: [], configs: [] }));
    await waitFor(() => expect(asUser.wrapper.find(byTestId('providers-empty')).exists()).toBe(true));
    expect(asUser.wrapper.get(byTestId('providers-empty')).text()).toContain('Ask an administrator');
    await waitFor(() => expect(asUser.wrapper.find(byTestId('model-configs-empty')).exists()).toBe(true));
    expect(asUser.wrapper.get(byTestId('model-config-add')).attributes('disabled')).toBeDefined();
    asUser.wrapper.unmount();
    document.body.innerHTML = '';

    const asAdmin = await mountApp('/models', modelsRoutes({ user: admin, providers: [], configs: [] }));
    await waitFor(() => expect(asAdmin.wrapper.find(byTestId('provider-empty-add')).exists()).toBe(true));
  });

  it('creates a model config from the provider model list with the chosen temperature', async () => {
    const { wrapper, api } = await mountApp('/models', modelsRoutes({ configs: [] }));
    api.on(`GET /api/providers/${provider.id}/models`, () =>
      jsonResponse(200, {
        items: [
          { id: 'mock-chat', name: 'mock-chat', contextLength: 32768, capabilities: ['chat'], source: 'provider' },
          {
            id: 'mock-reasoning',
            name: 'mock-reasoning',
            contextLength: 65536,
            capabilities: ['chat', 'reasoning'],
            source: 'provider',
          },
        ],
        fetchedAt: '2025-01-02T03:04:05.000Z',
        cached: true,
      }),
    );
    api.on('POST /api/model-configs', ({ body }) =>
      jsonResponse(
        201,
        makeModelConfig({ ...(body as Partial<ModelConfig>), id: '20000000-0000-4000-8000-00000000000c' }),
      ),
    );
    await waitFor(() => expect(wrapper.find(byTestId('model-config-empty-add')).exists()).toBe(true));
    await wrapper.get(byTestId('model-config-add')).trigger('click');
    await waitFor(() => expect(api.count(`GET /api/providers/${provider.id}/models`)).toBe(1));
    await settle();
    // It opens on the Name field, not on the drawer itself.
    await waitFor(() =>
      expect(document.activeElement).toBe(document.querySelector(`input${byTestId('model-config-form-name')}`)),
    );

    // The options carry their capabilities; picking one names the config after it.
    const option = document.querySelector<HTMLElement>(byTestId('model-option-mock-reasoning'))!;
    expect(option.textContent).toContain('reasoning');
    expect(option.textContent).toContain('64K');
    document.querySelector<HTMLElement>(byTestId('model-option-mock-chat'))!.click();
    await settle();
    expect(document.querySelector<HTMLInputElement>(`input${byTestId('model-config-form-name')}`)!.value).toBe(
      'mock-chat',
    );

    const temperature = document.querySelector<HTMLInputElement>(`${byTestId('model-config-form-temperature')} input`)!;
    temperature.value = '0.3';
    temperature.dispatchEvent(new Event('input'));
    temperature.dispatchEvent(new Event('change'));
    await settle();

    document.querySelector<HTMLButtonElement>(byTestId('model-config-form-submit'))!.click();
    await waitFor(() => expect(api.count('POST /api/model-configs')).toBe(1));
    expect(api.calls.find((c) => c.method === 'POST' && c.path === '/api/model-configs')!.body).toEqual({
      name: 'mock-chat',
      providerId: provider.id,
      model: 'mock-chat',
      params: { temperature: 0.3, topP: 1, maxTokens: 4096 },
      systemPrompt: null,
      reasoningTags: { mode: 'auto' },
      inputPricePerMTok: null,
      outputPricePerMTok: null,
    });
  });

  it('offers a detected Ollama and opens the add dialog pre-filled; a taken name shows on the field', async () => {
    const routes = modelsRoutes({ user: admin, providers: [] });
    routes['GET /api/providers/detected'] = () =>
      jsonResponse(200, { items: [{ preset: 'ollama', baseUrl: 'http://127.0.0.1:11434', version: '0.9.0' }] });
    const { wrapper, api } = await mountApp('/models', routes);
    await waitFor(() => expect(wrapper.find(byTestId('provider-detected')).exists()).toBe(true));
    expect(wrapper.get(byTestId('provider-detected')).text()).toContain('http://127.0.0.1:11434');

    await wrapper.get(byTestId('provider-detected-add')).trigger('click');
    await settle();
    const name = document.querySelector<HTMLInputElement>(`input${byTestId('provider-form-name')}`)!;
    const baseUrl = document.querySelector<HTMLInputElement>(`input${byTestId('provider-form-base-url')}`)!;
    expect(name.value).toBe('Ollama');
    expect(baseUrl.value).toBe('http://127.0.0.1:11434');
    // Labelled fields.
    expect(document.querySelector(`label[for="${name.id}"]`)?.textContent).toContain('Name');

    api.on('POST /api/providers', () => errorResponse(409, 'PROVIDER_NAME_TAKEN'));
    document.querySelector<HTMLButtonElement>(byTestId('provider-form-submit'))!.click();
    await waitFor(() => expect(api.count('POST /api/providers')).toBe(1));
    expect(api.calls.find((c) => c.method === 'POST' && c.path === '/api/providers')!.body).toEqual({
      name: 'Ollama',
      kind: 'ollama',
      preset: 'ollama',
      baseUrl: 'http://127.0.0.1:11434',
      enabled: true,
    });
    await waitFor(() =>
      expect(document.querySelector('.el-form-item__error')?.textContent).toContain('A provider with this name'),
    );
  });
});
