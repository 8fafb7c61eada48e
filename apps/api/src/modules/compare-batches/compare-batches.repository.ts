import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { BatchStatus } from '@modelyard/contracts';
import { DataSource } from 'typeorm';
import type { Question } from './question-file';

export interface BatchModel {
  column: number;
  modelConfigId: string | null;
  name: string;
  model: string;
  inputPrice: number | null;
  outputPrice: number | null;
}

export interface BatchRow {
  id: string;
  ownerId: string;
  name: string;
  filename: string;
  status: BatchStatus;
  models: BatchModel[];
  concurrency: number;
  questions: number;
  hasExpected: boolean;
  cancelRequested: boolean;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Finished cells (any outcome) and errors, per column. */
  doneByColumn: Record<string, number> | null;
  errorsByColumn: Record<string, number> | null;
}

export interface BatchResult {
  idx: number;
  column: number;
  status: 'complete' | 'error';
  answer: string;
  reasoning: string | null;
  latencyMs: number | null;
  ttftMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  bleu: number | null;
  rougeL: number | null;
  error: string | null;
  attempts: number;
}

const BATCH_COLUMNS = `
  b.id, b.owner_id AS "ownerId", b.name, b.filename, b.status, b.models, b.concurrency, b.questions,
  b.has_expected AS "hasExpected", b.cancel_requested AS "cancelRequested", b.error, b.created_at AS "createdAt",
  b.started_at AS "startedAt", b.finished_at AS "finishedAt",
  (SELECT json_object_agg(t.column_index, t.n) FROM (SELECT column_index, count(*)::int AS n
     FROM compare_batch_results r WHERE r.batch_id = b.id GROUP BY column_index) t) AS "doneByColumn",
  (SELECT json_object_agg(t.column_index, t.n) FROM (SELECT column_index, count(*)::int AS n
     FROM compare_batch_results r WHERE r.batch_id = b.id AND r.status = 'error' GROUP BY column_index) t)
    AS "errorsByColumn"`;

