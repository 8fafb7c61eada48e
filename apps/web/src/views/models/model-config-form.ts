import {
  type CreateModelConfigInput,
  CreateModelConfigSchema,
  DEFAULT_MODEL_PARAMS,
  type ModelCapability,
  type ModelConfig,
  type ModelConfigVisibility,
  type ModelParams,
  ModelParamsSchema,
  type ProviderModel,
  REASONING_EFFORTS,
  type ReasoningEffort,
  type ReasoningTags,
  ReasoningTagsSchema,
  type UpdateModelConfigInput,
} from '@modelyard/contracts';
import type { FormRules } from 'element-plus';
import { computed } from 'vue';
import { useZodRules } from '@/composables/useZodRules';

export type ReasoningMode = ReasoningTags['mode'];

/**
 * The reasoning-effort choices of the form; 'default' sends none (the model's own). A named choice, not '': the
 * select shows an empty value as its placeholder.
 */
export const REASONING_EFFORT_OPTIONS: readonly (ReasoningEffort | 'default')[] = ['default', ...REASONING_EFFORTS];

export interface ModelConfigFormModel {
  name: string;
  providerId: string;
  model: string;
  temperature: number;
  topP: number;
  maxTokens: number;
  /** null: not sent, the provider's default applies. */
  topK: number | null;
  presencePenalty: number | null;
  frequencyPenalty: number | null;
  stop: string[];
  seed: number | null;
  /** '': not sent, the model thinks as it does by default. */
  reasoningEffort: ReasoningEffort | 'default';
  systemPrompt: string;
  reasoningMode: ReasoningMode;
  reasoningOpen: string;
  reasoningClose: string;
  inputPricePerMTok: number | null;
  outputPricePerMTok: number | null;
  visibility: ModelConfigVisibility;
  isDefault: boolean;
}

export type ModelConfigFormField =
  | 'name'
  | 'providerId'
  | 'model'
  | 'params'
  | 'systemPrompt'
  | 'reasoningTags'
  | 'visibility'
  | 'inputPricePerMTok'
  | 'outputPricePerMTok';

export const MODEL_CONFIG_FORM_FIELDS: readonly ModelConfigFormField[] = [
  'name',
  'providerId',
  'model',
  'params',
  'systemPrompt',
  'reasoningTags',
  'visibility',
  'inputPricePerMTok',
  'outputPricePerMTok',
];

/** What a slider offers, with the contract's bounds; `hintKey` is the guidance under it. */
export interface ParamSpec {
  min: number;
  max: number;
  step: number;
  labelKey: string;
  hintKey: string;
}

export const PARAM_SPECS = {
  temperature: {
    min: 0,
    max: 2,
    step: 0.05,
    labelKey: 'models.configs.params.temperature',
    hintKey: 'models.configs.params.temperatureHint',
  },
  topP: {
    min: 0,
    max: 1,
    step: 0.05,
    labelKey: 'models.configs.params.topP',
    hintKey: 'models.configs.params.topPHint',
  },
  topK: {
    min: 1,
    max: 1000,
    step: 1,
    labelKey: 'models.configs.params.topK',
    hintKey: 'models.configs.params.topKHint',
  },
  maxTokens: {
    min: 1,
    max: 1_000_000,
    step: 256,
    labelKey: 'models.configs.params.maxTokens',
    hintKey: 'models.configs.params.maxTokensHint',
  },
  presencePenalty: {
    min: -2,
    max: 2,
    step: 0.1,
    labelKey: 'models.configs.params.presencePenalty',
    hintKey: 'models.configs.params.presencePenaltyHint',
  },
  frequencyPenalty: {
    min: -2,
    max: 2,
    step: 0.1,
    labelKey: 'models.configs.params.frequencyPenalty',
    hintKey: 'models.configs.params.frequencyPenaltyHint',
  },
  seed: {
    min: 0,
    max: 2 ** 31 - 1,
    step: 1,
    labelKey: 'models.configs.params.seed',
    hintKey: 'models.configs.params.seedHint',
  },
} as const satisfies Record<string, ParamSpec>;

export type SamplingParamKey = keyof typeof PARAM_SPECS;

/** How the editor lays out one sampling parameter (see ParamSlider). */
export interface SamplingParamField {
  key: SamplingParamKey;
  /** Names the input: `#model-config-<slug>`, `data-testid="model-config-form-<slug>"`. */
  slug: string;
  /** What a required parameter falls back to when cleared, and an optional one starts at when switched on. */
  fallback: number;
  precision: number;
  /** Optional parameters may be left unset, so the provider's default applies. */
  optional?: boolean;
  /** False for values too wide for a slider (token counts, seeds): a number input only. */
  slider?: boolean;
}

