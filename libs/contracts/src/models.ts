import { z } from 'zod';
import { PaginationQuerySchema } from './common';

/* ---------------------------------------------------------------- providers */

export const PROVIDER_KINDS = ['openai', 'ollama', 'anthropic'] as const;
export const ProviderKindSchema = z.enum(PROVIDER_KINDS);
export type ProviderKind = z.infer<typeof ProviderKindSchema>;

export const AUTH_STYLES = ['bearer', 'header', 'azure', 'none'] as const;
export const AuthStyleSchema = z.enum(AUTH_STYLES);
export type AuthStyle = z.infer<typeof AuthStyleSchema>;

/** Where a provider came from in the add dialog; decides defaults and the card's logo, nothing else. */
export const PROVIDER_PRESET_IDS = [
  'ollama',
  'vllm',
  'sglang',
  'openai',
  'deepseek',
  'siliconflow',
  'zhipu',
  '302ai',
  'moonshot',
  'anthropic',
  'lmstudio',
  'llamacpp',
  'llamafactory',
  'custom',
] as const;
export const ProviderPresetIdSchema = z.enum(PROVIDER_PRESET_IDS);
export type ProviderPresetId = z.infer<typeof ProviderPresetIdSchema>;

export interface ProviderPreset {
  id: ProviderPresetId;
  name: string;
  kind: ProviderKind;
  baseUrl: string;
  /** Local servers normally run without a key. */
  local: boolean;
  requiresKey: boolean;
  /** Whether the server accepts the non-standard `top_k` on its OpenAI-compatible endpoint. */
  acceptsTopK: boolean;
  docsUrl?: string;
}

