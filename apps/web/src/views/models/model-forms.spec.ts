import {
  CreateModelConfigSchema,
  CreateProviderSchema,
  PROVIDER_PRESETS,
  UpdateProviderSchema,
} from '@modelyard/contracts';
import { describe, expect, it } from 'vitest';
import { makeModelConfig, makeProvider } from '@/test-utils/models';
import {
  emptyModelConfigForm,
  formatContextLength,
  modelConfigChanges,
  modelConfigFormFrom,
  notableCapabilities,
  chatModelsFirst,
  toCreateModelConfigInput,
} from './model-config-form';
import {
  sortFromTable,
  toModelConfigQuery,
  emptyModelConfigFilters,
  MODEL_CONFIG_COLUMNS,
} from './model-configs-table';
import { keyHint, providerStatusTone, refreshOutcome } from './provider-card';
import {
  applyPreset,
  emptyProviderForm,
  headerRecord,
  keyNeed,
  providerFormFrom,
  providerFormFromDetected,
  toCreateProviderInput,
  toUpdateProviderInput,
} from './provider-form';

const preset = (id: string) => PROVIDER_PRESETS.find((p) => p.id === id)!;

describe('provider form', () => {
  it('a preset fills protocol, base URL and an untouched name, and says whether a key is needed', () => {
    const form = emptyProviderForm();
    applyPreset(form, preset('ollama'), PROVIDER_PRESETS);
    expect(form).toMatchObject({ preset: 'ollama', kind: 'ollama', name: 'Ollama', baseUrl: 'http://127.0.0.1:11434' });
    expect(keyNeed(preset('ollama'))).toBe('notNeeded');

    // The name still is the preset's: it follows the next preset.
    applyPreset(form, preset('deepseek'), PROVIDER_PRESETS);
    expect(form).toMatchObject({ preset: 'deepseek', kind: 'openai', name: 'DeepSeek' });
    expect(keyNeed(preset('deepseek'))).toBe('required');

    // A name the user typed stays; "custom" keeps the URL typed so far.
    form.name = 'Team DeepSeek';
    applyPreset(form, preset('custom'), PROVIDER_PRESETS);
    expect(form).toMatchObject({ preset: 'custom', name: 'Team DeepSeek', baseUrl: 'https://api.deepseek.com/v1' });
    expect(keyNeed(preset('custom'))).toBe('optional');
  });

  it('pre-fills the add form from a detected Ollama', () => {
    const form = providerFormFromDetected({ preset: 'ollama', baseUrl: 'http://127.0.0.1:11434' }, PROVIDER_PRESETS);
    expect(toCreateProviderInput(form)).toEqual({
      name: 'Ollama',
      kind: 'ollama',
      preset: 'ollama',
      baseUrl: 'http://127.0.0.1:11434',
      enabled: true,
    });
  });

  it('builds a create body the contract accepts, leaving out what was not filled in', () => {
    const form = emptyProviderForm();
    applyPreset(form, preset('openai'), PROVIDER_PRESETS);
    Object.assign(form, {
      name: ' Mock ',
      baseUrl: ' http://127.0.0.1:9999/v1 ',
      apiKey: ' sk-test-1234 ',
      headers: [
        { name: 'X-Org', value: 'acme' },
        { name: '  ', value: '' },
      ],
      timeouts: { connect: 5, firstByte: 120, idle: 60 },
      manualModels: ['a', ' a ', 'b', ''],
    });
    const input = toCreateProviderInput(form);
    expect(input).toEqual({
      name: 'Mock',
      kind: 'openai',
      preset: 'openai',
      baseUrl: 'http://127.0.0.1:9999/v1',
      apiKey: 'sk-test-1234',
      headers: { 'X-Org': 'acme' },
      timeouts: { connectMs: 5000, firstByteMs: 120_000, idleMs: 60_000 },
      manualModels: ['a', 'b'],
      enabled: true,
    });
    expect(CreateProviderSchema.safeParse(input).success).toBe(true);
  });

  it('sends the header name and api version only with the auth style that uses them', () => {
    const form = emptyProviderForm();
    Object.assign(form, {
      name: 'Azure',
      baseUrl: 'https://x.openai.azure.com',
      authStyle: 'azure',
      apiVersion: '2024-10-21',
    });
    form.authHeaderName = 'x-ignored';
    expect(toCreateProviderInput(form)).toMatchObject({ authStyle: 'azure', apiVersion: '2024-10-21' });
    expect(toCreateProviderInput(form)).not.toHaveProperty('authHeaderName');

    Object.assign(form, { authStyle: 'header', authHeaderName: 'api-key' });
    expect(toCreateProviderInput(form)).toMatchObject({ authStyle: 'header', authHeaderName: 'api-key' });
    expect(toCreateProviderInput(form)).not.toHaveProperty('apiVersion');
  });

  it('an unchanged edit sends nothing; the key is kept unless replaced or removed', () => {
    const provider = makeProvider({ headerNames: ['X-Org'], manualModels: ['m1'] });
    const form = providerFormFrom(provider);
    expect(toUpdateProviderInput(provider, form)).toEqual({});

    form.apiKey = 'invalid-key';
    expect(toUpdateProviderInput(provider, form)).toEqual({ apiKey: 'invalid-key' });

    form.removeApiKey = true;
    expect(toUpdateProviderInput(provider, form)).toEqual({ apiKey: null });
    expect(UpdateProviderSchema.safeParse({ apiKey: null }).success).toBe(true);
  });

  it('an edit sends changed fields only, and headers only when they are replaced as a whole', () => {
    const provider = makeProvider({ headerNames: ['X-Org'] });
    const form = providerFormFrom(provider);
    Object.assign(form, { name: 'Renamed', enabled: false, manualModels: ['extra'] });
    form.timeouts.idle = 30;
    expect(toUpdateProviderInput(provider, form)).toEqual({
      name: 'Renamed',
      enabled: false,
      manualModels: ['extra'],
      timeouts: { connectMs: 10_000, firstByteMs: 120_000, idleMs: 30_000 },
    });

    form.replaceHeaders = true;
    form.headers = [];
    expect(toUpdateProviderInput(provider, form)).toMatchObject({ headers: {} });
  });

  it('header rows become a record; blank names are dropped', () => {
    expect(
      headerRecord([
        { name: ' X-A ', value: '1' },
        { name: '', value: 'x' },
      ]),
    ).toEqual({ 'X-A': '1' });
  });
});

