import { Injectable } from '@nestjs/common';
import {
  type BatchDeleteInput,
  type ConnectionTestResult,
  type CreateModelConfigInput,
  DEFAULT_MODEL_PARAMS,
  type ModelConfig,
  type ModelConfigUsage,
  type ModelConfigQuery,
  type Paginated,
  type UpdateModelConfigInput,
} from '@modelyard/contracts';
import { type ChatRequest, type LlmStreamEvent, type ReasoningSplitterOptions } from '@modelyard/llm-clients';
import type { AuthUser, RequestMeta } from '../../common/auth/auth.decorators';
import { paginated } from '../../common/pagination';
import { withSuffix } from '../../common/names';
import { AuditService } from '../audit/audit.service';
import { LlmGatewayRepository, type ProviderSecrets } from '../providers/llm-gateway.repository';
import type { ProviderEntity } from '../providers/provider.entity';
import { ProvidersErrorCode, providersError } from '../providers/providers.errors';
import { ProvidersService } from '../providers/providers.service';
import type { ModelConfigEntity } from './model-config.entity';
import { ModelConfigsErrorCode, modelConfigsError } from './model-configs.errors';
import { type ModelConfigChanges, ModelConfigsRepository } from './model-configs.repository';

/** A model config's name, at most (the contract's limit). */
const NAME_MAX = 64;

const TEST_PROMPT = 'Reply with the single word OK.';
/** Enough for a reasoning model to think briefly and still answer; the test is about reachability, not quality. */
const TEST_MAX_TOKENS = 256;

/** Everything needed to call a model config's upstream, resolved for one request. */
export interface UsableModelConfig {
  config: ModelConfigEntity;
  provider: ProviderEntity;
  secrets: ProviderSecrets;
  splitter: ReasoningSplitterOptions;
}

@Injectable()
export class ModelConfigsService {
  constructor(
    private readonly configs: ModelConfigsRepository,
    private readonly providers: ProvidersService,
    private readonly gateway: LlmGatewayRepository,
    private readonly audit: AuditService,
  ) {}

  async list(user: AuthUser, query: ModelConfigQuery): Promise<Paginated<ModelConfig>> {
    const [rows, total] = await this.configs.listVisible(user.id, query, user.role === 'admin');
    const defaultId = await this.configs.defaultFor(user.id);
    return paginated(
      rows.map((row) => this.toDto(row, user, defaultId)),
      total,
      query.page,
      query.pageSize,
    );
  }

  async get(user: AuthUser, id: string): Promise<ModelConfig> {
    const row = await this.findVisible(user, id);
    return this.toDto(row, user, await this.configs.defaultFor(user.id));
  }

  async create(user: AuthUser, input: CreateModelConfigInput, meta?: RequestMeta): Promise<ModelConfig> {
    const provider = await this.providers.findVisible(user, input.providerId);
    if (input.visibility === 'shared') this.assertMayShare(user);
    await this.assertNameFree(user.id, input.name);
    const row = await this.configs.create({
      ownerId: user.id,
      providerId: provider.id,
      name: input.name,
      model: input.model,
      params: { ...DEFAULT_MODEL_PARAMS, ...input.params },
      systemPrompt: emptyToNull(input.systemPrompt),
      reasoningTags: input.reasoningTags ?? { mode: 'auto' },
      reasoningStartsOpen: false,
      visibility: input.visibility ?? 'private',
      inputPricePerMTok: input.inputPricePerMTok ?? null,
      outputPricePerMTok: input.outputPricePerMTok ?? null,
    });
    // The first config anyone makes becomes their default: a new user should be able to chat at once.
    const currentDefault = await this.configs.defaultFor(user.id);
    if (input.isDefault || currentDefault === null) await this.configs.setDefault(user.id, row.id);
    if (row.visibility === 'shared') await this.auditShare(user, row, 'model_config.share', meta);
    return this.toDto(row, user, await this.configs.defaultFor(user.id));
  }

