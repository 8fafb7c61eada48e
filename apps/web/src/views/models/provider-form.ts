import {
  type AuthStyle,
  BaseUrlSchema,
  type CreateProviderInput,
  CreateProviderSchema,
  DEFAULT_PROVIDER_TIMEOUTS,
  type DetectedProvider,
  type Provider,
  ProviderHeadersSchema,
  type ProviderKind,
  type ProviderPreset,
  type ProviderPresetId,
  type ProviderTimeouts,
  type UpdateProviderInput,
} from '@modelyard/contracts';
import type { FormItemRule, FormRules } from 'element-plus';
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { useZodRules } from '@/composables/useZodRules';
import { zodIssueMessage } from '@/i18n/zod-message';

export interface HeaderRow {
  name: string;
  value: string;
}

/** Timeouts as the form shows them: seconds, not milliseconds. */
export interface TimeoutSeconds {
  connect: number;
  firstByte: number;
  idle: number;
}

export interface ProviderFormModel {
  preset: ProviderPresetId;
  name: string;
  kind: ProviderKind;
  baseUrl: string;
  /** Empty: no key (create) or keep the stored one (edit). */
  apiKey: string;
  removeApiKey: boolean;
  /** '' lets the server pick the protocol's usual way (bearer, or x-api-key for Anthropic). */
  authStyle: AuthStyle | '';
  authHeaderName: string;
  apiVersion: string;
  /** Header values are never sent back by the server, so editing them always replaces the whole set. */
  replaceHeaders: boolean;
  headers: HeaderRow[];
  timeouts: TimeoutSeconds;
  manualModels: string[];
  enabled: boolean;
}

export type ProviderFormField =
  | 'preset'
  | 'name'
  | 'kind'
  | 'baseUrl'
  | 'apiKey'
  | 'authStyle'
  | 'authHeaderName'
  | 'apiVersion'
  | 'headers'
  | 'timeouts'
  | 'manualModels';

export const PROVIDER_FORM_FIELDS: readonly ProviderFormField[] = [
  'preset',
  'name',
  'kind',
  'baseUrl',
  'apiKey',
  'authStyle',
  'authHeaderName',
  'apiVersion',
  'headers',
  'timeouts',
  'manualModels',
];

export const KIND_OPTIONS: { value: ProviderKind; labelKey: string }[] = [
  { value: 'openai', labelKey: 'models.providers.kinds.openai' },
  { value: 'ollama', labelKey: 'models.providers.kinds.ollama' },
  { value: 'anthropic', labelKey: 'models.providers.kinds.anthropic' },
];

export const AUTH_STYLE_OPTIONS: { value: AuthStyle | ''; labelKey: string }[] = [
  { value: '', labelKey: 'models.providers.authStyles.auto' },
  { value: 'bearer', labelKey: 'models.providers.authStyles.bearer' },
  { value: 'header', labelKey: 'models.providers.authStyles.header' },
  { value: 'azure', labelKey: 'models.providers.authStyles.azure' },
  { value: 'none', labelKey: 'models.providers.authStyles.none' },
];

export const TIMEOUT_KEYS: readonly (keyof TimeoutSeconds)[] = ['connect', 'firstByte', 'idle'];

/** The bounds of ProviderTimeoutsSchema, in seconds. */
export const TIMEOUT_LIMITS: Record<keyof TimeoutSeconds, { min: number; max: number }> = {
  connect: { min: 0.1, max: 120 },
  firstByte: { min: 0.1, max: 900 },
  idle: { min: 0.1, max: 900 },
};

const toSeconds = (t: ProviderTimeouts): TimeoutSeconds => ({
  connect: t.connectMs / 1000,
  firstByte: t.firstByteMs / 1000,
  idle: t.idleMs / 1000,
});

export const toMilliseconds = (t: TimeoutSeconds): ProviderTimeouts => ({
  connectMs: Math.round(t.connect * 1000),
  firstByteMs: Math.round(t.firstByte * 1000),
  idleMs: Math.round(t.idle * 1000),
});