export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  {
    id: 'ollama',
    name: 'Ollama',
    kind: 'ollama',
    baseUrl: 'http://127.0.0.1:11434',
    local: true,
    requiresKey: false,
    acceptsTopK: true,
    docsUrl: 'https://github.com/ollama/ollama/blob/main/docs/api.md',
  },
  {
    id: 'vllm',
    name: 'vLLM',
    kind: 'openai',
    baseUrl: 'http://127.0.0.1:8000/v1',
    local: true,
    requiresKey: false,
    acceptsTopK: true,
    docsUrl: 'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html',
  },
  {
    id: 'sglang',
    name: 'SGLang',
    kind: 'openai',
    baseUrl: 'http://127.0.0.1:30000/v1',
    local: true,
    requiresKey: false,
    acceptsTopK: true,
    docsUrl: 'https://docs.sglang.ai/',
  },
  {
    id: 'openai',
    name: 'OpenAI',
    kind: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    local: false,
    requiresKey: true,
    acceptsTopK: false,
    docsUrl: 'https://platform.openai.com/docs/api-reference/chat',
  },
  {
    id: 'deepseek',
    name: 'DeepSeek',
    kind: 'openai',
    baseUrl: 'https://api.deepseek.com/v1',
    local: false,
    requiresKey: true,
    acceptsTopK: false,
    docsUrl: 'https://api-docs.deepseek.com/',
  },
  {
    id: 'siliconflow',
    name: 'SiliconFlow',
    kind: 'openai',
    baseUrl: 'https://api.siliconflow.cn/v1',
    local: false,
    requiresKey: true,
    acceptsTopK: true,
    docsUrl: 'https://docs.siliconflow.cn/',
  },
  {
    id: 'zhipu',
    name: 'Zhipu AI',
    kind: 'openai',
    baseUrl: 'https://open.bigmodel.cn/api/paas/v4',
    local: false,
    requiresKey: true,
    acceptsTopK: false,
    docsUrl: 'https://open.bigmodel.cn/dev/api',
  },
  {
    id: '302ai',
    name: '302.AI',
    kind: 'openai',
    baseUrl: 'https://api.302.ai/v1',
    local: false,
    requiresKey: true,
    acceptsTopK: false,
    docsUrl: 'https://doc.302.ai/',
  },
  {
    id: 'moonshot',
    name: 'Moonshot (Kimi)',
    kind: 'openai',
    baseUrl: 'https://api.moonshot.cn/v1',
    local: false,
    requiresKey: true,
    acceptsTopK: false,
  },
  {
    id: 'anthropic',
    name: 'Anthropic',
    kind: 'anthropic',
    baseUrl: 'https://api.anthropic.com',
    local: false,
    requiresKey: true,
    acceptsTopK: true,
    docsUrl: 'https://docs.anthropic.com/en/api/messages',
  },
  {
    id: 'lmstudio',
    name: 'LM Studio',
    kind: 'openai',
    baseUrl: 'http://127.0.0.1:1234/v1',
    local: true,
    requiresKey: false,
    acceptsTopK: true,
  },
  {
    id: 'llamacpp',
    name: 'llama.cpp server',
    kind: 'openai',
    baseUrl: 'http://127.0.0.1:8080/v1',
    local: true,
    requiresKey: false,
    acceptsTopK: true,
  },
  {
    id: 'llamafactory',
    name: 'LLaMA-Factory API',
    kind: 'openai',
    baseUrl: 'http://127.0.0.1:8000/v1',
    local: true,
    requiresKey: false,
    acceptsTopK: false,
  },
  { id: 'custom', name: 'Custom', kind: 'openai', baseUrl: '', local: false, requiresKey: false, acceptsTopK: false },
];

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;
/** Headers the platform sets itself; letting a provider override them would break the protocol or auth. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'connection',
  'transfer-encoding',
  'accept',
]);

export const ProviderHeadersSchema = z
  .record(
    z.string().regex(HEADER_NAME, 'must be a valid HTTP header name'),
    z
      .string()
      .max(2000)
      .regex(/^[^\r\n]*$/, 'must not contain line breaks'),
  )
  .refine((h) => Object.keys(h).length <= 20, 'at most 20 extra headers')
  .refine(
    (h) => Object.keys(h).every((k) => !RESERVED_HEADERS.has(k.toLowerCase())),
    'a reserved header cannot be overridden',
  );

export const ProviderTimeoutsSchema = z.object({
  connectMs: z.number().int().min(100).max(120_000),
  firstByteMs: z.number().int().min(100).max(900_000),
  idleMs: z.number().int().min(100).max(900_000),
});
export type ProviderTimeouts = z.infer<typeof ProviderTimeoutsSchema>;
export const DEFAULT_PROVIDER_TIMEOUTS: ProviderTimeouts = { connectMs: 10_000, firstByteMs: 120_000, idleMs: 60_000 };

export const BaseUrlSchema = z
  .string()
  .trim()
  .max(500)
  .pipe(z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }));

const ProviderNameSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(64, 'must be at most 64 characters')
  .regex(/^[^\p{Cc}<>]*$/u, 'must not contain control characters or angle brackets');

const ApiKeySchema = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .regex(/^[^\s]+$/, 'must not contain whitespace');

const ManualModelsSchema = z.array(z.string().trim().min(1).max(200)).max(200);

export const CreateProviderSchema = z.object({
  name: ProviderNameSchema,
  kind: ProviderKindSchema,
  preset: ProviderPresetIdSchema.optional(),
  baseUrl: BaseUrlSchema,
  apiKey: ApiKeySchema.optional(),
  authStyle: AuthStyleSchema.optional(),
  authHeaderName: z.string().regex(HEADER_NAME, 'must be a valid HTTP header name').optional(),
  apiVersion: z.string().trim().min(1).max(40).optional(),
  headers: ProviderHeadersSchema.optional(),
  timeouts: ProviderTimeoutsSchema.partial().optional(),
  manualModels: ManualModelsSchema.optional(),
  enabled: z.boolean().optional(),
});
export type CreateProviderInput = z.infer<typeof CreateProviderSchema>;

export const UpdateProviderSchema = CreateProviderSchema.omit({ apiKey: true, kind: true })
  .partial()
  .extend({
    kind: ProviderKindSchema.optional(),
    /** A new key replaces the stored one; `null` removes it; leaving it out keeps it. */
    apiKey: ApiKeySchema.nullable().optional(),
    authHeaderName: z.string().regex(HEADER_NAME, 'must be a valid HTTP header name').nullable().optional(),
    apiVersion: z.string().trim().min(1).max(40).nullable().optional(),
  });
