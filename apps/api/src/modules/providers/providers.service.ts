import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import {
  type AuthStyle,
  type ConnectionTestResult,
  type CreateProviderInput,
  DEFAULT_PROVIDER_TIMEOUTS,
  type DetectedProvider,
  type Paginated,
  type Provider,
  type ProviderQuery,
  type ProviderKind,
  type ProviderModel,
  type ProviderModelList,
  type UpdateProviderInput,
} from '@modelyard/contracts';
import {
  describeLlmError,
  guardUpstreamAddresses,
  inferCapabilities,
  LlmError,
  type ModelInfo,
} from '@modelyard/llm-clients';
import type { AuthUser, RequestMeta } from '../../common/auth/auth.decorators';
import { paginated } from '../../common/pagination';
import { SecretBox } from '../../common/crypto/secret-box';
import { CacheRepository } from '../../common/redis/cache.repository';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { baseUrlViolation, forbiddenAddressReason } from './base-url-policy';
import { LlmGatewayRepository, type ProviderSecrets } from './llm-gateway.repository';
import type { ProviderEntity } from './provider.entity';
import { ProvidersErrorCode, providersError } from './providers.errors';
import { type ProviderChanges, ProvidersRepository } from './providers.repository';

interface CachedModelList {
  items: ModelInfo[];
  fetchedAt: string;
}

const modelsCacheKey = (providerId: string) => `providers:models:${providerId}`;

/**
 * How a stored key is shown: its last four characters, as API.md's `"…3f9a"`, unless the key is so short (a local
 * server's "token") that four characters would be half of it or all: then only that one is set.
 */
function keyHint(apiKey: string | undefined): string | null {
  if (!apiKey) return null;
  return apiKey.length >= 8 ? `…${apiKey.slice(-4)}` : '…';
}

/** The protocol's usual way of sending a key, when the admin does not choose one. */
function defaultAuth(kind: ProviderKind, hasKey: boolean): { authStyle: AuthStyle; authHeaderName: string | null } {
  if (kind === 'anthropic') return { authStyle: 'header', authHeaderName: 'x-api-key' };
  return { authStyle: hasKey ? 'bearer' : 'none', authHeaderName: null };
}

