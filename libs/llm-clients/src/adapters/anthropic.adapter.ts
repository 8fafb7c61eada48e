import type { ProviderEndpoints } from '../base-url';
import type { ConnectionHttp } from '../connection-http';
import { truncateMessage } from '../http-errors';
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
import { readSseFrames } from '../sse-frames';
import { estimateTokens } from '../token-estimate';
import {
  type ChatRequest,
  type ChatResult,
  type LlmErrorKind,
  type ModelCapability,
  type ModelInfo,
  type RawStreamEvent,
} from '../types';
import { type CompatFix, postWithFixes, UNSUPPORTED, without } from './compat-fixes';
import { definedFields, reportedUsage, type ProviderAdapter } from './provider-adapter';
import { firstChunkOrDocument, isLateStreamFailure, malformedNote, readStreamedResponse } from './response-stream';

/** The Messages API requires max_tokens; this is what a request without one gets. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;
/** Extended thinking's token budget per effort (Anthropic's minimum is 1,024). */
const THINKING_BUDGETS = { low: 2048, medium: 8192, high: 24_576 } as const;
/** Bounds the model list walk: Anthropic lists tens of models, a misbehaving proxy could page forever. */
const MAX_MODEL_PAGES = 20;

const ANTHROPIC_FIXES: readonly CompatFix[] = [
  {
    // "`temperature` and `top_p` cannot both be specified for this model. Please use only one." The temperature
    // stays: it is the setting people tune.
    applies: (body, message) => 'top_p' in body && /temperature.*top_p|top_p.*temperature/i.test(message),
    apply: (body) => without(body, 'top_p'),
  },
  {
    // A reasoning effort sent to a model without extended thinking: asked again without it, its budget taken back
    // out of max_tokens.
    applies: (body, message) =>
      'thinking' in body && /thinking/i.test(message) && (UNSUPPORTED.test(message) || /not permitted/i.test(message)),
    apply: (body) => {
      const budget = (body.thinking as { budget_tokens?: number } | undefined)?.budget_tokens ?? 0;
      const rest = without(body, 'thinking');
      return { ...rest, max_tokens: Math.max(1, Number(rest.max_tokens) - budget) };
    },
  },
];

const ERROR_KINDS: Record<string, LlmErrorKind> = {
  overloaded_error: 'upstream',
  api_error: 'upstream',
  rate_limit_error: 'rate_limit',
  authentication_error: 'auth',
  permission_error: 'auth',
  not_found_error: 'not_found',
  invalid_request_error: 'bad_request',
  request_too_large: 'bad_request',
};

/** Finish reasons in the vocabulary the OpenAI and Ollama adapters already use, so callers handle one set. */
const STOP_REASONS: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

function finishReasonOf(stopReason: string | undefined): string {
  if (!stopReason) return 'stop';
  return STOP_REASONS[stopReason] ?? stopReason;
}

/**
 * Usage of an answer cut short (an `error` event, a reset, a stop): `message_start` already reported the prompt's
 * tokens, so only the answer's are estimated (the client would estimate both). Nothing when nothing was generated.
 */
async function* cutShortUsage(
  promptTokens: number | undefined,
  generated: string,
): AsyncGenerator<RawStreamEvent, void, undefined> {
  if (promptTokens === undefined || !generated) return;
  yield { type: 'usage', promptTokens, completionTokens: await estimateTokens(generated), estimated: true };
}

/** Prompt tokens include cache reads and writes: they are part of what the model read. */
function promptTokensOf(usage: JsonRecord | undefined): number | undefined {
  const input = numberField(usage, 'input_tokens');
  if (input === undefined) return undefined;
  return (
    input +
    (numberField(usage, 'cache_read_input_tokens') ?? 0) +
    (numberField(usage, 'cache_creation_input_tokens') ?? 0)
  );
}

/**
 * What the Models API says a model can do (its `capabilities` object, where the server sends one); otherwise a guess
 * from the name.
 */
function capabilitiesOf(item: unknown, id: string): ModelCapability[] {
  const capabilities: ModelCapability[] = ['chat'];
  const reported = recordField(item, 'capabilities');
  if (reported) {
    const supported = (name: string) => recordField(reported, name)?.supported === true;
    if (supported('thinking')) capabilities.push('reasoning');
    if (supported('image_input')) capabilities.push('vision');
    return capabilities;
  }
  // Extended thinking arrived with 3.7 Sonnet and every 4-generation model; vision with Claude 3.
  if (/claude-3-7|claude-(sonnet|opus|haiku)-4|claude-4/i.test(id)) capabilities.push('reasoning');
  if (/claude-(3|4|sonnet-4|opus-4|haiku-4)/i.test(id)) capabilities.push('vision');
  return capabilities;
}