describe('provider card', () => {
  it('shows the key hint, or that there is no key', () => {
    expect(keyHint(makeProvider())).toBe('…3f9a');
    expect(keyHint(makeProvider({ hasApiKey: false, apiKeyHint: null }))).toBeNull();
  });

  it('tells ok, failed and untested apart', () => {
    expect(providerStatusTone(null)).toBe('unknown');
    expect(providerStatusTone({ ok: true, latencyMs: 5, checkedAt: '' })).toBe('ok');
    expect(providerStatusTone({ ok: false, latencyMs: 5, error: '401', checkedAt: '' })).toBe('error');
  });

  it('reports a refresh as a count, with the reason when the live list failed', () => {
    const item = { id: 'm', name: 'm', capabilities: ['chat' as const], source: 'manual' as const };
    expect(refreshOutcome({ items: [item], fetchedAt: null, cached: false, error: 'HTTP 401' })).toEqual({
      count: 1,
      error: 'HTTP 401',
    });
  });
});

describe('model config form', () => {
  it('leaves unset optional parameters out and keeps visibility for those who may share', () => {
    const form = emptyModelConfigForm('10000000-0000-4000-8000-000000000001');
    Object.assign(form, { name: 'Chat', model: ' mock-chat ', temperature: 0.3, seed: 7, stop: ['END'] });
    const input = toCreateModelConfigInput(form, false);
    expect(input).toEqual({
      name: 'Chat',
      providerId: '10000000-0000-4000-8000-000000000001',
      model: 'mock-chat',
      params: { temperature: 0.3, topP: 1, maxTokens: 4096, seed: 7, stop: ['END'] },
      systemPrompt: null,
      reasoningTags: { mode: 'auto' },
      inputPricePerMTok: null,
      outputPricePerMTok: null,
    });
    expect(CreateModelConfigSchema.safeParse(input).success).toBe(true);
    // A reasoning effort is sent once picked, and comes back into the form from the saved config.
    const thinking = toCreateModelConfigInput({ ...form, reasoningEffort: 'high' }, false);
    expect(thinking.params).toMatchObject({ reasoningEffort: 'high' });
    expect(CreateModelConfigSchema.safeParse(thinking).success).toBe(true);
    const saved = { temperature: 0.3, topP: 1, maxTokens: 4096, reasoningEffort: 'high' as const };
    expect(modelConfigFormFrom(makeModelConfig({ params: saved })).reasoningEffort).toBe('high');
    expect(modelConfigFormFrom(makeModelConfig({})).reasoningEffort).toBe('default');
    expect(toCreateModelConfigInput({ ...form, visibility: 'shared', isDefault: true }, true)).toMatchObject({
      visibility: 'shared',
      isDefault: true,
    });
  });

  it('custom reasoning tags carry their pair; other modes do not', () => {
    const form = emptyModelConfigForm();
    form.reasoningMode = 'custom';
    form.reasoningOpen = ' <reason> ';
    form.reasoningClose = '</reason>';
    expect(toCreateModelConfigInput(form, false).reasoningTags).toEqual({
      mode: 'custom',
      open: '<reason>',
      close: '</reason>',
    });
    form.reasoningMode = 'off';
    expect(toCreateModelConfigInput(form, false).reasoningTags).toEqual({ mode: 'off' });
  });

  it('an edit sends what changed, params as a whole', () => {
    const config = makeModelConfig({
      params: { temperature: 0.7, topP: 1, maxTokens: 4096, topK: 40 },
      isDefault: true,
    });
    const form = modelConfigFormFrom(config);
    expect(modelConfigChanges(config, form)).toEqual({});

    form.temperature = 0.2;
    form.systemPrompt = 'Be brief.';
    form.isDefault = false;
    expect(modelConfigChanges(config, form)).toEqual({
      params: { temperature: 0.2, topP: 1, maxTokens: 4096, topK: 40 },
      systemPrompt: 'Be brief.',
      isDefault: false,
    });
  });

  it('labels models by their notable capabilities and context size', () => {
    expect(notableCapabilities({ capabilities: ['chat', 'reasoning', 'vision'] })).toEqual(['reasoning', 'vision']);
    // Speech or image models (no capabilities) and embeddings go after the chat models, in the server's order.
    const listed = [
      { id: 'whisper-1', capabilities: [] },
      { id: 'gpt-4o', capabilities: ['chat', 'vision'] },
      { id: 'text-embedding-3-small', capabilities: ['embedding'] },
      { id: 'o3-mini', capabilities: ['chat', 'reasoning'] },
    ] as const;
    expect(chatModelsFirst(listed.map((m) => ({ ...m, capabilities: [...m.capabilities] }))).map((m) => m.id)).toEqual([
      'gpt-4o',
      'o3-mini',
      'whisper-1',
      'text-embedding-3-small',
    ]);
    expect(formatContextLength(131_072)).toBe('128K');
    expect(formatContextLength(8000)).toBe('8K');
    expect(formatContextLength(1_048_576)).toBe('1M');
    expect(formatContextLength(512)).toBe('512');
  });
});

