import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import {
  type Batch,
  type BatchModelStats,
  type BatchReport,
  type CreateBatchFields,
  isBatchFinished,
  type Paginated,
} from '@modelyard/contracts';
import type { Queue } from 'bullmq';
import type { AuthUser } from '../../common/auth/auth.decorators';
import { paginated } from '../../common/pagination';
import { CompareBatchJob, type JobPayloads, QueueName } from '../../common/queue/queue.types';
import { ModelConfigsService } from '../model-configs/model-configs.service';
import { BatchProgressRepository } from './batch-progress.repository';
import { CompareBatchesErrorCode, compareBatchesError } from './compare-batches.errors';
import { type BatchResult, type BatchRow, CompareBatchesRepository } from './compare-batches.repository';
import { parseQuestionFile, QuestionFileError } from './question-file';

@Injectable()
export class CompareBatchesService {
  constructor(
    private readonly batches: CompareBatchesRepository,
    private readonly progress: BatchProgressRepository,
    private readonly modelConfigs: ModelConfigsService,
    @InjectQueue(QueueName.CompareBatches) private readonly queue: Queue,
  ) {}

  async create(
    user: AuthUser,
    file: { filename: string; bytes: Buffer },
    fields: CreateBatchFields,
    requestId?: string,
  ): Promise<{ id: string }> {
    let questions;
    try {
      questions = parseQuestionFile(file.filename, file.bytes);
    } catch (error) {
      if (error instanceof QuestionFileError) {
        throw compareBatchesError(CompareBatchesErrorCode.InvalidFile, error.message, error.details);
      }
      throw error;
    }
    const usables = await Promise.all(fields.modelConfigIds.map((id) => this.modelConfigs.openForUse(user, id)));
    const id = await this.batches.create({
      ownerId: user.id,
      name: fields.name || file.filename,
      filename: file.filename,
      concurrency: fields.concurrency,
      questions,
      models: usables.map((u, column) => ({
        column,
        modelConfigId: u.config.id,
        name: u.config.name,
        model: u.config.model,
        inputPrice: u.config.inputPricePerMTok,
        outputPrice: u.config.outputPricePerMTok,
      })),
    });
    // The job id is the batch id: enqueueing twice (a retried request) cannot run it twice.
    const payload: JobPayloads[CompareBatchJob.Run] = { batchId: id, requestId };
    await this.queue.add(CompareBatchJob.Run, payload, {
      jobId: id,
      attempts: 5,
      backoff: { type: 'exponential', delay: 2000 },
    });
    return { id };
  }

  async list(user: AuthUser, page: number, pageSize: number, status?: Batch['status']): Promise<Paginated<Batch>> {
    const [rows, total] = await this.batches.list(user.id, page, pageSize, status);
    return paginated(
      rows.map((r) => toBatch(r)),
      total,
      page,
      pageSize,
    );
  }

  async get(user: AuthUser, id: string): Promise<Batch> {
    return toBatch(await this.owned(user, id));
  }

  /** Stops the batch; what finished is kept. */
  async cancel(user: AuthUser, id: string): Promise<Batch> {
    const row = await this.owned(user, id);
    if (!(await this.batches.requestCancel(row.id))) {
      throw compareBatchesError(CompareBatchesErrorCode.Finished, `This batch has already ${row.status}`);
    }
    const batch = toBatch((await this.batches.find(id))!);
    await this.progress.publish(batch).catch(() => undefined);
    return batch;
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    const row = await this.owned(user, id);
    if (!isBatchFinished(row.status)) await this.batches.requestCancel(row.id);
    await this.queue.remove(id).catch(() => undefined);
    await this.batches.delete(row.id);
    // Whoever follows its progress sees it end (as cancelled) instead of waiting for snapshots that never come.
    await this.progress.publish({ ...toBatch(row), status: 'cancelled' }).catch(() => undefined);
  }

  /**
   * The current snapshot, then every published one; the caller has checked that the batch is theirs. Null when the
   * batch was deleted meanwhile.
   */
  async follow(id: string, listener: (batch: Batch) => void): Promise<(() => void) | null> {
    const detach = await this.progress.follow(id, listener);
    // Read after subscribing, so no snapshot published in between is lost.
    const row = await this.batches.find(id);
    if (!row) {
      detach();
      return null;
    }
    listener(toBatch(row));
    return detach;
  }

