export type MockProtocol = 'openai' | 'ollama' | 'anthropic';

export interface ScenarioTiming {
  /** Delay before the response headers are sent. */
  latencyMs: number;
  /** Delay between the headers and the first token. */
  ttftMs: number;
  /** Token rate once streaming; 0 writes every token at once. */
  tokensPerSecond: number;
}

export interface MockLlmOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** When set, every protocol request must present this key (Bearer, `x-api-key` or `api-key`). */
  apiKey?: string;
  /** Server-wide timing; a scenario's own defaults and the model name's overrides take precedence. */
  defaults?: Partial<ScenarioTiming>;
}

export type RequestOutcome = 'completed' | 'client-closed' | 'fault' | 'pending';

export interface RecordedRequest {
  id: string;
  protocol: MockProtocol;
  method: string;
  path: string;
  model?: string;
  headers: Record<string, string>;
  body: unknown;
  startedAt: string;
  endedAt?: string;
  outcome: RequestOutcome;
}

export interface MockLlmServer {
  /** `http://host:port`, no trailing slash. */
  url: string;
  port: number;
  requests(): RecordedRequest[];
  clearRequests(): void;
  close(): Promise<void>;
}

export type MockCapability = 'chat' | 'reasoning' | 'vision';

export interface MockModelDescriptor {
  id: string;
  description: string;
  protocols: readonly MockProtocol[];
  contextLength: number;
  capabilities: readonly MockCapability[];
}
