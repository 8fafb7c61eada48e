import type { ConnectionHttp } from '../connection-http';
import type { ProviderEndpoints } from '../base-url';
import { extractUpstreamMessage, kindForStatus, truncateMessage } from '../http-errors';
import type { HttpResponse } from '../http-transport';
import {
  arrayField,
  isRecord,
  numberField,
  parseRecord,
  recordField,
  stringField,
  type JsonRecord,
} from '../json-fields';
import { contentByTemplate, learnContentTemplate, type ContentFrameTemplate } from '../content-frame-template';
import { inferCapabilities } from '../model-capabilities';
import { SseFrameReader, type EventSourceMessage } from '../sse-frames';
import {
  LlmError,
  type ChatRequest,
  type ChatResult,
  type ModelCapability,
  type ModelInfo,
  type RawStreamEvent,
  type TokenUsage,
} from '../types';
import { definedFields, reportedUsage, type ProviderAdapter } from './provider-adapter';
import {
  type CompatFix,
  contextLengthFix,
  postWithFixes,
  UNSUPPORTED,
  unsupportedSamplingFixes,
  without,
} from './compat-fixes';
import { firstChunkOrDocument, isLateStreamFailure, malformedNote, readStreamedResponse } from './response-stream';

export interface OpenAiCompatOptions {
  /** The server takes `top_k` (vLLM, llama.cpp, LM Studio…). OpenAI itself rejects parameters it does not know. */
  acceptsTopK?: boolean;
  /** Ask for the final usage chunk with `stream_options.include_usage` (default true). */
  includeUsage?: boolean;
}

type RequestBody = JsonRecord;

const COMPAT_FIXES: readonly CompatFix[] = [
  {
    // Older vLLM/llama.cpp/gateways predate `stream_options`; usage is then estimated instead.
    applies: (body, message) => 'stream_options' in body && /stream_options|include_usage/i.test(message),
    apply: (body) => without(body, 'stream_options'),
  },
  {
    // OpenAI's reasoning models refuse `max_tokens` and name its replacement in the error ("Unsupported parameter:
    // 'max_tokens' … Use 'max_completion_tokens' instead"). vLLM names both in a context overflow: not this.
    applies: (body, message) =>
      'max_tokens' in body && /max_completion_tokens/i.test(message) && UNSUPPORTED.test(message),
    apply: ({ max_tokens: maxTokens, ...body }) =>
      maxTokens === undefined ? body : { ...body, max_completion_tokens: maxTokens },
  },
  ...unsupportedSamplingFixes([
    'temperature',
    'top_p',
    'presence_penalty',
    'frequency_penalty',
    'top_k',
    'seed',
    'stop',
    // OpenAI's o-series and gpt-5, vLLM and others take it; a server that refuses it answers without.
    'reasoning_effort',
  ]),
  contextLengthFix('max_tokens'),
  contextLengthFix('max_completion_tokens'),
];

function reasoningOf(part: JsonRecord | undefined): string {
  // OpenRouter sends `reasoning` and `reasoning_details` with the same text: the first present field wins so
  // the thoughts are not doubled.
  const direct = stringField(part, 'reasoning_content') || stringField(part, 'reasoning');
  if (direct) return direct;
  // Most deltas carry no reasoning at all: skip building empty arrays for them.
  if (part?.reasoning_details === undefined) return '';
  return arrayField(part, 'reasoning_details')
    .map((detail) => {
      const type = stringField(detail, 'type');
      if (type === 'reasoning.text') return stringField(detail, 'text') ?? '';
      if (type === 'reasoning.summary') return stringField(detail, 'summary') ?? '';
      return ''; // reasoning.encrypted carries nothing readable
    })
    .join('');
}

function usageOf(chunk: unknown): TokenUsage | undefined {
  const usage = recordField(chunk, 'usage');
  return reportedUsage(numberField(usage, 'prompt_tokens'), numberField(usage, 'completion_tokens'));
}

