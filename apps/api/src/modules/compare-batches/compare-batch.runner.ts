import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { isBatchFinished } from '@modelyard/contracts';
import type { ChatMessage } from '@modelyard/llm-clients';
import { ModelConfigsService, type UsableModelConfig } from '../model-configs/model-configs.service';
import { UserAuthStateCache } from '../users/user-auth-state.cache';
import { UsersRepository } from '../users/users.repository';
import { BatchProgressRepository } from './batch-progress.repository';
import { type BatchResult, type BatchRow, CompareBatchesRepository } from './compare-batches.repository';
import { toBatch } from './compare-batches.service';
import { bleu, rougeL } from './text-metrics';

/** Failures other than rate limits are retried this many times in all, with exponential backoff. */
const MAX_ATTEMPTS = 3;
const BACKOFF_MS = 500;
/** A model that keeps answering 429 is retried this long before the cell records the error. */
const MAX_RATE_LIMIT_WAIT_MS = 120_000;
const DEFAULT_RETRY_AFTER_MS = 2000;
const PROGRESS_INTERVAL_MS = 250;
const CANCEL_POLL_MS = 500;

interface Outcome {
  status: 'complete' | 'error';
  answer: string;
  reasoning: string | null;
  latencyMs: number | null;
  ttftMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  error: string | null;
  attempts: number;
}

type Attempt =
  | { ok: true; outcome: Omit<Outcome, 'attempts'> }
  | { ok: false; retryAfterMs?: number; message: string; retryable: boolean };

/**
 * Runs one batch on the worker: every missing (question × model) cell, `concurrency` at a time, written to
 * PostgreSQL as it finishes (so a restarted job resumes), progress published for the browsers following it.
 * A 429 pauses that model (honouring Retry-After) while the others carry on; other failures are retried with backoff.
 */
@Injectable()
export class CompareBatchRunner implements BeforeApplicationShutdown {
  private readonly logger = new Logger(CompareBatchRunner.name);
  private readonly running = new Set<AbortController>();
  private shuttingDown = false;

  constructor(
    private readonly batches: CompareBatchesRepository,
    private readonly progress: BatchProgressRepository,
    private readonly modelConfigs: ModelConfigsService,
    private readonly users: UsersRepository,
    private readonly authState: UserAuthStateCache,
  ) {}

