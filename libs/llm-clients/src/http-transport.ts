import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { IncomingHttpHeaders } from 'node:http';
import { pipeline, type Readable, type Transform } from 'node:stream';
import { constants as zlib, createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Agent, type Dispatcher } from 'undici';
import { cancelledError, codeOf, errorForStatus, errorForTransportFailure } from './http-errors';
import { LlmError, type TimeoutSettings } from './types';

/** Error bodies are only read for their message; anything longer is a proxy's HTML page. */
const ERROR_BODY_LIMIT = 64 * 1024;
/** Model lists from aggregators (OpenRouter) run to megabytes; this only guards against a runaway body. */
const JSON_BODY_LIMIT = 32 * 1024 * 1024;
/** After a stream's terminator, how long to wait for the body's end so the socket can go back to the pool. */
const RELEASE_GRACE_MS = 1_000;
const RELEASE_LIMIT = 256 * 1024;
/** How a reused socket closed by the server (keep-alive race) fails before the response. */
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

// One pool per connect timeout: undici fixes the connect timeout per Agent, and every provider sharing a setting
// shares sockets. Keep-alive matters: a TLS handshake per chat message adds hundreds of milliseconds.
const agents = new Map<number, Agent>();

/** Why an upstream address may not be connected to, or null when it may. */
export type AddressGuard = (address: string) => string | null;
let addressGuard: AddressGuard | null = null;

/**
 * Checks every address a host name resolves to when a connection opens, so a name that pointed somewhere allowed
 * when the provider was saved cannot later lead a chat to a forbidden address (DNS rebinding onto cloud metadata).
 * Literal IP addresses are not looked up: the host application checks those when it saves the base URL.
 */
export function guardUpstreamAddresses(guard: AddressGuard | null): void {
  addressGuard = guard;
}

/** The error a refused address fails the connection with (reported as the provider call failing). */
export const ADDRESS_REFUSED = 'EADDRREFUSED';

function guardedLookup(
  hostname: string,
  options: LookupOptions,
  callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const reason = addresses.map(({ address }) => addressGuard?.(address)).find(Boolean);
    if (reason) {
      const refused: NodeJS.ErrnoException = new Error(`${hostname} resolves to ${reason}`);
      refused.code = ADDRESS_REFUSED;
      return callback(refused, []);
    }
    if (options.all) return callback(null, addresses);
    const [first] = addresses;
    return first ? callback(null, first.address, first.family) : callback(null, []);
  });
}

function agentFor(connectMs: number): Agent {
  let agent = agents.get(connectMs);
  if (!agent) {
    // No cap on sockets per origin: every streaming answer holds its socket for its whole length, so a cap would
    // queue the answers behind it (and count the wait against their first-byte timeout). Idle ones are reused.
    agent = new Agent({ connect: { timeout: connectMs, lookup: guardedLookup }, keepAliveTimeout: 30_000 });
    agents.set(connectMs, agent);
  }
  return agent;
}

/** Closes the pooled connections (graceful shutdown, end of a test run). Later requests open new pools. */
export async function closeHttpAgents(): Promise<void> {
  const closing = [...agents.values()].map((agent) => agent.close());
  agents.clear();
  await Promise.all(closing);
}

export interface HttpRequest {
  url: URL;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** Serialised as the JSON request body. */
  json?: unknown;
  timeouts: TimeoutSettings;
  signal?: AbortSignal;
}

/**
 * A response whose status was 2xx. Reading it enforces the first-byte deadline (from the moment the request was
 * sent) and the idle limit between chunks; failures surface as LlmError. Whoever holds one must end it with
 * `release()` (read to the end, socket reused) or `destroy()` (socket closed, the upstream stops generating).
 */
