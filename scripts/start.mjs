#!/usr/bin/env node
// `npm start`: from a fresh checkout to a running Modelyard on one machine with nothing but Node.js ≥ 20.19.
// Installs pnpm and the dependencies, builds, runs an embedded PostgreSQL and Redis (unless DATABASE_URL /
// REDIS_URL point elsewhere), applies migrations, then runs the API and the queue worker until Ctrl-C.
// Only node: built-ins here: this runs before the dependencies are installed. See docs/operations.md.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reapStaleApp, runMigrations, startApp } from './lib/app.mjs';
import { assertNodeVersion } from './lib/node-version.mjs';
import { ensurePnpm, installDependencies, pnpmEnv, runPnpm } from './lib/pnpm.mjs';
import { startMockLlm } from './lib/mock-llm.mjs';
import { findFreePort, parsePort } from './lib/ports.mjs';
import { startPostgres } from './lib/postgres.mjs';
import { claimDataDir, ProcessGroup } from './lib/processes.mjs';
import { startRedis } from './lib/redis.mjs';
import { ensureSystemPackages, findPostgresBinDir, findRedisServer } from './lib/system-packages.mjs';

const USAGE = `Usage: npm start [-- --demo]

Starts Modelyard on this machine: installs dependencies, builds, runs an embedded PostgreSQL and Redis
(unless DATABASE_URL / REDIS_URL are set), applies migrations and runs the API and the queue worker.

Options:
  --demo          also start the bundled mock LLM and register it as the provider
                  "Simulator (no real model)" with a few shared model configs (same as DEMO=1)
  --skip-install  do not run pnpm install
  --skip-build    do not run pnpm build (use the existing dist/ folders)
  -h, --help      show this help

Environment: PORT (8080), HOST (0.0.0.0), DATA_DIR (./.data), PG_PORT (54329), REDIS_PORT (63790),
DATABASE_URL, REDIS_URL, ADMIN_EMAIL, ADMIN_PASSWORD, LOG_LEVEL, API_HEAP_MB (384). See docs/operations.md.`;

const rootDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const say = (/** @type {string} */ message) => console.log(`[start] ${message}`);
const complain = (/** @type {string} */ message) => console.error(`[start] ${message}`);

