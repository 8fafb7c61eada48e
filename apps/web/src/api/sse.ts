import { createParser } from 'eventsource-parser';
import { ApiError, CLIENT_ERROR_CODES, isApiError } from './http';

/**
 * The real Server-Sent Events client of the app: `fetch` (EventSource cannot send the Authorization header) with
 * `eventsource-parser` cutting the byte stream into frames, whatever way the network split them. `followEventStream`
 * adds what a long answer needs on a flaky connection: it remembers the last event id, and when the connection
 * drops before the terminal event it re-opens with `Last-Event-ID` (the server continues right after it: no gap, no
 * duplicate), waiting a little longer after each failed attempt.
 */

/** One SSE frame. `id` is the server's integer event id (0 when the frame had none); `data` is still text. */
export interface ServerEvent {
  id: number;
  event: string;
  data: string;
}

export type ConnectionState = 'open' | 'reconnecting';

export interface FollowOptions {
  /**
   * Opens the first connection (e.g. the POST that starts a generation). Its failure is final: nothing was started,
   * or the server said why not. Leave it out to start with `resume(lastEventId)`, retried like any reconnection.
   */
  connect?: (signal: AbortSignal) => Promise<Response>;
  /** Re-opens the stream after `lastEventId`; `null` when it cannot be resumed (its id is not known yet). */
  resume: (lastEventId: number, signal: AbortSignal) => Promise<Response> | null;
  onEvent: (event: ServerEvent) => void;
  /** The event after which the server closes the stream for good. */
  isTerminal: (event: ServerEvent) => boolean;
  onConnectionChange?: (state: ConnectionState) => void;
  signal?: AbortSignal;
  /** Where to start when there is no `connect` (a re-attach): 0 replays from the first event. */
  lastEventId?: number;
  /** Waits before each reconnection attempt, in ms; the last one repeats. */
  backoffMs?: readonly number[];
  /** Reconnection attempts in a row without receiving an event before giving up. */
  maxAttempts?: number;
}

export type FollowOutcome = 'ended' | 'aborted';

/** The connection was lost and could not be re-established; `lastEventId` says where a retry should continue. */
export class StreamLostError extends Error {
  override readonly name = 'StreamLostError';
  constructor(
    readonly lastEventId: number,
    /** The last failure seen while reconnecting. */
    readonly reason?: unknown,
  ) {
    super('The event stream was lost');
  }
}

export const DEFAULT_BACKOFF_MS: readonly number[] = [250, 500, 1000, 2000, 4000, 8000];
const DEFAULT_MAX_ATTEMPTS = 12;
/** Offline, a retry waits for the browser's `online` event, or this long (in case the event never comes). */
const OFFLINE_RETRY_MS = 15_000;

/** Reads an event-stream response to its end, calling `onEvent` for every frame (comments such as pings are skipped). */
export async function readEventStream(
  response: Response,
  onEvent: (event: ServerEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('text/event-stream') || !response.body) {
    throw new ApiError({
      status: response.status,
      code: CLIENT_ERROR_CODES.badResponse,
      message: 'Expected an event stream',
    });
  }
  const parser = createParser({
    onEvent: (message) => {
      const id = Number(message.id);
      onEvent({ id: Number.isInteger(id) && id > 0 ? id : 0, event: message.event ?? 'message', data: message.data });
    },
  });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const cancel = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
      if (signal?.aborted) break;
    }
    parser.feed(decoder.decode());
  } finally {
    signal?.removeEventListener('abort', cancel);
    reader.releaseLock();
  }
}

/** Network trouble and server hiccups are worth another try; an answer such as 404 or 401 is not. */
function isTransient(error: unknown): boolean {
  if (!isApiError(error)) return true; // a body that broke off mid-read (TypeError, network reset…)
  if (error.code === CLIENT_ERROR_CODES.sessionExpired) return false;
  return error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
}

const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

/** Resolves after `ms`, sooner when the browser comes back online; rejects with AbortError when aborted. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new DOMException('Aborted', 'AbortError'));
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', aborted);
      globalThis.removeEventListener?.('online', done);
      resolve();
    };
    const aborted = () => {
      clearTimeout(timer);
      globalThis.removeEventListener?.('online', done);
      reject(new DOMException('Aborted', 'AbortError'));
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', aborted, { once: true });
    globalThis.addEventListener?.('online', done, { once: true });
  });
}

/**
 * Follows an event stream to its terminal event across dropped connections. Resolves 'ended' after the terminal
 * event and 'aborted' when `signal` fires; rejects with the `ApiError` of a refused first connection or resume
 * (429, 404…), or with `StreamLostError` once reconnecting has failed `maxAttempts` times in a row.
 */
export async function followEventStream(options: FollowOptions): Promise<FollowOutcome> {
  const signal = options.signal ?? new AbortController().signal;
  const backoff = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  let lastEventId = options.lastEventId ?? 0;
  let first = true;
  let failures = 0;
  let reconnecting = false;
  let ended = false;

  const setReconnecting = (value: boolean) => {
    if (reconnecting === value) return;
    reconnecting = value;
    options.onConnectionChange?.(value ? 'reconnecting' : 'open');
  };

  for (;;) {
    if (signal.aborted) return 'aborted';
    const viaConnect = first && options.connect !== undefined;
    let failure: unknown = null;
    let response: Response | null = null;
    try {
      if (viaConnect) {
        response = await options.connect!(signal);
      } else {
        const opening = options.resume(lastEventId, signal);
        if (!opening) throw new StreamLostError(lastEventId);
        response = await opening;
      }
    } catch (error) {
      if (signal.aborted || isAbort(error)) return 'aborted';
      if (viaConnect || error instanceof StreamLostError || !isTransient(error)) throw error;
      failure = error;
    }
    if (response) {
      setReconnecting(false);
      try {
        await readEventStream(
          response,
          (event) => {
            // A resumed stream starts after lastEventId; anything at or before it was already delivered.
            if (event.id > 0 && event.id <= lastEventId) return;
            if (event.id > 0) lastEventId = event.id;
            failures = 0;
            if (ended) return;
            if (options.isTerminal(event)) ended = true;
            options.onEvent(event);
          },
          signal,
        );
      } catch (error) {
        if (signal.aborted || isAbort(error)) return 'aborted';
        // Not an event stream at all: another try would get the same answer.
        if (isApiError(error) && error.code === CLIENT_ERROR_CODES.badResponse) throw error;
        failure = error;
      }
    }
    first = false;
    if (ended) return 'ended';
    if (signal.aborted) return 'aborted';
    // The stream ended or broke before its terminal event: the connection dropped, the generation did not. While
    // the browser knows it is offline, tries are not counted against the limit: it waits (however long the outage)
    // and tries again the moment the network is back.
    const offline = globalThis.navigator?.onLine === false;
    if (!offline) failures++;
    if (failures > maxAttempts) throw new StreamLostError(lastEventId, failure);
    setReconnecting(true);
    try {
      await pause(offline ? OFFLINE_RETRY_MS : (backoff[Math.min(failures - 1, backoff.length - 1)] ?? 1000), signal);
    } catch {
      return 'aborted';
    }
  }
}