export class HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  private readonly body: Dispatcher.ResponseData['body'];
  /** Decompresses a body the server encoded although none was asked for (no `Accept-Encoding` is sent). */
  private readonly decoder: Transform | undefined;
  // Iterated by hand: the stream's own iterator destroys the body when a consumer stops early, which would cost
  // the pooled socket even after a clean terminator.
  private readonly iterator: AsyncIterator<Buffer>;
  private firstChunkSeen = false;
  /** No more reads: the body reached its end, failed, or was given up. */
  private ended = false;
  private reachedEnd = false;
  /**
   * One timer for the whole body, re-armed for each read (a new timer and a Promise.race per token cost real CPU
   * with a thousand streams open). It only counts while a read is waiting.
   */
  private watchdog: NodeJS.Timeout | undefined;
  private watchdogMs = 0;
  private reading = false;
  private timedOut = false;

  constructor(
    data: Dispatcher.ResponseData,
    private readonly request: HttpRequest,
    private readonly startedAt: number,
  ) {
    this.status = data.statusCode;
    this.headers = data.headers;
    this.body = data.body;
    // Failures surface through the iterator; without a listener, destroying an unread body would crash the process.
    this.body.on('error', () => undefined);
    this.decoder = decoderFor(this.header('content-encoding'));
    let source: Readable = data.body;
    if (this.decoder) {
      this.decoder.on('error', () => undefined);
      // Errors of either side end the other: a destroyed body fails the pending read of the decoded one.
      source = pipeline(data.body, this.decoder, () => undefined);
    }
    this.iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  header(name: string): string | undefined {
    const value = this.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }

  async *chunks(): AsyncGenerator<Uint8Array, void, undefined> {
    for (;;) {
      const chunk = await this.nextChunk();
      if (chunk === undefined) return;
      yield chunk;
    }
  }

  async readText(limit = JSON_BODY_LIMIT): Promise<string> {
    const decoder = new TextDecoder();
    let text = '';
    let size = 0;
    for await (const chunk of this.chunks()) {
      size += chunk.byteLength;
      if (size > limit) {
        this.destroy();
        throw new LlmError('upstream', `${this.request.url.origin} sent a response larger than ${limit} bytes`);
      }
      text += decoder.decode(chunk, { stream: true });
    }
    return text + decoder.decode();
  }

  async readJson(): Promise<unknown> {
    const text = await this.readText();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new LlmError('upstream', `${this.request.url.origin}${this.request.url.pathname} returned invalid JSON`);
    }
  }

  /** Reads what is left (briefly, boundedly) so the socket returns to the pool; gives up by closing it. */
  async release(): Promise<void> {
    const deadline = Date.now() + RELEASE_GRACE_MS;
    let drained = 0;
    try {
      while (!this.ended && drained <= RELEASE_LIMIT) {
        const chunk = await this.nextChunk(Math.max(1, deadline - Date.now()));
        drained += chunk?.byteLength ?? 0;
      }
    } catch {
      // The stream already delivered its terminator; a late failure only means the socket is not reusable.
    }
    this.destroy();
  }

  destroy(): void {
    this.ended = true;
    clearTimeout(this.watchdog);
    // A body read to its end has already handed its socket back to the pool; destroying it then is pointless.
    if (!this.reachedEnd && !this.body.destroyed) this.body.destroy();
    if (this.decoder && !this.decoder.destroyed) this.decoder.destroy();
  }

  private async nextChunk(waitOverrideMs?: number): Promise<Uint8Array | undefined> {
    if (this.ended) return undefined;
    const { firstByteMs, idleMs } = this.request.timeouts;
    const waitMs =
      waitOverrideMs ?? (this.firstChunkSeen ? idleMs : Math.max(1, this.startedAt + firstByteMs - Date.now()));
    this.arm(waitMs);
    this.reading = true;
    try {
      const result = await this.iterator.next();
      if (result.done) {
        this.ended = true;
        this.reachedEnd = true;
        clearTimeout(this.watchdog);
        // undici marks the connection idle a turn after the body ends; a request sent before that (the next
        // chat message right after this one) would open a second socket instead of reusing this one.
        await new Promise((resolve) => setImmediate(resolve));
        return undefined;
      }
      this.firstChunkSeen = true;
      return result.value;
    } catch (error) {
      this.destroy();
      if (this.timedOut) throw this.timeoutError();
      throw errorForTransportFailure(error, {
        url: this.request.url,
        timeouts: this.request.timeouts,
        signal: this.request.signal,
        responseStarted: true,
      });
    } finally {
      this.reading = false;
    }
  }

  private arm(waitMs: number): void {
    if (this.watchdog && waitMs === this.watchdogMs) {
      this.watchdog.refresh();
      return;
    }
    clearTimeout(this.watchdog);
    this.watchdogMs = waitMs;
    this.watchdog = setTimeout(() => {
      this.watchdog = undefined;
      // Fired between reads (the consumer was busy): nothing was waiting; the next read arms a new one.
      if (!this.reading) return;
      this.timedOut = true;
      // The pending read rejects once the body is destroyed.
      this.body.destroy();
    }, waitMs);
  }

  private timeoutError(): LlmError {
    const { firstByteMs, idleMs } = this.request.timeouts;
    const origin = this.request.url.origin;
    return this.firstChunkSeen
      ? new LlmError('timeout', `idle timeout: ${origin} sent nothing for ${idleMs} ms`)
      : new LlmError('timeout', `first-byte timeout: ${origin} sent no data within ${firstByteMs} ms`);
  }
}

