import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { migrations } from '@modelyard/migrations';
import { afterAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';

/** Every migration must apply on an empty database and undo completely. */
describe('migrations', () => {
  const name = `migrations_${randomUUID().replace(/-/g, '')}`;
  const admin = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL });
  const scratchUrl = (() => {
    const u = new URL(process.env.DATABASE_URL!);
    u.pathname = `/${name}`;
    return u.toString();
  })();

  afterAll(async () => {
    if (!admin.isInitialized) await admin.initialize();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.destroy();
  });

  it('apply on an empty database, undo to nothing, and apply again', async () => {
    await admin.initialize();
    await admin.query(`CREATE DATABASE ${name}`);
    const db = new DataSource(dataSourceOptions(scratchUrl));
    await db.initialize();
    const tables = async () =>
      (
        (await db.query(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations' ORDER BY 1`,
        )) as { table_name: string }[]
      ).map((r) => r.table_name);

    const applied = await db.runMigrations({ transaction: 'each' });
    expect(applied).toHaveLength(migrations.length);
    expect(await tables()).toEqual([
      'arena_battles',
      'arena_excluded_users',
      'arena_models',
      'audit_logs',
      'chat_messages',
      'chat_sessions',
      'compare_batch_items',
      'compare_batch_results',
      'compare_batches',
      'compare_columns',
      'compare_ratings',
      'compare_runs',
      'model_configs',
      'prompt_favorites',
      'prompt_labels',
      'prompt_usages',
      'prompt_versions',
      'prompts',
      'providers',
      'refresh_tokens',
      'settings',
      'team_members',
      'teams',
      'users',
    ]);

    for (let i = 0; i < migrations.length; i++) await db.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual([]);

    expect(await db.runMigrations({ transaction: 'each' })).toHaveLength(migrations.length);
    await db.destroy();
  });
});
