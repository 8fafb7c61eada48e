import type { FastifyReply, FastifyRequest } from 'fastify';

/** Well inside the contract's 15 s (timers fire late on a busy process). */
const KEEP_ALIVE_MS = 10_000;

/**
 * Whether a route that can stream answers with SSE or with 202 and the ids (to follow through an events route).
 * `Accept: text/event-stream` always streams and `Accept: application/json` alone never does; a client that names
 * neither (no `Accept`, or any type: curl, a bare fetch) gets the route's `preferred` answer. The contract streams
 * compare runs and arena battles unconditionally, and chat messages when the event stream is asked for.
 */
export function wantsEventStream(request: FastifyRequest, preferred: 'stream' | 'ids'): boolean {
  const accept = request.headers.accept ?? '';
  if (accept.includes('text/event-stream')) return true;
  return preferred === 'stream' && !accept.includes('application/json');
}

/** Event streams open in this process: they never end on their own, so a graceful stop ends them. */
const openStreams = new Set<SseStream>();

/**
 * Ends every event stream still open (a graceful stop, once this process's answers have sent their last events):
 * the HTTP server then closes without waiting for them, and requests in flight elsewhere still finish. A client
 * following another process's answer re-attaches from its last event id.
 */
export function endOpenEventStreams(): void {
  for (const stream of [...openStreams]) stream.end();
}

/**
 * One Server-Sent Events response on a hijacked Fastify reply: frames with `id:`, `event:` and JSON `data:`,
 * a `: ping` comment every 10 s (the contract: at least every 15 s), and no buffering by proxies (X-Accel-Buffering for nginx).
 */
export class SseStream {
  private readonly keepAlive: NodeJS.Timeout;
  private ended = false;
  /** The headers have been handed to the socket (with the first frame, or alone when there was none yet). */
  private headersOut = false;
  /** Frames written this tick, sent together on the next. */
  private pending = '';
  private readonly closeHandlers: (() => void)[] = [];

  constructor(
    request: FastifyRequest,
    private readonly reply: FastifyReply,
  ) {
    reply.hijack();
    // Headers set by hooks so far (security headers, CORS) travel with the hijacked response too.
    const inherited = Object.fromEntries(
      Object.entries(reply.getHeaders()).filter(
        (entry): entry is [string, string | number | string[]] => entry[1] !== undefined,
      ),
    );
    reply.raw.writeHead(200, {
      ...inherited,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': String(request.id),
    });
    // The headers leave with the first frames (one socket write instead of two: those of this tick are flushed on
    // the next, before any timer or I/O); a stream with nothing to send yet gets them alone one loop turn later.
    setImmediate(() => {
      if (this.headersOut || this.ended) return;
      this.headersOut = true;
      reply.raw.flushHeaders();
    });
    this.keepAlive = setInterval(() => this.write(': ping\n\n'), KEEP_ALIVE_MS);
    openStreams.add(this);
    reply.raw.on('close', () => this.close());
  }

  get closed(): boolean {
    return this.ended;
  }

  onClose(handler: () => void): void {
    if (this.ended) handler();
    else this.closeHandlers.push(handler);
  }

  /** `json` must be one line of JSON (JSON.stringify output is). */
  sendJson(id: number, event: string, json: string): void {
    this.write(`id: ${id}\nevent: ${event}\ndata: ${json}\n\n`);
  }

  end(): void {
    if (this.ended) return;
    const text = this.pending;
    this.pending = '';
    if (text === '') this.reply.raw.end();
    else this.reply.raw.end(text);
    this.close();
  }

  /**
   * Events emitted in the same tick (a network chunk from the upstream often carries several) leave as one string
   * in one socket write on the next tick.
   */
  private write(chunk: string): void {
    if (this.ended) return;
    if (this.pending === '') process.nextTick(this.flushPending);
    this.pending += chunk;
  }

  private readonly flushPending = (): void => {
    const text = this.pending;
    this.pending = '';
    if (this.ended || text === '') return;
    const raw = this.reply.raw;
    const socket = raw.socket;
    if (this.headersOut && raw.chunkedEncoding && socket?.writable && raw.writableLength === socket.writableLength) {
      // Every token of every stream passes here. res.write would cork the socket, frame the chunk as three buffers
      // and writev them on the next tick; the same bytes framed here leave in one plain write. Only once the
      // headers are out and while the response holds nothing of its own (writableLength is its queue plus the
      // socket's).
      socket.write(`${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`);
    } else {
      this.headersOut = true;
      raw.write(text);
    }
  };

  private close(): void {
    if (this.ended) return;
    this.ended = true;
    openStreams.delete(this);
    clearInterval(this.keepAlive);
    for (const handler of this.closeHandlers.splice(0)) handler();
  }
}