/** @param {string[]} argv */
function parseArgs(argv) {
  const options = { demo: false, skipInstall: false, skipBuild: false };
  for (const arg of argv) {
    if (arg === '--demo') options.demo = true;
    else if (arg === '--skip-install') options.skipInstall = true;
    else if (arg === '--skip-build') options.skipBuild = true;
    else if (arg === '-h' || arg === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else {
      console.error(`Unknown option: ${arg}\n\n${USAGE}`);
      process.exit(2);
    }
  }
  return options;
}

assertNodeVersion();
const options = parseArgs(process.argv.slice(2));

/** @type {Promise<void> | undefined} */
let shuttingDown;
/** Gives the data directory back (see claimDataDir); set once claimed. */
let releaseDataDir = () => {};
let firstSignalAt = 0;
const group = new ProcessGroup({
  onUnexpectedExit: (name, result) => {
    const how = result.error?.message ?? (result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`);
    void shutdown(1, `✘ ${name} stopped unexpectedly (${how}). Stopping everything.`);
  },
});

/**
 * Stops everything this run started, newest first, then exits. Safe to call more than once.
 * @param {number} code
 * @param {string} [reason]
 */
function shutdown(code, reason) {
  if (reason) (code === 0 ? say : complain)(reason);
  shuttingDown ??= (async () => {
    await group.stopAll(say);
    releaseDataDir();
    process.exit(code);
  })();
  return shuttingDown;
}

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => {
    // npm forwards the terminal's SIGINT to us as well, so one Ctrl-C can arrive twice.
    if (firstSignalAt === 0) {
      firstSignalAt = Date.now();
      void shutdown(0, `${signal} received, stopping Modelyard…`);
    } else if (Date.now() - firstSignalAt > 1_000) {
      say('Still stopping: waiting for the processes above to exit (at most 10 s each).');
    }
  });
}

async function main() {
  const dataDir = resolve(process.env.DATA_DIR || '.data');
  const port = parsePort(process.env.PORT, 'PORT') ?? 8080;
  const host = process.env.HOST || '0.0.0.0';
  releaseDataDir = claimDataDir(dataDir);
  // An earlier run killed with SIGKILL left its children running: the API and worker stop before their PostgreSQL
  // and Redis are replaced.
  await reapStaleApp(dataDir);

  // 1. System packages first: it is the one step that can need the user's help.
  await ensureSystemPackages(
    [
      ...(process.env.DATABASE_URL ? [] : [{ aptPackage: 'postgresql', find: () => findPostgresBinDir() }]),
      ...(process.env.REDIS_URL ? [] : [{ aptPackage: 'redis-server', find: findRedisServer }]),
    ],
    { log: say },
  );

  // 2. pnpm, dependencies, build.
  const pnpm = await ensurePnpm({ rootDir, log: say });
  if (!options.skipInstall) await installDependencies({ rootDir, pnpm, log: say });
  if (!options.skipBuild) {
    say('Building (pnpm build)…');
    const code = await runPnpm(pnpm, ['build'], { cwd: rootDir, env: pnpmEnv(pnpm) });
    if (code !== 0) throw new Error(`pnpm build failed (exit code ${code}); see its output above.`);
  }
  if (shuttingDown) return;

  // 3, 4. PostgreSQL and Redis.
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const postgres = await startPostgres({
      dataDir,
      port: parsePort(process.env.PG_PORT, 'PG_PORT'),
      avoidPorts: [port],
    });
    group.add(postgres);
    databaseUrl = postgres.url;
  } else {
    say('Using the PostgreSQL at DATABASE_URL.');
  }
  if (shuttingDown) return;
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    const redis = await startRedis({
      dataDir,
      port: parsePort(process.env.REDIS_PORT, 'REDIS_PORT'),
      avoidPorts: [port],
    });
    group.add(redis);
    redisUrl = redis.url;
  } else {
    say('Using the Redis at REDIS_URL.');
  }
  if (shuttingDown) return;

  const demo = options.demo || /^(1|true|yes)$/i.test(process.env.DEMO ?? '');
  /** @type {string | undefined} */
  let demoLlmUrl;
  if (demo) {
    const mock = await startMockLlm({
      rootDir,
      port: await findFreePort({ avoid: [port] }),
      group,
      logFile: join(dataDir, 'mock-llm.log'),
      pidFile: join(dataDir, 'run', 'mock-llm.pid'),
    });
    demoLlmUrl = mock.url;
    say(`Demo mode: mock LLM upstream at ${demoLlmUrl}`);
  }
  if (shuttingDown) return;

  /** @type {NodeJS.ProcessEnv} */
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: host,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    ...(demo ? { DEMO: '1', DEMO_LLM_URL: demoLlmUrl } : {}),
  };

  // 5. Migrations.
  say('Applying database migrations…');
  await runMigrations({ rootDir, env });
  if (shuttingDown) return;

  // 6. API, then worker.
  say(`Starting the API on ${host}:${port}…`);
  await startApp({ rootDir, env, group });
  if (shuttingDown) return;

  const passwordFile = join(dataDir, 'admin-password.txt');
  const lines = [
    `Modelyard is running at http://localhost:${port}`,
    ...(demo ? ['Demo mode: the provider "Simulator (no real model)" answers with canned text.'] : []),
    ...(existsSync(passwordFile) ? [`The first admin's generated password is in ${passwordFile}`] : []),
    `Data directory: ${dataDir}`,
    'Press Ctrl-C to stop.',
  ];
  const width = Math.max(...lines.map((line) => line.length)) + 4;
  console.log(`\n╔${'═'.repeat(width)}╗`);
  for (const line of lines) console.log(`║  ${line.padEnd(width - 2)}║`);
  console.log(`╚${'═'.repeat(width)}╝\n`);
}

main().catch((error) => {
  if (shuttingDown) return;
  void shutdown(1, `✘ ${error instanceof Error ? error.message : String(error)}`);
});