/**
 * A decompressor for the body's `Content-Encoding`. No encoding is asked for, but some gateways compress anyway
 * (a gzipped stream read as text is garbage). Lenient at the end: a stream cut short keeps what was decoded.
 */
function decoderFor(encoding: string | undefined): Transform | undefined {
  const flush = { flush: zlib.Z_SYNC_FLUSH, finishFlush: zlib.Z_SYNC_FLUSH };
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip(flush);
    case 'deflate':
      return createInflate(flush);
    case 'br':
      return createBrotliDecompress({
        flush: zlib.BROTLI_OPERATION_FLUSH,
        finishFlush: zlib.BROTLI_OPERATION_FLUSH,
      });
    default:
      return undefined;
  }
}

/**
 * Sends one request over the shared pool. Resolves with a 2xx response; rejects with LlmError for everything
 * else (status errors carry the upstream's own message, read from the body).
 */
export async function sendRequest(request: HttpRequest): Promise<HttpResponse> {
  const { url, timeouts, signal } = request;
  if (signal?.aborted) throw cancelledError(signal);
  const body = request.json === undefined ? undefined : JSON.stringify(request.json);
  const headers = body === undefined ? request.headers : { 'content-type': 'application/json', ...request.headers };
  const startedAt = Date.now();
  let data: Dispatcher.ResponseData | undefined;
  for (let attempt = 1; data === undefined; attempt++) {
    try {
      data = await agentFor(timeouts.connectMs).request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers,
        body,
        signal,
        headersTimeout: timeouts.firstByteMs,
        // The precise first-byte and idle limits are enforced while reading; undici's own body timer is only a
        // backstop and must not fire before the first-byte deadline when a reasoning model thinks silently.
        bodyTimeout: Math.max(timeouts.firstByteMs, timeouts.idleMs) + 1_000,
      });
    } catch (error) {
      // A pooled keep-alive socket that the server closed just as it was reused fails before any response:
      // send once more (the pool then opens a fresh socket), as browsers do.
      if (attempt === 1 && !signal?.aborted && STALE_SOCKET_CODES.has(codeOf(error) ?? '')) continue;
      throw errorForTransportFailure(error, { url, timeouts, signal, responseStarted: false });
    }
  }

  const response = new HttpResponse(data, request, startedAt);
  if (data.statusCode >= 200 && data.statusCode < 300) {
    const contentType = response.header('content-type') ?? '';
    if (contentType.startsWith('text/html')) {
      response.destroy();
      throw new LlmError(
        'bad_request',
        `${url.origin}${url.pathname} returned a web page instead of an API response; check the base URL`,
        data.statusCode,
      );
    }
    return response;
  }

  let bodyText = '';
  try {
    bodyText = await readPrefix(response, ERROR_BODY_LIMIT);
  } catch {
    if (signal?.aborted) throw cancelledError(signal);
    // The status alone still says what went wrong.
  }
  throw errorForStatus(data.statusCode, data.statusText, data.headers, bodyText);
}

async function readPrefix(response: HttpResponse, limit: number): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for await (const chunk of response.chunks()) {
    text += decoder.decode(chunk, { stream: true });
    size += chunk.byteLength;
    if (size >= limit) {
      response.destroy();
      return text;
    }
  }
  return text + decoder.decode();
}
