// Getting the pnpm version pinned in package.json#packageManager without corepack (whose signature check fails on
// some machines), and installing the workspace only when the lockfile changed since the last install.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { runCommand, runInherited } from './processes.mjs';

/**
 * @typedef {object} Pnpm
 * @property {string} command executable to run
 * @property {string[]} prefixArgs arguments that come before pnpm's own (e.g. `['pnpm']` for corepack)
 * @property {string} version
 * @property {string | undefined} binDir a directory to put first on PATH so that `pnpm` inside package scripts is this one
 */

/**
 * The pnpm version from a `packageManager` field such as `pnpm@10.34.9` or `pnpm@10.34.9+sha512.abc`.
 * @param {string | undefined} field
 * @returns {string}
 */
export function parsePackageManager(field) {
  const match = /^pnpm@(\d+\.\d+\.\d+(?:-[\w.]+)?)(?:\+.*)?$/.exec(field ?? '');
  if (!match)
    throw new Error(`package.json "packageManager" must look like "pnpm@<version>", got ${JSON.stringify(field)}`);
  return match[1];
}

/** @param {string} rootDir */
export function readPnpmVersion(rootDir) {
  const manifest = JSON.parse(readFileSync(join(rootDir, 'package.json'), 'utf8'));
  return parsePackageManager(manifest.packageManager);
}

/**
 * @param {string} command
 * @param {string[]} prefixArgs
 * @returns {Promise<string | null>}
 */
async function versionOf(command, prefixArgs = []) {
  try {
    const env = { ...process.env, COREPACK_ENABLE_DOWNLOAD_PROMPT: '0' };
    const result = await runCommand(command, [...prefixArgs, '--version'], { env });
    return result.code === 0 ? result.stdout.trim() : null;
  } catch {
    return null;
  }
}

/**
 * Finds or installs pnpm at the pinned version: `pnpm` on PATH, then `.tools/node_modules/.bin/pnpm`, then
 * `npm install --prefix .tools pnpm@<version>`, and only as a last resort `corepack pnpm`.
 * @param {{ rootDir: string, log?: (message: string) => void }} options
 * @returns {Promise<Pnpm>}
 */
export async function ensurePnpm({ rootDir, log = (message) => console.log(message) }) {
  const version = readPnpmVersion(rootDir);
  if ((await versionOf('pnpm')) === version) return { command: 'pnpm', prefixArgs: [], version, binDir: undefined };

  const toolsDir = join(rootDir, '.tools');
  const localBinDir = join(toolsDir, 'node_modules', '.bin');
  const local = join(localBinDir, 'pnpm');
  if (existsSync(local) && (await versionOf(local)) === version) {
    return { command: local, prefixArgs: [], version, binDir: localBinDir };
  }

  log(`Installing pnpm ${version} into .tools/ …`);
  const npm = await runCommand(
    'npm',
    ['install', '--prefix', toolsDir, '--no-audit', '--no-fund', '--loglevel=error', `pnpm@${version}`],
    { prefix: 'npm' },
  ).catch((error) => ({ code: 1, stderr: String(error) }));
  if (npm.code === 0 && (await versionOf(local)) === version) {
    return { command: local, prefixArgs: [], version, binDir: localBinDir };
  }

  log('npm could not install pnpm; trying corepack…');
  if ((await versionOf('corepack', ['pnpm'])) === version) {
    // Package scripts call `pnpm` by name: give them a shim that goes through corepack too.
    const shimDir = join(toolsDir, 'bin');
    mkdirSync(shimDir, { recursive: true });
    writeFileSync(join(shimDir, 'pnpm'), '#!/bin/sh\nexec corepack pnpm "$@"\n');
    chmodSync(join(shimDir, 'pnpm'), 0o755);
    return { command: 'corepack', prefixArgs: ['pnpm'], version, binDir: shimDir };
  }
  throw new Error(
    `Could not get pnpm ${version}. Install it yourself (npm install -g pnpm@${version}) and run this again.`,
  );
}

/**
 * Environment for pnpm and everything it runs: our pnpm first on PATH, and never a Playwright browser download
 * (the tests use the system's Chromium).
 * @param {Pnpm} pnpm
 * @param {NodeJS.ProcessEnv} [base]
 * @returns {NodeJS.ProcessEnv}
 */
export function pnpmEnv(pnpm, base = process.env) {
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...base, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };
  if (pnpm.binDir) env.PATH = [pnpm.binDir, base.PATH ?? ''].filter(Boolean).join(delimiter);
  return env;
}

/**
 * True when node_modules was installed after the lockfile last changed.
 * @param {string} rootDir
 * @returns {boolean}
 */
export function dependenciesUpToDate(rootDir) {
  try {
    const installed = statSync(join(rootDir, 'node_modules', '.modules.yaml')).mtimeMs;
    const locked = statSync(join(rootDir, 'pnpm-lock.yaml')).mtimeMs;
    return installed > locked;
  } catch {
    return false;
  }
}

/**
 * Runs `pnpm <args>` attached to the terminal; resolves with its exit code.
 * @param {Pnpm} pnpm
 * @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, onSpawn?: (child: import('node:child_process').ChildProcess) => void }} options
 * @returns {Promise<number>}
 */
export function runPnpm(pnpm, args, { cwd, env, onSpawn }) {
  return runInherited(pnpm.command, [...pnpm.prefixArgs, ...args], { cwd, env: env ?? pnpmEnv(pnpm), onSpawn });
}

/**
 * `pnpm install --frozen-lockfile`, skipped when node_modules is already newer than the lockfile.
 * @param {{ rootDir: string, pnpm: Pnpm, force?: boolean, log?: (message: string) => void }} options
 * @returns {Promise<void>}
 */
export async function installDependencies({ rootDir, pnpm, force = false, log = (message) => console.log(message) }) {
  if (!force && dependenciesUpToDate(rootDir)) {
    log('Dependencies are up to date (node_modules is newer than pnpm-lock.yaml).');
    return;
  }
  const code = await runPnpm(pnpm, ['install', '--frozen-lockfile'], { cwd: rootDir });
  if (code !== 0) {
    throw new Error(
      `pnpm install --frozen-lockfile failed (exit code ${code}). If pnpm-lock.yaml is out of date, run "pnpm install" and commit the lockfile.`,
    );
  }
}
