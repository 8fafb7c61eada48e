import type { MigrationInterface, QueryRunner } from 'typeorm';

/** LLM providers (admin-managed, secrets encrypted) and users' model configs. */
export class ProvidersAndModelConfigs1763800000000 implements MigrationInterface {
  name = 'ProvidersAndModelConfigs1763800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE providers (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name              text NOT NULL,
        kind              text NOT NULL CHECK (kind IN ('openai', 'ollama', 'anthropic')),
        preset            text NOT NULL DEFAULT 'custom',
        base_url          text NOT NULL,
        auth_style        text NOT NULL CHECK (auth_style IN ('bearer', 'header', 'azure', 'none')),
        auth_header_name  text,
        api_version       text,
        -- AES-256-GCM envelope "<keyId>:<iv>:<tag>:<ciphertext>" holding { apiKey, headers }.
        secrets_encrypted text,
        secrets_key_id    text,
        api_key_hint      text,
        header_names      text[] NOT NULL DEFAULT '{}',
        timeouts          jsonb NOT NULL,
        manual_models     text[] NOT NULL DEFAULT '{}',
        enabled           boolean NOT NULL DEFAULT true,
        status            jsonb,
        created_by        uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX providers_name_key ON providers (lower(name))`);

    await db.query(`
      CREATE TABLE model_configs (
        id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id               uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        provider_id            uuid NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
        name                   text NOT NULL,
        model                  text NOT NULL,
        params                 jsonb NOT NULL,
        system_prompt          text,
        reasoning_tags         jsonb NOT NULL DEFAULT '{"mode":"auto"}'::jsonb,
        reasoning_starts_open  boolean NOT NULL DEFAULT false,
        visibility             text NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'shared')),
        input_price_per_mtok   numeric(12, 4),
        output_price_per_mtok  numeric(12, 4),
        created_at             timestamptz NOT NULL DEFAULT now(),
        updated_at             timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX model_configs_owner_name_key ON model_configs (owner_id, lower(name))`);
    await db.query(`CREATE INDEX model_configs_provider_idx ON model_configs (provider_id)`);
    await db.query(`CREATE INDEX model_configs_shared_idx ON model_configs (visibility) WHERE visibility = 'shared'`);

    // A default is per user and may point at a shared config owned by someone else.
    await db.query(`
      ALTER TABLE users
        ADD COLUMN default_model_config_id uuid REFERENCES model_configs (id) ON DELETE SET NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users DROP COLUMN default_model_config_id`);
    await db.query(`DROP TABLE model_configs`);
    await db.query(`DROP TABLE providers`);
  }
}
