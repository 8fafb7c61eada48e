import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { ProvidersRepository } from '../providers/providers.repository';
import { UsersRepository } from '../users/users.repository';
import { ModelConfigsRepository } from './model-configs.repository';

export const DEMO_PROVIDER_NAME = 'Simulator (no real model)';

/** Shared configs that show each thing the chat screen does, against the bundled mock upstream. */
const DEMO_CONFIGS = [
  { name: 'Simulator · chat', model: 'mock-chat@tokens=80,tps=40,ttft=300' },
  { name: 'Simulator · reasoning', model: 'mock-reasoning@tps=40,ttft=300' },
  { name: 'Simulator · think tags', model: 'mock-think-tags@tps=40,ttft=300' },
  { name: 'Simulator · long answer', model: 'mock-long@tps=120' },
];

/**
 * Demo mode (`npm start -- --demo`): registers the mock upstream as a provider, clearly named as not a real model,
 * with a few shared configs, so a fresh install can be tried end to end without any model server.
 */
@Injectable()
export class DemoSeedService {
  private readonly logger = new Logger(DemoSeedService.name);

  constructor(
    private readonly providers: ProvidersRepository,
    private readonly configs: ModelConfigsRepository,
    private readonly users: UsersRepository,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async seed(): Promise<void> {
    const { DEMO, DEMO_LLM_URL } = this.config.env;
    if (!DEMO || !DEMO_LLM_URL) return;
    const admin = await this.users.findFirstAdmin();
    if (!admin) return;
    const adminId = admin.id;
    const baseUrl = `${DEMO_LLM_URL.replace(/\/+$/, '')}/v1`;
    try {
      let provider = await this.providers.findByName(DEMO_PROVIDER_NAME);
      if (provider) {
        // The simulator listens on a new free port at every start.
        if (provider.baseUrl !== baseUrl) provider = await this.providers.update(provider.id, { baseUrl });
      } else {
        provider = await this.providers.create({
          name: DEMO_PROVIDER_NAME,
          kind: 'openai',
          preset: 'custom',
          baseUrl,
          authStyle: 'none',
          authHeaderName: null,
          apiVersion: null,
          secretsEncrypted: null,
          secretsKeyId: null,
          apiKeyHint: null,
          headerNames: [],
          timeouts: { connectMs: 5_000, firstByteMs: 60_000, idleMs: 30_000 },
          manualModels: [],
          enabled: true,
          status: null,
          createdBy: adminId,
        });
      }
      for (const demo of DEMO_CONFIGS) {
        if (await this.configs.nameTaken(adminId, demo.name)) continue;
        const created = await this.configs.create({
          ownerId: adminId,
          providerId: provider.id,
          name: demo.name,
          model: demo.model,
          params: { temperature: 0.7, topP: 1, maxTokens: 4096 },
          systemPrompt: null,
          reasoningTags: { mode: 'auto' },
          reasoningStartsOpen: false,
          visibility: 'shared',
          inputPricePerMTok: null,
          outputPricePerMTok: null,
        });
        if ((await this.configs.defaultFor(adminId)) === null) await this.configs.setDefault(adminId, created.id);
      }
      this.logger.log(`demo provider "${DEMO_PROVIDER_NAME}" ready at ${baseUrl}`);
    } catch (error) {
      // Another API instance seeding at the same moment wins the unique index; nothing to do.
      this.logger.warn(`demo seed skipped: ${(error as Error).message}`);
    }
  }
}
