/**
 * A real HTTP server standing in for an LLM upstream in this package's tests. It records what the client sent
 * (headers, JSON body, the client's socket port for connection-reuse checks) and replays recorded bytes in
 * awkward pieces, the way a proxy or a slow network delivers them.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
  remotePort: number | undefined;
  /** Resolves when the client hung up before the response finished (abort, abandoned stream). */
  clientClosedEarly: Promise<void>;
}

export type StubHandler = (res: ServerResponse, request: RecordedRequest, raw: IncomingMessage) => void | Promise<void>;

export class StubUpstream {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, StubHandler>();
  private readonly server: Server;
  private port = 0;

  constructor() {
    this.server = createServer((raw, res) => void this.handle(raw, res));
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  on(method: 'GET' | 'POST', path: string, handler: StubHandler): this {
    this.routes.set(`${method} ${path}`, handler);
    return this;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of raw) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(raw.url ?? '/', 'http://stub');
    let json: unknown;
    try {
      json = body ? (JSON.parse(body) as unknown) : undefined;
    } catch {
      json = undefined;
    }
    const clientClosedEarly = new Promise<void>((resolve) => {
      res.on('close', () => {
        if (!res.writableFinished) resolve();
      });
    });
    const request: RecordedRequest = {
      method: raw.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: raw.headers,
      body,
      json,
      remotePort: raw.socket.remotePort,
      clientClosedEarly,
    };
    this.requests.push(request);
    const handler = this.routes.get(`${request.method} ${request.path}`);
    if (!handler) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no stub for ${request.method} ${request.path}` } }));
      return;
    }
    try {
      await handler(res, request, raw);
    } catch {
      res.destroy();
    }
  }
}

// Piece sizes cycle through small odd numbers so frames, `data:` prefixes, CRLFs and multi-byte characters all
// end up split somewhere; a 1-byte piece inside a 3- or 4-byte UTF-8 character is guaranteed by the payloads.
const PIECE_SIZES = [1, 3, 7, 2, 13, 5, 1, 29, 4, 11];

function pause(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Writes `payload` in awkward pieces with a pause after each, so the client sees them as separate reads. */
export async function writeInPieces(res: ServerResponse, payload: string | Buffer): Promise<void> {
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  let offset = 0;
  let index = 0;
  while (offset < bytes.length) {
    if (res.destroyed) return;
    const size = PIECE_SIZES[index % PIECE_SIZES.length] ?? 1;
    res.write(bytes.subarray(offset, offset + size));
    offset += size;
    index += 1;
    await pause();
  }
}

export function startStream(res: ServerResponse, contentType: string, extraHeaders: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-cache', ...extraHeaders });
  res.flushHeaders();
}

/** A complete streamed response: headers, the recorded bytes in pieces, then the end of the body. */
export async function replay(res: ServerResponse, contentType: string, payload: string): Promise<void> {
  startStream(res, contentType);
  await writeInPieces(res, payload);
  res.end();
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Splits bytes into explicit pieces (for framing tests that need exact boundaries, no server involved). */
export async function* piecesOf(payload: string, sizes: readonly number[] = PIECE_SIZES): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(payload, 'utf8');
  let offset = 0;
  let index = 0;
  while (offset < bytes.length) {
    const size = sizes[index % sizes.length] ?? 1;
    yield bytes.subarray(offset, offset + size);
    offset += size;
    index += 1;
  }
}

export async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

/** The concatenated text of one delta type, as a UI would show it. */
export function textOf(events: readonly { type: string; text?: string }[], type: 'reasoning' | 'content'): string {
  return events
    .filter((event) => event.type === type)
    .map((event) => event.text ?? '')
    .join('');
}
