import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveInt = z.coerce.number().int().positive();

/** Every environment variable the platform reads. Nothing else touches process.env. */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  /** PostgreSQL connections per API or worker process (keep the sum below the server's max_connections). */
  DATABASE_POOL_SIZE: positiveInt.max(500).default(30),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ENCRYPTION_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (32 bytes)')
    .optional(),
  /** Retired encryption keys (comma-separated, 64 hex each) still accepted for decryption during a rotation. */
  ENCRYPTION_KEYS_PREVIOUS: z
    .string()
    .regex(/^[0-9a-fA-F]{64}(,[0-9a-fA-F]{64})*$/, 'must be comma-separated 64-hex-character keys')
    .optional(),
  ADMIN_EMAIL: z.email().default('admin@modelyard.local'),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt.default(900),
  REFRESH_TOKEN_TTL_DAYS: positiveInt.default(14),
  /** A rotated refresh token presented again within this many seconds is a concurrent refresh (tabs), not theft. */
  REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(60).default(10),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: positiveInt.default(5),
  LOGIN_MAX_FAILURES_PER_IP: positiveInt.default(100),
  LOGIN_FAILURE_WINDOW_SECONDS: positiveInt.default(900),
  REGISTER_MAX_PER_IP: positiveInt.default(100),
  REGISTER_WINDOW_SECONDS: positiveInt.default(900),
  REGISTRATION_OPEN: booleanFlag.default(true),
  BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
  COOKIE_SECURE: z.enum(['auto', 'always', 'never']).default('auto'),
  TRUST_PROXY: booleanFlag.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEB_DIST_DIR: z.string().optional(),
  AVATAR_MAX_BYTES: positiveInt.default(2 * 1024 * 1024),
  /** Largest question file a batch compare accepts. */
  BATCH_MAX_BYTES: positiveInt.default(10 * 1024 * 1024),
  DEMO: booleanFlag.default(false),
  /** Base URL of the bundled mock upstream; with DEMO it is registered as the "Simulator (no real model)" provider. */
  DEMO_LLM_URL: z.url().optional(),
  /** Where to look for a local Ollama on first start (offered to the admin when it answers). */
  OLLAMA_DETECT_URL: z.url().default('http://127.0.0.1:11434'),
  /** Tiny requests (provider and model-config tests) give up after this long. */
  LLM_TEST_TIMEOUT_MS: positiveInt.default(20_000),
  MODEL_LIST_CACHE_SECONDS: positiveInt.default(600),
  /** Answers one user may have generating at once; more get 429. */
  CHAT_MAX_CONCURRENT_GENERATIONS: positiveInt.default(3),
});

export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Treat empty strings as unset so `FOO= npm start` behaves like not giving FOO.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  - ${issue.path.join('.') || '(env)'}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
