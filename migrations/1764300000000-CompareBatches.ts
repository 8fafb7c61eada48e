import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Batch compare jobs: the uploaded questions and one result per question × model. PostgreSQL is the job's source
 * of truth (BullMQ only carries it), so a restarted worker resumes from the cells still missing.
 */
export class CompareBatches1764300000000 implements MigrationInterface {
  name = 'CompareBatches1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE compare_batches (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id          uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name              text NOT NULL,
        filename          text NOT NULL,
        status            text NOT NULL DEFAULT 'queued'
                          CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
        -- [{ column, modelConfigId, name, model, inputPrice, outputPrice }] as of the upload.
        models            jsonb NOT NULL,
        concurrency       smallint NOT NULL CHECK (concurrency BETWEEN 1 AND 32),
        questions         integer NOT NULL,
        has_expected      boolean NOT NULL,
        cancel_requested  boolean NOT NULL DEFAULT false,
        error             text,
        created_at        timestamptz NOT NULL DEFAULT now(),
        started_at        timestamptz,
        finished_at       timestamptz
      )`);
    await db.query(`CREATE INDEX compare_batches_owner_idx ON compare_batches (owner_id, created_at DESC)`);
    await db.query(`
      CREATE TABLE compare_batch_items (
        batch_id  uuid NOT NULL REFERENCES compare_batches (id) ON DELETE CASCADE,
        idx       integer NOT NULL,
        question  text NOT NULL,
        expected  text,
        PRIMARY KEY (batch_id, idx)
      )`);
    await db.query(`
      CREATE TABLE compare_batch_results (
        batch_id           uuid NOT NULL REFERENCES compare_batches (id) ON DELETE CASCADE,
        idx                integer NOT NULL,
        column_index       smallint NOT NULL,
        status             text NOT NULL CHECK (status IN ('complete', 'error')),
        answer             text NOT NULL DEFAULT '',
        reasoning          text,
        latency_ms         integer,
        ttft_ms            integer,
        prompt_tokens      integer,
        completion_tokens  integer,
        bleu               double precision,
        rouge_l            double precision,
        error              text,
        attempts           smallint NOT NULL DEFAULT 1,
        created_at         timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (batch_id, idx, column_index)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE compare_batch_results`);
    await db.query(`DROP TABLE compare_batch_items`);
    await db.query(`DROP TABLE compare_batches`);
  }
}
