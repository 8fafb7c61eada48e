import type { ProviderEndpoints } from '../base-url';
import type { ConnectionHttp } from '../connection-http';
import { cancelledError, truncateMessage } from '../http-errors';
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
import { readNdjsonLines } from '../ndjson-lines';
import {
  LlmError,
  type ChatRequest,
  type ChatResult,
  type ModelCapability,
  type ModelInfo,
  type RawStreamEvent,
  type TokenUsage,
} from '../types';
import { type CompatFix, postWithFixes, UNSUPPORTED, without } from './compat-fixes';
import { definedFields, reportedUsage, type ProviderAdapter } from './provider-adapter';
import { malformedNote, readStreamedResponse } from './response-stream';

/** `/api/show` loads model metadata from disk; more than a few at once slows a busy Ollama for chat users. */
const SHOW_CONCURRENCY = 4;

/** A reasoning effort sent to a model that cannot think ("\"llama3.2\" does not support thinking"): asked again without. */
const OLLAMA_FIXES: readonly CompatFix[] = [
  {
    applies: (body, message) => 'think' in body && /\bthink(ing)?\b/i.test(message) && UNSUPPORTED.test(message),
    apply: (body) => without(body, 'think'),
  },
];

const CAPABILITY_NAMES: Record<string, ModelCapability> = {
  completion: 'chat',
  thinking: 'reasoning',
  vision: 'vision',
  tools: 'tools',
  embedding: 'embedding',
};

function usageOf(line: JsonRecord): TokenUsage | undefined {
  return reportedUsage(numberField(line, 'prompt_eval_count'), numberField(line, 'eval_count'));
}

function contextLengthOf(show: unknown): number | undefined {
  const info = recordField(show, 'model_info');
  if (!info) return undefined;
  const architecture = stringField(info, 'general.architecture');
  const exact = architecture ? numberField(info, `${architecture}.context_length`) : undefined;
  if (exact !== undefined) return exact;
  const anyKey = Object.keys(info).find((key) => key.endsWith('.context_length'));
  return anyKey ? numberField(info, anyKey) : undefined;
}

async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export class OllamaAdapter implements ProviderAdapter {
  constructor(
    private readonly http: ConnectionHttp,
    private readonly endpoints: ProviderEndpoints,
  ) {}

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const tags = await this.http.getJson(this.endpoints.models, signal);
    const names = arrayField(tags, 'models')
      .map((model) => stringField(model, 'name') ?? stringField(model, 'model'))
      .filter((name): name is string => Boolean(name));
    return mapWithConcurrency([...new Set(names)], SHOW_CONCURRENCY, (name) => this.describeModel(name, signal));
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    const json = await (await this.post(this.body(request, false), request.signal)).readJson();
    const error = stringField(json, 'error');
    if (error) throw new LlmError('upstream', truncateMessage(error));
    const message = recordField(json, 'message');
    const usage = isRecord(json) ? usageOf(json) : undefined;
    return {
      content: stringField(message, 'content') ?? '',
      reasoning: stringField(message, 'thinking') ?? '',
      finishReason: stringField(json, 'done_reason') ?? 'stop',
      ...(usage ? { usage } : {}),
    };
  }

  async *streamChat(request: ChatRequest): AsyncGenerator<RawStreamEvent, void, undefined> {
    const sent = this.post(this.body(request, true), request.signal, 'application/x-ndjson');
    yield* readStreamedResponse(sent, (response) => this.readStream(response));
  }

  private async *readStream(response: HttpResponse): AsyncGenerator<RawStreamEvent, void, undefined> {
    let malformed = 0;
    for await (const text of readNdjsonLines(response.chunks())) {
      const parsed = parseJson(text);
      if (!parsed.ok || !isRecord(parsed.value)) {
        malformed += 1;
        continue;
      }
      const line = parsed.value;
      const error = stringField(line, 'error');
      if (error) {
        // Ollama reports failures after the 200 (model crashed, out of memory) as an `{error}` line.
        yield { type: 'error', kind: 'upstream', message: truncateMessage(error) };
        return;
      }
      const message = recordField(line, 'message');
      const thinking = stringField(message, 'thinking');
      if (thinking) yield { type: 'reasoning', text: thinking };
      const content = stringField(message, 'content');
      if (content) yield { type: 'content', text: content };
      if (line.done === true) {
        await response.release();
        const usage = usageOf(line);
        if (usage) yield { type: 'usage', ...usage };
        yield { type: 'done', finishReason: stringField(line, 'done_reason') || 'stop' };
        return;
      }
    }
    const message = `the stream ended before Ollama marked it done${malformedNote(malformed, 'line')}`;
    yield { type: 'error', kind: 'truncated', message };
  }

  private body(request: ChatRequest, stream: boolean): JsonRecord {
    const params = request.params ?? {};
    const options = definedFields({
      num_predict: params.maxTokens,
      temperature: params.temperature,
      top_p: params.topP,
      top_k: params.topK,
      presence_penalty: params.presencePenalty,
      frequency_penalty: params.frequencyPenalty,
      stop: params.stop && params.stop.length > 0 ? params.stop : undefined,
      seed: params.seed,
    });
    return definedFields({
      model: request.model,
      messages: request.messages.map(({ role, content }) => ({ role, content })),
      stream,
      // gpt-oss takes the level and ignores a boolean; Ollama's other thinking models take a boolean.
      think: params.reasoningEffort && (/gpt-oss/i.test(request.model) ? params.reasoningEffort : true),
      options: Object.keys(options).length > 0 ? options : undefined,
    });
  }

  private post(body: JsonRecord, signal: AbortSignal | undefined, accept?: string): Promise<HttpResponse> {
    return postWithFixes(this.http, this.endpoints.chat, body, OLLAMA_FIXES, signal, accept);
  }

  /** Details come from `/api/show`; when it fails (old Ollama, model being pulled) the name still says something. */
  private async describeModel(name: string, signal: AbortSignal | undefined): Promise<ModelInfo> {
    let show: unknown;
    try {
      show = await this.http.postJson(this.endpoints.show ?? this.endpoints.models, { model: name }, signal);
    } catch {
      if (signal?.aborted) throw cancelledError(signal);
      return { id: name, name, capabilities: inferCapabilities(name) };
    }
    const reported = arrayField(show, 'capabilities')
      .map((capability) => (typeof capability === 'string' ? CAPABILITY_NAMES[capability] : undefined))
      .filter((capability): capability is ModelCapability => capability !== undefined);
    const contextLength = contextLengthOf(show);
    return {
      id: name,
      name,
      capabilities: reported.length > 0 ? [...new Set(reported)] : inferCapabilities(name),
      ...(contextLength ? { contextLength } : {}),
    };
  }
}
