import type {
  CreateSessionInput,
  ExportFormat,
  GenerationEvent,
  MessageList,
  Paginated,
  RegenerateInput,
  SendMessageInput,
  Session,
  UpdateSessionInput,
} from '@modelyard/contracts';
import { readDownload, type DownloadedFile } from './download';
import { http, type RequestOptions } from './http';
import { allPages } from './pages';
import type { BatchDeleteResult } from './models';
import { type ConnectionState, followEventStream, type FollowOutcome, type ServerEvent } from './sse';

type CallOptions = Pick<RequestOptions, 'silent' | 'signal'>;

export interface SessionListQuery {
  page: number;
  pageSize: number;
  search?: string;
  archived?: boolean;
}

/** A generation event with the server's event id (the position to resume after). */
export type ReceivedGenerationEvent = GenerationEvent & { id: number };

export interface GenerationStreamOptions {
  onEvent: (event: ReceivedGenerationEvent) => void;
  onConnectionChange?: (state: ConnectionState) => void;
  signal: AbortSignal;
}

const id = (value: string) => encodeURIComponent(value);

const GENERATION_EVENTS = new Set<string>(['meta', 'reasoning', 'content', 'reclassify', 'usage', 'done', 'error']);

/** A frame of a generation stream as a typed event; `null` for frames this client does not know. */
export function parseGenerationEvent(frame: ServerEvent): ReceivedGenerationEvent | null {
  if (!GENERATION_EVENTS.has(frame.event)) return null;
  try {
    const data: unknown = JSON.parse(frame.data);
    if (typeof data !== 'object' || data === null) return null;
    return { id: frame.id, event: frame.event, data } as ReceivedGenerationEvent;
  } catch {
    return null;
  }
}

const isTerminalFrame = (frame: ServerEvent) => frame.event === 'done' || frame.event === 'error';

// Failures of a stream are shown next to the conversation (composer, message), never as a toast.
const streamRequest = (signal: AbortSignal, lastEventId = 0): RequestOptions => ({
  signal,
  silent: true,
  headers: { Accept: 'text/event-stream', ...(lastEventId > 0 && { 'Last-Event-ID': String(lastEventId) }) },
});

function openEvents(generationId: string, lastEventId: number, signal: AbortSignal): Promise<Response> {
  return http.open(`/chat/generations/${id(generationId)}/events`, streamRequest(signal, lastEventId));
}

/** Starts a generation with `start` and follows it, re-attaching by its generation id after a drop. */
function follow(
  start: (signal: AbortSignal) => Promise<Response>,
  options: GenerationStreamOptions,
): Promise<FollowOutcome> {
  let generationId: string | null = null;
  return followEventStream({
    connect: start,
    resume: (lastEventId, signal) => (generationId ? openEvents(generationId, lastEventId, signal) : null),
    isTerminal: isTerminalFrame,
    onEvent: (frame) => {
      const event = parseGenerationEvent(frame);
      if (!event) return;
      if (event.event === 'meta') generationId = event.data.generationId;
      options.onEvent(event);
    },
    onConnectionChange: options.onConnectionChange,
    signal: options.signal,
  });
}

export const chatApi = {
  listSessions: (query: SessionListQuery, opts?: CallOptions) =>
    http.get<Paginated<Session>>('/chat/sessions', { ...opts, query: { ...query } }),
  createSession: (input: CreateSessionInput, opts?: CallOptions) => http.post<Session>('/chat/sessions', input, opts),
  getSession: (sessionId: string, opts?: CallOptions) => http.get<Session>(`/chat/sessions/${id(sessionId)}`, opts),
  updateSession: (sessionId: string, input: UpdateSessionInput, opts?: CallOptions) =>
    http.patch<Session>(`/chat/sessions/${id(sessionId)}`, input, opts),
  deleteSession: (sessionId: string, opts?: CallOptions) => http.delete<void>(`/chat/sessions/${id(sessionId)}`, opts),
  deleteSessions: (ids: string[], opts?: CallOptions) =>
    http.post<BatchDeleteResult>('/chat/sessions/batch-delete', { ids }, opts),
  clearSession: (sessionId: string, opts?: CallOptions) =>
    http.post<Session>(`/chat/sessions/${id(sessionId)}/clear`, undefined, opts),
  /** The whole message tree of a session (the list is paged: 100 a page). */
  listMessages: (sessionId: string, opts?: CallOptions) =>
    allPages((page, pageSize) =>
      http.get<MessageList>(`/chat/sessions/${id(sessionId)}/messages`, { ...opts, query: { page, pageSize } }),
    ),
  /** `timeZone`: the file is named after the user's day. */
  exportSession: async (
    sessionId: string,
    format: ExportFormat,
    timeZone?: string,
    opts?: CallOptions,
  ): Promise<DownloadedFile> => {
    const response = await http.open(`/chat/sessions/${id(sessionId)}/export`, {
      ...opts,
      query: { format, ...(timeZone && { timeZone }) },
      headers: { Accept: '*/*' },
    });
    return readDownload(response, `chat.${format}`);
  },
  exportSessions: async (
    ids: string[],
    format: ExportFormat,
    timeZone?: string,
    opts?: CallOptions,
  ): Promise<DownloadedFile> => {
    const response = await http.open('/chat/sessions/export', {
      ...opts,
      method: 'POST',
      body: { ids, format, ...(timeZone && { timeZone }) },
      headers: { Accept: 'application/zip' },
    });
    return readDownload(response, 'modelyard-chats.zip');
  },
  /** The body is a JSON export as downloaded; the server validates it. */
  importSession: (exported: unknown, opts?: CallOptions) => http.post<Session>('/chat/sessions/import', exported, opts),
  stopGeneration: (generationId: string, opts?: CallOptions) =>
    http.post<{ stopping: boolean }>(`/chat/generations/${id(generationId)}/stop`, undefined, opts),
};

export const generationStreams = {
  /** Sends a message and streams the answer (a 429 or 400 before the stream starts rejects with its ApiError). */
  send: (sessionId: string, input: SendMessageInput, options: GenerationStreamOptions) =>
    follow(
      (signal) =>
        http.open(`/chat/sessions/${id(sessionId)}/messages`, {
          ...streamRequest(signal),
          method: 'POST',
          body: input,
        }),
      options,
    ),
  /** A new answer to the same question: a sibling of `assistantMessageId`. */
  regenerate: (assistantMessageId: string, input: RegenerateInput, options: GenerationStreamOptions) =>
    follow(
      (signal) =>
        http.open(`/chat/messages/${id(assistantMessageId)}/regenerate`, {
          ...streamRequest(signal),
          method: 'POST',
          body: input,
        }),
      options,
    ),
  /** Follows a generation already running (or finished) from after `lastEventId`; 0 replays it from the start. */
  reattach: (generationId: string, options: GenerationStreamOptions, lastEventId = 0) =>
    followEventStream({
      resume: (after, signal) => openEvents(generationId, after, signal),
      lastEventId,
      isTerminal: isTerminalFrame,
      onEvent: (frame) => {
        const event = parseGenerationEvent(frame);
        if (event) options.onEvent(event);
      },
      onConnectionChange: options.onConnectionChange,
      signal: options.signal,
    }),
};