  /**
   * A stopping worker (deploy, SIGTERM) aborts its batches instead of holding the shutdown until they end: the job
   * fails this attempt, BullMQ retries it, and the next worker resumes from the cells still missing.
   */
  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
    for (const abort of this.running) abort.abort();
  }

  async run(batchId: string): Promise<'completed' | 'cancelled' | 'gone'> {
    const batch = await this.batches.find(batchId);
    if (!batch || isBatchFinished(batch.status)) return 'gone';
    if (batch.cancelRequested) {
      await this.batches.finish(batchId, 'cancelled');
      await this.publish(batchId);
      return 'cancelled';
    }
    const owner = await this.users.findById(batch.ownerId);
    // A disabled account's work stops with it: no more upstream calls on its behalf.
    if (!owner?.isActive) {
      await this.batches.finish(batchId, 'cancelled');
      await this.publish(batchId);
      return 'cancelled';
    }
    await this.batches.markRunning(batchId);
    const user = { id: batch.ownerId, role: owner?.role ?? 'user' };
    const usable = new Map<number, UsableModelConfig | string>();
    for (const m of batch.models) {
      try {
        if (!m.modelConfigId) throw new Error('the model config was deleted');
        usable.set(m.column, await this.modelConfigs.openForUse(user, m.modelConfigId));
      } catch (error) {
        usable.set(m.column, `Model config unavailable: ${(error as Error).message}`);
      }
    }
    const items = new Map((await this.batches.items(batchId)).map((i) => [i.idx, i]));
    const queue = await this.batches.pendingCells(
      batchId,
      batch.models.map((m) => m.column),
    );

    const abort = new AbortController();
    this.running.add(abort);
    const pausedUntil = new Map<number, number>();
    const started = Date.now();
    let doneThisRun = 0;
    const remainingAtStart = queue.length;
    let lastPublish = 0;
    const publish = (force = false) => {
      if (!force && Date.now() - lastPublish < PROGRESS_INTERVAL_MS) return;
      lastPublish = Date.now();
      // From the pace so far, once a round of answers has come back (the first one alone says little: with several
      // at once it is the fastest of them).
      const eta =
        doneThisRun >= Math.max(2, batch.concurrency)
          ? Math.round((((Date.now() - started) / doneThisRun) * (remainingAtStart - doneThisRun)) / 1000)
          : null;
      void this.publish(batchId, { pausedUntil, etaSeconds: eta });
    };
    let ownerDisabled = false;
    const cancelPoll = setInterval(() => {
      // The owner's state is the guard's own copy (in memory, dropped on every change): no query per tick.
      void Promise.all([this.batches.cancelRequested(batchId), this.authState.get(batch.ownerId)]).then(
        ([cancel, current]) => {
          ownerDisabled = !current?.isActive;
          if (cancel || ownerDisabled) abort.abort();
        },
        () => undefined,
      );
    }, CANCEL_POLL_MS);
    publish(true);

    const worker = async () => {
      for (let cell = queue.shift(); cell && !abort.signal.aborted; cell = queue.shift()) {
        const item = items.get(cell.idx)!;
        const target = usable.get(cell.column)!;
        const outcome =
          typeof target === 'string'
            ? failed(target, 0)
            : await this.answer(target, item.question, cell.column, pausedUntil, abort.signal, publish);
        if (abort.signal.aborted && outcome.status === 'error') break; // a cancelled cell is left to do, not failed
        const scores =
          outcome.status === 'complete' && item.expected
            ? { bleu: bleu(outcome.answer, item.expected), rougeL: rougeL(outcome.answer, item.expected) }
            : { bleu: null, rougeL: null };
        const result: BatchResult = { idx: cell.idx, column: cell.column, ...outcome, ...scores };
        // The write does not hold the slot: the next question goes upstream while this answer is stored. A crash
        // before it lands only means the cell is asked again on resume.
        const write = this.batches.saveResult(batchId, result).then(() => {
          doneThisRun++;
          publish();
        });
        writes.add(write);
        void write.then(
          () => writes.delete(write),
          (error: Error) => {
            writes.delete(write);
            writeFailure ??= error;
            abort.abort();
          },
        );
      }
    };
    const writes = new Set<Promise<void>>();
    let writeFailure: Error | null = null;
    try {
      await Promise.all(Array.from({ length: Math.min(batch.concurrency, Math.max(1, queue.length)) }, worker));
      await Promise.allSettled([...writes]);
    } finally {
      clearInterval(cancelPoll);
      this.running.delete(abort);
    }
    // A result that could not be stored fails this attempt; the retry asks only the cells still missing.
    if (writeFailure) throw writeFailure;
    const cancelled = ownerDisabled || (await this.batches.cancelRequested(batchId));
    if (this.shuttingDown && !cancelled) {
      await this.publish(batchId);
      throw new Error('the worker is shutting down; the batch resumes on the next one');
    }
    await this.batches.finish(batchId, cancelled ? 'cancelled' : 'completed');
    await this.publish(batchId);
    return cancelled ? 'cancelled' : 'completed';
  }

  /** Marks the batch failed (the job gave up) and tells its followers. */
  async fail(batchId: string, message: string): Promise<void> {
    await this.batches.finish(batchId, 'failed', message);
    await this.publish(batchId);
  }

  private async answer(
    usable: UsableModelConfig,
    question: string,
    column: number,
    pausedUntil: Map<number, number>,
    signal: AbortSignal,
    publish: () => void,
  ): Promise<Outcome> {
    let attempts = 0;
    let rateLimitedSince: number | null = null;
    for (;;) {
      const wait = (pausedUntil.get(column) ?? 0) - Date.now();
      if (wait > 0) await sleep(wait, signal);
      if (signal.aborted) return failed('Cancelled', attempts);
      attempts++;
      const attempt = await this.attempt(usable, question, signal);
      if (attempt.ok) return { ...attempt.outcome, attempts };
      if (attempt.retryAfterMs !== undefined) {
        // Rate limited: hold the whole model back, not just this cell, then try again.
        rateLimitedSince ??= Date.now();
        if (Date.now() - rateLimitedSince < MAX_RATE_LIMIT_WAIT_MS) {
          pausedUntil.set(column, Math.max(pausedUntil.get(column) ?? 0, Date.now() + attempt.retryAfterMs));
          publish();
          attempts--;
          continue;
        }
      }
      if (!attempt.retryable || attempts >= MAX_ATTEMPTS) return failed(attempt.message, attempts);
      await sleep(BACKOFF_MS * 2 ** (attempts - 1), signal);
    }
  }

  private async attempt(usable: UsableModelConfig, question: string, signal: AbortSignal): Promise<Attempt> {
    const started = performance.now();
    const messages: ChatMessage[] = usable.config.systemPrompt
      ? [
          { role: 'system', content: usable.config.systemPrompt },
          { role: 'user', content: question },
        ]
      : [{ role: 'user', content: question }];
    let answer = '';
    let reasoning = '';
    let ttftMs: number | null = null;
    let usage: { promptTokens: number; completionTokens: number } | null = null;
    try {
      for await (const event of this.modelConfigs.streamChat(usable, {
        model: usable.config.model,
        messages,
        params: usable.config.params,
        signal,
      })) {
        if ((event.type === 'content' || event.type === 'reasoning') && ttftMs === null)
          ttftMs = Math.round(performance.now() - started);
        if (event.type === 'content') answer += event.text;
        else if (event.type === 'reasoning') reasoning += event.text;
        else if (event.type === 'reclassify') ({ content: answer, reasoning } = event);
        else if (event.type === 'usage')
          usage = { promptTokens: event.promptTokens, completionTokens: event.completionTokens };
        else if (event.type === 'error') {
          const message = this.modelConfigs.describeFailure(usable, event);
          if (event.kind === 'rate_limit')
            return { ok: false, retryAfterMs: event.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS, message, retryable: true };
          return {
            ok: false,
            message,
            retryable: !['auth', 'bad_request', 'not_found', 'aborted'].includes(event.kind),
          };
        }
      }
    } catch (error) {
      this.logger.warn(`batch cell failed unexpectedly: ${(error as Error).message}`);
      return { ok: false, message: 'The request failed unexpectedly', retryable: true };
    }
    return {
      ok: true,
      outcome: {
        status: 'complete',
        answer,
        reasoning: reasoning || null,
        latencyMs: Math.round(performance.now() - started),
        ttftMs,
        promptTokens: usage?.promptTokens ?? null,
        completionTokens: usage?.completionTokens ?? null,
        error: null,
      },
    };
  }

  private async publish(batchId: string, live?: Parameters<typeof toBatch>[1]): Promise<void> {
    const row: BatchRow | null = await this.batches.find(batchId).catch(() => null);
    if (row) await this.progress.publish(toBatch(row, live)).catch(() => undefined);
  }
}

function failed(message: string, attempts: number): Outcome {
  return {
    status: 'error',
    answer: '',
    reasoning: null,
    latencyMs: null,
    ttftMs: null,
    promptTokens: null,
    completionTokens: null,
    error: message,
    attempts,
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
