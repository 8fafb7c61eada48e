/**
 * The provider-neutral vocabulary every adapter (OpenAI-compatible, Ollama, Anthropic) normalises to.
 * Nothing here knows Nest or Vue; the API, the worker, tests and benchmarks all speak these types.
 */
export type ProviderKind = 'openai' | 'ollama' | 'anthropic';

/**
 * How the API key travels:
 * - `bearer`: `Authorization: Bearer <key>` (OpenAI and most compatible servers; Ollama behind a proxy)
 * - `header`: the raw key in a custom header named by `authHeaderName` (Anthropic's `x-api-key` is this style)
 * - `azure`: `api-key: <key>` plus the `api-version` query parameter from `apiVersion`
 * - `none`: no credentials (local servers)
 */
export type AuthStyle = 'bearer' | 'header' | 'azure' | 'none';

export interface TimeoutSettings {
  /** TCP + TLS connect. */
  connectMs: number;
  /** From request sent to the first byte of the response body. Reasoning models can think for a while. */
  firstByteMs: number;
  /** Longest silence between two body chunks once streaming. */
  idleMs: number;
}

export const DEFAULT_TIMEOUTS: TimeoutSettings = { connectMs: 10_000, firstByteMs: 120_000, idleMs: 60_000 };

export interface ProviderConnection {
  kind: ProviderKind;
  baseUrl: string;
  apiKey?: string;
  authStyle?: AuthStyle;
  /** Header carrying the key when `authStyle` is `header`. */
  authHeaderName?: string;
  /** Azure `api-version` query value; for Anthropic the `anthropic-version` header (default 2023-06-01). */
  apiVersion?: string;
  /** Extra headers sent on every request (organisation ids, gateway tokens…). */
  headers?: Record<string, string>;
  timeouts?: Partial<TimeoutSettings>;
}

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/** Sampling parameters in one naming; each adapter maps them and drops what its protocol cannot take. */
export interface ChatParams {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTokens?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  stop?: string[];
  seed?: number;
  /** Thinking effort of a reasoning model; each adapter maps it to its provider's parameter. */
  reasoningEffort?: 'low' | 'medium' | 'high';
}

/** Per model config: how inline reasoning tags are recognised. */
export type ReasoningTagSetting = { mode: 'auto' } | { mode: 'off' } | { mode: 'custom'; open: string; close: string };

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  params?: ChatParams;
  signal?: AbortSignal;
}

export type ModelCapability = 'chat' | 'reasoning' | 'vision' | 'tools' | 'embedding';

export interface ModelInfo {
  id: string;
  name: string;
  contextLength?: number;
  capabilities: ModelCapability[];
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

export type LlmErrorKind =
  'auth' | 'rate_limit' | 'bad_request' | 'not_found' | 'upstream' | 'timeout' | 'network' | 'truncated' | 'aborted';

/**
 * One normalised stream. `reasoning`/`content` are deltas; `reclassify` replaces everything emitted so far with
 * the corrected whole (an orphan closing tag turned earlier "content" into reasoning). A stream always ends with
 * exactly one `done` or one `error`; `usage` comes before it when known.
 */
export type LlmStreamEvent =
  | { type: 'reasoning'; text: string }
  | { type: 'content'; text: string }
  | { type: 'reclassify'; reasoning: string; content: string }
  | { type: 'usage'; promptTokens: number; completionTokens: number; estimated?: boolean }
  | { type: 'done'; finishReason: string }
  | { type: 'error'; kind: LlmErrorKind; message: string; status?: number; retryAfterMs?: number };

/** What an adapter yields before the reasoning splitter runs: native reasoning and raw content. */
export type RawStreamEvent =
  | { type: 'reasoning'; text: string }
  | { type: 'content'; text: string }
  | { type: 'usage'; promptTokens: number; completionTokens: number; estimated?: boolean }
  | { type: 'done'; finishReason: string }
  | { type: 'error'; kind: LlmErrorKind; message: string; status?: number; retryAfterMs?: number };

export interface ChatResult {
  content: string;
  reasoning: string;
  usage?: TokenUsage;
  finishReason: string;
}

export interface LlmClient {
  listModels(signal?: AbortSignal): Promise<ModelInfo[]>;
  /** Non-streaming completion; rejects with LlmError. */
  chat(request: ChatRequest): Promise<ChatResult>;
  /** Never throws: failures arrive as a final `error` event, with everything that came before kept. */
  streamChat(request: ChatRequest): AsyncIterable<RawStreamEvent>;
}

export class LlmError extends Error {
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}