/** A whole `message` (the non-streamed answer). */
function messageOf(json: unknown): ChatResult {
  let content = '';
  let reasoning = '';
  for (const block of arrayField(json, 'content')) {
    const type = stringField(block, 'type');
    if (type === 'text') content += stringField(block, 'text') ?? '';
    if (type === 'thinking') reasoning += stringField(block, 'thinking') ?? '';
  }
  const usageFields = recordField(json, 'usage');
  const usage = reportedUsage(promptTokensOf(usageFields), numberField(usageFields, 'output_tokens'));
  return {
    content,
    reasoning,
    finishReason: finishReasonOf(stringField(json, 'stop_reason')),
    ...(usage ? { usage } : {}),
  };
}

/** An error document or a whole `message` sent with status 200 where a stream was asked for, as stream events. */
function* unstreamedAnswer(json: unknown): Generator<RawStreamEvent, void, undefined> {
  const error = recordField(json, 'error');
  if (error || stringField(json, 'type') === 'error') {
    yield errorEventOf(error);
    return;
  }
  if (stringField(json, 'type') !== 'message') {
    yield {
      type: 'error',
      kind: 'upstream',
      message: 'the provider answered with JSON that is neither a stream nor a message',
    };
    return;
  }
  const { content, reasoning, finishReason, usage } = messageOf(json);
  if (reasoning) yield { type: 'reasoning', text: reasoning };
  if (content) yield { type: 'content', text: content };
  if (usage) yield { type: 'usage', ...usage };
  yield { type: 'done', finishReason };
}

/** Anthropic's `{ type, message }` error object as the error event that ends a stream. */
function errorEventOf(error: JsonRecord | undefined): RawStreamEvent {
  const kind = ERROR_KINDS[stringField(error, 'type') ?? ''] ?? 'upstream';
  return { type: 'error', kind, message: truncateMessage(stringField(error, 'message') ?? 'stream error') };
}

async function* withFirst(first: Uint8Array | undefined, rest: AsyncGenerator<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (first) yield first;
  yield* rest;
}