export function emptyProviderForm(): ProviderFormModel {
  return {
    preset: 'custom',
    name: '',
    kind: 'openai',
    baseUrl: '',
    apiKey: '',
    removeApiKey: false,
    authStyle: '',
    authHeaderName: '',
    apiVersion: '',
    replaceHeaders: true,
    headers: [],
    timeouts: toSeconds(DEFAULT_PROVIDER_TIMEOUTS),
    manualModels: [],
    enabled: true,
  };
}

export function providerFormFrom(provider: Provider): ProviderFormModel {
  return {
    preset: provider.preset,
    name: provider.name,
    kind: provider.kind,
    baseUrl: provider.baseUrl,
    apiKey: '',
    removeApiKey: false,
    authStyle: provider.authStyle,
    authHeaderName: provider.authHeaderName ?? '',
    apiVersion: provider.apiVersion ?? '',
    replaceHeaders: false,
    headers: provider.headerNames.map((name) => ({ name, value: '' })),
    timeouts: toSeconds(provider.timeouts),
    manualModels: [...provider.manualModels],
    enabled: provider.enabled,
  };
}

/**
 * Picking a preset fills the protocol and its usual base URL. A name the user has not typed themselves (empty, or
 * the previous preset's) follows the preset too.
 */
export function applyPreset(form: ProviderFormModel, preset: ProviderPreset, presets: readonly ProviderPreset[]): void {
  const previous = presets.find((p) => p.id === form.preset);
  const nameIsPresets = form.name.trim() === '' || (previous !== undefined && form.name === previous.name);
  if (nameIsPresets) form.name = preset.id === 'custom' ? '' : preset.name;
  form.preset = preset.id;
  form.kind = preset.kind;
  if (preset.baseUrl) form.baseUrl = preset.baseUrl;
}

/** The add dialog, opened from the "Ollama detected" banner. */
export function providerFormFromDetected(
  detected: DetectedProvider,
  presets: readonly ProviderPreset[],
): ProviderFormModel {
  const form = emptyProviderForm();
  const preset = presets.find((p) => p.id === detected.preset);
  if (preset) applyPreset(form, preset, presets);
  form.baseUrl = detected.baseUrl;
  return form;
}

export type KeyNeed = 'required' | 'notNeeded' | 'optional';

/** Whether the chosen preset's service needs an API key: local servers normally run without one. */
export function keyNeed(preset: ProviderPreset | undefined): KeyNeed {
  if (preset?.requiresKey) return 'required';
  if (preset?.local) return 'notNeeded';
  return 'optional';
}

export const showsHeaderName = (form: ProviderFormModel) => form.authStyle === 'header';
/** Azure needs `api-version`; Anthropic sends `anthropic-version` (the server has a default). */
export const showsApiVersion = (form: ProviderFormModel) => form.authStyle === 'azure' || form.kind === 'anthropic';