/** The sampling section of the editor, in order. */
export const SAMPLING_PARAMS: readonly SamplingParamField[] = [
  { key: 'temperature', slug: 'temperature', fallback: 0.7, precision: 2 },
  { key: 'topP', slug: 'top-p', fallback: 1, precision: 2 },
  { key: 'maxTokens', slug: 'max-tokens', fallback: 4096, precision: 0, slider: false },
  { key: 'topK', slug: 'top-k', fallback: 40, precision: 0, optional: true },
  { key: 'presencePenalty', slug: 'presence-penalty', fallback: 0, precision: 1, optional: true },
  { key: 'frequencyPenalty', slug: 'frequency-penalty', fallback: 0, precision: 1, optional: true },
  { key: 'seed', slug: 'seed', fallback: 42, precision: 0, optional: true, slider: false },
];

/** The two price inputs, side by side: same bounds, each its own label. */
export const PRICE_FIELDS: { key: 'inputPricePerMTok' | 'outputPricePerMTok'; labelKey: string; testId: string }[] = [
  { key: 'inputPricePerMTok', labelKey: 'models.configs.fields.inputPrice', testId: 'model-config-form-input-price' },
  {
    key: 'outputPricePerMTok',
    labelKey: 'models.configs.fields.outputPrice',
    testId: 'model-config-form-output-price',
  },
];

export const REASONING_MODES: { value: ReasoningMode; labelKey: string }[] = [
  { value: 'auto', labelKey: 'models.configs.reasoning.auto' },
  { value: 'off', labelKey: 'models.configs.reasoning.off' },
  { value: 'custom', labelKey: 'models.configs.reasoning.custom' },
];

export const VISIBILITY_OPTIONS: { value: ModelConfigVisibility; labelKey: string }[] = [
  { value: 'private', labelKey: 'models.configs.visibility.private' },
  { value: 'shared', labelKey: 'models.configs.visibility.shared' },
];

export const MAX_STOP_SEQUENCES = 8;

/** The tag pair most open-weight reasoning models write; the custom setting starts from it. */
export const THINK_TAGS = { open: '<think>', close: '</think>' } as const;

export function emptyModelConfigForm(providerId = ''): ModelConfigFormModel {
  return {
    name: '',
    providerId,
    model: '',
    temperature: DEFAULT_MODEL_PARAMS.temperature,
    topP: DEFAULT_MODEL_PARAMS.topP,
    maxTokens: DEFAULT_MODEL_PARAMS.maxTokens,
    topK: null,
    presencePenalty: null,
    frequencyPenalty: null,
    stop: [],
    seed: null,
    reasoningEffort: 'default',
    systemPrompt: '',
    reasoningMode: 'auto',
    reasoningOpen: THINK_TAGS.open,
    reasoningClose: THINK_TAGS.close,
    inputPricePerMTok: null,
    outputPricePerMTok: null,
    visibility: 'private',
    isDefault: false,
  };
}

export function modelConfigFormFrom(config: ModelConfig): ModelConfigFormModel {
  const { params, reasoningTags } = config;
  const empty = emptyModelConfigForm();
  return {
    name: config.name,
    providerId: config.providerId,
    model: config.model,
    temperature: params.temperature,
    topP: params.topP,
    maxTokens: params.maxTokens,
    topK: params.topK ?? null,
    presencePenalty: params.presencePenalty ?? null,
    frequencyPenalty: params.frequencyPenalty ?? null,
    stop: [...(params.stop ?? [])],
    seed: params.seed ?? null,
    reasoningEffort: params.reasoningEffort ?? 'default',
    systemPrompt: config.systemPrompt ?? '',
    reasoningMode: reasoningTags.mode,
    reasoningOpen: reasoningTags.mode === 'custom' ? reasoningTags.open : empty.reasoningOpen,
    reasoningClose: reasoningTags.mode === 'custom' ? reasoningTags.close : empty.reasoningClose,
    inputPricePerMTok: config.inputPricePerMTok,
    outputPricePerMTok: config.outputPricePerMTok,
    visibility: config.visibility,
    isDefault: config.isDefault,
  };
}

/** The form's sampling settings as the API's params; unset optional ones are left out. */
export function paramsFromForm(form: ModelConfigFormModel): ModelParams {
  const stop = form.stop.filter((s) => s.length > 0);
  return {
    temperature: form.temperature,
    topP: form.topP,
    maxTokens: form.maxTokens,
    ...(form.topK !== null && { topK: form.topK }),
    ...(form.presencePenalty !== null && { presencePenalty: form.presencePenalty }),
    ...(form.frequencyPenalty !== null && { frequencyPenalty: form.frequencyPenalty }),
    ...(stop.length > 0 && { stop }),
    ...(form.seed !== null && { seed: form.seed }),
    ...(form.reasoningEffort !== 'default' && { reasoningEffort: form.reasoningEffort }),
  };
}

