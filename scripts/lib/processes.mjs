// Child-process plumbing shared by `npm start` and `npm test`: prefixed output, graceful group shutdown, waiting
// for HTTP health, and cleaning up after a previous run that was killed before it could stop its children.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as delay } from 'node:timers/promises';

const PREFIX_COLOURS = [36, 35, 33, 32, 34, 31];
const colourByName = new Map();

/**
 * The `[name] ` prefix put in front of each output line of a child, coloured when writing to a terminal.
 * @param {string} name
 * @param {boolean} [colour]
 * @returns {string}
 */
export function formatPrefix(name, colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR) {
  if (!colour) return `[${name}] `;
  if (!colourByName.has(name)) colourByName.set(name, PREFIX_COLOURS[colourByName.size % PREFIX_COLOURS.length]);
  return `\u001b[${colourByName.get(name)}m[${name}]\u001b[0m `;
}

/**
 * Splits a byte stream into lines and writes each one, untouched, after `prefix`. Multi-byte characters split across
 * chunks are reassembled, so CJK log lines stay readable.
 * @param {string} prefix
 * @param {(text: string) => void} write
 * @returns {{ push(chunk: Buffer | string): void, flush(): void }}
 */
export function createLinePrefixer(prefix, write) {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  return {
    push(chunk) {
      pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) write(`${prefix}${line.replace(/\r$/, '')}\n`);
    },
    flush() {
      pending += decoder.end();
      if (pending) write(`${prefix}${pending.replace(/\r$/, '')}\n`);
      pending = '';
    },
  };
}

/**
 * Whether a process with this pid exists (possibly owned by someone else).
 * @param {number} pid
 * @returns {boolean}
 */
export function isProcessAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}

/**
 * Resolves when `pid` is gone or `timeoutMs` passed; true when it is gone.
 * @param {number} pid
 * @param {number} timeoutMs
 * @returns {Promise<boolean>}
 */
export async function waitForPidExit(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) return false;
    await delay(100);
  }
  return true;
}

/**
 * @typedef {object} ServiceOptions
 * @property {NodeJS.ProcessEnv} [env]
 * @property {string} [cwd]
 * @property {number} [uid] run as this user (only meaningful when we are root)
 * @property {number} [gid]
 * @property {string} [logFile] also append the raw, unprefixed output here
 * @property {boolean} [echo] print prefixed output to our stdout/stderr (default true)
 * @property {string} [pidFile] record the pid, so a later run can clean up if this one is killed
 */

/**
 * @typedef {object} ManagedProcess
 * @property {string} name
 * @property {import('node:child_process').ChildProcess} child
 * @property {Promise<{ code: number | null, signal: NodeJS.Signals | null, error?: Error }>} exited
 * @property {() => boolean} isRunning
 * @property {(options?: { signal?: NodeJS.Signals, timeoutMs?: number }) => Promise<void>} stop
 * @property {boolean} stopRequested
 */

/**
 * Starts a long-running child in its own process group (so a terminal Ctrl-C reaches only us and we decide the
 * shutdown order), with each output line prefixed by `[name]`.
 * @param {string} name
 * @param {string} command
 * @param {string[]} args
 * @param {ServiceOptions} [options]
 * @returns {ManagedProcess}
 */