/** Header rows as the request's record; rows without a name are ignored. */
export function headerRecord(rows: readonly HeaderRow[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (const row of rows) {
    const name = row.name.trim();
    if (name) record[name] = row.value;
  }
  return record;
}

function timeoutsChanged(a: ProviderTimeouts, b: ProviderTimeouts): boolean {
  return a.connectMs !== b.connectMs || a.firstByteMs !== b.firstByteMs || a.idleMs !== b.idleMs;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

const cleanModels = (models: readonly string[]) => [...new Set(models.map((m) => m.trim()).filter(Boolean))];

export function toCreateProviderInput(form: ProviderFormModel): CreateProviderInput {
  const apiKey = form.apiKey.trim();
  const apiVersion = form.apiVersion.trim();
  const headers = headerRecord(form.headers);
  const timeouts = toMilliseconds(form.timeouts);
  const manualModels = cleanModels(form.manualModels);
  return {
    name: form.name.trim(),
    kind: form.kind,
    preset: form.preset,
    baseUrl: form.baseUrl.trim(),
    ...(apiKey && { apiKey }),
    ...(form.authStyle && { authStyle: form.authStyle }),
    ...(showsHeaderName(form) && form.authHeaderName.trim() && { authHeaderName: form.authHeaderName.trim() }),
    ...(showsApiVersion(form) && apiVersion && { apiVersion }),
    ...(Object.keys(headers).length > 0 && { headers }),
    ...(timeoutsChanged(timeouts, DEFAULT_PROVIDER_TIMEOUTS) && { timeouts }),
    ...(manualModels.length > 0 && { manualModels }),
    enabled: form.enabled,
  };
}

/** Only what changed goes into PATCH /providers/:id; the key is kept unless replaced or explicitly removed. */
export function toUpdateProviderInput(provider: Provider, form: ProviderFormModel): UpdateProviderInput {
  const changes: UpdateProviderInput = {};
  const name = form.name.trim();
  const baseUrl = form.baseUrl.trim();
  if (name !== provider.name) changes.name = name;
  if (form.preset !== provider.preset) changes.preset = form.preset;
  if (form.kind !== provider.kind) changes.kind = form.kind;
  if (baseUrl !== provider.baseUrl) changes.baseUrl = baseUrl;

  if (form.removeApiKey) {
    if (provider.hasApiKey) changes.apiKey = null;
  } else if (form.apiKey.trim()) {
    changes.apiKey = form.apiKey.trim();
  }

  if (form.authStyle && form.authStyle !== provider.authStyle) changes.authStyle = form.authStyle;
  if (showsHeaderName(form)) {
    const headerName = form.authHeaderName.trim();
    if (headerName && headerName !== provider.authHeaderName) changes.authHeaderName = headerName;
  }
  if (showsApiVersion(form)) {
    const apiVersion = form.apiVersion.trim() || null;
    if (apiVersion !== provider.apiVersion) changes.apiVersion = apiVersion;
  }
  if (form.replaceHeaders) changes.headers = headerRecord(form.headers);

  const timeouts = toMilliseconds(form.timeouts);
  if (timeoutsChanged(timeouts, provider.timeouts)) changes.timeouts = timeouts;
  const manualModels = cleanModels(form.manualModels);
  if (!sameList(manualModels, provider.manualModels)) changes.manualModels = manualModels;
  if (form.enabled !== provider.enabled) changes.enabled = form.enabled;
  return changes;
}

/** Client-side checks with the same schemas the server applies. */
export function useProviderRules(form: ProviderFormModel) {
  const { t } = useI18n();
  const { zodRule } = useZodRules();
  const shape = CreateProviderSchema.shape;

  const headersRule: FormItemRule = {
    trigger: 'blur',
    validator: (_rule, _value, callback: (error?: Error) => void) => {
      if (!form.replaceHeaders) return callback();
      const named = form.headers.filter((row) => row.name.trim() || row.value);
      if (named.some((row) => !row.name.trim())) return callback(new Error(t('validation.headerName')));
      const names = named.map((row) => row.name.trim().toLowerCase());
      if (new Set(names).size !== names.length) return callback(new Error(t('validation.duplicateHeader')));
      const result = ProviderHeadersSchema.safeParse(headerRecord(named));
      callback(result.success ? undefined : new Error(zodIssueMessage(result.error.issues[0]!, t)));
    },
  };

  return computed<FormRules<ProviderFormModel>>(() => ({
    name: zodRule(shape.name),
    kind: zodRule(shape.kind, { trigger: 'change' }),
    baseUrl: zodRule(BaseUrlSchema),
    apiKey: zodRule(shape.apiKey.unwrap(), { required: false }),
    authHeaderName: zodRule(shape.authHeaderName.unwrap()),
    apiVersion: zodRule(shape.apiVersion.unwrap(), { required: form.authStyle === 'azure' }),
    headers: [headersRule],
    manualModels: zodRule(shape.manualModels.unwrap(), { required: false, trigger: 'change' }),
  }));
}
