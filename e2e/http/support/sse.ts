import type { GenerationEvent } from '@modelyard/contracts';
import { createParser } from 'eventsource-parser';
import { env } from './client';

export type ReceivedEvent = GenerationEvent & { id: number };

export interface SseResult {
  status: number;
  headers: Headers;
  events: ReceivedEvent[];
  /** Raw body text when the answer was not an event stream (an error envelope). */
  text?: string;
}

export interface SseOptions {
  method?: 'GET' | 'POST';
  json?: unknown;
  token?: string;
  lastEventId?: number;
  /** Stop reading (and close the connection) once this many events arrived. */
  stopAfter?: number;
  signal?: AbortSignal;
  /** The Accept header; `null` sends none (fetch then asks for any type, as curl does). */
  accept?: string | null;
}

/** Opens an SSE request and collects its events with a real SSE parser, until the stream ends or `stopAfter`. */
export async function readSse(path: string, options: SseOptions = {}): Promise<SseResult> {
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort());
  const headers: Record<string, string> = {};
  if (options.accept !== null) headers.accept = options.accept ?? 'text/event-stream';
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.lastEventId !== undefined) headers['last-event-id'] = String(options.lastEventId);
  const res = await fetch(`${env.baseUrl}${path}`, {
    method: options.method ?? (options.json === undefined ? 'GET' : 'POST'),
    headers,
    body: options.json === undefined ? undefined : JSON.stringify(options.json),
    signal: controller.signal,
  });
  if (!(res.headers.get('content-type') ?? '').includes('text/event-stream')) {
    return { status: res.status, headers: res.headers, events: [], text: await res.text() };
  }
  const events: ReceivedEvent[] = [];
  let stop = false;
  const parser = createParser({
    onEvent: (message) => {
      events.push({ id: Number(message.id), event: message.event, data: JSON.parse(message.data) } as ReceivedEvent);
      if (options.stopAfter !== undefined && events.length >= options.stopAfter) stop = true;
    },
  });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      parser.feed(decoder.decode(chunk, { stream: true }));
      if (stop) {
        controller.abort();
        break;
      }
    }
  } catch (error) {
    if (!stop && !controller.signal.aborted) throw error;
  }
  return { status: res.status, headers: res.headers, events };
}

/** What a chat screen would show after applying the events: deltas appended, reclassify replacing all. */
export function fold(events: ReceivedEvent[]): { reasoning: string; content: string } {
  let reasoning = '';
  let content = '';
  for (const e of events) {
    if (e.event === 'reasoning') reasoning += e.data.text;
    else if (e.event === 'content') content += e.data.text;
    else if (e.event === 'reclassify') ({ reasoning, content } = e.data);
  }
  return { reasoning, content };
}

export function terminal(events: ReceivedEvent[]): ReceivedEvent | undefined {
  return events.find((e) => e.event === 'done' || e.event === 'error');
}
