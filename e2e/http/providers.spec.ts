import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AuditLogEntry, ConnectionTestResult, Paginated, Provider, ProviderModelList } from '@modelyard/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiClient,
  adminClient,
  env,
  expectEnvelope,
  mockLlmUrl,
  newSignedInUser,
  type SignedInUser,
} from './support/client';
import { createModelConfig, createProvider, mockBaseUrl, uniqueName, upstreamRequests } from './support/mock-llm';

let admin: ApiClient;
let user: SignedInUser;

beforeAll(async () => {
  admin = await adminClient();
  user = await newSignedInUser();
});

describe('providers: admin management', () => {
  it.each(['openai', 'ollama', 'anthropic'] as const)(
    'registers a %s provider, lists its models and tests it',
    async (kind) => {
      const provider = await createProvider(admin, { kind });
      expect(provider).toMatchObject({ kind, enabled: true, hasApiKey: true, baseUrl: mockBaseUrl(kind) });
      expect(provider.apiKeyHint).toMatch(/^…[0-9a-f-]{4}$/);

      const models = await admin.get<ProviderModelList>(`/api/providers/${provider.id}/models?refresh=true`);
      expect(models.status, models.text).toBe(200);
      // Ollama names every model with its tag ("mock-chat:latest"); that is the id to send back.
      const ids = models.body.items.map((m) => m.id.replace(/:latest$/, ''));
      expect(ids).toEqual(expect.arrayContaining(['mock-chat', 'mock-reasoning']));
      expect(models.body.cached).toBe(false);
      if (kind !== 'anthropic') {
        // Ollama reports capabilities through /api/show, OpenAI-compatible servers through their ids.
        expect(models.body.items.find((m) => m.id.startsWith('mock-reasoning'))?.capabilities).toContain('reasoning');
      }

      const again = await admin.get<ProviderModelList>(`/api/providers/${provider.id}/models`);
      expect(again.body.cached).toBe(true);
      expect(again.body.items.map((m) => m.id.replace(/:latest$/, ''))).toEqual(ids);

      const test = await admin.post<ConnectionTestResult>(`/api/providers/${provider.id}/test`);
      expect(test.status).toBe(200);
      expect(test.body).toMatchObject({ ok: true });
      expect(test.body.latencyMs).toBeGreaterThanOrEqual(0);
      const after = await admin.get<Provider>(`/api/providers/${provider.id}`);
      expect(after.body.status).toMatchObject({ ok: true });
    },
  );

  it('sends the decrypted key the way the provider expects it', async () => {
    const key = `sk-e2e-${randomUUID()}`;
    const bearer = await createProvider(admin, { apiKey: key, headers: { 'X-Team': 'e2e' } });
    await admin.post(`/api/providers/${bearer.id}/test`);
    const anthropicKey = `sk-ant-${randomUUID()}`;
    const anthropic = await createProvider(admin, { kind: 'anthropic', apiKey: anthropicKey });
    await admin.post(`/api/providers/${anthropic.id}/test`);

    const seen = await upstreamRequests();
    const bearerRequest = seen.find((r) => r.headers.authorization === `Bearer ${key}`);
    expect(bearerRequest?.headers['x-team']).toBe('e2e');
    const anthropicRequest = seen.find((r) => r.headers['x-api-key'] === anthropicKey);
    expect(anthropicRequest?.headers['anthropic-version']).toBeTruthy();
    expect(bearer.headerNames).toEqual(['X-Team']);
  });

  it('reports a bad key, an unreachable server and a slow one in words a person understands', async () => {
    const badKey = await createProvider(admin, { apiKey: 'invalid-key-for-e2e' });
    const bad = await admin.post<ConnectionTestResult>(`/api/providers/${badKey.id}/test`);
    expect(bad.body.ok).toBe(false);
    expect(bad.body.error).toMatch(/key/i);
    expect(bad.body.error).not.toContain('invalid-key-for-e2e');

    const closedPort = await createProvider(admin, { baseUrl: 'http://127.0.0.1:9/v1', apiKey: undefined });
    const unreachable = await admin.post<ConnectionTestResult>(`/api/providers/${closedPort.id}/test`);
    expect(unreachable.body.ok).toBe(false);
    expect(unreachable.body.error).toMatch(/reach|connect/i);

    const failing = await admin.get(`/api/providers/${closedPort.id}/models?refresh=true`);
    expectEnvelope(failing, 502, 'PROVIDER_REQUEST_FAILED');
  });

  it('keeps manual model ids next to the listed ones, and lists them even when the server is down', async () => {
    const provider = await createProvider(admin, {
      baseUrl: 'http://127.0.0.1:9/v1',
      manualModels: ['my-finetune-v1', 'text-embedding-3-small', 'whisper-1'],
    });
    const models = await admin.get<ProviderModelList>(`/api/providers/${provider.id}/models?refresh=true`);
    expect(models.status).toBe(200);
    // What a model entered by hand can do is read from its name, as for listed ones: not every id is a chat model.
    expect(models.body.items).toEqual([
      expect.objectContaining({ id: 'my-finetune-v1', source: 'manual', capabilities: ['chat'] }),
      expect.objectContaining({ id: 'text-embedding-3-small', source: 'manual', capabilities: ['embedding'] }),
      expect.objectContaining({ id: 'whisper-1', source: 'manual', capabilities: [] }),
    ]);
    expect(models.body.error).toMatch(/reach|connect/i);
  });

  it.each(['openai', 'anthropic'] as const)(
    'tests a %s server without a model list with a chat to the model entered by hand, or says to enter one',
    async (kind) => {
      const baseUrl = `${mockLlmUrl()}/no-models${kind === 'openai' ? '/v1' : ''}`;
      const bare = await createProvider(admin, { kind, baseUrl });
      const untestable = await admin.post<ConnectionTestResult>(`/api/providers/${bare.id}/test`);
      expect(untestable.body.ok).toBe(false);
      expect(untestable.body.error).toMatch(/add its model names by hand/);

      const apiKey = `sk-e2e-no-models-${randomUUID()}`;
      const withModel = await createProvider(admin, { kind, baseUrl, apiKey, manualModels: ['mock-chat'] });
      const tested = await admin.post<ConnectionTestResult>(`/api/providers/${withModel.id}/test`);
      expect(tested.body, tested.text).toMatchObject({ ok: true });
      const chat = (await upstreamRequests()).find(
        (r) => r.method === 'POST' && JSON.stringify(r.headers).includes(apiKey),
      );
      expect(chat?.path).toBe(kind === 'openai' ? '/no-models/v1/chat/completions' : '/no-models/v1/messages');

      const models = await admin.get<ProviderModelList>(`/api/providers/${withModel.id}/models?refresh=true`);
      expect(models.status).toBe(200);
      expect(models.body.items).toEqual([expect.objectContaining({ id: 'mock-chat', source: 'manual' })]);
    },
  );

  it('updates a provider: a new key replaces the old one, null removes it, omitting keeps it', async () => {
    const provider = await createProvider(admin, { apiKey: 'sk-first-aaaa' });
    const renamed = await admin.patch<Provider>(`/api/providers/${provider.id}`, { name: uniqueName('Renamed') });
    expect(renamed.body.apiKeyHint).toBe('…aaaa');
    const rekeyed = await admin.patch<Provider>(`/api/providers/${provider.id}`, { apiKey: 'sk-second-bbbb' });
    expect(rekeyed.body.apiKeyHint).toBe('…bbbb');
    // A short key (a local server's "token") would be shown whole by its last four: only that one is set shows.
    const shortKey = await admin.patch<Provider>(`/api/providers/${provider.id}`, { apiKey: 'tok1' });
    expect(shortKey.body).toMatchObject({ hasApiKey: true, apiKeyHint: '…' });
    expect(JSON.stringify((await admin.get(`/api/providers`)).body)).not.toContain('tok1');
    const cleared = await admin.patch<Provider>(`/api/providers/${provider.id}`, { apiKey: null });
    expect(cleared.body).toMatchObject({ hasApiKey: false, apiKeyHint: null });
  });

  it('refuses duplicate names, metadata addresses and malformed input with the standard envelope', async () => {
    const provider = await createProvider(admin);
    expectEnvelope(
      await admin.post('/api/providers', {
        name: provider.name.toUpperCase(),
        kind: 'openai',
        baseUrl: mockBaseUrl('openai'),
      }),
      409,
      'PROVIDER_NAME_TAKEN',
    );
    for (const baseUrl of [
      'http://169.254.169.254/latest',
      'http://[fe80::1]/v1',
      'http://metadata.google.internal/',
    ]) {
      const res = await admin.post('/api/providers', { name: uniqueName('Meta'), kind: 'openai', baseUrl });
      expectEnvelope(res, 400, 'PROVIDER_BASE_URL_FORBIDDEN');
    }
    expectEnvelope(
      await admin.patch(`/api/providers/${provider.id}`, { baseUrl: 'http://169.254.169.254' }),
      400,
      'PROVIDER_BASE_URL_FORBIDDEN',
    );
    expectEnvelope(
      await admin.post('/api/providers', { name: 'x', kind: 'gemini', baseUrl: 'http://127.0.0.1' }),
      400,
      'VALIDATION_FAILED',
    );
    expectEnvelope(
      await admin.post('/api/providers', { name: 'x', kind: 'openai', baseUrl: 'file:///etc/passwd' }),
      400,
      'VALIDATION_FAILED',
    );
    expectEnvelope(
      await admin.post('/api/providers', {
        name: 'x',
        kind: 'openai',
        baseUrl: 'http://127.0.0.1',
        headers: { Host: 'evil' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectEnvelope(
      await admin.post('/api/providers', {
        name: 'x',
        kind: 'openai',
        baseUrl: 'http://127.0.0.1',
        authStyle: 'azure',
      }),
      400,
      'PROVIDER_INVALID_AUTH',
    );
    expectEnvelope(await admin.get(`/api/providers/${randomUUID()}`), 404, 'PROVIDER_NOT_FOUND');
    expectEnvelope(await admin.get('/api/providers/not-a-uuid'), 404, ['PROVIDER_NOT_FOUND', 'NOT_FOUND']);
  });

  it('deletes a provider together with the model configs built on it', async () => {
    const provider = await createProvider(admin);
    const config = await admin.post<{ id: string }>('/api/model-configs', {
      name: uniqueName('Doomed'),
      providerId: provider.id,
      model: 'mock-chat',
    });
    expect(config.status).toBe(201);
    expect((await admin.get<Provider>(`/api/providers/${provider.id}`)).body.modelConfigCount).toBe(1);
    expect((await admin.delete(`/api/providers/${provider.id}`)).status).toBe(204);
    expectEnvelope(await admin.get(`/api/providers/${provider.id}`), 404, 'PROVIDER_NOT_FOUND');
    expectEnvelope(await admin.get(`/api/model-configs/${config.body.id}`), 404, 'MODEL_CONFIG_NOT_FOUND');
  });

  it('offers presets for every seed provider', async () => {
    const res = await user.client.get<{ items: { id: string; baseUrl: string }[] }>('/api/providers/presets');
    const ids = res.body.items.map((p) => p.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'ollama',
        'vllm',
        'sglang',
        'openai',
        'deepseek',
        'siliconflow',
        'zhipu',
        '302ai',
        'anthropic',
        'custom',
      ]),
    );
    expect(res.body.items.find((p) => p.id === 'ollama')?.baseUrl).toBe('http://127.0.0.1:11434');
  });
});

describe('providers: who may do what', () => {
  it('lets users see enabled providers without secrets, and nothing else', async () => {
    const enabled = await createProvider(admin);
    const disabled = await createProvider(admin, { enabled: false });
    // A paged list like every other: walk its pages (other suites add providers to this stack too).
    const ids: string[] = [];
    for (let page = 1; ; page++) {
      const res = await user.client.get<Paginated<Provider>>(`/api/providers?page=${page}&pageSize=2`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ page, pageSize: 2, total: expect.any(Number) });
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      ids.push(...res.body.items.map((p) => p.id));
      if (page * 2 >= res.body.total) break;
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain(enabled.id);
    expect(ids).not.toContain(disabled.id);
    expectEnvelope(await user.client.get('/api/providers?pageSize=101'), 400, 'VALIDATION_FAILED');
    expectEnvelope(await user.client.get(`/api/providers/${disabled.id}`), 404, 'PROVIDER_NOT_FOUND');
    expectEnvelope(await user.client.get(`/api/providers/${disabled.id}/models`), 404, 'PROVIDER_NOT_FOUND');
    const models = await user.client.get<ProviderModelList>(`/api/providers/${enabled.id}/models`);
    expect(models.status).toBe(200);
  });

  it('shows users only what is theirs to see: no query string in the base URL, no count of others’ private configs', async () => {
    const withKey = `${mockBaseUrl('openai')}?key=gateway-secret-123`;
    const provider = await createProvider(admin, { baseUrl: withKey });
    const other = await newSignedInUser();
    await createModelConfig(admin, provider.id, { visibility: 'shared' });
    await createModelConfig(user.client, provider.id);
    await createModelConfig(other.client, provider.id);
    await createModelConfig(other.client, provider.id);

    const seen = await user.client.get<Provider>(`/api/providers/${provider.id}`);
    expect(seen.body.baseUrl).toBe(mockBaseUrl('openai'));
    expect(seen.text).not.toContain('gateway-secret-123');
    expect(seen.body.modelConfigCount).toBe(2);
    const full = await admin.get<Provider>(`/api/providers/${provider.id}`);
    expect(full.body).toMatchObject({ baseUrl: withKey, modelConfigCount: 4 });
  });

  it('answers 403 to users and 401 to anonymous callers on admin routes', async () => {
    const provider = await createProvider(admin);
    const body = { name: uniqueName('Nope'), kind: 'openai', baseUrl: mockBaseUrl('openai') };
    expectEnvelope(await user.client.post('/api/providers', body), 403, 'FORBIDDEN');
    expectEnvelope(await user.client.patch(`/api/providers/${provider.id}`, { enabled: false }), 403, 'FORBIDDEN');
    expectEnvelope(await user.client.delete(`/api/providers/${provider.id}`), 403, 'FORBIDDEN');
    expectEnvelope(await user.client.get('/api/providers/detected'), 403, 'FORBIDDEN');
    const anonymous = await fetch(`${env.baseUrl}/api/providers`);
    expect(anonymous.status).toBe(401);
  });

  it('audits a change, and nothing for an edit saved without changes', async () => {
    const provider = await createProvider(admin);
    const updates = async () =>
      (
        await admin.get<Paginated<AuditLogEntry>>(
          `/api/admin/audit-logs?targetId=${provider.id}&action=provider.update&pageSize=100`,
        )
      ).body.items;
    expect((await admin.patch(`/api/providers/${provider.id}`, {})).status).toBe(200);
    expect((await admin.patch(`/api/providers/${provider.id}`, { name: provider.name })).status).toBe(200);
    expect(await updates()).toHaveLength(0);

    expect((await admin.patch(`/api/providers/${provider.id}`, { manualModels: ['my-model'] })).status).toBe(200);
    const [entry] = await updates();
    expect(entry?.before).toMatchObject({ manualModels: [] });
    expect(entry?.after).toMatchObject({ manualModels: ['my-model'] });
  });

  it('never returns or logs an API key', async () => {
    const key = `sk-secret-${randomUUID()}`;
    const provider = await createProvider(admin, { apiKey: key });
    const bodies = [
      JSON.stringify(provider),
      (await admin.get(`/api/providers/${provider.id}`)).text,
      (await admin.get('/api/providers')).text,
      (await user.client.get('/api/providers')).text,
      (await admin.post(`/api/providers/${provider.id}/test`)).text,
      (await admin.patch(`/api/providers/${provider.id}`, { name: uniqueName('Still secret') })).text,
      (await admin.get('/api/admin/audit-logs?action=provider.create&pageSize=100')).text,
    ];
    for (const body of bodies) expect(body).not.toContain(key);
    // A key the upstream rejects must not come back in the error either.
    const rejected = `invalid-${randomUUID()}`;
    const bad = await createProvider(admin, { apiKey: rejected });
    const test = await admin.post(`/api/providers/${bad.id}/test`);
    expect(test.text).not.toContain(rejected);
    if (env.apiLogFile) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const log = await readFile(env.apiLogFile, 'utf8');
      expect(log).not.toContain(key);
      expect(log).not.toContain(rejected);
    }
  });
});
