// An embedded PostgreSQL cluster built from the system's binaries: initialised once in <dataDir>/postgres,
// listening on 127.0.0.1 only, password-protected (scram-sha-256), run as an unprivileged user when we are root.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { choosePort, isPortFree } from './ports.mjs';
import { isProcessAlive, runChecked, runCommand } from './processes.mjs';
import { readOrCreateSecret } from './secrets.mjs';
import {
  MissingSystemPackagesError,
  asServiceUser,
  findPostgresBinDir,
  resolveServiceUser,
  warnIfUntraversable,
} from './system-packages.mjs';

export const DEFAULT_POSTGRES_PORT = 54329;
export const POSTGRES_USER = 'modelyard';
export const POSTGRES_DATABASE = 'modelyard';

// sockaddr_un.sun_path is 108 bytes on Linux, including the terminating NUL.
const MAX_SOCKET_PATH = 107;

/**
 * @param {{ password: string, port: number, database?: string, host?: string, user?: string }} parts
 * @returns {string}
 */
export function postgresUrl({
  password,
  port,
  database = POSTGRES_DATABASE,
  host = '127.0.0.1',
  user = POSTGRES_USER,
}) {
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${encodeURIComponent(database)}`;
}

/**
 * Quotes a value for the `/bin/sh -c` line pg_ctl builds from `-o`.
 * @param {string} value
 */
export function shellQuote(value) {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The Unix socket directory for `port`: the data directory itself, or '' (sockets disabled; we only use TCP) when
 * the resulting socket path would be too long for the kernel.
 * @param {string} pgData
 * @param {number} port
 */
export function socketDirFor(pgData, port) {
  return `${pgData}/.s.PGSQL.${port}`.length <= MAX_SOCKET_PATH ? pgData : '';
}

/**
 * The `-o` string handed to `pg_ctl start`.
 * @param {{ port: number, socketDir: string }} options
 */
export function postmasterOptions({ port, socketDir }) {
  // Headroom for the API and worker pools (DATABASE_POOL_SIZE each) plus a second API process.
  return `-p ${port} -h 127.0.0.1 -k ${shellQuote(socketDir)} -c fsync=on -c max_connections=200`;
}

/**
 * Reads the fields of a postmaster.pid file (see PostgreSQL's pidfile.h).
 * @param {string} text
 * @returns {{ pid: number, dataDir: string, port: number, socketDir: string, listenAddress: string, status: string }}
 */
export function parsePostmasterPid(text) {
  const lines = text.split('\n');
  return {
    pid: Number(lines[0]),
    dataDir: lines[1] ?? '',
    port: Number(lines[3]),
    socketDir: lines[4] ?? '',
    listenAddress: lines[5] ?? '',
    status: (lines[7] ?? '').trim(),
  };
}

/**
 * A database name we are willing to interpolate into SQL.
 * @param {string} name
 */
function assertDatabaseName(name) {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Invalid database name: ${name}`);
}

/** @param {string} file */
function readPort(file) {
  try {
    const port = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
  } catch {
    return undefined;
  }
}

/** @param {string} file @param {number} lines */
function tail(file, lines) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * @typedef {object} PostgresHandle
 * @property {string} name
 * @property {string} url connection URL of the `modelyard` database
 * @property {number} port
 * @property {string} password
 * @property {string} pgData
 * @property {string} bindir
 * @property {boolean} reused true when an instance left running by an earlier run was adopted
 * @property {(database: string) => string} urlFor
 * @property {(database: string) => Promise<string>} createDatabase creates the database if missing, returns its URL
 * @property {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} exited settles if the server goes away
 * @property {boolean} stopRequested
 * @property {() => Promise<void>} stop `pg_ctl stop -m fast`
 */

/**
 * @typedef {object} StartPostgresOptions
 * @property {string} dataDir the Modelyard data directory; the cluster lives in `<dataDir>/postgres`
 * @property {number} [port] a port that must be used (fails if busy)
 * @property {number} [defaultPort] tried when no port is given and none is remembered; a free one is chosen if busy
 * @property {number[]} [avoidPorts] never fall back to these
 * @property {(message: string) => void} [log]
 */

/**
 * Starts (initialising on first use) or adopts the embedded PostgreSQL in `<dataDir>/postgres` and makes sure the
 * `modelyard` database exists. The password is generated once into `<dataDir>/secrets/postgres-password`.
 * @param {StartPostgresOptions} options
 * @returns {Promise<PostgresHandle>}
 */
