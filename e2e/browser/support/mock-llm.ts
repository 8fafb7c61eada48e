import type { ModelConfig, Provider } from '@modelyard/contracts';
import { expect } from '@playwright/test';
import { ADMIN, type Account, authed, createAccount, type Credentials } from './app';

/** The mock LLM upstream the harness starts: OpenAI-compatible under /v1; the model name picks the scenario. */
function mockLlmUrl(): string {
  const url = (process.env.MOCK_LLM_URL ?? '').replace(/\/+$/, '');
  if (!url) throw new Error('MOCK_LLM_URL must be set for the browser tests that talk to a model');
  return url;
}

/** A custom OpenAI-compatible provider on the mock upstream, made by the admin; returns its id. */
export async function createMockProvider(name: string): Promise<string> {
  const { api, headers } = await authed(ADMIN);
  try {
    const res = await api.post('/api/providers', {
      headers,
      data: { name, kind: 'openai', preset: 'custom', baseUrl: `${mockLlmUrl()}/v1` },
    });
    expect(res.status(), await res.text()).toBe(201);
    return ((await res.json()) as Provider).id;
  } finally {
    await api.dispose();
  }
}

/** Model configs made over HTTP as `account`, in the order given. */
export async function createModelConfigs(account: Credentials, configs: object[]): Promise<ModelConfig[]> {
  const { api, headers } = await authed(account);
  try {
    const created: ModelConfig[] = [];
    for (const data of configs) {
      const res = await api.post('/api/model-configs', { headers, data });
      expect(res.status(), await res.text()).toBe(201);
      created.push((await res.json()) as ModelConfig);
    }
    return created;
  } finally {
    await api.dispose();
  }
}

/**
 * A new account with one model config per entry of `models` (config name → mock model) on a new mock provider;
 * the `priced` one has prices, so estimated costs show.
 */
export async function accountWithMockModels(
  tag: string,
  models: Record<string, string>,
  priced: string,
): Promise<Account> {
  const providerId = await createMockProvider(`${tag} mock ${Date.now().toString(36)}`);
  const account = await createAccount(tag.toLowerCase());
  await createModelConfigs(
    account,
    Object.entries(models).map(([name, model]) => ({
      name,
      providerId,
      model,
      ...(name === priced && { inputPricePerMTok: 1.5, outputPricePerMTok: 6 }),
    })),
  );
  return account;
}