export function spawnService(name, command, args, options = {}) {
  const { env = process.env, cwd, uid, gid, logFile, echo = true, pidFile } = options;
  const child = spawn(command, args, {
    env,
    cwd,
    uid,
    gid,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
  const prefix = formatPrefix(name);
  const outLines = createLinePrefixer(prefix, (text) => process.stdout.write(text));
  const errLines = createLinePrefixer(prefix, (text) => process.stderr.write(text));
  child.stdout?.on('data', (chunk) => {
    log?.write(chunk);
    if (echo) outLines.push(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    log?.write(chunk);
    if (echo) errLines.push(chunk);
  });
  if (pidFile && child.pid) writeFileSync(pidFile, `${child.pid}\n`);

  const exited = new Promise((resolvePromise) => {
    child.once('error', (error) => resolvePromise({ code: null, signal: null, error }));
    child.once('close', (code, signal) => {
      outLines.flush();
      errLines.flush();
      log?.end();
      if (pidFile) rmSync(pidFile, { force: true });
      resolvePromise({ code, signal });
    });
  });

  /** @type {ManagedProcess} */
  const managed = {
    name,
    child,
    exited,
    stopRequested: false,
    isRunning: () => child.exitCode === null && child.signalCode === null && child.pid !== undefined,
    async stop({ signal = 'SIGTERM', timeoutMs = 10_000 } = {}) {
      managed.stopRequested = true;
      if (!managed.isRunning()) {
        await exited;
        return;
      }
      child.kill(signal);
      const finished = await Promise.race([exited.then(() => true), delay(timeoutMs).then(() => false)]);
      if (finished) return;
      process.stderr.write(`${prefix}did not stop within ${Math.round(timeoutMs / 1000)} s, killing it\n`);
      // The whole group, so nothing it started outlives it.
      try {
        process.kill(-(/** @type {number} */ (child.pid)), 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      await exited;
    },
  };
  return managed;
}

/**
 * Runs a command to completion. Output is either captured (returned) or echoed with a `[prefix]`.
 * Never rejects for a non-zero exit; rejects only when the command cannot be started.
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, uid?: number, gid?: number, prefix?: string, input?: string }} [options]
 * @returns {Promise<{ code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string }>}
 */
export function runCommand(command, args, options = {}) {
  const { env = process.env, cwd, uid, gid, prefix, input } = options;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      env,
      cwd,
      uid,
      gid,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const outLines = prefix ? createLinePrefixer(formatPrefix(prefix), (t) => process.stdout.write(t)) : undefined;
    const errLines = prefix ? createLinePrefixer(formatPrefix(prefix), (t) => process.stderr.write(t)) : undefined;
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      outLines?.push(chunk);
    });
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
      errLines?.push(chunk);
    });
    child.once('error', (error) => reject(new Error(`Could not run ${command}: ${error.message}`)));
    child.once('close', (code, signal) => {
      outLines?.flush();
      errLines?.flush();
      resolvePromise({ code, signal, stdout, stderr });
    });
    if (input !== undefined && child.stdin) {
      // A command that exits without reading its input must not crash us with EPIPE.
      child.stdin.on('error', () => {});
      child.stdin.end(input);
    }
  });
}

/**
 * Like {@link runCommand}, but throws an error carrying the command's output when it fails.
 * @param {string} command
 * @param {string[]} args
 * @param {Parameters<typeof runCommand>[2]} [options]
 * @returns {Promise<{ stdout: string, stderr: string }>}
 */
export async function runChecked(command, args, options = {}) {
  const result = await runCommand(command, args, options);
  if (result.code !== 0) {
    const output = `${result.stdout}\n${result.stderr}`.trim();
    const shown = options.prefix ? '' : `\n${output.split('\n').slice(-30).join('\n')}`;
    throw new Error(`${[command, ...args].join(' ')} failed (${result.signal ?? `exit code ${result.code}`})${shown}`);
  }
  return { stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs a command attached to our terminal (colours and progress bars intact). Resolves with the exit code.
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, onSpawn?: (child: import('node:child_process').ChildProcess) => void }} [options]
 * @returns {Promise<number>}
 */
export function runInherited(command, args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: 'inherit' });
    options.onSpawn?.(child);
    child.once('error', (error) => reject(new Error(`Could not run ${command}: ${error.message}`)));
    child.once('close', (code, signal) => resolvePromise(code ?? (signal ? 128 + signalNumber(signal) : 1)));
  });
}

/** @param {NodeJS.Signals} signal */
function signalNumber(signal) {
  return { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }[/** @type {string} */ (signal)] ?? 1;
}

/**
 * Polls `url` until it answers `expectStatus`. Rejects on timeout or when `signal` aborts (e.g. the server died).
 * @param {string} url
 * @param {{ timeoutMs?: number, intervalMs?: number, expectStatus?: number, signal?: AbortSignal }} [options]
 * @returns {Promise<void>}
 */
export async function waitForHttp(url, options = {}) {
  const { timeoutMs = 120_000, intervalMs = 250, expectStatus = 200, signal } = options;
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      if (response.status === expectStatus) return;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem =
        error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    }
    await delay(intervalMs);
  }
  throw new Error(
    `${url} did not answer ${expectStatus} within ${Math.round(timeoutMs / 1000)} s (last: ${lastProblem})`,
  );
}

