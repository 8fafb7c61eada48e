import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Side-by-side compare runs. Each column is a hidden chat session (kind `compare`), so a column streams, stops,
 * re-attaches and persists exactly like a chat answer, and follow-up turns continue its own conversation.
 */
export class CompareRuns1764100000000 implements MigrationInterface {
  name = 'CompareRuns1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE chat_sessions ADD COLUMN kind text NOT NULL DEFAULT 'chat' CHECK (kind IN ('chat', 'compare', 'arena'))`,
    );
    await db.query(`
      CREATE TABLE compare_runs (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        title          text NOT NULL,
        system_prompt  text,
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX compare_runs_owner_idx ON compare_runs (owner_id, created_at DESC)`);
    await db.query(`CREATE INDEX compare_runs_title_trgm_idx ON compare_runs USING gin (title gin_trgm_ops)`);
    await db.query(`
      CREATE TABLE compare_columns (
        run_id           uuid NOT NULL REFERENCES compare_runs (id) ON DELETE CASCADE,
        column_index     smallint NOT NULL,
        model_config_id  uuid REFERENCES model_configs (id) ON DELETE SET NULL,
        -- As of the run: the config may later be renamed, repointed or deleted.
        name             text NOT NULL,
        model            text NOT NULL,
        input_price      numeric,
        output_price     numeric,
        session_id       uuid NOT NULL REFERENCES chat_sessions (id) ON DELETE CASCADE,
        PRIMARY KEY (run_id, column_index)
      )`);
    await db.query(`CREATE INDEX compare_columns_model_config_idx ON compare_columns (model_config_id)`);
    await db.query(`
      CREATE TABLE compare_ratings (
        message_id  uuid PRIMARY KEY REFERENCES chat_messages (id) ON DELETE CASCADE,
        run_id      uuid NOT NULL REFERENCES compare_runs (id) ON DELETE CASCADE,
        stars       smallint NOT NULL CHECK (stars BETWEEN 1 AND 5),
        note        text,
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE compare_ratings`);
    await db.query(`DROP TABLE compare_columns`);
    await db.query(`DROP TABLE compare_runs`);
    await db.query(`DELETE FROM chat_sessions WHERE kind <> 'chat'`);
    await db.query(`ALTER TABLE chat_sessions DROP COLUMN kind`);
  }
}