describe('model config table', () => {
  it('sends only the filters in use', () => {
    expect(toModelConfigQuery({ ...emptyModelConfigFilters(), search: '  ', page: 1, pageSize: 20 })).toEqual({
      search: undefined,
      providerId: undefined,
      mine: undefined,
      sort: 'updatedAt',
      order: 'desc',
      page: 1,
      pageSize: 20,
    });
    expect(
      toModelConfigQuery({
        ...emptyModelConfigFilters(),
        search: ' qwen ',
        mine: true,
        providerId: 'p',
        page: 2,
        pageSize: 50,
      }),
    ).toMatchObject({ search: 'qwen', mine: true, providerId: 'p', page: 2 });
  });

  it('maps table sorting to the API and falls back to recently updated', () => {
    const byKey = (key: string) => MODEL_CONFIG_COLUMNS.find((c) => c.key === key);
    expect(sortFromTable(byKey('name'), 'ascending')).toEqual({ sort: 'name', order: 'asc' });
    expect(sortFromTable(byKey('model'), 'descending')).toEqual({ sort: 'model', order: 'desc' });
    expect(sortFromTable(byKey('name'), null)).toEqual({ sort: 'updatedAt', order: 'desc' });
    expect(sortFromTable(byKey('provider'), 'ascending')).toEqual({ sort: 'updatedAt', order: 'desc' });
  });
});
