import type { ConnectionHttp } from '../connection-http';
import type { ProviderEndpoints } from '../base-url';
import { extractUpstreamMessage, kindForStatus, truncateMessage } from '../http-errors';
import type { HttpResponse } from '../http-transport';
import {
  arrayField,
  isRecord,
  numberField,
  parseJson,
  recordField,
  stringField,
  type JsonRecord,
} from '../json-fields';
import { inferCapabilities } from '../model-capabilities';
import { readSseFrames } from '../sse-frames';
import {
  LlmError,
  type ChatRequest,
  type ChatResult,
  type ModelCapability,
  type ModelInfo,
  type RawStreamEvent,
  type TokenUsage,
} from '../types';
import { definedFields, type ProviderAdapter } from './provider-adapter';

export interface OpenAiCompatOptions {
  /** The server takes `top_k` (vLLM, llama.cpp, LM Studio…). OpenAI itself rejects parameters it does not know. */
  acceptsTopK?: boolean;
  /** Ask for the final usage chunk with `stream_options.include_usage` (default true). */
  includeUsage?: boolean;
}

type RequestBody = JsonRecord;

/**
 * Known ways compatible servers reject an otherwise valid body, each fixable by one change. A 400 naming the
 * offending field triggers one retry with the fix; nothing else is retried here.
 */
interface CompatFix {
  applies(body: RequestBody, upstreamMessage: string): boolean;
  apply(body: RequestBody): RequestBody;
}

const COMPAT_FIXES: readonly CompatFix[] = [
  {
    // Older vLLM/llama.cpp/gateways predate `stream_options`; usage is then estimated instead.
    applies: (body, message) => 'stream_options' in body && /stream_options|include_usage/i.test(message),
    apply: ({ stream_options: _dropped, ...body }) => body,
  },
  {
    // OpenAI's reasoning models refuse `max_tokens` and name its replacement in the error.
    applies: (body, message) => 'max_tokens' in body && /max_completion_tokens/i.test(message),
    apply: ({ max_tokens: maxTokens, ...body }) => ({ ...body, max_completion_tokens: maxTokens }),
  },
];

function reasoningOf(part: JsonRecord | undefined): string {
  // OpenRouter sends `reasoning` and `reasoning_details` with the same text: the first present field wins so
  // the thoughts are not doubled.
  const direct = stringField(part, 'reasoning_content') || stringField(part, 'reasoning');
  if (direct) return direct;
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
  const promptTokens = numberField(usage, 'prompt_tokens');
  const completionTokens = numberField(usage, 'completion_tokens');
  if (promptTokens === undefined && completionTokens === undefined) return undefined;
  return { promptTokens: promptTokens ?? 0, completionTokens: completionTokens ?? 0 };
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
    const json = await response.readJson();
    const choice = arrayField(json, 'choices')[0];
    const message = recordField(choice, 'message');
    if (!message) {
      const upstream = extractUpstreamMessage(JSON.stringify(json));
      throw new LlmError('upstream', upstream ?? 'the response contained no message');
    }
    const usage = usageOf(json);
    return {
      content: stringField(message, 'content') ?? '',
      reasoning: reasoningOf(message),
      finishReason: stringField(choice, 'finish_reason') ?? 'stop',
      ...(usage ? { usage } : {}),
    };
  }

  async *streamChat(request: ChatRequest): AsyncGenerator<RawStreamEvent, void, undefined> {
    const response = await this.post(this.body(request, true), request.signal, 'text/event-stream');
    try {
      yield* this.readStream(response);
    } finally {
      response.destroy();
    }
  }

  private async *readStream(response: HttpResponse): AsyncGenerator<RawStreamEvent, void, undefined> {
    let finishReason: string | undefined;
    let doneSeen = false;
    let malformed = 0;
    let usage: TokenUsage | undefined;
    try {
      for await (const frame of readSseFrames(response.chunks())) {
        const data = frame.data.trim();
        if (data === '[DONE]') {
          doneSeen = true;
          break;
        }
        if (!data) continue;
        const parsed = parseJson(data);
        if (!parsed.ok || !isRecord(parsed.value)) {
          malformed += 1;
          continue;
        }
        const chunk = parsed.value;
        const error = recordField(chunk, 'error') ?? (frame.event === 'error' ? chunk : undefined);
        if (error) {
          yield inStreamError(error);
          return;
        }
        usage = usageOf(chunk) ?? usage;
        const choice = arrayField(chunk, 'choices')[0];
        const delta = recordField(choice, 'delta');
        const reasoning = reasoningOf(delta);
        if (reasoning) yield { type: 'reasoning', text: reasoning };
        const content = stringField(delta, 'content');
        if (content) yield { type: 'content', text: content };
        finishReason = stringField(choice, 'finish_reason') || finishReason;
      }
    } catch (error) {
      // Some servers hang up or go quiet after the finish chunk instead of sending [DONE]: the answer is whole.
      const lateFailure = error instanceof LlmError && (error.kind === 'network' || error.kind === 'timeout');
      if (finishReason === undefined || !lateFailure) throw error;
    }
    if (!doneSeen && finishReason === undefined) {
      const skipped = malformed > 0 ? ` (${malformed} malformed frame${malformed === 1 ? '' : 's'} skipped)` : '';
      yield { type: 'error', kind: 'truncated', message: `the stream ended without a finish reason${skipped}` };
      return;
    }
    if (doneSeen) await response.release();
    if (usage) yield { type: 'usage', ...usage };
    yield { type: 'done', finishReason: finishReason ?? 'stop' };
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
    });
  }

  private async post(body: RequestBody, signal: AbortSignal | undefined, accept: string): Promise<HttpResponse> {
    const applied = new Set<CompatFix>();
    let current = body;
    for (;;) {
      try {
        return await this.http.post(this.endpoints.chat, current, signal, accept);
      } catch (error) {
        if (!(error instanceof LlmError) || error.kind !== 'bad_request') throw error;
        const fix = COMPAT_FIXES.find(
          (candidate) => !applied.has(candidate) && candidate.applies(current, error.message),
        );
        if (!fix) throw error;
        applied.add(fix);
        current = fix.apply(current);
      }
    }
  }
}