  async update(user: AuthUser, id: string, input: UpdateModelConfigInput, meta?: RequestMeta): Promise<ModelConfig> {
    const row = await this.findVisible(user, id);
    const { isDefault, ...edits } = input;
    const editing = Object.values(edits).some((v) => v !== undefined);
    if (editing) this.assertEditable(user, row);
    if (edits.visibility === 'shared' && row.visibility !== 'shared') this.assertMayShare(user);
    if (edits.name !== undefined && edits.name.toLowerCase() !== row.name.toLowerCase())
      await this.assertNameFree(row.ownerId, edits.name, id);
    if (edits.providerId !== undefined && edits.providerId !== row.providerId)
      await this.providers.findVisible(user, edits.providerId);

    const changes: ModelConfigChanges = {
      ...(edits.name !== undefined && { name: edits.name }),
      ...(edits.providerId !== undefined && { providerId: edits.providerId }),
      ...(edits.model !== undefined && { model: edits.model }),
      // Params are replaced as a unit (so an optional one can be cleared); required ones keep their value if left out.
      ...(edits.params !== undefined && {
        params: {
          temperature: row.params.temperature,
          topP: row.params.topP,
          maxTokens: row.params.maxTokens,
          ...edits.params,
        },
      }),
      ...(edits.systemPrompt !== undefined && { systemPrompt: emptyToNull(edits.systemPrompt) }),
      ...(edits.reasoningTags !== undefined && { reasoningTags: edits.reasoningTags }),
      ...(edits.visibility !== undefined && { visibility: edits.visibility }),
      ...(edits.inputPricePerMTok !== undefined && { inputPricePerMTok: edits.inputPricePerMTok }),
      ...(edits.outputPricePerMTok !== undefined && { outputPricePerMTok: edits.outputPricePerMTok }),
    };
    // What the model taught us about its template no longer holds once the model or tag setting changes.
    if (changes.model !== undefined || changes.providerId !== undefined || changes.reasoningTags !== undefined) {
      changes.reasoningStartsOpen = false;
    }
    const updated = Object.keys(changes).length > 0 ? await this.configs.update(id, changes) : row;
    if (isDefault === true) await this.configs.setDefault(user.id, id);
    if (isDefault === false && (await this.configs.defaultFor(user.id)) === id)
      await this.configs.setDefault(user.id, null);
    if (changes.visibility !== undefined && changes.visibility !== row.visibility) {
      await this.auditShare(
        user,
        updated,
        changes.visibility === 'shared' ? 'model_config.share' : 'model_config.unshare',
        meta,
      );
    }
    return this.toDto(updated, user, await this.configs.defaultFor(user.id));
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    const row = await this.findVisible(user, id);
    this.assertEditable(user, row);
    await this.configs.delete([id]);
  }

  /** Deletes those of the ids the caller may delete; the rest are reported, not revealed. */
  async removeMany(user: AuthUser, input: BatchDeleteInput): Promise<{ deleted: string[]; skipped: string[] }> {
    const ids = [...new Set(input.ids)];
    const rows = await this.configs.findByIds(ids);
    const deletable = rows.filter((row) => this.isEditable(user, row)).map((row) => row.id);
    await this.configs.delete(deletable);
    const deleted = new Set(deletable);
    return { deleted: deletable, skipped: ids.filter((id) => !deleted.has(id)) };
  }

  /** What a delete would affect, for the confirmation dialog. Counts only the caller's own sessions. */
  async usage(user: AuthUser, id: string): Promise<ModelConfigUsage> {
    await this.findVisible(user, id);
    return { sessions: await this.configs.sessionsUsing(id, user.role === 'admin' ? undefined : user.id) };
  }

  async setDefault(user: AuthUser, id: string): Promise<ModelConfig> {
    const row = await this.findVisible(user, id);
    await this.configs.setDefault(user.id, id);
    return this.toDto(row, user, id);
  }