@Injectable()
export class ProvidersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ProvidersService.name);

  constructor(
    private readonly providers: ProvidersRepository,
    private readonly gateway: LlmGatewayRepository,
    private readonly secretBox: SecretBox,
    private readonly cache: CacheRepository,
    private readonly audit: AuditService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Every upstream connection checks the addresses its host name resolves to (the base URL was checked when saved;
   * a name can point elsewhere later). Then re-seals secrets written under a retired master key, so the old key can
   * be dropped after one start.
   */
  async onApplicationBootstrap(): Promise<void> {
    guardUpstreamAddresses(forbiddenAddressReason);
    const stale = await this.providers.listSealedWithOtherKey(this.secretBox.currentKeyId);
    for (const provider of stale) {
      try {
        const sealed = this.secretBox.seal(this.secretBox.open(provider.secretsEncrypted ?? ''));
        await this.providers.update(provider.id, { secretsEncrypted: sealed.envelope, secretsKeyId: sealed.keyId });
        this.logger.log(`re-sealed the secrets of provider ${provider.id} under the current key`);
      } catch (error) {
        this.logger.error(`cannot open the secrets of provider ${provider.id}: ${(error as Error).message}`);
      }
    }
  }

  async list(user: AuthUser, query: ProviderQuery): Promise<Paginated<Provider>> {
    const [rows, total] = await this.providers.listPage({ enabledOnly: user.role !== 'admin', ...query });
    const counts = await this.providers.modelConfigCounts(
      rows.map((r) => r.id),
      countsFor(user),
    );
    return paginated(
      rows.map((row) => this.toDto(row, counts.get(row.id) ?? 0, user)),
      total,
      query.page,
      query.pageSize,
    );
  }

  async get(user: AuthUser, id: string): Promise<Provider> {
    const row = await this.findVisible(user, id);
    const counts = await this.providers.modelConfigCounts([row.id], countsFor(user));
    return this.toDto(row, counts.get(row.id) ?? 0, user);
  }

  /** A provider the caller may use; disabled ones exist only for admins. */
  async findVisible(user: AuthUser, id: string): Promise<ProviderEntity> {
    const row = await this.providers.findById(id);
    if (!row || (!row.enabled && user.role !== 'admin')) {
      throw providersError(ProvidersErrorCode.ProviderNotFound, 'Provider not found');
    }
    return row;
  }

  async create(actor: AuthUser, input: CreateProviderInput, meta?: RequestMeta): Promise<Provider> {
    await this.assertNameFree(input.name);
    await this.assertBaseUrlAllowed(input.baseUrl);
    const auth = this.resolveAuth(
      input.kind,
      input.authStyle,
      input.authHeaderName ?? null,
      input.apiVersion ?? null,
      !!input.apiKey,
    );
    const secrets: ProviderSecrets = { apiKey: input.apiKey, headers: input.headers };
    const row = await this.providers.create({
      name: input.name,
      kind: input.kind,
      preset: input.preset ?? 'custom',
      baseUrl: input.baseUrl,
      ...auth,
      ...this.sealSecrets(secrets),
      timeouts: { ...DEFAULT_PROVIDER_TIMEOUTS, ...input.timeouts },
      manualModels: dedupe(input.manualModels ?? []),
      enabled: input.enabled ?? true,
      status: null,
      createdBy: actor.id,
    });
    await this.audit.record({
      actorId: actor.id,
      action: 'provider.create',
      targetType: 'provider',
      targetId: row.id,
      after: this.auditView(row),
      meta,
    });
    return this.toDto(row, 0);
  }

  async update(actor: AuthUser, id: string, input: UpdateProviderInput, meta?: RequestMeta): Promise<Provider> {
    const row = await this.findVisible(actor, id);
    if (input.name !== undefined && input.name.toLowerCase() !== row.name.toLowerCase())
      await this.assertNameFree(input.name, id);
    if (input.baseUrl !== undefined) await this.assertBaseUrlAllowed(input.baseUrl);

    const secrets = this.openSecrets(row);
    if (input.apiKey !== undefined) secrets.apiKey = input.apiKey ?? undefined;
    if (input.headers !== undefined) secrets.headers = input.headers;
    const kind = input.kind ?? row.kind;
    const kindChanged = kind !== row.kind;
    const auth = this.resolveAuth(
      kind,
      input.authStyle ?? (kindChanged ? undefined : row.authStyle),
      input.authHeaderName !== undefined ? input.authHeaderName : kindChanged ? null : row.authHeaderName,
      input.apiVersion !== undefined ? input.apiVersion : row.apiVersion,
      !!secrets.apiKey,
    );
    const changes: ProviderChanges = {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.preset !== undefined && { preset: input.preset }),
      ...(input.baseUrl !== undefined && { baseUrl: input.baseUrl }),
      ...(input.enabled !== undefined && { enabled: input.enabled }),
      ...(input.manualModels !== undefined && { manualModels: dedupe(input.manualModels) }),
      ...(input.timeouts !== undefined && { timeouts: { ...row.timeouts, ...input.timeouts } }),
      kind,
      ...auth,
      ...(input.apiKey !== undefined || input.headers !== undefined ? this.sealSecrets(secrets) : {}),
    };
    const updated = await this.providers.update(id, changes);
    const connectionChanged =
      input.baseUrl !== undefined ||
      input.apiKey !== undefined ||
      input.headers !== undefined ||
      kindChanged ||
      input.authStyle !== undefined;
    if (connectionChanged) {
      await this.cache.delete(modelsCacheKey(id));
      await this.providers.setStatus(id, null);
      updated.status = null;
    }
    await this.audit.record({
      actorId: actor.id,
      action: 'provider.update',
      targetType: 'provider',
      targetId: id,
      before: this.auditView(row),
      after: {
        ...this.auditView(updated),
        ...(input.apiKey !== undefined && { apiKeyChanged: true }),
        ...(input.headers !== undefined && { headersChanged: true }),
      },
      meta,
    });
    const counts = await this.providers.modelConfigCounts([id], countsFor(actor));
    return this.toDto(updated, counts.get(id) ?? 0);
  }

  async remove(actor: AuthUser, id: string, meta?: RequestMeta): Promise<void> {
    const row = await this.findVisible(actor, id);
    await this.providers.delete(id);
    await this.cache.delete(modelsCacheKey(id));
    await this.audit.record({
      actorId: actor.id,
      action: 'provider.delete',
      targetType: 'provider',
      targetId: id,
      before: this.auditView(row),
      meta,
    });
  }

  async models(user: AuthUser, id: string, refresh: boolean): Promise<ProviderModelList> {
    const row = await this.findVisible(user, id);
    const manual = row.manualModels.map<ProviderModel>((model) => ({
      id: model,
      name: model,
      // Named by the admin, described by nobody: the name says what it is (an embedding or speech model is not chat).
      capabilities: inferCapabilities(model),
      source: 'manual',
    }));
    let cached = refresh ? null : await this.cache.getJson<CachedModelList>(modelsCacheKey(id));
    const fromCache = cached !== null;
    let error: string | undefined;
    if (!cached) {
      try {
        await this.assertBaseUrlAllowed(row.baseUrl);
        const deadline = AbortSignal.timeout(this.config.env.LLM_TEST_TIMEOUT_MS);
        const items = await this.gateway.listModels(row, this.openSecrets(row), deadline);
        cached = { items, fetchedAt: new Date().toISOString() };
        await this.cache.setJson(modelsCacheKey(id), cached, this.config.env.MODEL_LIST_CACHE_SECONDS);
      } catch (caught) {
        error = this.describe(caught, row);
        if (manual.length === 0) {
          throw providersError(ProvidersErrorCode.UpstreamFailed, `Could not list the models of ${row.name}: ${error}`);
        }
      }
    }
    const listed = (cached?.items ?? []).map<ProviderModel>((m) => ({ ...m, source: 'provider' }));
    const listedIds = new Set(listed.map((m) => m.id));
    return {
      items: [...listed, ...manual.filter((m) => !listedIds.has(m.id))],
      fetchedAt: cached?.fetchedAt ?? null,
      cached: fromCache,
      ...(error !== undefined && { error }),
    };
  }

  /**
   * A tiny real request: the model list (it needs a valid key on every cloud and costs nothing). A server without
   * one (404: some gateways, Anthropic-compatible endpoints of other vendors) is tested with a one-token chat with
   * its first model entered by hand, or told to get one.
   */
  async test(user: AuthUser, id: string): Promise<ConnectionTestResult> {
    const row = await this.findVisible(user, id);
    const started = performance.now();
    const deadline = AbortSignal.timeout(this.config.env.LLM_TEST_TIMEOUT_MS);
    const outcome = async (): Promise<string | undefined> => {
      await this.assertBaseUrlAllowed(row.baseUrl);
      const secrets = this.openSecrets(row);
      try {
        const items = await this.gateway.listModels(row, secrets, deadline);
        await this.cache.setJson(
          modelsCacheKey(id),
          { items, fetchedAt: new Date().toISOString() },
          this.config.env.MODEL_LIST_CACHE_SECONDS,
        );
        return undefined;
      } catch (caught) {
        if (!(caught instanceof LlmError) || caught.kind !== 'not_found') throw caught;
        const model = row.manualModels[0];
        if (!model) {
          return `${this.describe(caught, row)}. This server lists no models: add its model names by hand to test it with a chat`;
        }
        await this.gateway
          .client(row, secrets)
          .chat({ model, messages: [{ role: 'user', content: 'ping' }], params: { maxTokens: 1 }, signal: deadline });
        return undefined;
      }
    };
    let error: string | undefined;
    try {
      error = await outcome();
    } catch (caught) {
      error = this.describe(caught, row);
    }
    const latencyMs = Math.round(performance.now() - started);
    const result: ConnectionTestResult =
      error === undefined ? { ok: true, latencyMs } : { ok: false, latencyMs, error };
    await this.providers.setStatus(id, { ...result, checkedAt: new Date().toISOString() });
    return result;
  }

  /** Local servers answering on their default port that are not registered yet (first-start offer). */
  async detected(): Promise<DetectedProvider[]> {
    const baseUrl = this.config.env.OLLAMA_DETECT_URL.replace(/\/+$/, '');
    const existing = await this.providers.list({ enabledOnly: false });
    if (existing.some((p) => p.kind === 'ollama' && sameOrigin(p.baseUrl, baseUrl))) return [];
    const probe = await this.gateway.probeOllama(baseUrl);
    return probe ? [{ preset: 'ollama', baseUrl, ...(probe.version && { version: probe.version }) }] : [];
  }

  /** Decrypts a provider's secrets for one request. */
  openSecrets(row: ProviderEntity): ProviderSecrets {
    if (!row.secretsEncrypted) return {};
    try {
      return JSON.parse(this.secretBox.open(row.secretsEncrypted)) as ProviderSecrets;
    } catch (error) {
      this.logger.error(`cannot open the secrets of provider ${row.id}: ${(error as Error).message}`);
      throw providersError(
        ProvidersErrorCode.SecretUnreadable,
        'The stored API key cannot be decrypted with the configured ENCRYPTION_KEY; re-enter it',
      );
    }
  }

  async assertBaseUrlAllowed(baseUrl: string): Promise<void> {
    const violation = await baseUrlViolation(baseUrl);
    if (violation) {
      throw providersError(ProvidersErrorCode.BaseUrlForbidden, `This base URL is not allowed: ${violation}`, [
        { path: ['baseUrl'], message: violation },
      ]);
    }
  }

  /**
   * Human-readable cause for a failed upstream call. libs/llm-clients already scrubs the key (and credential-like
   * headers) out of every error it produces, so nothing is decrypted again here.
   */
  describe(caught: unknown, row: ProviderEntity): string {
    return describeLlmError(caught, { baseUrl: row.baseUrl });
  }

  /**
   * The same sentence for the people using a model (a chat answer, a compare column, a batch cell): the provider is
   * named as the admins named it, not by its address, which is often an internal one (`http://10.0.3.7:8000 sent
   * nothing for 60000 ms` became `DeepSeek sent nothing for 60000 ms`). Admins see addresses in provider tests.
   */
  describeForUsers(caught: unknown, row: ProviderEntity): string {
    return describeLlmError(caught, { baseUrl: row.baseUrl, providerName: row.name });
  }

  private sealSecrets(secrets: ProviderSecrets) {
    const headers = secrets.headers && Object.keys(secrets.headers).length > 0 ? secrets.headers : undefined;
    const hasAny = !!secrets.apiKey || !!headers;
    const sealed = hasAny ? this.secretBox.seal(JSON.stringify({ apiKey: secrets.apiKey, headers })) : null;
    return {
      secretsEncrypted: sealed?.envelope ?? null,
      secretsKeyId: sealed?.keyId ?? null,
      apiKeyHint: keyHint(secrets.apiKey),
      headerNames: Object.keys(headers ?? {}),
    };
  }

  private resolveAuth(
    kind: ProviderKind,
    authStyle: AuthStyle | undefined,
    authHeaderName: string | null,
    apiVersion: string | null,
    hasKey: boolean,
  ): { authStyle: AuthStyle; authHeaderName: string | null; apiVersion: string | null } {
    const defaults = defaultAuth(kind, hasKey);
    const style = authStyle ?? defaults.authStyle;
    const headerName = style === 'header' ? (authHeaderName ?? defaults.authHeaderName) : null;
    if (style === 'header' && !headerName) {
      throw providersError(ProvidersErrorCode.InvalidAuthSettings, 'Name the header that carries the key', [
        { path: ['authHeaderName'], message: 'is required when authStyle is "header"' },
      ]);
    }
    if (style === 'azure' && !apiVersion) {
      throw providersError(ProvidersErrorCode.InvalidAuthSettings, 'Azure-style auth needs an api-version', [
        { path: ['apiVersion'], message: 'is required when authStyle is "azure"' },
      ]);
    }
    return { authStyle: style, authHeaderName: headerName, apiVersion };
  }

  private async assertNameFree(name: string, exceptId?: string): Promise<void> {
    if (await this.providers.nameTaken(name, exceptId)) {
      throw providersError(ProvidersErrorCode.ProviderNameTaken, 'A provider with this name already exists', [
        { path: ['name'], message: 'is already taken' },
      ]);
    }
  }

  private auditView(row: ProviderEntity): Record<string, unknown> {
    return {
      name: row.name,
      kind: row.kind,
      baseUrl: row.baseUrl,
      enabled: row.enabled,
      authStyle: row.authStyle,
      authHeaderName: row.authHeaderName,
      apiVersion: row.apiVersion,
      preset: row.preset,
      manualModels: row.manualModels,
      timeouts: row.timeouts,
      apiKeyHint: row.apiKeyHint,
      headerNames: row.headerNames,
    };
  }

  /** `viewer`: who asks, when not an admin (they see the base URL without its query, where keys sometimes sit). */
  toDto(row: ProviderEntity, modelConfigCount: number, viewer?: AuthUser): Provider {
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      preset: row.preset,
      baseUrl: viewer && viewer.role !== 'admin' ? withoutQuery(row.baseUrl) : row.baseUrl,
      authStyle: row.authStyle,
      authHeaderName: row.authHeaderName,
      apiVersion: row.apiVersion,
      hasApiKey: row.apiKeyHint !== null,
      apiKeyHint: row.apiKeyHint,
      headerNames: row.headerNames,
      timeouts: row.timeouts,
      manualModels: row.manualModels,
      enabled: row.enabled,
      status: row.status,
      modelConfigCount,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }
}

/** A URL without its query and fragment (`?key=…` is how some gateways take a key). */
function withoutQuery(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.search && !parsed.hash) return url;
    parsed.search = '';
    parsed.hash = '';
    return parsed.toString();
  } catch {
    return url.split(/[?#]/, 1)[0] ?? '';
  }
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}

function sameOrigin(a: string, b: string): boolean {
  try {
    const ua = new URL(a);
    const ub = new URL(b);
    const norm = (h: string) => (h === 'localhost' ? '127.0.0.1' : h);
    return norm(ua.hostname) === norm(ub.hostname) && ua.port === ub.port;
  } catch {
    return false;
  }
}

/** Whose model configs a provider's count covers: all of them for admins, else the caller's own and shared ones. */
function countsFor(user: AuthUser): string | null {
  return user.role === 'admin' ? null : user.id;
}
