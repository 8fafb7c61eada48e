import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { dataSourceOptions } from '../database/data-source-options';

/** `node dist/cli/migrate.js` applies pending migrations; `--revert` undoes the latest one. */
async function main(): Promise<void> {
  const parsed = z
    .object({ DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL') })
    .safeParse(process.env);
  if (!parsed.success) {
    console.error('Invalid configuration:\n  - DATABASE_URL: must be set to a postgres:// URL');
    process.exit(1);
  }
  const dataSource = new DataSource(dataSourceOptions(parsed.data.DATABASE_URL));
  await dataSource.initialize();
  try {
    if (process.argv.includes('--revert')) {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('migrate: reverted the latest migration');
    } else {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      console.log(
        applied.length === 0
          ? 'migrate: database is up to date'
          : `migrate: applied ${applied.map((m) => m.name).join(', ')}`,
      );
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error('migrate failed:', error);
  process.exit(1);
});
