#!/usr/bin/env node
// `npm test`: everything a user or CI needs, on one machine, without Docker. Each suite prints one summary line
// and a table closes the run; the exit code is non-zero when anything failed. PostgreSQL, Redis and the app under
// test live in a fresh temporary directory on free ports, so a running `npm start` is never disturbed.
// Only node: built-ins here: this runs before the dependencies are installed. See docs/operations.md.
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMigrations, startApp } from './lib/app.mjs';
import { assertNodeVersion } from './lib/node-version.mjs';
import { ensurePnpm, installDependencies, pnpmEnv, runPnpm } from './lib/pnpm.mjs';
import { RESERVED_PORTS, findFreePort } from './lib/ports.mjs';
import { startMockLlm } from './lib/mock-llm.mjs';
import { startPostgres } from './lib/postgres.mjs';
import { ProcessGroup } from './lib/processes.mjs';
import { startRedis } from './lib/redis.mjs';
import { ensureSystemPackages, findChromium, findPostgresBinDir, findRedisServer } from './lib/system-packages.mjs';
import { TEST_USAGE, formatResult, parseTestArgs, planTests, skipReason } from './lib/test-plan.mjs';

assertNodeVersion();

const rootDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const say = (/** @type {string} */ message) => console.log(`[test] ${message}`);

/** @type {import('./lib/test-plan.mjs').TestOptions} */
let options;
try {
  options = parseTestArgs(process.argv.slice(2));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${TEST_USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(TEST_USAGE);
  process.exit(0);
}
const plan = planTests(options);
/** For quick loops: `TEST_FILES="prompts teams" npm test -- --only e2e-http` runs only matching test files. */
const fileFilters = (process.env.TEST_FILES ?? '').split(/\s+/).filter(Boolean);

/** @type {{ name: string, status: 'passed' | 'failed' | 'skipped', ms: number, note?: string }[]} */
const results = [];
/** @type {Record<string, 'passed' | 'failed' | 'skipped'>} */
const outcomes = {};
/** @type {import('node:child_process').ChildProcess | undefined} */
let currentChild;
let interrupted = false;

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    say(`${signal} received: stopping the current step, then cleaning up…`);
    // A terminal Ctrl-C reaches the child by itself; a SIGTERM from CI does not.
    if (currentChild && currentChild.exitCode === null) currentChild.kill(signal);
  });
}

/**
 * Runs one step with a header and exactly one summary line.
 * @param {string} name
 * @param {() => Promise<boolean | string>} fn true: passed; false or a string (the note): failed
 * @param {string | null} [skip] why the step does not run
 */
async function step(name, fn, skip = null) {
  if (interrupted) skip = 'interrupted';
  if (skip) {
    const result = { name, status: /** @type {const} */ ('skipped'), ms: 0, note: skip };
    results.push(result);
    outcomes[name] = 'skipped';
    console.log(formatResult(result));
    return;
  }
  console.log(`\n▶ ${name}`);
  const started = Date.now();
  /** @type {'passed' | 'failed'} */
  let status = 'failed';
  /** @type {string | undefined} */
  let note;
  try {
    const outcome = await fn();
    if (outcome === true) status = 'passed';
    else if (typeof outcome === 'string') note = outcome;
  } catch (error) {
    console.error(`✘ ${error instanceof Error ? error.message : String(error)}`);
  }
  if (interrupted && status === 'failed') note = 'interrupted';
  const result = { name, status, ms: Date.now() - started, note };
  results.push(result);
  outcomes[name] = status;
  console.log(formatResult(result));
}

/**
 * @param {import('./lib/pnpm.mjs').Pnpm} pnpm
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 */
async function pnpmPasses(pnpm, args, env) {
  const code = await runPnpm(pnpm, args, { cwd: rootDir, env, onSpawn: (child) => (currentChild = child) });
  currentChild = undefined;
  return code === 0;
}

/** A password that satisfies any reasonable policy: upper, lower, digit, symbol, 30+ characters. */
function strongPassword() {
  return `E2e-${randomBytes(18).toString('base64url')}-9z!`;
}

/** @param {string} file @param {number} count */
function printTail(file, count) {
  if (!existsSync(file)) return;
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-count);
  console.error(`--- last ${lines.length} lines of ${file} ---\n${lines.join('\n')}\n---`);
}

