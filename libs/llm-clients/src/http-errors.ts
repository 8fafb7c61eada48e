import { arrayField, isRecord, parseJson, recordField, stringField } from './json-fields';
import { LlmError, type LlmErrorKind, type TimeoutSettings } from './types';

/** Long enough for any provider's explanation, short enough for a toast or a log line. */
export const MAX_UPSTREAM_MESSAGE_LENGTH = 300;

export function truncateMessage(message: string, max = MAX_UPSTREAM_MESSAGE_LENGTH): string {
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

/** Replaces every occurrence of each secret; longest first so a key containing another is not half-masked. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let scrubbed = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret) scrubbed = scrubbed.split(secret).join('***');
  }
  return scrubbed;
}

function messageFromJson(body: unknown): string | undefined {
  // SiliconFlow answers some errors with a bare JSON string ("Invalid token").
  if (typeof body === 'string') return body.trim() || undefined;
  // OpenAI, Anthropic, vLLM's `{object:'error', message}` and FastAPI's `{detail}` all appear in the wild.
  const error = body === undefined ? undefined : (recordField(body, 'error') ?? body);
  const direct = stringField(error, 'message') ?? stringField(body, 'error') ?? stringField(body, 'message');
  if (direct) return direct;
  const detail = stringField(body, 'detail');
  if (detail) return detail;
  const details = arrayField(body, 'detail')
    .map((item) => (isRecord(item) ? stringField(item, 'msg') : undefined))
    .filter((msg): msg is string => msg !== undefined);
  return details.length > 0 ? details.join('; ') : undefined;
}

/** The upstream's own explanation from an error body (JSON of any common shape, or short plain text). */
export function extractUpstreamMessage(bodyText: string): string | undefined {
  let text = bodyText.trim();
  if (!text) return undefined;
  // An error sent as an event stream (`data: {"error":…}`, optionally after `event: error`): its data is the body.
  if (/^(?:event|data):/.test(text)) {
    const data = text
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trim())
      .filter((line) => line && line !== '[DONE]');
    // One event's data, or the first of several events.
    if (data.length > 0) text = parseJson(data.join('\n')).ok ? data.join('\n') : (data[0] ?? text);
  }
  const parsed = parseJson(text);
  if (parsed.ok) {
    const message = messageFromJson(parsed.value);
    return message ? truncateMessage(message) : undefined;
  }
  // An HTML error page (proxy, load balancer) says nothing a user can act on beyond its status.
  if (text.startsWith('<')) return undefined;
  return truncateMessage(text);
}

type HeaderValue = string | string[] | undefined;

function firstHeader(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `retry-after-ms` (OpenAI) is more precise than `Retry-After`, which is seconds or an HTTP date. */
export function parseRetryAfter(headers: Record<string, HeaderValue>, now = Date.now()): number | undefined {
  const ms = firstHeader(headers['retry-after-ms']);
  if (ms !== undefined && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Math.round(Number(ms)));
  const value = firstHeader(headers['retry-after'])?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function kindForStatus(status: number): LlmErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limit';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'upstream';
  if (status >= 400) return 'bad_request';
  // 1xx/3xx reaching here mean the base URL points at something that is not the API (a redirecting proxy).
  return 'upstream';
}

export function errorForStatus(
  status: number,
  statusText: string,
  headers: Record<string, HeaderValue>,
  bodyText: string,
): LlmError {
  const kind = kindForStatus(status);
  let message = extractUpstreamMessage(bodyText) ?? `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  if (status >= 300 && status < 400) {
    const location = firstHeader(headers.location);
    message = `unexpected redirect (HTTP ${status})${location ? ` to ${location}` : ''}; check the base URL`;
  }
  const retryAfterMs = kind === 'rate_limit' || status === 503 ? parseRetryAfter(headers) : undefined;
  return new LlmError(kind, message, status, retryAfterMs);
}

export function codeOf(error: unknown): string | undefined {
  if (!isRecord(error)) return undefined;
  const record: { code?: unknown; cause?: unknown; errors?: unknown } = error;
  if (typeof record.code === 'string') return record.code;
  // Happy-eyeballs connects fail with an AggregateError holding one error per address tried.
  if (Array.isArray(record.errors) && record.errors.length > 0) return codeOf(record.errors[0]);
  if (record.cause !== undefined && record.cause !== error) return codeOf(record.cause);
  return undefined;
}

const TLS_CODES = /^(CERT_|ERR_TLS_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|EPROTO$)/;

export interface TransportContext {
  url: URL;
  timeouts: TimeoutSettings;
  signal?: AbortSignal;
  /** Whether response headers had arrived: a reset then means the stream broke, not that nobody answered. */
  responseStarted: boolean;
}

/**
 * The error for a request whose signal fired: `timeout` when it fired as a deadline (`AbortSignal.timeout`: the
 * caller gave the provider that long), `aborted` when someone cancelled it.
 */
export function cancelledError(signal: AbortSignal | undefined): LlmError {
  return (signal?.reason as { name?: unknown } | undefined)?.name === 'TimeoutError'
    ? new LlmError('timeout', 'the provider did not answer in time')
    : new LlmError('aborted', 'the request was cancelled');
}

/** Maps a socket-level failure from undici or Node to a kind and a sentence a user can act on. */
export function errorForTransportFailure(error: unknown, context: TransportContext): LlmError {
  if (error instanceof LlmError) return error;
  if (context.signal?.aborted) return cancelledError(context.signal);
  const target = context.url.origin;
  const code = codeOf(error);
  const broken = context.responseStarted
    ? `the connection to ${target} broke in the middle of the response`
    : `the connection to ${target} was closed before a response arrived`;
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new LlmError(
        'timeout',
        `connect timeout: no connection to ${target} within ${context.timeouts.connectMs} ms`,
      );
    case 'ETIMEDOUT':
      return new LlmError('timeout', `connect timeout: ${target} did not accept the connection`);
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new LlmError(
        'timeout',
        `first-byte timeout: ${target} sent no response within ${context.timeouts.firstByteMs} ms`,
      );
    case 'UND_ERR_BODY_TIMEOUT':
      return new LlmError('timeout', `idle timeout: ${target} sent nothing for ${context.timeouts.idleMs} ms`);
    case 'ECONNREFUSED':
      return new LlmError('network', `could not connect to ${target} (connection refused)`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new LlmError('network', `could not connect to ${target} (host not found)`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new LlmError('network', `could not connect to ${target} (host unreachable)`);
    case 'EADDRREFUSED':
      return new LlmError(
        'network',
        `could not connect to ${target}: ${error instanceof Error ? error.message : String(error)}`,
      );
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return new LlmError('network', broken);
    case 'UND_ERR_ABORTED':
      return cancelledError(context.signal);
    default:
      if (code !== undefined && TLS_CODES.test(code)) {
        return new LlmError('network', `could not connect to ${target} (TLS: ${code})`);
      }
      return new LlmError(
        'network',
        `request to ${target} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
  }
}
