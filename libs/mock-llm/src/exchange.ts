import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

/** Request bodies past this are refused, so a runaway client cannot make the mock hold gigabytes. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export type ReadBodyResult = { ok: true; raw: string } | { ok: false; reason: 'too-large' | 'aborted' };

export function readBody(req: IncomingMessage): Promise<ReadBodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        resolve({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve({ ok: true, raw: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', () => resolve({ ok: false, reason: 'aborted' }));
    // After 'end' this is a no-op; before it, the client went away mid-body.
    req.on('close', () => resolve({ ok: false, reason: 'aborted' }));
  });
}

/**
 * One request's life on the server. Every timer it arms dies with the connection, so a client that goes away
 * (the platform's Stop button, a timeout) stops the work at once instead of streaming into a dead socket.
 */
export class Exchange {
  private closedFlag = false;
  /** Set when the scenario answers with an injected fault (an error status, a broken or cut stream). */
  faulted = false;
  /** Set when the server itself cut the connection, so the close is not blamed on the client. */
  private cutByServer = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly closeListeners: Array<() => void> = [];

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
  ) {
    res.on('close', () => {
      this.closedFlag = true;
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      for (const listener of this.closeListeners) listener();
    });
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** How the exchange ended, as the request log reports it; meaningful once closed. */
  get outcome(): 'completed' | 'client-closed' | 'fault' {
    if (this.cutByServer) return 'fault';
    if (!this.res.writableFinished) return 'client-closed';
    return this.faulted ? 'fault' : 'completed';
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  /** Runs `callback` after `ms` unless the connection closes first. */
  schedule(callback: () => void, ms: number): void {
    if (this.closedFlag) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closedFlag) callback();
    }, ms);
    this.timers.add(timer);
  }

  /** Resolves true after `ms`, or false as soon as the connection closes. */
  wait(ms: number): Promise<boolean> {
    if (this.closedFlag) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      this.onClose(() => resolve(false));
      this.schedule(() => resolve(true), ms);
    });
  }

  sendJson(status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
    this.sendText(status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
  }

  sendText(status: number, text: string, headers: OutgoingHttpHeaders = {}): void {
    if (this.closedFlag) return;
    this.res.writeHead(status, {
      'content-type': 'text/plain; charset=utf-8',
      ...headers,
      'content-length': Buffer.byteLength(text),
    });
    this.res.end(text);
  }

  /**
   * Writes `data`, then cuts the connection once it has reached the kernel, so the client receives the tokens before
   * the reset instead of losing them with the socket's buffer.
   */
  writeThenDestroy(data: string): void {
    this.faulted = true;
    this.cutByServer = true;
    if (data === '') {
      this.req.socket.destroy();
      return;
    }
    this.res.write(data, () => this.req.socket.destroy());
  }
}

export interface Frame {
  /** Milliseconds after the headers at which this frame is due. */
  at: number;
  /** Rendered when written, so frames that report durations or timestamps see the real clock. */
  render: () => string;
}

/** What the response does after its last frame: finish cleanly, cut the socket, or go silent until the client leaves. */
export type Ending = 'end' | 'destroy' | 'hang';

/**
 * Writes frames on one timer chain per response: each wake-up writes every frame already due and arms a single
 * timer for the next one. Deadlines are measured from the headers, so a slow wake-up does not drift the rate.
 */
export function playFrames(exchange: Exchange, frames: readonly Frame[], ending: Ending): void {
  const start = performance.now();
  let next = 0;
  const step = (): void => {
    if (exchange.closed) return;
    while (next < frames.length) {
      const wait = start + frames[next].at - performance.now();
      if (wait >= 1) {
        exchange.schedule(step, wait);
        return;
      }
      const data = frames[next].render();
      next++;
      if (ending === 'destroy' && next === frames.length) {
        exchange.writeThenDestroy(data);
        return;
      }
      exchange.res.write(data);
    }
    if (ending === 'end') exchange.res.end();
    else if (ending === 'destroy') exchange.writeThenDestroy('');
    // 'hang': nothing more; the exchange's close handler records the client leaving.
  };
  step();
}