  async duplicate(user: AuthUser, id: string): Promise<ModelConfig> {
    const row = await this.findVisible(user, id);
    let name = withSuffix(row.name, ' (copy)', NAME_MAX);
    for (let n = 2; await this.configs.nameTaken(user.id, name); n++) {
      name = withSuffix(row.name, ` (copy ${n})`, NAME_MAX);
    }
    const copy = await this.configs.create({
      ownerId: user.id,
      providerId: row.providerId,
      name,
      model: row.model,
      params: row.params,
      systemPrompt: row.systemPrompt,
      reasoningTags: row.reasoningTags,
      reasoningStartsOpen: row.reasoningStartsOpen,
      visibility: 'private',
      inputPricePerMTok: row.inputPricePerMTok,
      outputPricePerMTok: row.outputPricePerMTok,
    });
    return this.toDto(copy, user, await this.configs.defaultFor(user.id));
  }

  /** A tiny real chat request through the same streaming path chat uses. */
  async test(user: AuthUser, id: string, timeoutMs: number): Promise<ConnectionTestResult> {
    const usable = await this.openForUse(user, id);
    const started = performance.now();
    let reply = '';
    let reasoning = '';
    let error: string | undefined;
    try {
      await this.providers.assertBaseUrlAllowed(usable.provider.baseUrl);
      const request: ChatRequest = {
        model: usable.config.model,
        messages: [{ role: 'user', content: TEST_PROMPT }],
        params: { ...usable.config.params, maxTokens: Math.min(usable.config.params.maxTokens, TEST_MAX_TOKENS) },
        signal: AbortSignal.timeout(timeoutMs),
      };
      for await (const event of this.streamChat(usable, request)) {
        if (event.type === 'content') reply += event.text;
        else if (event.type === 'reasoning') reasoning += event.text;
        else if (event.type === 'reclassify') ({ reasoning, content: reply } = event);
        else if (event.type === 'error') error = this.providers.describe(event, usable.provider);
      }
    } catch (caught) {
      error = this.providers.describe(caught, usable.provider);
    }
    const latencyMs = Math.round(performance.now() - started);
    if (error !== undefined) return { ok: false, latencyMs, error };
    return { ok: true, latencyMs, reply: (reply.trim() || reasoning.trim()).slice(0, 200) };
  }

  /**
   * Resolves a config for a call: visible to the caller, provider enabled, secrets opened, reasoning-tag setting
   * (plus what earlier turns taught us) ready for the splitter. Chat, compare and batch jobs all start here.
   */
  async openForUse(user: AuthUser, id: string): Promise<UsableModelConfig> {
    return this.usable(await this.findVisible(user, id));
  }

  /** `openForUse` for a config already read (with its provider) by someone else, e.g. with a chat turn. */
  usableFor(user: AuthUser, config: ModelConfigEntity): UsableModelConfig {
    return this.usable(this.visibleOrNotFound(user, config));
  }

  private usable(config: ModelConfigEntity): UsableModelConfig {
    const provider = config.provider!;
    if (!provider.enabled) {
      throw modelConfigsError(
        ModelConfigsErrorCode.ProviderDisabled,
        `The provider ${provider.name} is disabled by an administrator`,
      );
    }
    return {
      config,
      provider,
      secrets: this.providers.openSecrets(provider),
      splitter: { tags: config.reasoningTags, startsInReasoning: config.reasoningStartsOpen },
    };
  }

  /** The normalised stream, one event at a time. */
  async *streamChat(usable: UsableModelConfig, request: ChatRequest): AsyncGenerator<LlmStreamEvent> {
    for await (const batch of this.streamChatBatches(usable, request)) {
      for (const event of batch) yield event;
    }
  }

  /**
   * Streams through the gateway one upstream network chunk at a time and remembers an orphan closing tag for the
   * config, so the next turn shows reasoning from its first token; a turn that then finishes without any closing
   * tag (the splitter's `reclassify` with empty reasoning) unlearns it, so one mention of `</think>` in an answer
   * cannot leave a config showing every later answer as reasoning.
   */
  async *streamChatBatches(usable: UsableModelConfig, request: ChatRequest): AsyncGenerator<LlmStreamEvent[]> {
    let learned = usable.config.reasoningStartsOpen;
    for await (const batch of this.gateway.streamChatBatches(
      usable.provider,
      usable.secrets,
      request,
      usable.splitter,
    )) {
      const reclassified = batch.find((event) => event.type === 'reclassify');
      if (reclassified && learned !== (reclassified.reasoning !== '')) {
        learned = reclassified.reasoning !== '';
        await this.configs.setReasoningStartsOpen(usable.config.id, learned);
      }
      yield batch;
    }
  }

