// Finding the system binaries the embedded services need, installing them with apt when we are root, and the
// unprivileged account they run under when we are root (PostgreSQL refuses to run as root).
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { runChecked, runCommand } from './processes.mjs';

const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
const POSTGRES_TOOLS = ['initdb', 'pg_ctl', 'postgres', 'psql'];

export class MissingSystemPackagesError extends Error {
  /** @param {string[]} packages */
  constructor(packages) {
    const command = `sudo apt-get install -y ${packages.join(' ')}`;
    super(`Missing system packages: ${packages.join(', ')}. Install them with:\n\n    ${command}\n`);
    this.name = 'MissingSystemPackagesError';
    this.packages = packages;
    this.command = command;
  }
}

export function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * @param {string} file
 * @returns {boolean}
 */
function isExecutableFile(file) {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Absolute path of an executable on PATH or in the usual system directories (sbin is often not on a user's PATH).
 * @param {string} name
 * @param {{ path?: string }} [options]
 * @returns {string | null}
 */
export function findExecutable(name, { path = process.env.PATH ?? '' } = {}) {
  const dirs = [...path.split(delimiter).filter(Boolean), ...SYSTEM_DIRS];
  for (const dir of dirs) {
    const candidate = resolve(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

/**
 * Orders PostgreSQL bin directories newest major version first. Versions come from the Debian layout
 * `/usr/lib/postgresql/<major>/bin`; directories without a recognisable version sort last, in their given order.
 * @param {string[]} dirs
 * @returns {string[]}
 */
export function sortPostgresBinDirs(dirs) {
  const versionOf = (/** @type {string} */ dir) => {
    const match = /postgresql\/(\d+)(?:\.(\d+))?\/bin\/?$/.exec(dir);
    return match ? Number(match[1]) * 1000 + Number(match[2] ?? 0) : -1;
  };
  return [...new Set(dirs)]
    .map((dir, index) => ({ dir, index, version: versionOf(dir) }))
    .sort((a, b) => b.version - a.version || a.index - b.index)
    .map(({ dir }) => dir);
}

/**
 * @param {string} dir
 * @returns {boolean}
 */
function hasPostgresTools(dir) {
  return POSTGRES_TOOLS.every((tool) => isExecutableFile(join(dir, tool)));
}

/**
 * The newest directory holding initdb, pg_ctl, postgres and psql: `PG_BINDIR` if set, else the highest
 * `/usr/lib/postgresql/<major>/bin`, else `pg_config --bindir`.
 * @param {{ env?: NodeJS.ProcessEnv, root?: string }} [options]
 * @returns {string | null}
 */
export function findPostgresBinDir({ env = process.env, root = '/usr/lib/postgresql' } = {}) {
  if (env.PG_BINDIR) {
    if (hasPostgresTools(env.PG_BINDIR)) return env.PG_BINDIR;
    throw new Error(`PG_BINDIR=${env.PG_BINDIR} does not contain ${POSTGRES_TOOLS.join(', ')}`);
  }
  /** @type {string[]} */
  const candidates = [];
  if (existsSync(root)) {
    for (const entry of readdirSync(root)) candidates.push(join(root, entry, 'bin'));
  }
  const pgConfig = findExecutable('pg_config');
  if (pgConfig) {
    try {
      candidates.push(
        execFileSync(pgConfig, ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
      );
    } catch {
      // A pg_config that cannot answer is no help.
    }
  }
  return sortPostgresBinDirs(candidates).find(hasPostgresTools) ?? null;
}

export function findRedisServer() {
  return findExecutable('redis-server');
}

/** @param {NodeJS.ProcessEnv} [env] */
export function findChromium(env = process.env) {
  if (env.CHROMIUM_PATH && isExecutableFile(env.CHROMIUM_PATH)) return env.CHROMIUM_PATH;
  return findExecutable('chromium') ?? findExecutable('chromium-browser');
}

/**
 * @typedef {object} SystemRequirement
 * @property {string} aptPackage Debian/Ubuntu package name
 * @property {() => string | null} find how to tell it is installed
 * @property {boolean} [optional] when true, a failure to install only warns
 */

let aptUpdated = false;

/**
 * Makes sure every requirement is met. Missing packages are installed with apt-get when we are root; otherwise
 * a {@link MissingSystemPackagesError} says exactly what to run.
 * @param {SystemRequirement[]} requirements
 * @param {{ log?: (message: string) => void }} [options]
 * @returns {Promise<void>}
 */
export async function ensureSystemPackages(requirements, { log = (message) => console.log(message) } = {}) {
  const missing = requirements.filter((requirement) => !requirement.find());
  if (missing.length === 0) return;
  const required = missing.filter((requirement) => !requirement.optional).map((r) => r.aptPackage);
  const optional = missing.filter((requirement) => requirement.optional).map((r) => r.aptPackage);
  const aptGet = findExecutable('apt-get');
  if (!isRoot() || !aptGet) {
    for (const name of optional)
      log(`Optional system package ${name} is not installed (sudo apt-get install -y ${name}).`);
    if (required.length > 0) throw new MissingSystemPackagesError(required);
    return;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    log('Updating the apt package lists…');
    await runChecked(aptGet, ['update'], { env, prefix: 'apt' });
    aptUpdated = true;
  }
  if (required.length > 0) {
    log(`Installing ${required.join(', ')} with apt-get…`);
    await runChecked(aptGet, ['install', '-y', ...required], { env, prefix: 'apt' });
  }
  for (const name of optional) {
    const result = await runCommand(aptGet, ['install', '-y', name], { env, prefix: 'apt' });
    if (result.code !== 0) log(`Optional system package ${name} could not be installed; continuing without it.`);
  }
  const stillMissing = required.filter((name) => !requirements.find((r) => r.aptPackage === name)?.find());
  if (stillMissing.length > 0) {
    throw new Error(`apt-get installed ${stillMissing.join(', ')} but the expected binaries are still missing`);
  }
}

/**
 * @typedef {object} ServiceUser
 * @property {string} name
 * @property {number} uid
 * @property {number} gid
 */

/**
 * @param {string} name
 * @returns {Promise<ServiceUser | null>}
 */
async function lookupUser(name) {
  const uid = await runCommand('id', ['-u', name]);
  const gid = await runCommand('id', ['-g', name]);
  if (uid.code !== 0 || gid.code !== 0) return null;
  return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** @type {Promise<ServiceUser | null> | undefined} */
let serviceUserPromise;

/**
 * The unprivileged account the embedded services run as when we are root: `postgres` (created by Debian's
 * postgresql package) if it exists, otherwise a system user `modelyard`, created on first use.
 * `null` when we are not root: the services then simply run as us.
 * @returns {Promise<ServiceUser | null>}
 */
export function resolveServiceUser() {
  serviceUserPromise ??= (async () => {
    if (!isRoot()) return null;
    const existing = (await lookupUser('postgres')) ?? (await lookupUser('modelyard'));
    if (existing) return existing;
    const useradd = findExecutable('useradd');
    if (!useradd)
      throw new Error('Running as root, but useradd is missing: cannot create the unprivileged "modelyard" user');
    await runChecked(useradd, [
      '--system',
      '--no-create-home',
      '--user-group',
      '--shell',
      '/usr/sbin/nologin',
      'modelyard',
    ]);
    const created = await lookupUser('modelyard');
    if (!created) throw new Error('useradd succeeded but the "modelyard" user cannot be looked up');
    return created;
  })();
  return serviceUserPromise;
}

/**
 * The directories on the way to `target` (its ancestors, not itself) that `uid`/`gid` cannot enter. Only the
 * owner, group and other permission bits are considered: supplementary groups and ACLs are not.
 * @param {string} target
 * @param {{ uid: number, gid: number }} user
 * @returns {string[]}
 */
export function findUntraversableAncestors(target, { uid, gid }) {
  if (uid === 0) return [];
  const blocked = [];
  let dir = dirname(resolve(target));
  for (;;) {
    const stats = statSync(dir);
    const searchBit = stats.uid === uid ? 0o100 : stats.gid === gid ? 0o010 : 0o001;
    if ((stats.mode & searchBit) === 0) blocked.push(dir);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return blocked.reverse();
}

/**
 * Warns, with the fix, when the service user cannot reach `target`.
 * @param {string} target
 * @param {ServiceUser} user
 * @param {(message: string) => void} log
 * @returns {boolean} true when every ancestor is traversable
 */
export function warnIfUntraversable(target, user, log) {
  const blocked = findUntraversableAncestors(target, user);
  if (blocked.length === 0) return true;
  log(
    `WARNING: the services run as the unprivileged user "${user.name}", which cannot enter ${blocked.join(', ')} ` +
      `on the way to ${target}.\n  Fix it with:  chmod o+x ${blocked.map((d) => JSON.stringify(d)).join(' ')}\n` +
      '  or point DATA_DIR somewhere every user can reach (e.g. /var/lib/modelyard).',
  );
  return false;
}

/**
 * spawn() options that run a command as the service user (or as us when there is none). Node sets the uid/gid
 * itself, so the pid we hold is the service's own, and signals reach it directly (runuser/su would sit in between).
 * @param {ServiceUser | null} user
 * @param {string} home a directory the user can enter, used as HOME and working directory
 * @returns {{ uid?: number, gid?: number, cwd: string, env: NodeJS.ProcessEnv }}
 */
export function asServiceUser(user, home) {
  if (!user) return { cwd: home, env: { ...process.env } };
  return {
    uid: user.uid,
    gid: user.gid,
    cwd: home,
    env: { ...process.env, HOME: home, USER: user.name, LOGNAME: user.name },
  };
}
