// What `npm test` runs, in which order, and what a failure upstream means for the suites downstream.

/** The suites, in the order they run. */
export const SUITES = /** @type {const} */ ([
  'lint',
  'typecheck',
  'build',
  'unit',
  'medium',
  'e2e-http',
  'e2e-browser',
]);

/** Suites that run against the built API (migrate CLI, main.js, worker.js). */
const NEEDS_DIST = new Set(['medium', 'e2e-http', 'e2e-browser']);
/** Suites that need the throwaway PostgreSQL and Redis. */
const NEEDS_SERVICES = new Set(['medium', 'e2e-http', 'e2e-browser']);
/** Suites that need the app (api + worker) running. */
const NEEDS_APP = new Set(['e2e-http', 'e2e-browser']);

export const TEST_USAGE = `Usage: npm test [-- options]

Runs lint, typecheck, build, unit, medium (real PostgreSQL + Redis), e2e-http and e2e-browser (Chromium), each
against its own throwaway PostgreSQL/Redis on free ports, so it never collides with a running "npm start".

Options:
  --only <suite>[,<suite>]  run only these suites (${SUITES.join(', ')});
                            the build still runs first when a selected suite needs it
  --skip-install            do not run pnpm install
  --skip-build              never build; use the existing dist/ folders
  --verbose                 also print the API and worker logs of the e2e app (always in e2e/artifacts/)
  -h, --help                show this help

Environment: KEEP_TEST_DATA=1 keeps the temporary directory (PostgreSQL, Redis, app data, logs);
TEST_FILES="a b" runs only the medium, e2e-http and e2e-browser test files matching a or b.`;

/**
 * @typedef {object} TestOptions
 * @property {string[] | null} only
 * @property {boolean} skipInstall
 * @property {boolean} skipBuild
 * @property {boolean} verbose
 * @property {boolean} help
 */

/**
 * @param {string[]} argv
 * @returns {TestOptions}
 */
export function parseTestArgs(argv) {
  /** @type {TestOptions} */
  const options = { only: null, skipInstall: false, skipBuild: false, verbose: false, help: false };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[++index] : arg.slice('--only='.length);
      if (!value) throw new Error('--only needs a comma-separated list of suites');
      const names = value
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean);
      const unknown = names.filter((name) => !(/** @type {readonly string[]} */ (SUITES).includes(name)));
      if (unknown.length > 0) throw new Error(`Unknown suite(s): ${unknown.join(', ')}. Known: ${SUITES.join(', ')}`);
      options.only = [...new Set([...(options.only ?? []), ...names])];
    } else if (arg === '--skip-install') options.skipInstall = true;
    else if (arg === '--skip-build') options.skipBuild = true;
    else if (arg === '--verbose') options.verbose = true;
    else if (arg === '-h' || arg === '--help') options.help = true;
    else throw new Error(`Unknown option: ${arg}`);
  }
  return options;
}

/**
 * @typedef {object} TestPlan
 * @property {string[]} suites the selected suites, in run order
 * @property {boolean} build whether the build runs (selected, or needed by a selected suite)
 * @property {boolean} services whether the throwaway PostgreSQL and Redis are needed
 * @property {boolean} app whether the app is started for e2e
 * @property {{ aptPackage: string, optional?: boolean }[]} systemPackages
 */

/**
 * @param {Pick<TestOptions, 'only' | 'skipBuild'>} options
 * @returns {TestPlan}
 */
export function planTests({ only, skipBuild }) {
  const suites = SUITES.filter((suite) => !only || only.includes(suite));
  const services = suites.some((suite) => NEEDS_SERVICES.has(suite));
  const browser = suites.includes('e2e-browser');
  return {
    suites: suites.filter((suite) => suite !== 'build'),
    build: !skipBuild && (suites.includes('build') || suites.some((suite) => NEEDS_DIST.has(suite))),
    services,
    app: suites.some((suite) => NEEDS_APP.has(suite)),
    systemPackages: [
      ...(services ? [{ aptPackage: 'postgresql' }, { aptPackage: 'redis-server' }] : []),
      ...(browser ? [{ aptPackage: 'chromium' }, { aptPackage: 'fonts-noto-cjk', optional: true }] : []),
    ],
  };
}

/**
 * Why `suite` must not run given the outcome of the steps before it, or null when it may run.
 * @param {string} suite
 * @param {Record<string, 'passed' | 'failed' | 'skipped' | undefined>} outcomes
 * @returns {string | null}
 */
export function skipReason(suite, outcomes) {
  // The services step runs the migrate CLI and the app step runs dist/main.js: both need a good build too.
  const needsDist = NEEDS_DIST.has(suite) || suite === 'services' || suite === 'app';
  if (needsDist && outcomes.build === 'failed') return 'build failed';
  if (NEEDS_SERVICES.has(suite) && outcomes.services && outcomes.services !== 'passed')
    return 'PostgreSQL/Redis did not start';
  if (NEEDS_APP.has(suite) && outcomes.app && outcomes.app !== 'passed') return 'the app did not start';
  return null;
}

/**
 * One summary line: `✔ lint 12.3s`, `✘ e2e-http 40.1s (see above)`, `- e2e-browser skipped (build failed)`.
 * @param {{ name: string, status: 'passed' | 'failed' | 'skipped', ms: number, note?: string }} result
 * @returns {string}
 */
export function formatResult({ name, status, ms, note }) {
  if (status === 'skipped') return `- ${name} skipped${note ? ` (${note})` : ''}`;
  const seconds = `${(ms / 1000).toFixed(1)}s`;
  return status === 'passed' ? `✔ ${name} ${seconds}` : `✘ ${name} ${seconds} (${note ?? 'see above'})`;
}