/** Batch compare jobs: PostgreSQL holds their state and results; the queue only carries them to a worker. */
@Injectable()
export class CompareBatchesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(batch: {
    ownerId: string;
    name: string;
    filename: string;
    models: BatchModel[];
    concurrency: number;
    questions: Question[];
  }): Promise<string> {
    return this.db.transaction(async (tx) => {
      const [{ id }] = (await tx.query(
        `INSERT INTO compare_batches (owner_id, name, filename, models, concurrency, questions, has_expected)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [
          batch.ownerId,
          batch.name,
          batch.filename,
          JSON.stringify(batch.models),
          batch.concurrency,
          batch.questions.length,
          batch.questions.some((q) => q.expected !== null),
        ],
      )) as { id: string }[];
      // One statement for all rows: a 5,000-question upload stays one round trip.
      await tx.query(
        `INSERT INTO compare_batch_items (batch_id, idx, question, expected)
         SELECT $1, ordinality - 1, q, e FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(q, e)`,
        [id, batch.questions.map((q) => q.question), batch.questions.map((q) => q.expected)],
      );
      return id;
    });
  }

  async find(id: string): Promise<BatchRow | null> {
    const rows = (await this.db.query(`SELECT ${BATCH_COLUMNS} FROM compare_batches b WHERE b.id = $1`, [
      id,
    ])) as BatchRow[];
    return rows[0] ?? null;
  }

  async list(ownerId: string, page: number, pageSize: number, status?: BatchStatus): Promise<[BatchRow[], number]> {
    const [{ total }] = (await this.db.query(
      'SELECT count(*)::int AS total FROM compare_batches b WHERE b.owner_id = $1 AND ($2::text IS NULL OR b.status = $2)',
      [ownerId, status ?? null],
    )) as { total: number }[];
    const rows = (await this.db.query(
      `SELECT ${BATCH_COLUMNS} FROM compare_batches b WHERE b.owner_id = $1 AND ($2::text IS NULL OR b.status = $2)
        ORDER BY b.created_at DESC, b.id LIMIT $3 OFFSET $4`,
      [ownerId, status ?? null, pageSize, (page - 1) * pageSize],
    )) as BatchRow[];
    return [rows, total];
  }

  items(batchId: string): Promise<{ idx: number; question: string; expected: string | null }[]> {
    return this.db.query('SELECT idx, question, expected FROM compare_batch_items WHERE batch_id = $1 ORDER BY idx', [
      batchId,
    ]) as Promise<{ idx: number; question: string; expected: string | null }[]>;
  }

  results(batchId: string): Promise<BatchResult[]> {
    return this.db.query(
      `SELECT idx, column_index AS "column", status, answer, reasoning, latency_ms AS "latencyMs",
              ttft_ms AS "ttftMs", prompt_tokens AS "promptTokens", completion_tokens AS "completionTokens", bleu,
              rouge_l AS "rougeL", error, attempts
         FROM compare_batch_results WHERE batch_id = $1 ORDER BY idx, column_index`,
      [batchId],
    ) as Promise<BatchResult[]>;
  }

  /** The (question, column) cells that have no result yet: what a (re)started job still has to do. */
  async pendingCells(batchId: string, columns: number[]): Promise<{ idx: number; column: number }[]> {
    return this.db.query(
      `SELECT i.idx, c.col AS "column" FROM compare_batch_items i CROSS JOIN unnest($2::int[]) AS c(col)
        WHERE i.batch_id = $1 AND NOT EXISTS (
          SELECT 1 FROM compare_batch_results r WHERE r.batch_id = i.batch_id AND r.idx = i.idx AND r.column_index = c.col)
        ORDER BY i.idx, c.col`,
      [batchId, columns],
    ) as Promise<{ idx: number; column: number }[]>;
  }

  /** Idempotent: a cell written twice (a job retried after a crash) keeps its first result. */
  async saveResult(batchId: string, r: BatchResult): Promise<void> {
    await this.db.query(
      `INSERT INTO compare_batch_results (batch_id, idx, column_index, status, answer, reasoning, latency_ms, ttft_ms,
                                          prompt_tokens, completion_tokens, bleu, rouge_l, error, attempts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT DO NOTHING`,
      [
        batchId,
        r.idx,
        r.column,
        r.status,
        r.answer,
        r.reasoning,
        r.latencyMs,
        r.ttftMs,
        r.promptTokens,
        r.completionTokens,
        r.bleu,
        r.rougeL,
        r.error,
        r.attempts,
      ],
    );
  }

  async markRunning(id: string): Promise<void> {
    await this.db.query(
      `UPDATE compare_batches SET status = 'running', started_at = coalesce(started_at, now())
        WHERE id = $1 AND status IN ('queued', 'running')`,
      [id],
    );
  }

  /** Ends the batch unless it already ended (a cancel that won the race stays a cancel). */
  async finish(id: string, status: 'completed' | 'failed' | 'cancelled', error: string | null = null): Promise<void> {
    await this.db.query(
      `UPDATE compare_batches SET status = $2, error = $3, finished_at = now()
        WHERE id = $1 AND status IN ('queued', 'running')`,
      [id, status, error],
    );
  }

  /** Asks the running job to stop; a queued one is cancelled at once. Returns false when it had already ended. */
  async requestCancel(id: string): Promise<boolean> {
    const [, affected] = (await this.db.query(
      `UPDATE compare_batches SET cancel_requested = true,
              status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
              finished_at = CASE WHEN status = 'queued' THEN now() ELSE finished_at END
        WHERE id = $1 AND status IN ('queued', 'running')`,
      [id],
    )) as [unknown[], number];
    // For UPDATE the driver answers [rows, affected count].
    return affected > 0;
  }

  async cancelRequested(id: string): Promise<boolean> {
    const rows = (await this.db.query('SELECT cancel_requested AS c FROM compare_batches WHERE id = $1', [id])) as {
      c: boolean;
    }[];
    return rows[0]?.c ?? true;
  }

  async delete(id: string): Promise<void> {
    await this.db.query('DELETE FROM compare_batches WHERE id = $1', [id]);
  }
}
