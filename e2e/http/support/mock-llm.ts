import { randomUUID } from 'node:crypto';
import type { ModelConfig, Provider } from '@modelyard/contracts';
import { expect } from 'vitest';
import { type ApiClient, mockLlmUrl } from './client';

export interface RecordedUpstreamRequest {
  id: string;
  protocol: 'openai' | 'ollama' | 'anthropic';
  method: string;
  path: string;
  model?: string;
  headers: Record<string, string>;
  body: unknown;
  outcome: 'completed' | 'client-closed' | 'fault' | 'pending';
}

/** What the mock upstream saw; tests filter by something unique to them (a model override, a key). */
export async function upstreamRequests(): Promise<RecordedUpstreamRequest[]> {
  const res = await fetch(`${mockLlmUrl()}/__mock/requests`);
  return (await res.json()) as RecordedUpstreamRequest[];
}

export const uniqueName = (tag: string) => `${tag} ${randomUUID().slice(0, 8)}`;

/** The base URL a provider of this kind uses to reach the mock. */
export function mockBaseUrl(kind: Provider['kind']): string {
  return kind === 'openai' ? `${mockLlmUrl()}/v1` : mockLlmUrl();
}

export async function createProvider(admin: ApiClient, overrides: Record<string, unknown> = {}): Promise<Provider> {
  const kind = (overrides.kind as Provider['kind'] | undefined) ?? 'openai';
  const res = await admin.post<Provider>('/api/providers', {
    name: uniqueName('Mock'),
    kind,
    baseUrl: mockBaseUrl(kind),
    apiKey: `sk-e2e-${randomUUID()}`,
    ...overrides,
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

export async function createModelConfig(
  client: ApiClient,
  providerId: string,
  overrides: Record<string, unknown> = {},
): Promise<ModelConfig> {
  const res = await client.post<ModelConfig>('/api/model-configs', {
    name: uniqueName('Config'),
    providerId,
    model: 'mock-chat',
    ...overrides,
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}
