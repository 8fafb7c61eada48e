import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Chat sessions and their message trees (regenerations and edits are sibling branches). */
export class ChatSessions1763900000000 implements MigrationInterface {
  name = 'ChatSessions1763900000000';

  async up(db: QueryRunner): Promise<void> {
    // Trigram indexes make substring search work for any language, Chinese included (no word boundaries needed).
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await db.query(`
      CREATE TABLE chat_sessions (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id          uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        title             text NOT NULL,
        title_is_auto     boolean NOT NULL DEFAULT true,
        model_config_id   uuid REFERENCES model_configs (id) ON DELETE SET NULL,
        system_prompt     text,
        pinned            boolean NOT NULL DEFAULT false,
        archived          boolean NOT NULL DEFAULT false,
        current_leaf_id   uuid,
        message_count     integer NOT NULL DEFAULT 0,
        last_activity_at  timestamptz NOT NULL DEFAULT now(),
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE INDEX chat_sessions_owner_activity_idx ON chat_sessions (owner_id, archived, pinned DESC, last_activity_at DESC)`,
    );
    await db.query(`CREATE INDEX chat_sessions_title_trgm_idx ON chat_sessions USING gin (title gin_trgm_ops)`);
    await db.query(`CREATE INDEX chat_sessions_model_config_idx ON chat_sessions (model_config_id)`);

    await db.query(`
      CREATE TABLE chat_messages (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id       uuid NOT NULL REFERENCES chat_sessions (id) ON DELETE CASCADE,
        parent_id        uuid REFERENCES chat_messages (id) ON DELETE CASCADE,
        role             text NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
        content          text NOT NULL DEFAULT '',
        reasoning        text,
        reasoning_ms     integer,
        model            text,
        model_config_id  uuid REFERENCES model_configs (id) ON DELETE SET NULL,
        status           text NOT NULL CHECK (status IN ('streaming', 'complete', 'stopped', 'error', 'interrupted')),
        usage            jsonb,
        ttft_ms          integer,
        total_ms         integer,
        error            jsonb,
        generation_id    uuid,
        -- The API process running the generation; a sweep finishes orphans whose process stopped heart-beating.
        owner_instance   text,
        -- clock_timestamp, not now(): messages inserted in one transaction must still sort in insertion order.
        created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX chat_messages_session_idx ON chat_messages (session_id, created_at)`);
    await db.query(`CREATE INDEX chat_messages_parent_idx ON chat_messages (parent_id)`);
    await db.query(
      `CREATE UNIQUE INDEX chat_messages_generation_key ON chat_messages (generation_id) WHERE generation_id IS NOT NULL`,
    );
    await db.query(`CREATE INDEX chat_messages_streaming_idx ON chat_messages (status) WHERE status = 'streaming'`);
    await db.query(`CREATE INDEX chat_messages_content_trgm_idx ON chat_messages USING gin (content gin_trgm_ops)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE chat_messages`);
    await db.query(`DROP TABLE chat_sessions`);
    // pg_trgm stays: other databases objects may use it, and dropping an extension is not ours to decide.
  }
}
