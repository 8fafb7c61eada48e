import type { Batch, BatchReport, BatchReportFormat, BatchStatus, Paginated } from '@modelyard/contracts';
import { readDownload, type DownloadedFile } from './download';
import { ApiError, http, isApiError, CLIENT_ERROR_CODES, type RequestOptions } from './http';
import { readEventStream } from './sse';

type CallOptions = Pick<RequestOptions, 'silent' | 'signal'>;

export interface BatchFilters {
  status?: BatchStatus | '';
  page: number;
  pageSize: number;
}

export interface CreateBatchRequest {
  file: File;
  modelConfigIds: string[];
  concurrency: number;
  name?: string;
}

const id = (value: string) => encodeURIComponent(value);

export const batchesApi = {
  list: (filters: BatchFilters, opts?: CallOptions) =>
    http.get<Paginated<Batch>>('/compare/batches', { ...opts, query: { ...filters } }),
  get: (batchId: string, opts?: CallOptions) => http.get<Batch>(`/compare/batches/${id(batchId)}`, opts),
  /** Multipart, as the server reads it: the file, repeated `modelConfigIds`, `concurrency` and an optional `name`. */
  create: (input: CreateBatchRequest, opts?: CallOptions) => {
    const form = new FormData();
    for (const configId of input.modelConfigIds) form.append('modelConfigIds', configId);
    form.append('concurrency', String(input.concurrency));
    if (input.name?.trim()) form.append('name', input.name.trim());
    // Fields before the file: the server streams the parts in order.
    form.append('file', input.file, input.file.name);
    return http.post<{ id: string }>('/compare/batches', form, opts);
  },
  cancel: (batchId: string, opts?: CallOptions) =>
    http.post<Batch>(`/compare/batches/${id(batchId)}/cancel`, undefined, opts),
  remove: (batchId: string, opts?: CallOptions) => http.delete<void>(`/compare/batches/${id(batchId)}`, opts),
  report: (batchId: string, opts?: CallOptions) =>
    http.get<BatchReport>(`/compare/batches/${id(batchId)}/report`, { ...opts, query: { format: 'json' } }),
  download: async (batchId: string, format: BatchReportFormat, opts?: CallOptions): Promise<DownloadedFile> => {
    const response = await http.open(`/compare/batches/${id(batchId)}/report`, {
      ...opts,
      query: { format },
      headers: { Accept: '*/*' },
    });
    return readDownload(response, `batch-report.${format}`);
  },
};

export interface FollowBatchOptions {
  onBatch: (batch: Batch) => void;
  onConnectionChange?: (state: 'open' | 'reconnecting') => void;
  signal: AbortSignal;
  backoffMs?: readonly number[];
  maxAttempts?: number;
}

const RECONNECT_BACKOFF_MS = [500, 1000, 2000, 4000, 8000] as const;

function wait(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', abort);
      resolve(true);
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', abort, { once: true });
  });
}

function isRetryable(error: unknown): boolean {
  if (!isApiError(error)) return true; // the body broke off mid-read
  if (error.code === CLIENT_ERROR_CODES.sessionExpired || error.code === CLIENT_ERROR_CODES.badResponse) return false;
  return error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
}

/**
 * Follows a batch's progress stream until its `done` event. Every event is a whole snapshot and each connection
 * starts with the current one (its event ids restart at 1), so a dropped connection is simply opened again: no
 * `Last-Event-ID` bookkeeping, and a replayed snapshot is harmless. Resolves with the final batch, or null when
 * aborted; rejects with the ApiError of a refused connection (404…) or after too many failed reconnections.
 */
export async function followBatch(batchId: string, options: FollowBatchOptions): Promise<Batch | null> {
  const { signal } = options;
  const backoff = options.backoffMs ?? RECONNECT_BACKOFF_MS;
  const maxAttempts = options.maxAttempts ?? 12;
  let failures = 0;
  // Set from the event callback (an object, so TypeScript does not narrow it away).
  const outcome: { final: Batch | null } = { final: null };
  for (;;) {
    if (signal.aborted) return null;
    try {
      const response = await http.open(`/compare/batches/${id(batchId)}/events`, {
        signal,
        silent: true,
        headers: { Accept: 'text/event-stream' },
      });
      options.onConnectionChange?.('open');
      await readEventStream(
        response,
        (event) => {
          if (event.event !== 'progress' && event.event !== 'done') return;
          let batch: Batch;
          try {
            batch = JSON.parse(event.data) as Batch;
          } catch {
            return;
          }
          failures = 0;
          options.onBatch(batch);
          if (event.event === 'done') outcome.final = batch;
        },
        signal,
      );
      if (outcome.final) return outcome.final;
    } catch (error) {
      if (signal.aborted || (error instanceof DOMException && error.name === 'AbortError')) return null;
      if (!isRetryable(error)) throw error;
    }
    if (outcome.final) return outcome.final;
    if (signal.aborted) return null;
    failures++;
    if (failures > maxAttempts) {
      throw new ApiError({ status: 0, code: CLIENT_ERROR_CODES.network, message: 'The progress stream was lost' });
    }
    options.onConnectionChange?.('reconnecting');
    if (!(await wait(backoff[Math.min(failures - 1, backoff.length - 1)] ?? 1000, signal))) return null;
  }
}
