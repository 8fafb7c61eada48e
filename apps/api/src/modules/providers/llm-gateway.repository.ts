import { Injectable } from '@nestjs/common';
import {
  type ChatRequest,
  createLlmClient,
  type LlmClient,
  type LlmStreamEvent,
  type ModelInfo,
  type ProviderConnection,
  type ReasoningSplitterOptions,
  streamChatBatchesWithReasoning,
} from '@modelyard/llm-clients';
import { PROVIDER_PRESETS } from '@modelyard/contracts';
import type { ProviderEntity } from './provider.entity';

/** The decrypted parts of a provider; lives only for the duration of a request. */
export interface ProviderSecrets {
  apiKey?: string;
  headers?: Record<string, string>;
}

/**
 * The only door to model servers. Services hand it a provider row and its opened secrets; it speaks the
 * provider's protocol through libs/llm-clients (pooled undici connections, normalised events).
 */
@Injectable()
export class LlmGatewayRepository {
  connection(provider: ProviderEntity, secrets: ProviderSecrets): ProviderConnection {
    return {
      kind: provider.kind,
      baseUrl: provider.baseUrl,
      apiKey: secrets.apiKey,
      authStyle: provider.authStyle,
      authHeaderName: provider.authHeaderName ?? undefined,
      apiVersion: provider.apiVersion ?? undefined,
      headers: secrets.headers,
      timeouts: provider.timeouts,
    };
  }

  client(provider: ProviderEntity, secrets: ProviderSecrets): LlmClient {
    const acceptsTopK = PROVIDER_PRESETS.find((p) => p.id === provider.preset)?.acceptsTopK ?? false;
    return createLlmClient(this.connection(provider, secrets), { openai: { acceptsTopK } });
  }

  listModels(provider: ProviderEntity, secrets: ProviderSecrets, signal?: AbortSignal): Promise<ModelInfo[]> {
    return this.client(provider, secrets).listModels(signal);
  }

  /** The normalised stream, one upstream network chunk (an array of events) at a time. */
  streamChatBatches(
    provider: ProviderEntity,
    secrets: ProviderSecrets,
    request: ChatRequest,
    splitter: ReasoningSplitterOptions,
  ): AsyncIterable<LlmStreamEvent[]> {
    return streamChatBatchesWithReasoning(this.client(provider, secrets), request, splitter);
  }

  /** Whether something answers like Ollama at this address (first-start detection). */
  async probeOllama(baseUrl: string): Promise<{ version?: string } | null> {
    try {
      const res = await fetch(new URL('/api/version', baseUrl), { signal: AbortSignal.timeout(1500) });
      if (!res.ok) return null;
      const body = (await res.json()) as { version?: unknown };
      return { version: typeof body.version === 'string' ? body.version : undefined };
    } catch {
      return null;
    }
  }
}