  async report(user: AuthUser, id: string): Promise<BatchReport> {
    const row = await this.owned(user, id);
    const [items, results] = await Promise.all([this.batches.items(id), this.batches.results(id)]);
    const cells = new Map(results.map((r) => [`${r.idx}:${r.column}`, r]));
    return {
      batch: toBatch(row),
      models: row.models.map((m) =>
        modelStats(
          m,
          results.filter((r) => r.column === m.column),
        ),
      ),
      rows: items.map((item) => ({
        index: item.idx + 1,
        question: item.question,
        expected: item.expected,
        cells: row.models.map((m) => {
          const r = cells.get(`${item.idx}:${m.column}`);
          return r
            ? {
                status: r.status,
                answer: r.answer,
                latencyMs: r.latencyMs,
                ttftMs: r.ttftMs,
                promptTokens: r.promptTokens,
                completionTokens: r.completionTokens,
                bleu: r.bleu,
                rougeL: r.rougeL,
                error: r.error,
                attempts: r.attempts,
              }
            : null;
        }),
      })),
    };
  }

  private async owned(user: AuthUser, id: string): Promise<BatchRow> {
    const row = await this.batches.find(id);
    if (!row || row.ownerId !== user.id) throw compareBatchesError(CompareBatchesErrorCode.NotFound, 'Batch not found');
    return row;
  }
}

/** The API's view of a batch row; the worker adds live details (pauses, ETA) to the snapshots it publishes. */
export function toBatch(
  row: BatchRow,
  live?: { pausedUntil?: Map<number, number>; etaSeconds?: number | null },
): Batch {
  const doneOf = (column: number) => row.doneByColumn?.[String(column)] ?? 0;
  const done = row.models.reduce((sum, m) => sum + doneOf(m.column), 0);
  return {
    id: row.id,
    name: row.name,
    filename: row.filename,
    status: row.status,
    done,
    total: row.questions * row.models.length,
    questions: row.questions,
    concurrency: row.concurrency,
    hasExpected: row.hasExpected,
    cancelRequested: row.cancelRequested,
    models: row.models.map((m) => {
      const paused = live?.pausedUntil?.get(m.column);
      return {
        column: m.column,
        modelConfigId: m.modelConfigId,
        name: m.name,
        done: doneOf(m.column),
        errors: row.errorsByColumn?.[String(m.column)] ?? 0,
        pausedUntil: paused && paused > Date.now() ? new Date(paused).toISOString() : null,
      };
    }),
    etaSeconds: row.status === 'running' ? (live?.etaSeconds ?? null) : null,
    error: row.error,
    createdAt: new Date(row.createdAt).toISOString(),
    startedAt: row.startedAt ? new Date(row.startedAt).toISOString() : null,
    finishedAt: row.finishedAt ? new Date(row.finishedAt).toISOString() : null,
  };
}

function percentile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  // Nearest rank: the value below which q of the observations fall.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
const round = (value: number | null, digits = 1) =>
  value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;

export function modelStats(model: BatchRow['models'][number], results: BatchResult[]): BatchModelStats {
  const answered = results.filter((r) => r.status === 'complete');
  const latencies = answered
    .map((r) => r.latencyMs)
    .filter((v): v is number => v !== null)
    .sort((a, b) => a - b);
  const promptTokens = answered.reduce((sum, r) => sum + (r.promptTokens ?? 0), 0);
  const completionTokens = answered.reduce((sum, r) => sum + (r.completionTokens ?? 0), 0);
  const scored = (key: 'bleu' | 'rougeL') => answered.map((r) => r[key]).filter((v): v is number => v !== null);
  return {
    column: model.column,
    modelConfigId: model.modelConfigId,
    name: model.name,
    model: model.model,
    answered: answered.length,
    errors: results.length - answered.length,
    latencyMs: {
      mean: round(mean(latencies)),
      p50: percentile(latencies, 0.5),
      p95: percentile(latencies, 0.95),
      min: latencies[0] ?? null,
      max: latencies.at(-1) ?? null,
    },
    promptTokens,
    completionTokens,
    estimatedCost:
      model.inputPrice !== null || model.outputPrice !== null
        ? ((model.inputPrice ?? 0) * promptTokens + (model.outputPrice ?? 0) * completionTokens) / 1_000_000
        : null,
    bleu: round(mean(scored('bleu')), 4),
    rougeL: round(mean(scored('rougeL')), 4),
  };
}