/**
 * @typedef {object} GroupMember
 * @property {string} name
 * @property {() => Promise<void>} stop
 * @property {Promise<{ code: number | null, signal: NodeJS.Signals | null, error?: Error }>} [exited]
 * @property {boolean} [stopRequested]
 */

/**
 * Things started by one run, stopped in reverse order of starting. Reports the first member that exits without
 * having been asked to.
 */
export class ProcessGroup {
  /** @type {GroupMember[]} */
  #members = [];
  #stopping = false;
  /** @type {(name: string, result: { code: number | null, signal: NodeJS.Signals | null, error?: Error }) => void} */
  #onUnexpectedExit;

  /**
   * @param {{ onUnexpectedExit?: (name: string, result: { code: number | null, signal: NodeJS.Signals | null, error?: Error }) => void }} [options]
   */
  constructor(options = {}) {
    this.#onUnexpectedExit = options.onUnexpectedExit ?? (() => {});
  }

  get stopping() {
    return this.#stopping;
  }

  /**
   * @template {GroupMember} T
   * @param {T} member
   * @returns {T}
   */
  add(member) {
    this.#members.push(member);
    member.exited?.then((result) => {
      if (!this.#stopping && !member.stopRequested) this.#onUnexpectedExit(member.name, result);
    });
    return member;
  }

  /**
   * Stops every member, newest first; a failure to stop one does not prevent stopping the others.
   * @param {(message: string) => void} [log]
   */
  async stopAll(log = (message) => process.stderr.write(`${message}\n`)) {
    this.#stopping = true;
    const members = this.#members.splice(0).reverse();
    for (const member of members) {
      try {
        log(`Stopping ${member.name}…`);
        await member.stop();
      } catch (error) {
        log(`Could not stop ${member.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

/**
 * Stops a process recorded in `pidFile` by an earlier run that was killed before it could clean up, but only if
 * its command line still contains `expected` (the pid may since have been reused by something unrelated).
 * @param {string} pidFile
 * @param {string} expected
 * @returns {Promise<boolean>} whether a stale process was stopped
 */
export async function reapStaleProcess(pidFile, expected) {
  let pid;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return false;
  }
  // Gone already, or no /proc: nothing we can safely do.
  if (!commandLineOf(pid).includes(expected) || !isProcessAlive(pid)) {
    rmSync(pidFile, { force: true });
    return false;
  }
  process.kill(pid, 'SIGTERM');
  if (!(await waitForPidExit(pid, 10_000))) process.kill(pid, 'SIGKILL');
  await waitForPidExit(pid, 5_000);
  rmSync(pidFile, { force: true });
  return true;
}

/** The command line of a live process, or '' (gone, or no /proc). @param {number} pid */
function commandLineOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/**
 * Claims `dataDir` for this process: one `npm start` per data directory. A second one would adopt the first's
 * PostgreSQL and stop its Redis and API as left over by a killed run, taking both down. Throws while another live
 * `entry` process holds it; returns the function that gives it back.
 * @param {string} dataDir
 * @param {string} [entry]
 * @returns {() => void}
 */
export function claimDataDir(dataDir, entry = 'scripts/start.mjs') {
  const runDir = join(dataDir, 'run');
  mkdirSync(runDir, { recursive: true });
  const lockFile = join(runDir, 'start.pid');
  let holder = 0;
  try {
    holder = Number(readFileSync(lockFile, 'utf8').trim());
  } catch {
    // Nobody holds it.
  }
  if (holder > 0 && holder !== process.pid && isProcessAlive(holder) && commandLineOf(holder).includes(entry)) {
    throw new Error(
      `Another "npm start" (pid ${holder}) is running with the data directory ${dataDir}. Stop it first, or give ` +
        'this one its own DATA_DIR (and ports).',
    );
  }
  writeFileSync(lockFile, `${process.pid}\n`);
  return () => {
    try {
      if (Number(readFileSync(lockFile, 'utf8').trim()) === process.pid) rmSync(lockFile, { force: true });
    } catch {
      // Already gone.
    }
  };
}
