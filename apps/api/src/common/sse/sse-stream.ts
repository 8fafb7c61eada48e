import type { FastifyReply, FastifyRequest } from 'fastify';

const KEEP_ALIVE_MS = 15_000;

/** Endpoints that can stream answer with SSE only when asked to, and with 202 and the ids otherwise. */
export function wantsEventStream(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/event-stream');
}

/**
 * One Server-Sent Events response on a hijacked Fastify reply: frames with `id:`, `event:` and JSON `data:`,
 * a `: ping` comment at least every 15 s, and no buffering by proxies (X-Accel-Buffering for nginx).
 */
export class SseStream {
  private readonly keepAlive: NodeJS.Timeout;
  private ended = false;
  private corked = false;
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
    reply.raw.flushHeaders?.();
    this.keepAlive = setInterval(() => this.write(': ping\n\n'), KEEP_ALIVE_MS);
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
    this.reply.raw.end();
    this.close();
  }

  /**
   * Events emitted in the same tick (a network chunk from the upstream often carries several) leave in one socket
   * write: cork now, uncork on the next tick.
   */
  private write(chunk: string): void {
    if (this.ended) return;
    const raw = this.reply.raw;
    if (!this.corked) {
      this.corked = true;
      raw.cork();
      process.nextTick(() => {
        this.corked = false;
        raw.uncork();
      });
    }
    raw.write(chunk);
  }

  private close(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.keepAlive);
    for (const handler of this.closeHandlers.splice(0)) handler();
  }
}
