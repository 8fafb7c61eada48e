// Running the built API: migrations, then the HTTP server, then (once it is healthy) the queue worker.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isPortFree } from './ports.mjs';
import { reapStaleProcess, runCommand, spawnService, waitForHttp } from './processes.mjs';

export const MIGRATE_ENTRY = 'apps/api/dist/cli/migrate.js';
export const API_ENTRY = 'apps/api/dist/main.js';
export const WORKER_ENTRY = 'apps/api/dist/worker.js';
/** The API's V8 old-space limit unless API_HEAP_MB says otherwise; see apiNodeOptions. */
export const DEFAULT_API_HEAP_MB = 384;

/**
 * Node flags for the API process. V8 only collects its old generation when it nears a limit derived from the
 * machine's memory (GBs here), so a process streaming answers grows to several times its live data: with 1,000
 * answers open the heap held ≈ 130 MB of live objects but reached ≈ 370 MB, and VmRSS 584 MB. A limit makes V8
 * collect sooner; it is also the most live data the process may hold, so it leaves room (≈ 3× that live set).
 * @param {NodeJS.ProcessEnv} env
 * @returns {string[]}
 */
export function apiNodeOptions(env) {
  const raw = env.API_HEAP_MB?.trim();
  if (!raw) return [`--max-old-space-size=${DEFAULT_API_HEAP_MB}`];
  if (raw === '0') return [];
  const mb = Number(raw);
  if (!Number.isInteger(mb) || mb < 128) {
    throw new Error(
      `API_HEAP_MB must be a whole number of megabytes, at least 128 (or 0 for V8's default), not "${raw}"`,
    );
  }
  return [`--max-old-space-size=${mb}`];
}

/**
 * @param {{ code: number | null, signal: NodeJS.Signals | null, error?: Error }} result
 * @returns {string}
 */
export function describeExit(result) {
  if (result.error) return result.error.message;
  if (result.signal) return `killed by ${result.signal}`;
  return `exit code ${result.code}`;
}

/**
 * Throws a clear error when the build did not produce `entry`.
 * @param {string} rootDir
 * @param {string} entry
 */
export function assertBuilt(rootDir, entry) {
  if (existsSync(join(rootDir, entry))) return;
  const source = entry.replace('dist/', 'src/').replace(/\.js$/, '.ts');
  throw new Error(
    `${entry} does not exist. "pnpm build" must compile it from ${source}; check the build output above ` +
      '(the API may not be written yet, or its build failed).',
  );
}

/**
 * The address to poll for health: the API's own host, or loopback when it listens on every interface.
 * @param {string | undefined} host
 * @param {number} port
 */
export function healthUrl(host, port) {
  const target = !host || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${target.includes(':') ? `[${target}]` : target}:${port}/api/health`;
}

/**
 * `node apps/api/dist/cli/migrate.js` with DATABASE_URL from `env`; throws when it fails.
 * @param {{ rootDir: string, env: NodeJS.ProcessEnv, prefix?: string }} options
 */
export async function runMigrations({ rootDir, env, prefix = 'migrate' }) {
  assertBuilt(rootDir, MIGRATE_ENTRY);
  const result = await runCommand(process.execPath, [MIGRATE_ENTRY], { cwd: rootDir, env, prefix });
  if (result.code !== 0) {
    throw new Error(
      `Database migrations failed (node ${MIGRATE_ENTRY}: ${describeExit(result)}; see the [${prefix}] lines above).`,
    );
  }
}

/**
 * @typedef {object} StartAppOptions
 * @property {string} rootDir
 * @property {NodeJS.ProcessEnv} env must contain PORT, DATA_DIR, DATABASE_URL, REDIS_URL
 * @property {import('./processes.mjs').ProcessGroup} group the api and worker are added to it as they start
 * @property {string} [apiLogFile] also write the API's raw output here
 * @property {string} [workerLogFile]
 * @property {boolean} [echo] print the prefixed output (default true)
 * @property {number} [healthTimeoutMs]
 */

/**
 * Stops the API and worker an earlier run left behind (it was killed with SIGKILL and could not stop its children).
 * `npm start` does this before it touches PostgreSQL and Redis: an API still streaming while its Redis is replaced
 * writes events into the gap.
 * @param {string} dataDir
 */
export async function reapStaleApp(dataDir) {
  const runDir = join(dataDir, 'run');
  mkdirSync(runDir, { recursive: true });
  await reapStaleProcess(join(runDir, 'api.pid'), API_ENTRY);
  await reapStaleProcess(join(runDir, 'worker.pid'), WORKER_ENTRY);
}

/**
 * Starts the API, waits for `GET /api/health` to answer 200, then starts the worker. The worker waits for the
 * API because the API generates the secrets in DATA_DIR that both of them read.
 * @param {StartAppOptions} options
 * @returns {Promise<{ url: string, api: import('./processes.mjs').ManagedProcess, worker: import('./processes.mjs').ManagedProcess }>}
 */
export async function startApp({
  rootDir,
  env,
  group,
  apiLogFile,
  workerLogFile,
  echo = true,
  healthTimeoutMs = 180_000,
}) {
  assertBuilt(rootDir, API_ENTRY);
  assertBuilt(rootDir, WORKER_ENTRY);
  const port = Number(env.PORT);
  const runDir = join(/** @type {string} */ (env.DATA_DIR), 'run');
  await reapStaleApp(/** @type {string} */ (env.DATA_DIR));
  if (!(await isPortFree(port, env.HOST || '0.0.0.0'))) {
    throw new Error(
      `Port ${port} is already in use. Stop whatever listens there, or choose another port with PORT=<port>.`,
    );
  }

  const api = spawnService('api', process.execPath, [...apiNodeOptions(env), API_ENTRY], {
    cwd: rootDir,
    env,
    echo,
    logFile: apiLogFile,
    pidFile: join(runDir, 'api.pid'),
  });
  group.add(api);
  const apiDied = new AbortController();
  api.exited.then(() => apiDied.abort());
  const url = healthUrl(env.HOST, port);
  try {
    await waitForHttp(url, { timeoutMs: healthTimeoutMs, signal: apiDied.signal });
  } catch (error) {
    if (!apiDied.signal.aborted) throw error;
    throw new Error(`The API exited before ${url} answered (${describeExit(await api.exited)}).`);
  }

  const worker = spawnService('worker', process.execPath, [WORKER_ENTRY], {
    cwd: rootDir,
    env,
    echo,
    logFile: workerLogFile,
    pidFile: join(runDir, 'worker.pid'),
  });
  group.add(worker);
  return { url: url.replace(/\/api\/health$/, ''), api, worker };
}
