import type { PostgresHandle } from './postgres.mjs' with { 'resolution-mode': 'import' };
import type { RedisHandle } from './redis.mjs' with { 'resolution-mode': 'import' };

export interface ThrowawayOptions {
  /** Where the temporary directories go (default: the system temp dir). */
  parentDir?: string;
  /** Keep the data directory after stop() (for debugging). */
  keep?: boolean;
  log?: (message: string) => void;
}

/** A fresh PostgreSQL cluster on a free port; `stop()` removes its directory. See postgres.d.mts. */
export declare function startThrowawayPostgres(
  options?: ThrowawayOptions,
): Promise<PostgresHandle & { dataDir: string }>;

/** A fresh Redis on a free port; `stop()` removes its directory. See redis.d.mts. */
export declare function startThrowawayRedis(options?: ThrowawayOptions): Promise<RedisHandle & { dataDir: string }>;

/**
 * Both at once, e.g. in a vitest globalSetup:
 *
 * ```ts
 * import { startTestServices } from '../../../../scripts/lib/test-services.cjs';
 * const services = await startTestServices();
 * process.env.DATABASE_URL = services.databaseUrl;
 * process.env.REDIS_URL = services.redisUrl;
 * // … later
 * await services.stop();
 * ```
 */
export declare function startTestServices(options?: ThrowawayOptions): Promise<{
  databaseUrl: string;
  redisUrl: string;
  postgres: PostgresHandle & { dataDir: string };
  redis: RedisHandle & { dataDir: string };
  stop(): Promise<void>;
}>;