export function reasoningTagsFromForm(form: ModelConfigFormModel): ReasoningTags {
  if (form.reasoningMode === 'custom') {
    return { mode: 'custom', open: form.reasoningOpen.trim(), close: form.reasoningClose.trim() };
  }
  return { mode: form.reasoningMode };
}

/** `visibility` is only sent when the caller may choose it (admins); everyone else's configs are private. */
export function toCreateModelConfigInput(form: ModelConfigFormModel, canShare: boolean): CreateModelConfigInput {
  return {
    name: form.name.trim(),
    providerId: form.providerId,
    model: form.model.trim(),
    params: paramsFromForm(form),
    systemPrompt: form.systemPrompt.trim() ? form.systemPrompt : null,
    reasoningTags: reasoningTagsFromForm(form),
    ...(canShare && { visibility: form.visibility }),
    inputPricePerMTok: form.inputPricePerMTok,
    outputPricePerMTok: form.outputPricePerMTok,
    ...(form.isDefault && { isDefault: true }),
  };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Keys in a stable order, so two params objects compare by content. */
const normalizeParams = (params: ModelParams) =>
  Object.fromEntries(Object.entries(params).sort(([a], [b]) => a.localeCompare(b)));

/** Only what changed goes into PATCH /model-configs/:id. */
export function modelConfigChanges(config: ModelConfig, form: ModelConfigFormModel): UpdateModelConfigInput {
  const next = toCreateModelConfigInput(form, true);
  const changes: UpdateModelConfigInput = {};
  if (next.name !== config.name) changes.name = next.name;
  if (next.providerId !== config.providerId) changes.providerId = next.providerId;
  if (next.model !== config.model) changes.model = next.model;
  const params = paramsFromForm(form);
  if (!sameJson(normalizeParams(params), normalizeParams(config.params))) changes.params = params;
  if ((next.systemPrompt ?? null) !== config.systemPrompt) changes.systemPrompt = next.systemPrompt ?? null;
  if (!sameJson(next.reasoningTags, config.reasoningTags)) changes.reasoningTags = next.reasoningTags;
  if (form.visibility !== config.visibility) changes.visibility = form.visibility;
  if (next.inputPricePerMTok !== config.inputPricePerMTok) changes.inputPricePerMTok = next.inputPricePerMTok;
  if (next.outputPricePerMTok !== config.outputPricePerMTok) changes.outputPricePerMTok = next.outputPricePerMTok;
  if (form.isDefault !== config.isDefault) changes.isDefault = form.isDefault;
  return changes;
}

/** Whether a listed model takes chats (speech, image, moderation and embedding models do not). */
export function forChat(model: Pick<ProviderModel, 'capabilities'>): boolean {
  return model.capabilities.includes('chat');
}

/** A provider's models for the picker: the chat models first, each group in the server's order. */
export function chatModelsFirst<T extends Pick<ProviderModel, 'capabilities'>>(models: readonly T[]): T[] {
  return [...models.filter(forChat), ...models.filter((model) => !forChat(model))];
}

/** Capabilities worth a tag in the model picker ("chat" is every model's). */
export function notableCapabilities(model: Pick<ProviderModel, 'capabilities'>): ModelCapability[] {
  return model.capabilities.filter((c) => c !== 'chat');
}

/** 131072 → "128K", 8000 → "8K", 1048576 → "1M", 1500000 → "1.4M". */
export function formatContextLength(tokens: number): string {
  if (tokens >= 1_000_000) return `${+(tokens / 1_048_576).toFixed(1)}M`;
  if (tokens >= 1000) return `${Math.round(tokens / 1024)}K`;
  return String(tokens);
}

export function useModelConfigRules(form: ModelConfigFormModel) {
  const { zodRule } = useZodRules();
  const shape = CreateModelConfigSchema.shape;
  const custom = ReasoningTagsSchema.options[2].shape;
  return computed<FormRules<ModelConfigFormModel>>(() => ({
    name: zodRule(shape.name),
    providerId: zodRule(shape.providerId, { trigger: 'change' }),
    model: zodRule(shape.model, { trigger: ['change', 'blur'] }),
    stop: zodRule(ModelParamsSchema.shape.stop.unwrap(), { required: false, trigger: 'change' }),
    systemPrompt: zodRule(shape.systemPrompt.unwrap().unwrap(), { required: false }),
    ...(form.reasoningMode === 'custom' && {
      reasoningOpen: zodRule(custom.open),
      reasoningClose: zodRule(custom.close),
    }),
  }));
}
