import type {
  CompareFollowUpInput,
  CompareMetaEvent,
  CompareRun,
  CompareRunSummary,
  CreateCompareRunInput,
  Paginated,
  COMPARE_EXPORT_FORMATS,
  RateCompareAnswerInput,
} from '@modelyard/contracts';
import { type ReceivedGenerationEvent, parseGenerationEvent } from './chat';
import { readDownload, type DownloadedFile } from './download';
import { http, type RequestOptions } from './http';
import { followEventStream, type FollowOutcome, type ServerEvent } from './sse';

type CallOptions = Pick<RequestOptions, 'silent' | 'signal'>;

export type CompareExportFormat = (typeof COMPARE_EXPORT_FORMATS)[number];

export interface CompareRunFilters {
  search?: string;
  modelConfigId?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

/** One generation event of one column of a multiplexed stream (compare run or arena battle). */
export interface ColumnEvent {
  column: number;
  event: ReceivedGenerationEvent;
}

/**
 * A frame of a multiplexed stream as the column it belongs to and its generation event; `null` for the stream's
 * own `meta` (no column) and for frames this client does not know.
 */
export function parseColumnFrame(frame: ServerEvent): ColumnEvent | null {
  const event = parseGenerationEvent(frame);
  if (!event) return null;
  const { column, ...data } = event.data as { column?: unknown };
  if (typeof column !== 'number' || !Number.isInteger(column) || column < 0) return null;
  // The column is where the event goes, not part of it (usage is stored as the event's data).
  return { column, event: { ...event, data } as ReceivedGenerationEvent };
}

/**
 * Knows when a multiplexed stream is over: after its `meta` said how many columns there are, once every one of
 * them has sent `done` or `error`. The server closes the stream then.
 */
export function createColumnTracker(columnCount: number | null = null) {
  let expected = columnCount;
  const ended = new Set<number>();
  return {
    setColumnCount(count: number) {
      expected = count;
    },
    /** Records the frame; true when it was the last column's end. */
    observe(frame: ServerEvent): boolean {
      if (frame.event !== 'done' && frame.event !== 'error') return false;
      const parsed = parseColumnFrame(frame);
      if (parsed) ended.add(parsed.column);
      return expected !== null && ended.size >= expected;
    },
    get ended(): ReadonlySet<number> {
      return ended;
    },
  };
}

/** The stream's own `meta` (the first frame: it has no `column`), or null for a column's meta. */
function streamMeta<Meta>(frame: ServerEvent): Meta | null {
  try {
    const data: unknown = JSON.parse(frame.data);
    if (typeof data !== 'object' || data === null || 'column' in data) return null;
    return data as Meta;
  } catch {
    return null;
  }
}

export interface ColumnStreamOptions<Meta> {
  onMeta: (meta: Meta) => void;
  onColumnEvent: (event: ColumnEvent) => void;
  signal: AbortSignal;
}

/**
 * Follows a multiplexed stream (`meta`, then the columns' generation events) to the end of its last column. It
 * cannot be resumed as a whole: a lost connection rejects with StreamLostError and the page reloads what was saved.
 */
export function followColumns<Meta>(
  start: (signal: AbortSignal) => Promise<Response>,
  columnCount: (meta: Meta) => number,
  options: ColumnStreamOptions<Meta>,
): Promise<FollowOutcome> {
  const tracker = createColumnTracker();
  let sawMeta = false;
  return followEventStream({
    connect: start,
    resume: () => null,
    isTerminal: (frame) => tracker.observe(frame),
    onEvent: (frame) => {
      if (frame.event === 'meta' && !sawMeta) {
        const meta = streamMeta<Meta>(frame);
        if (meta) {
          sawMeta = true;
          tracker.setColumnCount(columnCount(meta));
          options.onMeta(meta);
          return;
        }
      }
      const parsed = parseColumnFrame(frame);
      if (parsed) options.onColumnEvent(parsed);
    },
    signal: options.signal,
    // One failed connection is final: a second POST would start the models again.
    maxAttempts: 0,
  });
}

// Failures of a stream are shown on the page (composer, column), never as a toast.
const streamRequest = (signal: AbortSignal, body: unknown): RequestOptions => ({
  signal,
  silent: true,
  method: 'POST',
  body,
  headers: { Accept: 'text/event-stream' },
});

const id = (value: string) => encodeURIComponent(value);
const countColumns = (meta: CompareMetaEvent) => meta.columns.length;

export const compareStreams = {
  /** Starts a run and streams every column (a 400 or 429 before the stream starts rejects with its ApiError). */
  start: (input: CreateCompareRunInput, options: ColumnStreamOptions<CompareMetaEvent>) =>
    followColumns((signal) => http.open('/compare/runs', streamRequest(signal, input)), countColumns, options),
  /** A follow-up turn: every column continues its own conversation. */
  followUp: (runId: string, input: CompareFollowUpInput, options: ColumnStreamOptions<CompareMetaEvent>) =>
    followColumns(
      (signal) => http.open(`/compare/runs/${id(runId)}/messages`, streamRequest(signal, input)),
      countColumns,
      options,
    ),
};

export interface CompareRating {
  column: number;
  messageId: string;
  stars: number;
  note: string | null;
}

export const compareApi = {
  list: (filters: CompareRunFilters, opts?: CallOptions) =>
    http.get<Paginated<CompareRunSummary>>('/compare/runs', { ...opts, query: { ...filters } }),
  get: (runId: string, opts?: CallOptions) => http.get<CompareRun>(`/compare/runs/${id(runId)}`, opts),
  remove: (runId: string, opts?: CallOptions) => http.delete<void>(`/compare/runs/${id(runId)}`, opts),
  /** Stops one column, or every column when `column` is left out. */
  stop: (runId: string, column?: number, opts?: CallOptions) =>
    http.post<{ stopping: boolean }>(`/compare/runs/${id(runId)}/stop`, column === undefined ? {} : { column }, opts),
  rate: (runId: string, input: RateCompareAnswerInput, opts?: CallOptions) =>
    http.post<CompareRating>(`/compare/runs/${id(runId)}/ratings`, input, opts),
  export: async (runId: string, format: CompareExportFormat, opts?: CallOptions): Promise<DownloadedFile> => {
    const response = await http.open(`/compare/runs/${id(runId)}/export`, {
      ...opts,
      query: { format },
      headers: { Accept: '*/*' },
    });
    return readDownload(response, `compare.${format}`);
  },
};
