import { LlmError, type LlmErrorKind } from './types';

/** An LlmError or a stream's `error` event: both carry the same facts. */
export interface LlmErrorLike {
  kind: LlmErrorKind;
  message: string;
  status?: number;
  retryAfterMs?: number;
}

export interface DescribeErrorContext {
  /** Names the model in "Unknown model 'x'". */
  model?: string;
  /** Names the host in "Could not reach x". */
  baseUrl?: string;
  /**
   * The provider's name, for the people using a model: it stands in for the host, and for the base URL wherever
   * the upstream's or the transport's own words hold it (often an internal address, `http://10.0.3.7:8000 sent
   * nothing for 60000 ms`). Without it, as for an admin's provider test, addresses stay.
   */
  providerName?: string;
}

function isErrorLike(error: unknown): error is LlmErrorLike {
  if (error instanceof LlmError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const candidate: { kind?: unknown; message?: unknown } = error;
  return typeof candidate.kind === 'string' && typeof candidate.message === 'string';
}

function hostOf(baseUrl: string | undefined): string | undefined {
  if (!baseUrl) return undefined;
  try {
    return new URL(baseUrl).host;
  } catch {
    return undefined;
  }
}

function withDetail(summary: string, detail: string): string {
  return detail ? `${summary}: ${detail}` : summary;
}

/**
 * One sentence for a person testing a provider or model config: what went wrong in their terms first, the
 * upstream's own words after. Messages from this library never contain the key, so this is safe to show.
 */
export function describeLlmError(error: unknown, context: DescribeErrorContext = {}): string {
  const sentence = describe(error, context);
  return context.providerName ? withoutAddress(sentence, context.baseUrl, context.providerName) : sentence;
}

/** `text` with the base URL, its origin and its host replaced by `name`. */
function withoutAddress(text: string, baseUrl: string | undefined, name: string): string {
  if (!baseUrl) return text;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return text;
  }
  let named = text;
  for (const address of [baseUrl.replace(/\/+$/, ''), url.origin, url.host]) named = named.replaceAll(address, name);
  return named;
}

function describe(error: unknown, context: DescribeErrorContext): string {
  if (!isErrorLike(error)) return error instanceof Error ? error.message : String(error);
  const { kind, message, status } = error;
  switch (kind) {
    case 'auth':
      return withDetail(`The provider rejected the API key${status ? ` (HTTP ${status})` : ''}`, message);
    case 'network': {
      const host = hostOf(context.baseUrl);
      // The summary names where; the transport's words need not say it again ("…: the connection broke…").
      const detail = host
        ? [context.baseUrl!.replace(/\/+$/, ''), new URL(context.baseUrl!).origin].reduce(
            (text, address) => text.replaceAll(` to ${address}`, ''),
            message,
          )
        : message;
      // The server was reached and had begun to answer: say the connection was lost, not that it was unreachable.
      if (/in the middle of the response|mid-stream|mid-answer/.test(message)) {
        return withDetail(`Lost the connection to ${host ?? 'the provider'}`, detail);
      }
      return host ? withDetail(`Could not reach ${host}`, detail) : withDetail('Could not reach the provider', detail);
    }
    case 'not_found':
      return context.model ? withDetail(`Unknown model '${context.model}'`, message) : withDetail('Not found', message);
    case 'timeout':
      return withDetail('Timed out', message);
    case 'rate_limit': {
      const seconds = error.retryAfterMs !== undefined ? Math.max(1, Math.ceil(error.retryAfterMs / 1000)) : undefined;
      return withDetail(seconds !== undefined ? `Rate limited; retry after ${seconds} s` : 'Rate limited', message);
    }
    case 'upstream':
      return withDetail(`The provider failed${status ? ` (HTTP ${status})` : ''}`, message);
    case 'bad_request':
      return withDetail(`The provider rejected the request${status ? ` (HTTP ${status})` : ''}`, message);
    case 'truncated':
      return withDetail('The response was cut off', message);
    case 'aborted':
      return 'Cancelled';
  }
}
