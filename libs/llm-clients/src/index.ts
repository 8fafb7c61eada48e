/**
 * Provider-neutral streaming chat client. This file fixes the event vocabulary every adapter (OpenAI-compatible,
 * Ollama, Anthropic) normalises to; the adapters themselves arrive with the providers feature.
 */
export type LlmErrorKind =
  | 'auth'
  | 'rate_limit'
  | 'bad_request'
  | 'upstream'
  | 'timeout'
  | 'network'
  | 'truncated';

export type LlmStreamEvent =
  | { type: 'reasoning'; text: string }
  | { type: 'content'; text: string }
  | { type: 'reclassify'; reasoning: string; content: string }
  | { type: 'usage'; promptTokens: number; completionTokens: number }
  | { type: 'done'; finishReason: string }
  | { type: 'error'; kind: LlmErrorKind; message: string; retryAfterMs?: number };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}
