import { DEFAULT_MODEL_PARAMS, DEFAULT_PROVIDER_TIMEOUTS, type ModelConfig, type Provider } from '@modelyard/contracts';

export function makeProvider(overrides: Partial<Provider> = {}): Provider {
  return {
    id: '10000000-0000-4000-8000-000000000001',
    name: 'Local vLLM',
    kind: 'openai',
    preset: 'vllm',
    baseUrl: 'http://127.0.0.1:8000/v1',
    authStyle: 'bearer',
    authHeaderName: null,
    apiVersion: null,
    hasApiKey: true,
    apiKeyHint: '…3f9a',
    headerNames: [],
    timeouts: { ...DEFAULT_PROVIDER_TIMEOUTS },
    manualModels: [],
    enabled: true,
    status: null,
    modelConfigCount: 0,
    createdAt: '2025-01-02T03:04:05.000Z',
    updatedAt: '2025-01-02T03:04:05.000Z',
    ...overrides,
  };
}

export function makeModelConfig(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return {
    id: '20000000-0000-4000-8000-000000000001',
    name: 'Chat',
    providerId: '10000000-0000-4000-8000-000000000001',
    providerName: 'Local vLLM',
    providerKind: 'openai',
    providerEnabled: true,
    model: 'mock-chat',
    params: { ...DEFAULT_MODEL_PARAMS },
    systemPrompt: null,
    reasoningTags: { mode: 'auto' },
    reasoningStartsOpen: false,
    visibility: 'private',
    isDefault: false,
    ownerId: '00000000-0000-4000-8000-000000000001',
    editable: true,
    inputPricePerMTok: null,
    outputPricePerMTok: null,
    createdAt: '2025-01-02T03:04:05.000Z',
    updatedAt: '2025-01-02T03:04:05.000Z',
    ...overrides,
  };
}
