import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts, refresh-token families, platform settings and the audit log. */
export class InitialSchema1763700000000 implements MigrationInterface {
  name = 'InitialSchema1763700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email          text NOT NULL,
        nickname       text NOT NULL,
        password_hash  text NOT NULL,
        role           text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
        is_active      boolean NOT NULL DEFAULT true,
        token_version  integer NOT NULL DEFAULT 0,
        avatar_file    text,
        preferences    jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        last_login_at  timestamptz
      )`);
    await db.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);
    await db.query(`CREATE UNIQUE INDEX users_nickname_key ON users (lower(nickname))`);
    await db.query(`CREATE INDEX users_created_at_idx ON users (created_at DESC)`);

    await db.query(`
      CREATE TABLE refresh_tokens (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        family_id    uuid NOT NULL,
        token_hash   text NOT NULL,
        expires_at   timestamptz NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        used_at      timestamptz,
        revoked_at   timestamptz,
        replaced_by  uuid,
        ip           text,
        user_agent   text
      )`);
    await db.query(`CREATE UNIQUE INDEX refresh_tokens_hash_key ON refresh_tokens (token_hash)`);
    await db.query(`CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id)`);
    await db.query(`CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)`);
    await db.query(`CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at)`);

    await db.query(`
      CREATE TABLE settings (
        key         text PRIMARY KEY,
        value       jsonb NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        updated_by  uuid REFERENCES users (id) ON DELETE SET NULL
      )`);

    await db.query(`
      CREATE TABLE audit_logs (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        actor_id     uuid REFERENCES users (id) ON DELETE SET NULL,
        action       text NOT NULL,
        target_type  text NOT NULL,
        target_id    uuid,
        before       jsonb,
        after        jsonb,
        ip           text,
        request_id   text,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX audit_logs_created_at_idx ON audit_logs (created_at DESC)`);
    await db.query(`CREATE INDEX audit_logs_target_idx ON audit_logs (target_id)`);
    await db.query(`CREATE INDEX audit_logs_actor_idx ON audit_logs (actor_id)`);
    await db.query(`CREATE INDEX audit_logs_action_idx ON audit_logs (action)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_logs`);
    await db.query(`DROP TABLE settings`);
    await db.query(`DROP TABLE refresh_tokens`);
    await db.query(`DROP TABLE users`);
  }
}