  /** A readable reason for a failed upstream call, never containing the key. */
  /** A failed model call in words for the person who made it (see `ProvidersService.describeForUsers`). */
  describeFailure(usable: UsableModelConfig, failure: unknown): string {
    return this.providers.describeForUsers(failure, usable.provider);
  }

  async findVisible(user: AuthUser, id: string): Promise<ModelConfigEntity> {
    return this.visibleOrNotFound(user, await this.configs.findById(id));
  }

  private visibleOrNotFound(user: AuthUser, row: ModelConfigEntity | null): ModelConfigEntity {
    const visible =
      row !== null &&
      (row.ownerId === user.id || (row.visibility === 'shared' && (row.provider?.enabled || user.role === 'admin')));
    if (!visible) throw modelConfigsError(ModelConfigsErrorCode.ModelConfigNotFound, 'Model config not found');
    return row;
  }

  /**
   * Shared configs are the administrators' (only they may share): admins edit them, their owner included only while
   * an admin (a demoted admin could otherwise change the system prompt of every chat that uses one).
   */
  private isEditable(user: AuthUser, row: ModelConfigEntity): boolean {
    return row.visibility === 'shared' ? user.role === 'admin' : row.ownerId === user.id;
  }

  private assertEditable(user: AuthUser, row: ModelConfigEntity): void {
    if (!this.isEditable(user, row)) {
      throw modelConfigsError(
        ModelConfigsErrorCode.ReadOnly,
        'This model config is shared by an administrator and read-only; duplicate it to change it',
      );
    }
  }

  private assertMayShare(user: AuthUser): void {
    if (user.role !== 'admin') {
      throw modelConfigsError(
        ModelConfigsErrorCode.ShareForbidden,
        'Only administrators can share model configs with everyone',
      );
    }
  }

  private async assertNameFree(ownerId: string, name: string, exceptId?: string): Promise<void> {
    if (await this.configs.nameTaken(ownerId, name, exceptId)) {
      throw modelConfigsError(ModelConfigsErrorCode.NameTaken, 'You already have a model config with this name', [
        { path: ['name'], message: 'is already taken' },
      ]);
    }
  }

  private async auditShare(user: AuthUser, row: ModelConfigEntity, action: string, meta?: RequestMeta): Promise<void> {
    await this.audit.record({
      actorId: user.id,
      action,
      targetType: 'model_config',
      targetId: row.id,
      after: { name: row.name, model: row.model, providerId: row.providerId, visibility: row.visibility },
      meta,
    });
  }

  toDto(row: ModelConfigEntity, user: AuthUser, defaultId: string | null): ModelConfig {
    const provider = row.provider;
    if (!provider) throw providersError(ProvidersErrorCode.ProviderNotFound, 'Provider not found');
    return {
      id: row.id,
      name: row.name,
      providerId: row.providerId,
      providerName: provider.name,
      providerKind: provider.kind,
      providerEnabled: provider.enabled,
      model: row.model,
      params: row.params,
      systemPrompt: row.systemPrompt,
      reasoningTags: row.reasoningTags,
      reasoningStartsOpen: row.reasoningStartsOpen,
      visibility: row.visibility,
      isDefault: row.id === defaultId,
      ownerId: row.ownerId,
      editable: this.isEditable(user, row),
      inputPricePerMTok: row.inputPricePerMTok,
      outputPricePerMTok: row.outputPricePerMTok,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }
}

function emptyToNull(text: string | null | undefined): string | null {
  return text === undefined || text === null || text.trim() === '' ? null : text;
}
