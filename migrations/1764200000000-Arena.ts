import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The blind arena: enrolled shared model configs, battles (two hidden chat sessions), votes and exclusions. */
export class Arena1764200000000 implements MigrationInterface {
  name = 'Arena1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE arena_models (
        model_config_id  uuid PRIMARY KEY REFERENCES model_configs (id) ON DELETE CASCADE,
        -- The order the admin listed them in.
        position         integer NOT NULL DEFAULT 0,
        enrolled_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE arena_battles (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id          uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        prompt           text NOT NULL,
        model_a_id       uuid REFERENCES model_configs (id) ON DELETE SET NULL,
        model_b_id       uuid REFERENCES model_configs (id) ON DELETE SET NULL,
        -- As of the battle, so the leaderboard and the reveal survive a rename or a deletion.
        name_a           text NOT NULL,
        name_b           text NOT NULL,
        session_a_id     uuid REFERENCES chat_sessions (id) ON DELETE SET NULL,
        session_b_id     uuid REFERENCES chat_sessions (id) ON DELETE SET NULL,
        winner           text CHECK (winner IN ('a', 'b', 'tie', 'bothBad')),
        voted_at         timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT arena_battles_distinct_models CHECK (model_a_id IS NULL OR model_a_id <> model_b_id)
      )`);
    await db.query(`CREATE INDEX arena_battles_voted_idx ON arena_battles (voted_at) WHERE winner IS NOT NULL`);
    await db.query(`CREATE INDEX arena_battles_user_idx ON arena_battles (user_id, created_at DESC)`);
    await db.query(`
      CREATE TABLE arena_excluded_users (
        user_id      uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        excluded_by  uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE arena_excluded_users`);
    await db.query(`DROP TABLE arena_battles`);
    await db.query(`DROP TABLE arena_models`);
    await db.query(`DELETE FROM chat_sessions WHERE kind = 'arena'`);
  }
}
