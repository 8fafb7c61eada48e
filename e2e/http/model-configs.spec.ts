import { randomUUID } from 'node:crypto';
import type { ConnectionTestResult, ModelConfig, Paginated } from '@modelyard/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiClient,
  adminClient,
  detailPaths,
  expectEnvelope,
  newSignedInUser,
  type SignedInUser,
} from './support/client';
import { createModelConfig, createProvider, uniqueName, upstreamRequests } from './support/mock-llm';

let admin: ApiClient;
let alice: SignedInUser;
let bob: SignedInUser;
let providerId: string;
let ollamaProviderId: string;
let anthropicProviderId: string;

beforeAll(async () => {
  admin = await adminClient();
  [alice, bob] = await Promise.all([newSignedInUser(), newSignedInUser()]);
  providerId = (await createProvider(admin)).id;
  ollamaProviderId = (await createProvider(admin, { kind: 'ollama', apiKey: undefined })).id;
  anthropicProviderId = (await createProvider(admin, { kind: 'anthropic' })).id;
});

describe('model configs: CRUD and validation', () => {
  it('creates a config with defaults filled in, and makes a first config the default', async () => {
    const fresh = await newSignedInUser();
    const config = await createModelConfig(fresh.client, providerId, { params: { temperature: 0.3 } });
    expect(config).toMatchObject({
      providerId,
      model: 'mock-chat',
      visibility: 'private',
      isDefault: true,
      editable: true,
      ownerId: fresh.user.id,
      reasoningTags: { mode: 'auto' },
    });
    expect(config.params).toMatchObject({ temperature: 0.3, topP: 1 });
    expect(config.params.maxTokens).toBeGreaterThan(0);
    const second = await createModelConfig(fresh.client, providerId);
    expect(second.isDefault).toBe(false);
    const chosen = await fresh.client.post<ModelConfig>(`/api/model-configs/${second.id}/default`);
    expect(chosen.body.isDefault).toBe(true);
    const first = await fresh.client.get<ModelConfig>(`/api/model-configs/${config.id}`);
    expect(first.body.isDefault).toBe(false);
  });

  it('validates parameters and names field by field', async () => {
    const bad = await alice.client.post('/api/model-configs', {
      name: '',
      providerId,
      model: 'mock-chat',
      params: { temperature: 2.5, topP: 1.5, maxTokens: 0 },
    });
    expect(detailPaths(expectEnvelope(bad, 400, 'VALIDATION_FAILED')).sort()).toEqual(
      ['name', 'params.maxTokens', 'params.temperature', 'params.topP'].sort(),
    );
    const config = await createModelConfig(alice.client, providerId);
    expectEnvelope(
      await alice.client.post('/api/model-configs', { name: config.name, providerId, model: 'm' }),
      409,
      'MODEL_CONFIG_NAME_TAKEN',
    );
    expectEnvelope(
      await alice.client.post('/api/model-configs', { name: uniqueName('X'), providerId: randomUUID(), model: 'm' }),
      404,
      'PROVIDER_NOT_FOUND',
    );
    expectEnvelope(
      await alice.client.patch(`/api/model-configs/${config.id}`, { params: { topK: -1 } }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('updates, duplicates, lists with search/sort/pagination, and deletes', async () => {
    const tag = randomUUID().slice(0, 6);
    const a = await createModelConfig(alice.client, providerId, { name: `List ${tag} alpha` });
    await createModelConfig(alice.client, providerId, { name: `List ${tag} beta`, model: 'mock-reasoning' });
    const updated = await alice.client.patch<ModelConfig>(`/api/model-configs/${a.id}`, {
      params: { temperature: 1.1, stop: ['###'] },
      systemPrompt: 'You are terse.',
      reasoningTags: { mode: 'custom', open: '<|begin_of_thought|>', close: '<|end_of_thought|>' },
    });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.params).toMatchObject({ temperature: 1.1, stop: ['###'], topP: 1 });
    expect(updated.body.systemPrompt).toBe('You are terse.');
    // Params are replaced as a unit: leaving an optional one out clears it; required ones keep their value.
    const cleared = await alice.client.patch<ModelConfig>(`/api/model-configs/${a.id}`, {
      params: { temperature: 1.1 },
    });
    expect(cleared.body.params).not.toHaveProperty('stop');
    expect(cleared.body.params).toMatchObject({ temperature: 1.1, topP: 1, maxTokens: updated.body.params.maxTokens });
    await alice.client.patch(`/api/model-configs/${a.id}`, { params: updated.body.params });

    const copy = await alice.client.post<ModelConfig>(`/api/model-configs/${a.id}/duplicate`);
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({
      name: `List ${tag} alpha (copy)`,
      params: updated.body.params,
      isDefault: false,
    });

    const page = await alice.client.get<Paginated<ModelConfig>>(
      `/api/model-configs?search=${tag}&sort=name&order=asc&pageSize=2`,
    );
    expect(page.body.total).toBe(3);
    expect(page.body.items.map((c) => c.name)).toEqual([`List ${tag} alpha`, `List ${tag} alpha (copy)`]);
    const page2 = await alice.client.get<Paginated<ModelConfig>>(
      `/api/model-configs?search=${tag}&sort=name&order=asc&pageSize=2&page=2`,
    );
    expect(page2.body.items.map((c) => c.name)).toEqual([`List ${tag} beta`]);
    expectEnvelope(await alice.client.get('/api/model-configs?pageSize=101'), 400, 'VALIDATION_FAILED');

    expect((await alice.client.delete(`/api/model-configs/${copy.body.id}`)).status).toBe(204);
    expectEnvelope(await alice.client.get(`/api/model-configs/${copy.body.id}`), 404, 'MODEL_CONFIG_NOT_FOUND');
  });

  it('names copies of a long name apart, and answers simultaneous same-name creates with one 201 and 409s', async () => {
    const long = `${randomUUID()}${'n'.repeat(28)}`.slice(0, 64);
    const original = await createModelConfig(alice.client, providerId, { name: long });
    const first = await alice.client.post<ModelConfig>(`/api/model-configs/${original.id}/duplicate`);
    const second = await alice.client.post<ModelConfig>(`/api/model-configs/${original.id}/duplicate`);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.body.name).toMatch(/ \(copy\)$/);
    expect(second.body.name).toMatch(/ \(copy 2\)$/);
    for (const copy of [first.body, second.body]) expect(copy.name.length).toBeLessThanOrEqual(64);

    const name = uniqueName('Race');
    const creates = await Promise.all(
      [1, 2, 3, 4].map(() => alice.client.post('/api/model-configs', { name, providerId, model: 'mock-chat' })),
    );
    expect(creates.filter((c) => c.status === 201)).toHaveLength(1);
    for (const lost of creates.filter((c) => c.status !== 201)) expectEnvelope(lost, 409, 'MODEL_CONFIG_NAME_TAKEN');
  });

  it('batch-deletes only what the caller owns', async () => {
    const mine = await createModelConfig(alice.client, providerId);
    const mine2 = await createModelConfig(alice.client, providerId);
    const bobs = await createModelConfig(bob.client, providerId);
    const res = await alice.client.post<{ deleted: string[]; skipped: string[] }>('/api/model-configs/batch-delete', {
      ids: [mine.id, mine2.id, bobs.id],
    });
    expect(res.status).toBe(200);
    expect(res.body.deleted.sort()).toEqual([mine.id, mine2.id].sort());
    expect(res.body.skipped).toEqual([bobs.id]);
    expect((await bob.client.get(`/api/model-configs/${bobs.id}`)).status).toBe(200);
  });
});

describe('model configs: isolation and sharing', () => {
  it("keeps a user's configs invisible and untouchable to others (404, never 403)", async () => {
    const secret = await createModelConfig(alice.client, providerId);
    expectEnvelope(await bob.client.get(`/api/model-configs/${secret.id}`), 404, 'MODEL_CONFIG_NOT_FOUND');
    expectEnvelope(
      await bob.client.patch(`/api/model-configs/${secret.id}`, { name: 'mine now' }),
      404,
      'MODEL_CONFIG_NOT_FOUND',
    );
    expectEnvelope(await bob.client.delete(`/api/model-configs/${secret.id}`), 404, 'MODEL_CONFIG_NOT_FOUND');
    expectEnvelope(await bob.client.post(`/api/model-configs/${secret.id}/test`), 404, 'MODEL_CONFIG_NOT_FOUND');
    expectEnvelope(await bob.client.post(`/api/model-configs/${secret.id}/default`), 404, 'MODEL_CONFIG_NOT_FOUND');
    expectEnvelope(await bob.client.post(`/api/model-configs/${secret.id}/duplicate`), 404, 'MODEL_CONFIG_NOT_FOUND');
    const list = await bob.client.get<Paginated<ModelConfig>>('/api/model-configs?pageSize=100');
    expect(list.body.items.map((c) => c.id)).not.toContain(secret.id);
  });

  it('lets only admins share; shared configs are read-only to users, who can still use, default and copy them', async () => {
    expectEnvelope(
      await alice.client.post('/api/model-configs', {
        name: uniqueName('Share'),
        providerId,
        model: 'mock-chat',
        visibility: 'shared',
      }),
      403,
      'MODEL_CONFIG_SHARE_FORBIDDEN',
    );
    const adminDefault = await createModelConfig(admin, providerId, { isDefault: true });
    const shared = await createModelConfig(admin, providerId, { visibility: 'shared' });
    const seen = await bob.client.get<ModelConfig>(`/api/model-configs/${shared.id}`);
    expect(seen.body).toMatchObject({ visibility: 'shared', editable: false });
    expectEnvelope(
      await bob.client.patch(`/api/model-configs/${shared.id}`, { name: 'hijack' }),
      403,
      'MODEL_CONFIG_READ_ONLY',
    );
    expectEnvelope(await bob.client.delete(`/api/model-configs/${shared.id}`), 403, 'MODEL_CONFIG_READ_ONLY');
    expect((await bob.client.post<ModelConfig>(`/api/model-configs/${shared.id}/default`)).body.isDefault).toBe(true);
    const copy = await bob.client.post<ModelConfig>(`/api/model-configs/${shared.id}/duplicate`);
    expect(copy.body).toMatchObject({ visibility: 'private', editable: true, ownerId: bob.user.id });
    const mineOnly = await bob.client.get<Paginated<ModelConfig>>('/api/model-configs?mine=true&pageSize=100');
    expect(mineOnly.body.items.map((c) => c.id)).not.toContain(shared.id);
    // The admin's own default is unaffected by Bob's choice.
    expect((await admin.get<ModelConfig>(`/api/model-configs/${shared.id}`)).body.isDefault).toBe(false);
    expect((await admin.get<ModelConfig>(`/api/model-configs/${adminDefault.id}`)).body.isDefault).toBe(true);
  });
});

describe('model configs: test against the upstream', () => {
  it.each([
    ['openai', () => providerId],
    ['ollama', () => ollamaProviderId],
    ['anthropic', () => anthropicProviderId],
  ])('answers ok with a reply through a %s provider', async (_kind, provider) => {
    const config = await createModelConfig(alice.client, provider(), { model: 'mock-echo' });
    const res = await alice.client.post<ConnectionTestResult>(`/api/model-configs/${config.id}/test`);
    expect(res.status).toBe(200);
    expect(res.body.ok, res.body.error).toBe(true);
    expect(res.body.reply).toMatch(/OK/);
  });

  it('names the cause when the model is unknown or the upstream fails', async () => {
    const unknown = await createModelConfig(alice.client, providerId, { model: 'no-such-model' });
    const res = await alice.client.post<ConnectionTestResult>(`/api/model-configs/${unknown.id}/test`);
    expect(res.body).toMatchObject({ ok: false });
    expect(res.body.error).toMatch(/model/i);
    const failing = await createModelConfig(alice.client, providerId, { model: 'mock-fault-500' });
    const failed = await alice.client.post<ConnectionTestResult>(`/api/model-configs/${failing.id}/test`);
    expect(failed.body.ok).toBe(false);
    expect(failed.body.error).toMatch(/500|fail/i);
  });

  it('maps parameters per protocol and never sends what the protocol cannot take', async () => {
    const marker = `tokens=${100 + Math.floor(Math.random() * 900)}`;
    const params = {
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      maxTokens: 64,
      presencePenalty: 0.5,
      frequencyPenalty: 0.3,
      seed: 7,
    };
    for (const provider of [providerId, ollamaProviderId, anthropicProviderId]) {
      const config = await createModelConfig(alice.client, provider, { model: `mock-echo@${marker}`, params });
      await alice.client.post(`/api/model-configs/${config.id}/test`);
    }
    const seen = (await upstreamRequests()).filter((r) => r.model?.endsWith(marker) && r.method === 'POST');
    const openai = seen.find((r) => r.protocol === 'openai')?.body as Record<string, unknown>;
    expect(openai).toMatchObject({
      temperature: 0.2,
      top_p: 0.9,
      presence_penalty: 0.5,
      frequency_penalty: 0.3,
      seed: 7,
      stream: true,
    });
    expect(openai).not.toHaveProperty('top_k');
    const ollama = seen.find((r) => r.protocol === 'ollama')?.body as { options: Record<string, unknown> };
    expect(ollama.options).toMatchObject({ temperature: 0.2, top_p: 0.9, top_k: 40, num_predict: 64, seed: 7 });
    const anthropic = seen.find((r) => r.protocol === 'anthropic')?.body as Record<string, unknown>;
    expect(anthropic).toMatchObject({ temperature: 0.2, top_p: 0.9, top_k: 40, max_tokens: 64 });
    expect(anthropic).not.toHaveProperty('presence_penalty');
    expect(anthropic).not.toHaveProperty('seed');
    expect(anthropic).not.toHaveProperty('thinking');
  });

  it('asks each protocol for thinking when a config sets a reasoning effort', async () => {
    const marker = `tokens=${100 + Math.floor(Math.random() * 900)}`;
    const params = { temperature: 0.2, maxTokens: 64, reasoningEffort: 'medium' };
    for (const provider of [providerId, ollamaProviderId, anthropicProviderId]) {
      const config = await createModelConfig(alice.client, provider, { model: `mock-echo@${marker}`, params });
      expect(config.params).toMatchObject({ reasoningEffort: 'medium' });
      await alice.client.post(`/api/model-configs/${config.id}/test`);
    }
    const seen = (await upstreamRequests()).filter((r) => r.model?.endsWith(marker) && r.method === 'POST');
    expect(seen.find((r) => r.protocol === 'openai')?.body).toMatchObject({ reasoning_effort: 'medium' });
    expect(seen.find((r) => r.protocol === 'ollama')?.body).toMatchObject({ think: true });
    const anthropic = seen.find((r) => r.protocol === 'anthropic')?.body as Record<string, unknown>;
    expect(anthropic).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 8192 }, max_tokens: 64 + 8192 });
    // Extended thinking does not go with a changed temperature.
    expect(anthropic).not.toHaveProperty('temperature');
    expect(
      detailPaths(
        expectEnvelope(
          await alice.client.post('/api/model-configs', {
            name: uniqueName('Effort'),
            providerId,
            model: 'm',
            params: { reasoningEffort: 'extreme' },
          }),
          400,
          'VALIDATION_FAILED',
        ),
      ),
    ).toEqual(['params.reasoningEffort']);
  });

  it('refuses configs whose provider an admin disabled', async () => {
    const provider = await createProvider(admin);
    const config = await createModelConfig(alice.client, provider.id);
    await admin.patch(`/api/providers/${provider.id}`, { enabled: false });
    expectEnvelope(
      await alice.client.post(`/api/model-configs/${config.id}/test`),
      409,
      'MODEL_CONFIG_PROVIDER_DISABLED',
    );
  });
});