export async function startPostgres(options) {
  const { port: requiredPort, defaultPort = DEFAULT_POSTGRES_PORT, avoidPorts = [] } = options;
  const log = options.log ?? ((message) => console.log(`[postgres] ${message}`));
  const dataDir = resolve(options.dataDir);
  const bindir = findPostgresBinDir();
  if (!bindir) throw new MissingSystemPackagesError(['postgresql']);
  const bin = (/** @type {string} */ tool) => join(bindir, tool);

  const user = await resolveServiceUser();
  const pgData = join(dataDir, 'postgres');
  const password = readOrCreateSecret(join(dataDir, 'secrets', 'postgres-password'));
  mkdirSync(dataDir, { recursive: true });
  if (user) {
    // The service user has to pass through the data directory (owned by us) to reach its own subdirectory.
    const mode = statSync(dataDir).mode & 0o7777;
    if ((mode & 0o001) === 0) chmodSync(dataDir, mode | 0o001);
    warnIfUntraversable(pgData, user, log);
  }
  if (!existsSync(pgData)) mkdirSync(pgData, { mode: 0o700 });
  if (user) chownSync(pgData, user.uid, user.gid);
  const as = asServiceUser(user, pgData);

  if (!existsSync(join(pgData, 'PG_VERSION'))) {
    if (readdirSync(pgData).length > 0) {
      throw new Error(
        `${pgData} is not empty but holds no PostgreSQL cluster (no PG_VERSION); move it away to start fresh`,
      );
    }
    await initCluster({ bin, pgData, dataDir, password, user, as, log });
  }

  const logFile = join(dataDir, 'postgres.log');
  const portFile = join(dataDir, 'postgres.port');
  let reused = false;
  let port;
  const status = await runCommand(bin('pg_ctl'), ['status', '-D', pgData], as);
  if (status.code === 0) {
    port = parsePostmasterPid(readFileSync(join(pgData, 'postmaster.pid'), 'utf8')).port;
    reused = true;
    log(`Reusing the PostgreSQL already running from ${pgData} on port ${port}.`);
    if (requiredPort !== undefined && requiredPort !== port) {
      log(`Note: it listens on ${port}, not on the requested ${requiredPort}; stop it to change the port.`);
    }
  } else {
    if (requiredPort !== undefined) {
      if (!(await isPortFree(requiredPort))) throw new Error(`PostgreSQL port ${requiredPort} is already in use`);
      port = requiredPort;
    } else {
      const choice = await choosePort(readPort(portFile) ?? defaultPort, { avoid: avoidPorts });
      if (choice.fellBack) log(`Port ${readPort(portFile) ?? defaultPort} is busy; using ${choice.port} instead.`);
      port = choice.port;
    }
    writeFileSync(portFile, `${port}\n`);
    closeSync(openSync(logFile, 'a'));
    if (user) chownSync(logFile, user.uid, user.gid);
    const socketDir = socketDirFor(pgData, port);
    const started = await runCommand(
      bin('pg_ctl'),
      ['start', '-w', '-t', '120', '-D', pgData, '-l', logFile, '-o', postmasterOptions({ port, socketDir })],
      as,
    );
    if (started.code !== 0) {
      throw new Error(
        `PostgreSQL did not start (pg_ctl exit code ${started.code}). Last lines of ${logFile}:\n${tail(logFile, 20)}`,
      );
    }
    const major = /postgresql\/(\d+)/.exec(bindir)?.[1];
    log(`PostgreSQL${major ? ` ${major}` : ''} started on 127.0.0.1:${port} (data: ${pgData}, log: ${logFile}).`);
  }

  const urlFor = (/** @type {string} */ database) => postgresUrl({ password, port, database });
  const psql = (/** @type {string} */ sql) =>
    runChecked(
      bin('psql'),
      [
        '-X',
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        POSTGRES_USER,
        '-d',
        'postgres',
        '-tAc',
        sql,
      ],
      {
        env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '10' },
      },
    );
  const createDatabase = async (/** @type {string} */ database) => {
    assertDatabaseName(database);
    const exists = await psql(`SELECT 1 FROM pg_database WHERE datname = '${database}'`);
    if (exists.stdout.trim() !== '1') {
      await psql(`CREATE DATABASE "${database}"`);
      log(`Created database ${database}.`);
    }
    return urlFor(database);
  };
  await createDatabase(POSTGRES_DATABASE);

  const postmasterPid = parsePostmasterPid(readFileSync(join(pgData, 'postmaster.pid'), 'utf8')).pid;
  /** @type {PostgresHandle} */
  const handle = {
    name: 'postgres',
    url: urlFor(POSTGRES_DATABASE),
    port,
    password,
    pgData,
    bindir,
    reused,
    urlFor,
    createDatabase,
    stopRequested: false,
    // pg_ctl detaches the server from us, so "did it die?" is answered by watching its pid.
    exited: new Promise((resolvePromise) => {
      const timer = setInterval(() => {
        if (!isProcessAlive(postmasterPid)) {
          clearInterval(timer);
          resolvePromise({ code: null, signal: null });
        }
      }, 2_000);
      timer.unref();
    }),
    async stop() {
      handle.stopRequested = true;
      const stopped = await runCommand(bin('pg_ctl'), ['stop', '-w', '-t', '60', '-D', pgData, '-m', 'fast'], as);
      if (stopped.code !== 0 && existsSync(join(pgData, 'postmaster.pid'))) {
        throw new Error(`pg_ctl stop failed: ${stopped.stderr.trim() || stopped.stdout.trim()}`);
      }
      log('PostgreSQL stopped.');
    },
  };
  return handle;
}

/**
 * @param {{ bin: (tool: string) => string, pgData: string, dataDir: string, password: string,
 *   user: import('./system-packages.mjs').ServiceUser | null, as: ReturnType<typeof asServiceUser>,
 *   log: (message: string) => void }} context
 */
async function initCluster({ bin, pgData, dataDir, password, user, as, log }) {
  log(`Initialising a new PostgreSQL cluster in ${pgData}${user ? ` (as user ${user.name})` : ''}…`);
  // initdb wants the password in a file the service user can read; it lives only for the duration of initdb.
  const pwfile = join(dataDir, `.postgres-pwfile-${randomBytes(6).toString('hex')}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (user) chownSync(pwfile, user.uid, user.gid);
  try {
    const locales = await runCommand('locale', ['-a']).catch(() => ({ stdout: '' }));
    const locale = /^C\.utf-?8$/im.test(locales.stdout) ? 'C.UTF-8' : 'C';
    await runChecked(
      bin('initdb'),
      [
        '-D',
        pgData,
        '--auth=scram-sha-256',
        `--username=${POSTGRES_USER}`,
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        `--locale=${locale}`,
      ],
      as,
    );
  } finally {
    rmSync(pwfile, { force: true });
  }
}
