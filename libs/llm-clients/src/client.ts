import { AnthropicAdapter } from './adapters/anthropic.adapter';
import { OllamaAdapter } from './adapters/ollama.adapter';
import { OpenAiAdapter, type OpenAiCompatOptions } from './adapters/openai.adapter';
import type { ProviderAdapter } from './adapters/provider-adapter';
import { resolveEndpoints } from './base-url';
import { ConnectionHttp } from './connection-http';
import { cancelledError, scrubSecrets } from './http-errors';
import { ReasoningSplitter, type ReasoningSplitterOptions } from './reasoning-splitter';
import { storableEvent, storableResult } from './storable';
import { estimateUsage } from './token-estimate';
import {
  LlmError,
  type ChatRequest,
  type ChatResult,
  type LlmClient,
  type LlmStreamEvent,
  type ModelInfo,
  type ProviderConnection,
  type RawStreamEvent,
} from './types';

export interface LlmClientOptions {
  /** Quirks of the OpenAI-compatible server behind this connection; ignored for other kinds. */
  openai?: OpenAiCompatOptions;
}

type ErrorEvent = Extract<RawStreamEvent, { type: 'error' }>;

/**
 * Anything thrown becomes an LlmError with secrets removed; a request whose signal fired is `aborted` (or `timeout`
 * for a deadline) whatever broke.
 */
function toLlmError(error: unknown, secrets: readonly string[], signal: AbortSignal | undefined): LlmError {
  if (signal?.aborted) return cancelledError(signal);
  if (error instanceof LlmError) {
    const message = scrubSecrets(error.message, secrets);
    return message === error.message ? error : new LlmError(error.kind, message, error.status, error.retryAfterMs);
  }
  // Not a protocol failure but a defect here; still reported as the provider call failing, never thrown raw.
  const detail = error instanceof Error ? error.message : String(error);
  return new LlmError('upstream', scrubSecrets(`unexpected failure: ${detail}`, secrets));
}

function errorEvent(error: LlmError): ErrorEvent {
  return {
    type: 'error',
    kind: error.kind,
    message: error.message,
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
  };
}

/** Creating the adapter can fail (invalid base URL); that failure is reported where the caller looks for it. */
function createAdapter(
  connection: ProviderConnection,
  http: ConnectionHttp,
  options: LlmClientOptions,
): ProviderAdapter {
  const endpoints = resolveEndpoints(connection.kind, connection.baseUrl);
  switch (connection.kind) {
    case 'openai':
      return new OpenAiAdapter(http, endpoints, options.openai);
    case 'ollama':
      return new OllamaAdapter(http, endpoints);
    case 'anthropic':
      return new AnthropicAdapter(http, endpoints);
  }
}

/**
 * Holds an adapter to the `LlmClient` contract: streamChat never throws and ends with exactly one `done` or
 * `error`; usage is estimated when the upstream sent none; no message carries the key.
 */
class GuardedClient implements LlmClient {
  private readonly http: ConnectionHttp;
  private adapter: ProviderAdapter | undefined;

  constructor(
    private readonly connection: ProviderConnection,
    private readonly options: LlmClientOptions,
  ) {
    this.http = new ConnectionHttp(connection);
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    try {
      return await this.getAdapter().listModels(signal);
    } catch (error) {
      throw toLlmError(error, this.http.secrets, signal);
    }
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    try {
      return storableResult(await this.getAdapter().chat(request));
    } catch (error) {
      throw toLlmError(error, this.http.secrets, request.signal);
    }
  }

  async *streamChat(request: ChatRequest): AsyncGenerator<RawStreamEvent, void, undefined> {
    for await (const batch of this.streamBatches(request)) {
      for (const event of batch) yield event;
    }
  }

  /**
   * `streamChat` one network chunk at a time (each array non-empty, events in order). The guarantees are applied
   * here, synchronously per event, so a token costs no extra async hop on its way to the consumer.
   */
  async *streamBatches(request: ChatRequest): AsyncGenerator<RawStreamEvent[], void, undefined> {
    const { signal } = request;
    let generated = '';
    let usageSeen = false;
    let terminal: RawStreamEvent | undefined;
    try {
      if (signal?.aborted) throw cancelledError(signal);
      const adapter = this.getAdapter();
      const batches = adapter.streamChatBatches?.(request) ?? oneByOne(adapter.streamChat(request));
      for await (const batch of batches) {
        let end = 0;
        for (; end < batch.length; end++) {
          const event = (batch[end] = storableEvent(batch[end]));
          if (event.type === 'done' || event.type === 'error') {
            terminal = event;
            break;
          }
          if (event.type === 'usage') usageSeen = true;
          else generated += event.text;
        }
        if (end > 0) yield end === batch.length ? batch : batch.slice(0, end);
        if (terminal) break;
      }
    } catch (error) {
      terminal = errorEvent(toLlmError(error, this.http.secrets, signal));
    }
    terminal ??= { type: 'error', kind: 'truncated', message: 'the stream ended without a final event' };
    if (terminal.type === 'error') {
      const { kind, message, status, retryAfterMs } = terminal;
      terminal = errorEvent(toLlmError(new LlmError(kind, message, status, retryAfterMs), this.http.secrets, signal));
    }
    terminal = storableEvent(terminal);
    // Usage feeds quotas and statistics; an estimate beats nothing, also for a cut-off answer that cost tokens.
    if (!usageSeen && (terminal.type === 'done' || generated.length > 0)) {
      const usage = await estimateUsage(request.messages, generated);
      yield [{ type: 'usage', ...usage, estimated: true }, terminal];
      return;
    }
    yield [terminal];
  }

  private getAdapter(): ProviderAdapter {
    this.adapter ??= createAdapter(this.connection, this.http, this.options);
    return this.adapter;
  }
}

/** Adapters without a batched stream: each event is its own batch. */
async function* oneByOne(events: AsyncIterable<RawStreamEvent>): AsyncGenerator<RawStreamEvent[], void, undefined> {
  for await (const event of events) yield [event];
}

export function createLlmClient(connection: ProviderConnection, options: LlmClientOptions = {}): LlmClient {
  return new GuardedClient(connection, options);
}

/** The normalised stream a UI shows: the client's raw events with inline reasoning tags split out. */
export async function* streamChatWithReasoning(
  client: LlmClient,
  request: ChatRequest,
  splitterOptions?: ReasoningSplitterOptions,
): AsyncGenerator<LlmStreamEvent, void, undefined> {
  for await (const batch of streamChatBatchesWithReasoning(client, request, splitterOptions)) {
    for (const event of batch) yield event;
  }
}

/**
 * `streamChatWithReasoning` one upstream network chunk at a time (arrays non-empty, events in order, one event per
 * token as before): a consumer pays one async hop per chunk, not per token, when a chunk carries many.
 */
export async function* streamChatBatchesWithReasoning(
  client: LlmClient,
  request: ChatRequest,
  splitterOptions?: ReasoningSplitterOptions,
): AsyncGenerator<LlmStreamEvent[], void, undefined> {
  const splitter = new ReasoningSplitter(splitterOptions);
  const source = client instanceof GuardedClient ? client.streamBatches(request) : oneByOne(client.streamChat(request));
  for await (const batch of source) {
    const out: LlmStreamEvent[] = [];
    for (const event of batch) for (const split of splitter.push(event)) out.push(split);
    if (out.length > 0) yield out;
  }
  const rest = splitter.flush();
  if (rest.length > 0) yield rest;
}
