import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CompareRunQuery } from '@modelyard/contracts';
import { DataSource } from 'typeorm';
import { likePattern } from '../../common/pagination';

export interface CompareColumnRow {
  column: number;
  modelConfigId: string | null;
  name: string;
  model: string;
  inputPrice: number | null;
  outputPrice: number | null;
  sessionId: string;
}

export interface CompareRunRow {
  id: string;
  ownerId: string;
  title: string;
  systemPrompt: string | null;
  createdAt: Date;
  updatedAt: Date;
  columns: CompareColumnRow[];
  turnCount: number;
}

export interface NewCompareRun {
  ownerId: string;
  title: string;
  systemPrompt: string | null;
  columns: CompareColumnRow[];
}

const RUN_COLUMNS = `
  r.id, r.owner_id AS "ownerId", r.title, r.system_prompt AS "systemPrompt", r.created_at AS "createdAt",
  r.updated_at AS "updatedAt",
  (SELECT json_agg(json_build_object(
      'column', c.column_index, 'modelConfigId', c.model_config_id, 'name', c.name, 'model', c.model,
      'inputPrice', c.input_price, 'outputPrice', c.output_price, 'sessionId', c.session_id)
    ORDER BY c.column_index) FROM compare_columns c WHERE c.run_id = r.id) AS columns,
  (SELECT coalesce(max(n), 0)::int FROM (
     SELECT count(*) AS n FROM compare_columns c JOIN chat_messages m ON m.session_id = c.session_id
      WHERE c.run_id = r.id AND m.role = 'user'
        -- Turns seeded from an earlier conversation (answered without a generation) are not compared turns.
        AND NOT EXISTS (SELECT 1 FROM chat_messages a
                         WHERE a.parent_id = m.id AND a.role = 'assistant' AND a.generation_id IS NULL)
      GROUP BY c.column_index) per_column) AS "turnCount"`;

/** Compare runs and their columns; each column's conversation lives in a hidden chat session. */
@Injectable()
export class CompareRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(run: NewCompareRun): Promise<string> {
    return this.db.transaction(async (tx) => {
      const [{ id }] = (await tx.query(
        'INSERT INTO compare_runs (owner_id, title, system_prompt) VALUES ($1, $2, $3) RETURNING id',
        [run.ownerId, run.title, run.systemPrompt],
      )) as { id: string }[];
      for (const c of run.columns) {
        await tx.query(
          `INSERT INTO compare_columns (run_id, column_index, model_config_id, name, model, input_price, output_price,
                                        session_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [id, c.column, c.modelConfigId, c.name, c.model, c.inputPrice, c.outputPrice, c.sessionId],
        );
      }
      return id;
    });
  }

  async find(id: string): Promise<CompareRunRow | null> {
    const rows = (await this.db.query(`SELECT ${RUN_COLUMNS} FROM compare_runs r WHERE r.id = $1`, [
      id,
    ])) as CompareRunRow[];
    return rows[0] ? normalise(rows[0]) : null;
  }

  /** The owner's runs, newest first; search matches the title and every prompt sent in the run. */
  async list(ownerId: string, query: CompareRunQuery): Promise<[CompareRunRow[], number]> {
    const params: unknown[] = [ownerId];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = ['r.owner_id = $1'];
    if (query.search) {
      const pattern = param(likePattern(query.search));
      // `status <> 'streaming'` matches the partial trigram index (a user message is never streaming).
      where.push(`(r.title ILIKE ${pattern} OR EXISTS (
        SELECT 1 FROM compare_columns c JOIN chat_messages m ON m.session_id = c.session_id
         WHERE c.run_id = r.id AND c.column_index = 0 AND m.role = 'user' AND m.status <> 'streaming'
           AND m.content ILIKE ${pattern}))`);
    }
    if (query.modelConfigId) {
      where.push(
        `EXISTS (SELECT 1 FROM compare_columns c WHERE c.run_id = r.id AND c.model_config_id = ${param(query.modelConfigId)})`,
      );
    }
    if (query.from) where.push(`r.created_at >= ${param(query.from)}::timestamptz`);
    if (query.to) {
      // A bare date means the whole of that day.
      const to = /^\d{4}-\d{2}-\d{2}$/.test(query.to)
        ? `${param(query.to)}::date + 1`
        : `${param(query.to)}::timestamptz`;
      where.push(`r.created_at < ${to}`);
    }
    const filter = `WHERE ${where.join(' AND ')}`;
    const [{ total }] = (await this.db.query(
      `SELECT count(*)::int AS total FROM compare_runs r ${filter}`,
      params,
    )) as {
      total: number;
    }[];
    const limit = param(query.pageSize);
    const offset = param((query.page - 1) * query.pageSize);
    const rows = (await this.db.query(
      `SELECT ${RUN_COLUMNS} FROM compare_runs r ${filter} ORDER BY r.created_at DESC, r.id LIMIT ${limit} OFFSET ${offset}`,
      params,
    )) as CompareRunRow[];
    return [rows.map(normalise), total];
  }

  async touch(id: string): Promise<void> {
    await this.db.query('UPDATE compare_runs SET updated_at = now() WHERE id = $1', [id]);
  }

  /** Deletes the run and its columns' hidden sessions (with their messages). */
  async delete(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        'DELETE FROM chat_sessions WHERE id IN (SELECT session_id FROM compare_columns WHERE run_id = $1)',
        [id],
      );
      await tx.query('DELETE FROM compare_runs WHERE id = $1', [id]);
    });
  }

  async rate(runId: string, messageId: string, stars: number, note: string | null): Promise<void> {
    await this.db.query(
      `INSERT INTO compare_ratings (message_id, run_id, stars, note) VALUES ($1, $2, $3, $4)
       ON CONFLICT (message_id) DO UPDATE SET stars = $3, note = $4, updated_at = now()`,
      [messageId, runId, stars, note],
    );
  }

  async ratings(runId: string): Promise<Map<string, { stars: number; note: string | null }>> {
    const rows = (await this.db.query(
      'SELECT message_id AS "messageId", stars, note FROM compare_ratings WHERE run_id = $1',
      [runId],
    )) as { messageId: string; stars: number; note: string | null }[];
    return new Map(rows.map((r) => [r.messageId, { stars: r.stars, note: r.note }]));
  }
}

/** numeric columns come back from PostgreSQL as strings. */
function normalise(row: CompareRunRow): CompareRunRow {
  return {
    ...row,
    columns: (row.columns ?? []).map((c) => ({
      ...c,
      inputPrice: c.inputPrice === null ? null : Number(c.inputPrice),
      outputPrice: c.outputPrice === null ? null : Number(c.outputPrice),
    })),
  };
}