export type UpdateProviderInput = z.infer<typeof UpdateProviderSchema>;

export const ConnectionTestResultSchema = z.object({
  ok: z.boolean(),
  latencyMs: z.number().int(),
  /** Human-readable cause: bad key, unreachable, unknown model, timeout… never the key itself. */
  error: z.string().optional(),
  /** For model-config tests: the beginning of the answer. */
  reply: z.string().optional(),
});
export type ConnectionTestResult = z.infer<typeof ConnectionTestResultSchema>;

export const ProviderStatusSchema = ConnectionTestResultSchema.omit({ reply: true }).extend({ checkedAt: z.string() });
export type ProviderStatus = z.infer<typeof ProviderStatusSchema>;

export const ProviderSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: ProviderKindSchema,
  preset: ProviderPresetIdSchema,
  baseUrl: z.string(),
  authStyle: AuthStyleSchema,
  authHeaderName: z.string().nullable(),
  apiVersion: z.string().nullable(),
  hasApiKey: z.boolean(),
  /** The last four characters of the key, e.g. "…3f9a"; never more. */
  apiKeyHint: z.string().nullable(),
  /** Extra header names; their values may be credentials and are never returned. */
  headerNames: z.array(z.string()),
  timeouts: ProviderTimeoutsSchema,
  manualModels: z.array(z.string()),
  enabled: z.boolean(),
  status: ProviderStatusSchema.nullable(),
  modelConfigCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Provider = z.infer<typeof ProviderSchema>;
export const ProviderQuerySchema = PaginationQuerySchema;
export type ProviderQuery = z.infer<typeof ProviderQuerySchema>;

export const ProviderListSchema = z.object({
  items: z.array(ProviderSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const MODEL_CAPABILITIES = ['chat', 'reasoning', 'vision', 'tools', 'embedding'] as const;
export type ModelCapability = (typeof MODEL_CAPABILITIES)[number];

export const ProviderModelSchema = z.object({
  id: z.string(),
  name: z.string(),
  contextLength: z.number().int().optional(),
  capabilities: z.array(z.enum(MODEL_CAPABILITIES)),
  source: z.enum(['provider', 'manual']),
});
export type ProviderModel = z.infer<typeof ProviderModelSchema>;

export const ProviderModelListSchema = z.object({
  items: z.array(ProviderModelSchema),
  fetchedAt: z.string().nullable(),
  cached: z.boolean(),
  /** Why the live list could not be fetched (manual models are still listed). */
  error: z.string().optional(),
});
export type ProviderModelList = z.infer<typeof ProviderModelListSchema>;

export const ProviderModelsQuerySchema = z.object({
  refresh: z
    .enum(['true', 'false', '1', '0'])
    .transform((v) => v === 'true' || v === '1')
    .optional(),
});

export const DetectedProviderSchema = z.object({
  preset: ProviderPresetIdSchema,
  baseUrl: z.string(),
  version: z.string().optional(),
});
export type DetectedProvider = z.infer<typeof DetectedProviderSchema>;
export const DetectedProviderListSchema = z.object({ items: z.array(DetectedProviderSchema) });

/* ------------------------------------------------------------ model configs */

export const ReasoningTagsSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('auto') }),
  z.object({ mode: z.literal('off') }),
  z.object({
    mode: z.literal('custom'),
    open: z.string().trim().min(1).max(40),
    close: z.string().trim().min(1).max(40),
  }),
]);
export type ReasoningTags = z.infer<typeof ReasoningTagsSchema>;