/** An error object inside a 200 stream (OpenRouter and others report mid-stream provider failures this way). */
function inStreamError(error: JsonRecord): RawStreamEvent {
  const code = numberField(error, 'code') ?? Number(stringField(error, 'code'));
  const isStatus = Number.isInteger(code) && code >= 400 && code < 600;
  const message = truncateMessage(stringField(error, 'message') ?? 'the provider reported an error mid-stream');
  return isStatus
    ? { type: 'error', kind: kindForStatus(code), message, status: code }
    : { type: 'error', kind: 'upstream', message };
}

/**
 * A message's or delta's `content`: a string, or (Mistral) an array of parts whose `text` parts are the answer and
 * whose `thinking` parts (themselves arrays of text parts) are reasoning.
 */
function contentParts(value: unknown): { content: string; reasoning: string } {
  if (typeof value === 'string') return { content: value, reasoning: '' };
  let content = '';
  let reasoning = '';
  if (Array.isArray(value)) {
    for (const part of value) {
      const type = stringField(part, 'type');
      if (type === 'text') content += stringField(part, 'text') ?? '';
      if (type === 'thinking' && isRecord(part)) reasoning += contentParts(part.thinking).content;
    }
  }
  return { content, reasoning };
}

/**
 * OpenAI's `refusal`: the model declining (with structured outputs), sent instead of `content`. It is what the model
 * said, so the user reads it as the answer.
 */
function refusalOf(part: JsonRecord): string {
  return stringField(part, 'refusal') ?? '';
}

/**
 * Finish reasons in the shared vocabulary. Zhipu says `sensitive` where OpenAI says `content_filter`, and ends an
 * answer whose inference failed with `network_error`: that is a failure, not a finished answer.
 */
function endOf(finishReason: string): RawStreamEvent {
  if (finishReason === 'network_error') {
    return {
      type: 'error',
      kind: 'upstream',
      message: 'the model failed while answering (finish reason network_error)',
    };
  }
  return { type: 'done', finishReason: finishReason === 'sensitive' ? 'content_filter' : finishReason };
}

/** A whole `chat.completion` body; an LlmError when it holds no message. */
function completionOf(json: unknown): ChatResult {
  const choice = arrayField(json, 'choices')[0];
  const message = recordField(choice, 'message');
  if (!message) {
    const upstream = extractUpstreamMessage(JSON.stringify(json));
    throw new LlmError('upstream', upstream ?? 'the response contained no message');
  }
  const usage = usageOf(json);
  const end = endOf(stringField(choice, 'finish_reason') ?? 'stop');
  if (end.type === 'error') throw new LlmError(end.kind, end.message);
  const parts = contentParts(message.content);
  return {
    content: parts.content || refusalOf(message),
    reasoning: reasoningOf(message) || parts.reasoning,
    finishReason: end.type === 'done' ? end.finishReason : 'stop',
    ...(usage ? { usage } : {}),
  };
}

/** A whole `chat.completion` (or an error document) sent where a stream was asked for, as stream events. */
function unstreamedAnswer(json: unknown): RawStreamEvent[] {
  const error = recordField(json, 'error');
  if (error) return [inStreamError(error)];
  const { content, reasoning, finishReason, usage } = completionOf(json);
  const events: RawStreamEvent[] = [];
  if (reasoning) events.push({ type: 'reasoning', text: reasoning });
  if (content) events.push({ type: 'content', text: content });
  if (usage) events.push({ type: 'usage', promptTokens: usage.promptTokens, completionTokens: usage.completionTokens });
  events.push({ type: 'done', finishReason });
  return events;
}

interface StreamState {
  finishReason: string | undefined;
  doneSeen: boolean;
  malformed: number;
  usage: TokenUsage | undefined;
  /** `[DONE]` or an in-stream error: nothing after it is read. */
  ended: boolean;
  /** The envelope repeated around each token, once learned (see content-frame-template.ts). */
  template: ContentFrameTemplate | undefined;
  /** Envelopes learned so far; capped so a server that varies every frame costs a few probes, not one per token. */
  templatesLearned: number;
}

const MAX_TEMPLATES = 8;

