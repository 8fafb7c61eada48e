import type { ChatRequest, ChatResult, ModelInfo, RawStreamEvent, TokenUsage } from '../types';

/**
 * One wire protocol. Adapters may throw (LlmError or anything else): `createLlmClient` wraps them so that
 * `streamChat` never throws, always ends with one terminal event, and no error message carries a secret.
 */
export interface ProviderAdapter {
  listModels(signal?: AbortSignal): Promise<ModelInfo[]>;
  chat(request: ChatRequest): Promise<ChatResult>;
  streamChat(request: ChatRequest): AsyncGenerator<RawStreamEvent, void, undefined>;
  /**
   * The same stream, one array per network chunk (never empty, in order). Lets the client handle every event of a
   * chunk synchronously instead of paying several async generator hops per token; optional for adapters.
   */
  streamChatBatches?(request: ChatRequest): AsyncGenerator<RawStreamEvent[], void, undefined>;
}

/** Drops unset fields so the upstream sees only what the user configured (several servers reject `null`). */
export function definedFields(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/** The largest count stored (a PostgreSQL integer): beyond it a server's figure is nonsense, not a count. */
const MAX_TOKEN_COUNT = 2_147_483_647;

/** A reported count as a whole number of tokens; a negative one is not a count (as if not reported). */
function tokenCount(value: number | undefined): number | undefined {
  if (value === undefined || value < 0) return undefined;
  return Math.min(MAX_TOKEN_COUNT, Math.round(value));
}

/** Usage when the provider reported either count (the missing one counts as 0); undefined when it reported neither. */
export function reportedUsage(
  reportedPrompt: number | undefined,
  reportedCompletion: number | undefined,
): TokenUsage | undefined {
  const promptTokens = tokenCount(reportedPrompt);
  const completionTokens = tokenCount(reportedCompletion);
  if (promptTokens === undefined && completionTokens === undefined) return undefined;
  return { promptTokens: promptTokens ?? 0, completionTokens: completionTokens ?? 0 };
}
