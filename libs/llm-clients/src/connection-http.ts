import { buildRequestCredentials, secretsOf } from './auth';
import { type HttpResponse, sendRequest } from './http-transport';
import { DEFAULT_TIMEOUTS, type ProviderConnection, type TimeoutSettings } from './types';

export function resolveTimeouts(overrides: Partial<TimeoutSettings> | undefined): TimeoutSettings {
  const timeouts = { ...DEFAULT_TIMEOUTS };
  // Explicit `undefined` (an unset form field) must not erase a default.
  for (const key of Object.keys(timeouts) as (keyof TimeoutSettings)[]) {
    const value = overrides?.[key];
    if (typeof value === 'number' && value > 0) timeouts[key] = value;
  }
  return timeouts;
}

/** One provider connection's view of HTTP: its credentials, query parameters and timeouts on every request. */
export class ConnectionHttp {
  readonly timeouts: TimeoutSettings;
  readonly secrets: string[];
  private readonly headers: Record<string, string>;
  private readonly query: Record<string, string>;

  constructor(connection: ProviderConnection) {
    const credentials = buildRequestCredentials(connection);
    this.headers = credentials.headers;
    this.query = credentials.query;
    this.timeouts = resolveTimeouts(connection.timeouts);
    this.secrets = secretsOf(connection);
  }

  get(url: URL, signal: AbortSignal | undefined): Promise<HttpResponse> {
    return sendRequest({
      url: this.withQuery(url),
      method: 'GET',
      headers: { accept: 'application/json', ...this.headers },
      timeouts: this.timeouts,
      signal,
    });
  }

  post(url: URL, json: unknown, signal: AbortSignal | undefined, accept = 'application/json'): Promise<HttpResponse> {
    return sendRequest({
      url: this.withQuery(url),
      method: 'POST',
      headers: { accept, ...this.headers },
      json,
      timeouts: this.timeouts,
      signal,
    });
  }

  async getJson(url: URL, signal: AbortSignal | undefined): Promise<unknown> {
    return (await this.get(url, signal)).readJson();
  }

  async postJson(url: URL, json: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    return (await this.post(url, json, signal)).readJson();
  }

  private withQuery(url: URL): URL {
    const entries = Object.entries(this.query);
    if (entries.length === 0) return url;
    const withQuery = new URL(url.href);
    for (const [name, value] of entries) withQuery.searchParams.set(name, value);
    return withQuery;
  }
}
