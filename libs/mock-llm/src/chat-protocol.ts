import type { Generation } from './generation';
import type { ResolvedModel } from './scenario-catalog';
import type { MockProtocol } from './types';

/** A chat request reduced to what the scenarios need, whatever protocol it came in. */
export interface ChatCall {
  model: string;
  stream: boolean;
  /** Every message's text (system prompt included), for the prompt token count. */
  promptTexts: string[];
  lastUserText: string;
  maxTokens?: number;
  stop: string[];
  /** False only when the request switched native reasoning off explicitly. */
  nativeReasoning: boolean;
  /** Ollama `think: true`: real Ollama refuses it for a model without the thinking capability. */
  thinkingRequired: boolean;
  /** OpenAI `stream_options.include_usage`. */
  includeUsage: boolean;
  /** Ollama answers a chat without messages by loading the model and returning at once. */
  loadOnly: boolean;
}

export type ProtocolErrorKind =
  'missing-key' | 'invalid-key' | 'rate-limit' | 'server' | 'model-not-found' | 'invalid-request' | 'route-not-found';

export interface ProtocolError {
  kind: ProtocolErrorKind;
  /** Replaces the protocol's stock wording. */
  message?: string;
  /** OpenAI `param`. */
  param?: string;
  /** OpenAI `code`. */
  code?: string;
  model?: string;
  presentedKey?: string;
  method?: string;
  path?: string;
}

export type ParseResult = { ok: true; call: ChatCall } | { ok: false; error: ProtocolError };

export interface ChatContext {
  call: ChatCall;
  model: ResolvedModel;
  generation: Generation;
  promptTokens: number;
  /** Response id shared by every frame of one answer. */
  responseId: string;
  /** Unix seconds. */
  created: number;
  /** `process.hrtime.bigint()` when the request arrived; Ollama reports durations from it. */
  startedNs: bigint;
}

/** How one protocol frames a streamed answer. Methods run when a frame is written, in stream order. */
export interface StreamFormat {
  headers: Record<string, string>;
  /** Written right after the headers, before the first token ('' for none). */
  opening(): string;
  piece(index: number): string;
  /** The terminal frames (finish reason, usage, end marker). */
  closing(): string;
  /** A frame that breaks the protocol's JSON, for `mock-fault-malformed`. */
  malformed(): string;
}

export interface ChatProtocol {
  name: MockProtocol;
  errorResponse(error: ProtocolError): { status: number; body: unknown };
  parseChat(body: unknown): ParseResult;
  streamFormat(context: ChatContext): StreamFormat;
  completeBody(context: ChatContext): unknown;
  completeHeaders: Record<string, string>;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text of a message `content`: a string, or the text parts of an array of content parts/blocks. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => (isRecord(part) && typeof part.text === 'string' ? part.text : ''))
    .filter((text) => text !== '')
    .join('\n');
}

export function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

export function maskKey(key: string): string {
  return key.length <= 8 ? '****' : `${key.slice(0, 3)}****${key.slice(-4)}`;
}
