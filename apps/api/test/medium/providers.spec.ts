import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthUser } from '../../src/common/auth/auth.decorators';
import { SecretBox } from '../../src/common/crypto/secret-box';
import { DEMO_PROVIDER_NAME, DemoSeedService } from '../../src/modules/model-configs/demo-seed.service';
import { ProvidersRepository } from '../../src/modules/providers/providers.repository';
import { ProvidersService } from '../../src/modules/providers/providers.service';
import { UsersRepository } from '../../src/modules/users/users.repository';
import { startTestApp, type TestApp } from './support/app';

const mockLlmUrl = () => {
  const url = process.env.MOCK_LLM_URL;
  if (!url) throw new Error('MOCK_LLM_URL must name the mock LLM upstream (the test harness starts one)');
  return url;
};

async function adminActor(t: TestApp): Promise<AuthUser> {
  const user = await t.app.get(UsersRepository).create({
    email: `prov-${randomUUID()}@medium.test`,
    nickname: `prov-${randomUUID().slice(0, 8)}`,
    passwordHash: 'x',
    role: 'admin',
  });
  return { id: user.id, role: 'admin' };
}

describe('provider secrets at rest', () => {
  const oldKey = randomBytes(32).toString('hex');
  const newKey = randomBytes(32).toString('hex');
  let t: TestApp | undefined;
  afterAll(async () => t?.close());

  it('stores the key only as AES-256-GCM ciphertext, and re-seals it after a master-key rotation', async () => {
    t = await startTestApp({ ENCRYPTION_KEY: oldKey });
    const actor = await adminActor(t);
    const apiKey = `sk-medium-${randomUUID()}`;
    const created = await t.app.get(ProvidersService).create(actor, {
      name: `Rotation ${randomUUID().slice(0, 8)}`,
      kind: 'openai',
      baseUrl: `${mockLlmUrl()}/v1`,
      apiKey,
    });
    const repo = t.app.get(ProvidersRepository);
    const raw = await repo.findById(created.id);
    expect(raw?.secretsEncrypted).toBeTruthy();
    expect(raw?.secretsEncrypted).not.toContain(apiKey);
    const oldKeyId = raw?.secretsKeyId;
    await t.close();

    // Restart with a new key, the old one retired: the row is re-sealed at start and still usable.
    t = await startTestApp({ ENCRYPTION_KEY: newKey, ENCRYPTION_KEYS_PREVIOUS: oldKey });
    const resealed = await t.app.get(ProvidersRepository).findById(created.id);
    expect(resealed?.secretsKeyId).toBe(t.app.get(SecretBox).currentKeyId);
    expect(resealed?.secretsKeyId).not.toBe(oldKeyId);
    expect(t.app.get(ProvidersService).openSecrets(resealed!).apiKey).toBe(apiKey);
    const test = await t.app.get(ProvidersService).test(await adminActor(t), created.id);
    expect(test.ok).toBe(true);
  });
});

describe('demo mode', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ DEMO: '1', DEMO_LLM_URL: mockLlmUrl() });
    await adminActor(t);
  });
  afterAll(async () => t?.close());

  it('registers the simulator once, clearly named, with shared configs that answer', async () => {
    const seed = t.app.get(DemoSeedService);
    await Promise.all([seed.seed(), seed.seed()]);
    await seed.seed();
    const provider = await t.app.get(ProvidersRepository).findByName(DEMO_PROVIDER_NAME);
    expect(provider).toMatchObject({ kind: 'openai', baseUrl: `${mockLlmUrl()}/v1`, enabled: true });
    const status = await t.app.get(ProvidersService).test({ id: randomUUID(), role: 'admin' }, provider!.id);
    expect(status.ok).toBe(true);
  });
});