export class AnthropicAdapter implements ProviderAdapter {
  constructor(
    private readonly http: ConnectionHttp,
    private readonly endpoints: ProviderEndpoints,
  ) {}

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const models: ModelInfo[] = [];
    let afterId: string | undefined;
    for (let page = 0; page < MAX_MODEL_PAGES; page += 1) {
      const url = new URL(this.endpoints.models.href);
      url.searchParams.set('limit', '1000');
      if (afterId) url.searchParams.set('after_id', afterId);
      const json = await this.http.getJson(url, signal);
      for (const item of arrayField(json, 'data')) {
        const id = stringField(item, 'id');
        if (!id) continue;
        const contextLength = numberField(item, 'max_input_tokens');
        models.push({
          id,
          name: stringField(item, 'display_name') ?? id,
          capabilities: capabilitiesOf(item, id),
          ...(contextLength ? { contextLength } : {}),
        });
      }
      afterId = stringField(json, 'last_id');
      if (!isRecord(json) || json.has_more !== true || !afterId) break;
    }
    return models;
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    return messageOf(await (await this.post(this.body(request, false), request.signal)).readJson());
  }

  async *streamChat(request: ChatRequest): AsyncGenerator<RawStreamEvent, void, undefined> {
    const sent = this.post(this.body(request, true), request.signal, 'text/event-stream');
    yield* readStreamedResponse(sent, (response) => this.readStream(response));
  }

  private async *readStream(response: HttpResponse): AsyncGenerator<RawStreamEvent, void, undefined> {
    const chunks = response.chunks();
    const opening = await firstChunkOrDocument(chunks);
    if ('json' in opening) {
      yield* unstreamedAnswer(opening.json);
      return;
    }
    let promptTokens: number | undefined;
    let completionTokens: number | undefined;
    let stopReason: string | undefined;
    let stopped = false;
    let malformed = 0;
    // What was generated, for the usage of an answer that ends abnormally (see `cutShortUsage`).
    let generated = '';
    try {
      for await (const frame of readSseFrames(withFirst(opening.first, chunks))) {
        const parsed = parseJson(frame.data);
        if (!parsed.ok || !isRecord(parsed.value)) {
          malformed += 1;
          continue;
        }
        const data = parsed.value;
        switch (stringField(data, 'type') ?? frame.event) {
          case 'message_start': {
            const usage = recordField(recordField(data, 'message'), 'usage');
            promptTokens = promptTokensOf(usage) ?? promptTokens;
            completionTokens = numberField(usage, 'output_tokens') ?? completionTokens;
            break;
          }
          case 'content_block_delta': {
            // signature_delta authenticates thinking for a later turn; it is not text anyone reads.
            const delta = recordField(data, 'delta');
            const type = stringField(delta, 'type');
            const text = type === 'text_delta' ? stringField(delta, 'text') : undefined;
            const thinking = type === 'thinking_delta' ? stringField(delta, 'thinking') : undefined;
            if (thinking) {
              generated += thinking;
              yield { type: 'reasoning', text: thinking };
            }
            if (text) {
              generated += text;
              yield { type: 'content', text };
            }
            break;
          }
          case 'message_delta': {
            stopReason = stringField(recordField(data, 'delta'), 'stop_reason') ?? stopReason;
            const usage = recordField(data, 'usage');
            completionTokens = numberField(usage, 'output_tokens') ?? completionTokens;
            promptTokens = promptTokensOf(usage) ?? promptTokens;
            break;
          }
          case 'message_stop':
            stopped = true;
            break;
          case 'error': {
            yield* cutShortUsage(promptTokens, generated);
            yield errorEventOf(recordField(data, 'error'));
            return;
          }
          default:
            // ping, content_block_start/stop (redacted_thinking blocks carry no deltas) and future event types.
            break;
        }
        if (stopped) break;
      }
    } catch (error) {
      if (stopReason === undefined || !isLateStreamFailure(error)) {
        yield* cutShortUsage(promptTokens, generated);
        throw error;
      }
    }
    if (!stopped && stopReason === undefined) {
      yield* cutShortUsage(promptTokens, generated);
      const message = `the stream ended before message_stop${malformedNote(malformed, 'frame')}`;
      yield { type: 'error', kind: 'truncated', message };
      return;
    }
    if (stopped) await response.release();
    const usage = reportedUsage(promptTokens, completionTokens);
    if (usage) yield { type: 'usage', ...usage };
    yield { type: 'done', finishReason: finishReasonOf(stopReason) };
  }

  private body(request: ChatRequest, stream: boolean): JsonRecord {
    const params = request.params ?? {};
    // Extended thinking is asked for, with a budget beside the answer's own `max_tokens` (the budget must stay below
    // it). It does not go with a changed temperature or top_k, nor with a top_p under 0.95.
    const budget = params.reasoningEffort && THINKING_BUDGETS[params.reasoningEffort];
    const maxTokens = params.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS;
    // Anthropic takes the system prompt as a top-level field, never as a message.
    const system = request.messages
      .filter((message) => message.role === 'system')
      .map((message) => message.content)
      .join('\n\n');
    return definedFields({
      model: request.model,
      max_tokens: budget ? maxTokens + budget : maxTokens,
      thinking: budget ? { type: 'enabled', budget_tokens: budget } : undefined,
      system: system || undefined,
      messages: request.messages
        .filter((message) => message.role !== 'system')
        .map(({ role, content }) => ({ role, content })),
      stream,
      temperature: budget ? undefined : params.temperature,
      // 1 keeps every token, as leaving it out does; newer models (Claude Sonnet 4.5, Opus 4.1, Haiku 4.5) refuse
      // a `top_p` next to `temperature`.
      top_p: params.topP === 1 || (budget && (params.topP ?? 1) < 0.95) ? undefined : params.topP,
      top_k: budget ? undefined : params.topK,
      stop_sequences: params.stop && params.stop.length > 0 ? params.stop : undefined,
      // presence/frequency penalties and seed have no Anthropic equivalent and are dropped.
    });
  }

  private post(body: JsonRecord, signal: AbortSignal | undefined, accept?: string): Promise<HttpResponse> {
    return postWithFixes(this.http, this.endpoints.chat, body, ANTHROPIC_FIXES, signal, accept);
  }
}