/** The content of a parsed frame whose only effect is a content delta (possibly empty); undefined otherwise. */
function plainContentOf(chunk: JsonRecord): string | undefined {
  if (chunk.error !== undefined || usageOf(chunk) !== undefined) return undefined;
  const choices = chunk.choices;
  const choice: unknown = Array.isArray(choices) ? choices[0] : undefined;
  if (!isRecord(choice)) return undefined;
  const finishReason = choice.finish_reason;
  if (typeof finishReason === 'string' && finishReason !== '') return undefined;
  const delta = recordField(choice, 'delta');
  if (!delta || reasoningOf(delta) !== '' || refusalOf(delta)) return undefined;
  return typeof delta.content === 'string' ? delta.content : undefined;
}

/** Turns the frames of one chunk into events (appended to `out`), synchronously; stops at `[DONE]` or an error. */
function readFrames(frames: readonly EventSourceMessage[], state: StreamState, out: RawStreamEvent[]): void {
  for (const frame of frames) {
    const data = frame.data.trim();
    if (data === '[DONE]') {
      state.doneSeen = true;
      state.ended = true;
      return;
    }
    if (!data) continue;
    const errorEvent = frame.event === 'error';
    if (state.template && !errorEvent) {
      const content = contentByTemplate(state.template, data);
      if (content !== undefined) {
        if (content !== '') out.push({ type: 'content', text: content });
        continue;
      }
    }
    const chunk = parseRecord(data);
    if (!chunk) {
      if (errorEvent) {
        // `event: error` with plain text (`data: upstream request timeout`): the text is the reason.
        out.push(inStreamError({ message: data }));
        state.ended = true;
        return;
      }
      state.malformed += 1;
      continue;
    }
    if (!errorEvent && state.templatesLearned < MAX_TEMPLATES && plainContentOf(chunk) !== undefined) {
      const learned = learnContentTemplate(data, plainContentOf);
      if (learned) {
        state.template = learned;
        state.templatesLearned += 1;
      }
    }
    const error = recordField(chunk, 'error') ?? (errorEvent ? chunk : undefined);
    if (error) {
      out.push(inStreamError(error));
      state.ended = true;
      return;
    }
    if (chunk.usage !== undefined) state.usage = usageOf(chunk) ?? state.usage;
    const choices = chunk.choices;
    const choice: unknown = Array.isArray(choices) ? choices[0] : undefined;
    if (!isRecord(choice)) continue;
    const delta = recordField(choice, 'delta');
    if (delta) {
      const reasoning = reasoningOf(delta);
      if (reasoning) out.push({ type: 'reasoning', text: reasoning });
      const content = delta.content;
      if (typeof content === 'string') {
        if (content !== '') out.push({ type: 'content', text: content });
      } else if (Array.isArray(content)) {
        const parts = contentParts(content);
        if (parts.reasoning) out.push({ type: 'reasoning', text: parts.reasoning });
        if (parts.content) out.push({ type: 'content', text: parts.content });
      }
      const refusal = refusalOf(delta);
      if (refusal) out.push({ type: 'content', text: refusal });
    }
    const finishReason = choice.finish_reason;
    if (typeof finishReason === 'string' && finishReason !== '') state.finishReason = finishReason;
  }
}

function capabilitiesOf(item: unknown, id: string): ModelCapability[] {
  const capabilities = new Set(inferCapabilities(id));
  // OpenRouter describes its models; plain OpenAI-compatible servers do not.
  const inputs = arrayField(recordField(item, 'architecture'), 'input_modalities');
  if (inputs.includes('image')) capabilities.add('vision');
  const parameters = arrayField(item, 'supported_parameters');
  if (parameters.includes('reasoning')) capabilities.add('reasoning');
  if (parameters.includes('tools')) capabilities.add('tools');
  return [...capabilities];
}

function contextLengthOf(item: unknown): number | undefined {
  return (
    numberField(item, 'context_length') ??
    numberField(item, 'max_model_len') ?? // vLLM
    numberField(item, 'context_window') ?? // Groq
    numberField(recordField(item, 'top_provider'), 'context_length')
  );
}