export const REASONING_EFFORTS = ['low', 'medium', 'high'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

export const ModelParamsSchema = z.object({
  temperature: z.number().min(0).max(2),
  topP: z.number().min(0).max(1),
  topK: z.number().int().min(1).max(1000).optional(),
  maxTokens: z.number().int().min(1).max(1_000_000),
  presencePenalty: z.number().min(-2).max(2).optional(),
  frequencyPenalty: z.number().min(-2).max(2).optional(),
  stop: z.array(z.string().min(1).max(100)).max(8).optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
  /**
   * How hard a reasoning model thinks: OpenAI-compatible `reasoning_effort`, Anthropic extended thinking (a budget of
   * 2,048 / 8,192 / 24,576 tokens on top of `maxTokens`), Ollama `think`. Unset: the model's own default.
   */
  reasoningEffort: z.enum(REASONING_EFFORTS).optional(),
});
export type ModelParams = z.infer<typeof ModelParamsSchema>;
export const DEFAULT_MODEL_PARAMS: ModelParams = { temperature: 0.7, topP: 1, maxTokens: 4096 };

export const MODEL_CONFIG_VISIBILITIES = ['private', 'shared'] as const;
export const ModelConfigVisibilitySchema = z.enum(MODEL_CONFIG_VISIBILITIES);
export type ModelConfigVisibility = z.infer<typeof ModelConfigVisibilitySchema>;

const PriceSchema = z.number().min(0).max(10_000);

export const CreateModelConfigSchema = z.object({
  name: ProviderNameSchema,
  providerId: z.uuid(),
  model: z.string().trim().min(1, 'is required').max(200),
  params: ModelParamsSchema.partial().optional(),
  systemPrompt: z.string().max(20_000).nullable().optional(),
  reasoningTags: ReasoningTagsSchema.optional(),
  visibility: ModelConfigVisibilitySchema.optional(),
  /** Prices per million tokens, for cost estimates in comparisons. */
  inputPricePerMTok: PriceSchema.nullable().optional(),
  outputPricePerMTok: PriceSchema.nullable().optional(),
  isDefault: z.boolean().optional(),
});
export type CreateModelConfigInput = z.infer<typeof CreateModelConfigSchema>;

export const UpdateModelConfigSchema = CreateModelConfigSchema.partial();
export type UpdateModelConfigInput = z.infer<typeof UpdateModelConfigSchema>;

export const MODEL_CONFIG_SORTS = ['name', 'updatedAt', 'createdAt', 'model'] as const;

export const ModelConfigQuerySchema = PaginationQuerySchema.extend({
  search: z.string().trim().max(100).optional(),
  providerId: z.uuid().optional(),
  visibility: ModelConfigVisibilitySchema.optional(),
  /** `mine` lists only the caller's own configs; otherwise shared ones are included. */
  mine: z
    .enum(['true', 'false', '1', '0'])
    .transform((v) => v === 'true' || v === '1')
    .optional(),
  sort: z.enum(MODEL_CONFIG_SORTS).default('updatedAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
});
export type ModelConfigQuery = z.infer<typeof ModelConfigQuerySchema>;

export const BatchDeleteSchema = z.object({
  ids: z.array(z.uuid()).min(1).max(100),
});
export type BatchDeleteInput = z.infer<typeof BatchDeleteSchema>;

export const ModelConfigSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  providerId: z.uuid(),
  providerName: z.string(),
  providerKind: ProviderKindSchema,
  providerEnabled: z.boolean(),
  model: z.string(),
  params: ModelParamsSchema,
  systemPrompt: z.string().nullable(),
  reasoningTags: ReasoningTagsSchema,
  /** Learned: the model's chat template opens the reasoning tag itself, so answers start inside reasoning. */
  reasoningStartsOpen: z.boolean(),
  visibility: ModelConfigVisibilitySchema,
  /** The caller's default (a per-user choice, possibly of a shared config). */
  isDefault: z.boolean(),
  ownerId: z.uuid(),
  /** Whether the caller may change or delete it. */
  editable: z.boolean(),
  inputPricePerMTok: z.number().nullable(),
  outputPricePerMTok: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ModelConfig = z.infer<typeof ModelConfigSchema>;

export const ModelConfigPageSchema = z.object({
  items: z.array(ModelConfigSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const ModelConfigUsageSchema = z.object({
  /** Chat sessions that use this config; deleting it leaves them without a model until one is picked. */
  sessions: z.number().int(),
});
export type ModelConfigUsage = z.infer<typeof ModelConfigUsageSchema>;

export const BatchDeleteResultSchema = z.object({ deleted: z.array(z.uuid()), skipped: z.array(z.uuid()) });
export type BatchDeleteResult = z.infer<typeof BatchDeleteResultSchema>;
