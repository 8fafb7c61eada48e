import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Teams with roles, and the prompt library: prompts, immutable versions, labels, favourites and usage records. */
export class TeamsAndPrompts1764000000000 implements MigrationInterface {
  name = 'TeamsAndPrompts1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE teams (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name         text NOT NULL,
        description  text NOT NULL DEFAULT '',
        created_by   uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX teams_name_key ON teams (lower(name))`);

    await db.query(`
      CREATE TABLE team_members (
        team_id     uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
        user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role        text NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
        created_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (team_id, user_id)
      )`);
    await db.query(`CREATE INDEX team_members_user_idx ON team_members (user_id)`);

    await db.query(`
      CREATE TABLE prompts (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name          text NOT NULL,
        description   text NOT NULL DEFAULT '',
        content       text NOT NULL,
        category      text NOT NULL DEFAULT 'other',
        tags          text[] NOT NULL DEFAULT '{}',
        visibility    text NOT NULL CHECK (visibility IN ('private', 'team', 'public')),
        team_id       uuid REFERENCES teams (id) ON DELETE SET NULL,
        variables     jsonb NOT NULL DEFAULT '[]',
        version       integer NOT NULL DEFAULT 1,
        official      boolean NOT NULL DEFAULT false,
        usage_count   integer NOT NULL DEFAULT 0,
        last_used_at  timestamptz,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT prompts_team_visibility_check CHECK (visibility <> 'team' OR team_id IS NOT NULL)
      )`);
    await db.query(`CREATE UNIQUE INDEX prompts_owner_name_key ON prompts (owner_id, lower(name))`);
    await db.query(`CREATE INDEX prompts_visibility_idx ON prompts (visibility, team_id)`);
    await db.query(`CREATE INDEX prompts_tags_idx ON prompts USING gin (tags)`);
    // One trigram index over everything searchable: substring search in any language, Chinese included. The
    // wrapper is declared IMMUTABLE (array_to_string is only STABLE in general, but is immutable for text[]), as an
    // index expression requires.
    await db.query(`
      CREATE FUNCTION prompt_search_text(name text, description text, content text, tags text[]) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT name || ' ' || description || ' ' || content || ' ' || array_to_string(tags, ' ') $$`);
    await db.query(`
      CREATE INDEX prompts_search_trgm_idx ON prompts
        USING gin (prompt_search_text(name, description, content, tags) gin_trgm_ops)`);

    await db.query(`
      CREATE TABLE prompt_versions (
        prompt_id    uuid NOT NULL REFERENCES prompts (id) ON DELETE CASCADE,
        version      integer NOT NULL,
        content      text NOT NULL,
        variables    jsonb NOT NULL DEFAULT '[]',
        change_note  text,
        author_id    uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (prompt_id, version)
      )`);

    await db.query(`
      CREATE TABLE prompt_labels (
        prompt_id   uuid NOT NULL,
        label       text NOT NULL,
        version     integer NOT NULL,
        updated_by  uuid REFERENCES users (id) ON DELETE SET NULL,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (prompt_id, label),
        FOREIGN KEY (prompt_id, version) REFERENCES prompt_versions (prompt_id, version) ON DELETE CASCADE
      )`);

    await db.query(`
      CREATE TABLE prompt_favorites (
        prompt_id   uuid NOT NULL REFERENCES prompts (id) ON DELETE CASCADE,
        user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, prompt_id)
      )`);

    await db.query(`
      CREATE TABLE prompt_usages (
        id          bigserial PRIMARY KEY,
        prompt_id   uuid NOT NULL REFERENCES prompts (id) ON DELETE CASCADE,
        version     integer NOT NULL,
        user_id     uuid REFERENCES users (id) ON DELETE SET NULL,
        source      text NOT NULL CHECK (source IN ('chat', 'batch', 'compare')),
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX prompt_usages_prompt_idx ON prompt_usages (prompt_id, created_at DESC)`);

    await db.query(`ALTER TABLE chat_sessions ADD COLUMN prompt_id uuid REFERENCES prompts (id) ON DELETE SET NULL`);
    await db.query(`ALTER TABLE chat_sessions ADD COLUMN prompt_version integer`);
    // The name as of the version used: the system prompt text is a snapshot of that version too.
    await db.query(`ALTER TABLE chat_sessions ADD COLUMN prompt_name text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE chat_sessions DROP COLUMN prompt_name`);
    await db.query(`ALTER TABLE chat_sessions DROP COLUMN prompt_version`);
    await db.query(`ALTER TABLE chat_sessions DROP COLUMN prompt_id`);
    await db.query(`DROP TABLE prompt_usages`);
    await db.query(`DROP TABLE prompt_favorites`);
    await db.query(`DROP TABLE prompt_labels`);
    await db.query(`DROP TABLE prompt_versions`);
    await db.query(`DROP TABLE prompts`);
    await db.query(`DROP FUNCTION prompt_search_text(text, text, text, text[])`);
    await db.query(`DROP TABLE team_members`);
    await db.query(`DROP TABLE teams`);
  }
}