export class OpenAiAdapter implements ProviderAdapter {
  constructor(
    private readonly http: ConnectionHttp,
    private readonly endpoints: ProviderEndpoints,
    private readonly options: OpenAiCompatOptions = {},
  ) {}

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const json = await this.http.getJson(this.endpoints.models, signal);
    const items = Array.isArray(json) ? json : [...arrayField(json, 'data'), ...arrayField(json, 'models')];
    const models = new Map<string, ModelInfo>();
    for (const item of items) {
      const id = stringField(item, 'id') ?? stringField(item, 'name');
      if (!id || models.has(id)) continue;
      const contextLength = contextLengthOf(item);
      models.set(id, {
        id,
        name: id,
        capabilities: capabilitiesOf(item, id),
        ...(contextLength ? { contextLength } : {}),
      });
    }
    return [...models.values()];
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    const response = await this.post(this.body(request, false), request.signal, 'application/json');
    return completionOf(await response.readJson());
  }

  async *streamChat(request: ChatRequest): AsyncGenerator<RawStreamEvent, void, undefined> {
    for await (const batch of this.streamChatBatches(request)) {
      for (const event of batch) yield event;
    }
  }

  async *streamChatBatches(request: ChatRequest): AsyncGenerator<RawStreamEvent[], void, undefined> {
    const sent = this.post(this.body(request, true), request.signal, 'text/event-stream');
    yield* readStreamedResponse(sent, (response) => this.readBatches(response));
  }

  private async *readBatches(response: HttpResponse): AsyncGenerator<RawStreamEvent[], void, undefined> {
    const chunks = response.chunks();
    const opening = await firstChunkOrDocument(chunks);
    if ('json' in opening) {
      yield unstreamedAnswer(opening.json);
      return;
    }
    const state: StreamState = {
      finishReason: undefined,
      doneSeen: false,
      malformed: 0,
      usage: undefined,
      ended: false,
      template: undefined,
      templatesLearned: 0,
    };
    const reader = new SseFrameReader();
    let pending = opening.first;
    try {
      for (;;) {
        // The first chunk was read already; the rest one network read at a time.
        let chunk = pending;
        pending = undefined;
        if (!chunk) {
          const next = await chunks.next();
          if (next.done) break;
          chunk = next.value;
        }
        const events: RawStreamEvent[] = [];
        try {
          readFrames(reader.feed(chunk), state, events);
        } finally {
          // Events parsed before a failure in this chunk still reach the consumer first.
          if (events.length > 0) yield events;
        }
        if (state.ended) break;
      }
      if (!state.ended) {
        const events: RawStreamEvent[] = [];
        readFrames(reader.end(), state, events);
        if (events.length > 0) yield events;
      }
    } catch (error) {
      // Some servers hang up or go quiet after the finish chunk instead of sending [DONE]: the answer is whole.
      if (state.finishReason === undefined || !isLateStreamFailure(error)) throw error;
    }
    // An in-stream error already ended the stream.
    if (state.ended && !state.doneSeen) return;
    if (!state.doneSeen && state.finishReason === undefined) {
      const message = `the stream ended without a finish reason${malformedNote(state.malformed, 'frame')}`;
      yield [{ type: 'error', kind: 'truncated', message }];
      return;
    }
    if (state.doneSeen) await response.release();
    const { usage } = state;
    const done = endOf(state.finishReason ?? 'stop');
    yield usage
      ? [{ type: 'usage', promptTokens: usage.promptTokens, completionTokens: usage.completionTokens }, done]
      : [done];
  }

  private body(request: ChatRequest, stream: boolean): RequestBody {
    const params = request.params ?? {};
    const includeUsage = this.options.includeUsage ?? true;
    return definedFields({
      model: request.model,
      messages: request.messages.map(({ role, content }) => ({ role, content })),
      stream,
      stream_options: stream && includeUsage ? { include_usage: true } : undefined,
      temperature: params.temperature,
      top_p: params.topP,
      top_k: this.options.acceptsTopK ? params.topK : undefined,
      max_tokens: params.maxTokens,
      presence_penalty: params.presencePenalty,
      frequency_penalty: params.frequencyPenalty,
      stop: params.stop && params.stop.length > 0 ? params.stop : undefined,
      seed: params.seed,
      reasoning_effort: params.reasoningEffort,
    });
  }

  private post(body: RequestBody, signal: AbortSignal | undefined, accept: string): Promise<HttpResponse> {
    return postWithFixes(this.http, this.endpoints.chat, body, COMPAT_FIXES, signal, accept);
  }
}