async function main() {
  /** @type {import('./lib/pnpm.mjs').Pnpm | undefined} */
  let pnpm;
  await step('install', async () => {
    pnpm = await ensurePnpm({ rootDir, log: say });
    if (!options.skipInstall) await installDependencies({ rootDir, pnpm, log: say });
    return true;
  });
  if (!pnpm) return;
  const pnpmFound = pnpm;

  // Suites must never reach a developer's real database or app through variables exported in their shell.
  const baseEnv = pnpmEnv(pnpmFound);
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'PORT', 'HOST', 'DATA_DIR', 'BASE_URL', 'DEMO', 'MOCK_LLM_URL'])
    delete baseEnv[name];

  if (plan.systemPackages.length > 0) {
    await step('system-packages', async () => {
      /** @type {Record<string, () => string | null>} */
      const finders = {
        postgresql: () => findPostgresBinDir(),
        'redis-server': findRedisServer,
        chromium: () => findChromium(),
        // Optional: without it, zh-CN screenshots show boxes instead of characters.
        'fonts-noto-cjk': () =>
          existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc') ? 'installed' : null,
      };
      await ensureSystemPackages(
        plan.systemPackages.map((requirement) => ({ ...requirement, find: finders[requirement.aptPackage] })),
        { log: say },
      );
      return true;
    });
  }

  const suiteEnv = { ...baseEnv };
  for (const suite of ['lint', 'typecheck']) {
    if (plan.suites.includes(suite)) await step(suite, () => pnpmPasses(pnpmFound, [suite], suiteEnv));
  }
  if (plan.build) await step('build', () => pnpmPasses(pnpmFound, ['build'], suiteEnv));
  if (plan.suites.includes('unit')) {
    await step('unit', () =>
      pnpmPasses(pnpmFound, ['exec', 'vitest', 'run', '--project', 'unit-node', '--project', 'unit-web'], suiteEnv),
    );
  }
  if (!plan.services) return;

  const tmp = mkdtempSync(join(tmpdir(), 'modelyard-test-'));
  // PostgreSQL and Redis run as an unprivileged user when we are root: it must be able to enter this directory.
  chmodSync(tmp, 0o711);
  say(`Temporary directory: ${tmp}`);
  const group = new ProcessGroup({
    onUnexpectedExit: (name, result) =>
      console.error(`[test] ✘ ${name} stopped unexpectedly (${result.signal ?? `exit code ${result.code}`}).`),
  });
  try {
    await runWithServices(pnpmFound, baseEnv, tmp, group);
  } finally {
    console.log('');
    say('Stopping the app, Redis and PostgreSQL…');
    await group.stopAll(say);
    for (const name of ['api.log', 'worker.log']) {
      if (existsSync(join(tmp, name))) {
        mkdirSync(join(rootDir, 'e2e', 'artifacts'), { recursive: true });
        copyFileSync(join(tmp, name), join(rootDir, 'e2e', 'artifacts', name));
      }
    }
    if (process.env.KEEP_TEST_DATA === '1') say(`Kept the test data in ${tmp} (KEEP_TEST_DATA=1).`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Medium and e2e: throwaway PostgreSQL (database `modelyard` for medium, `modelyard_e2e` for e2e) and one Redis for
 * each, so that jobs queued by medium tests can never reach the e2e app's worker.
 * @param {import('./lib/pnpm.mjs').Pnpm} pnpm
 * @param {NodeJS.ProcessEnv} baseEnv
 * @param {string} tmp
 * @param {ProcessGroup} group
 */
async function runWithServices(pnpm, baseEnv, tmp, group) {
  const appDir = join(tmp, 'app');
  const mediumDir = join(tmp, 'medium');
  const appPort = await findFreePort({ avoid: RESERVED_PORTS });
  /** @type {{ medium: NodeJS.ProcessEnv, app: NodeJS.ProcessEnv }} */
  const envs = { medium: {}, app: {} };

  await step(
    'services',
    async () => {
      const log = (/** @type {string} */ message) => say(message);
      const postgres = group.add(
        await startPostgres({
          dataDir: join(tmp, 'postgres'),
          port: await findFreePort({ avoid: RESERVED_PORTS }),
          log,
        }),
      );
      const redisFor = async (/** @type {string} */ name) =>
        group.add(
          await startRedis({
            dataDir: join(tmp, name),
            port: await findFreePort({ avoid: RESERVED_PORTS }),
            echo: false,
            logFile: join(tmp, `${name}.log`),
            log,
          }),
        );
      const mediumRedis = await redisFor('redis-medium');
      const e2eRedis = await redisFor('redis-e2e');
      mkdirSync(mediumDir, { recursive: true });
      mkdirSync(appDir, { recursive: true });
      // One mock LLM upstream for every suite: the only double for what lies outside the platform.
      const mockLlm = await startMockLlm({
        rootDir,
        port: await findFreePort({ avoid: RESERVED_PORTS }),
        group,
        logFile: join(tmp, 'mock-llm.log'),
      });
      say(`Mock LLM upstream: ${mockLlm.url}`);
      envs.medium = {
        ...baseEnv,
        DATABASE_URL: postgres.url,
        REDIS_URL: mediumRedis.url,
        TEST_TMP_DIR: mediumDir,
        MOCK_LLM_URL: mockLlm.url,
      };
      envs.app = {
        ...baseEnv,
        PORT: String(appPort),
        HOST: '127.0.0.1',
        DATA_DIR: appDir,
        DATABASE_URL: await postgres.createDatabase('modelyard_e2e'),
        REDIS_URL: e2eRedis.url,
        ADMIN_EMAIL: 'admin@e2e.test',
        ADMIN_PASSWORD: strongPassword(),
        LOG_LEVEL: 'info',
        MOCK_LLM_URL: mockLlm.url,
        // Every e2e user registers from 127.0.0.1: the suites need more than the production default per 15 min.
        REGISTER_MAX_PER_IP: '5000',
        // Short, so the refresh tests can show reuse after the grace is still caught as theft.
        REFRESH_REUSE_GRACE_SECONDS: '2',
      };
      say('Applying migrations to modelyard (medium) and modelyard_e2e (e2e)…');
      await runMigrations({ rootDir, env: { ...envs.medium, DATA_DIR: mediumDir } });
      await runMigrations({ rootDir, env: envs.app });
      return true;
    },
    skipReason('services', outcomes),
  );

  if (plan.suites.includes('medium')) {
    await step(
      'medium',
      () => pnpmPasses(pnpm, ['exec', 'vitest', 'run', '--project', 'medium', ...fileFilters], envs.medium),
      skipReason('medium', outcomes),
    );
  }
  if (!plan.app) return;

  const apiLog = join(tmp, 'api.log');
  await step(
    'app',
    async () => {
      try {
        const app = await startApp({
          rootDir,
          env: envs.app,
          group,
          apiLogFile: apiLog,
          workerLogFile: join(tmp, 'worker.log'),
          echo: options.verbose,
        });
        say(`App under test: ${app.url} (logs: ${apiLog})`);
        return true;
      } catch (error) {
        if (!options.verbose) printTail(apiLog, 40);
        throw error;
      }
    },
    skipReason('app', outcomes),
  );

  /** @type {NodeJS.ProcessEnv} */
  const e2eEnv = {
    ...envs.app,
    BASE_URL: `http://127.0.0.1:${appPort}`,
    API_LOG_FILE: apiLog,
  };
  // The app's own settings are not the test runner's business.
  for (const name of ['PORT', 'HOST', 'DATA_DIR', 'LOG_LEVEL']) delete e2eEnv[name];

  if (plan.suites.includes('e2e-http')) {
    await step(
      'e2e-http',
      () => pnpmPasses(pnpm, ['exec', 'vitest', 'run', '--project', 'e2e-http', ...fileFilters], e2eEnv),
      skipReason('e2e-http', outcomes),
    );
  }
  if (plan.suites.includes('e2e-browser')) {
    await step(
      'e2e-browser',
      async () => {
        if (!existsSync(join(rootDir, 'e2e', 'playwright.config.ts'))) return 'e2e/playwright.config.ts does not exist';
        const chromium = findChromium();
        if (!chromium) return 'no Chromium found (apt-get install chromium)';
        return pnpmPasses(pnpm, ['exec', 'playwright', 'test', '-c', 'e2e/playwright.config.ts', ...fileFilters], {
          ...e2eEnv,
          PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
          CHROMIUM_PATH: chromium,
        });
      },
      skipReason('e2e-browser', outcomes),
    );
  }
}

function printSummary() {
  if (results.length === 0) return;
  const width = Math.max(...results.map((result) => result.name.length));
  console.log('\nSummary');
  for (const result of results) {
    const mark = { passed: '✔', failed: '✘', skipped: '-' }[result.status];
    const time = result.status === 'skipped' ? '' : `${(result.ms / 1000).toFixed(1)}s`;
    const note = result.note ? `  ${result.status === 'skipped' ? 'skipped: ' : ''}${result.note}` : '';
    console.log(`  ${mark} ${result.name.padEnd(width)}  ${time.padStart(7)}${note}`);
  }
}

try {
  await main();
} catch (error) {
  console.error(`[test] ✘ ${error instanceof Error ? error.stack : String(error)}`);
  results.push({ name: 'harness', status: 'failed', ms: 0, note: 'unexpected error' });
}
printSummary();
const failed = results.some((result) => result.status === 'failed');
const code = interrupted ? 130 : failed ? 1 : 0;
console.log(code === 0 ? '\nAll tests passed.' : interrupted ? '\nInterrupted.' : '\nSome steps failed.');
process.exit(code);
