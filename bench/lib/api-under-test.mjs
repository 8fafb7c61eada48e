// What the benchmarks of a running API share: JSON calls, finding the API process and reading its memory, a mock
// upstream on a free port, and writing the report into bench/README.md.
import { execFileSync, spawn } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A JSON call against `baseUrl`; never throws on a non-2xx answer, and keeps a non-JSON body as text. */
export async function apiCall(baseUrl, method, path, { body, token } = {}) {
  const headers = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
}

/** The API's pid: API_PID, or whoever listens on the base URL's port on this machine (Linux `ss`). */
export function apiPid(baseUrl) {
  if (process.env.API_PID) return Number(process.env.API_PID);
  const url = new URL(baseUrl);
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(url.hostname)) return undefined;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  try {
    const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
    const match = /pid=(\d+)/.exec(out);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Resident memory of a process in MB, from /proc. */
export function rssMb(pid) {
  if (!pid) return undefined;
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export const fmt = (n, digits = 1) => (n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(digits));
export const verdict = (ok) => (ok === undefined ? '⚪ not measured' : ok ? '✅ met' : '❌ missed');

export async function freePort() {
  return new Promise((resolvePort) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (probe.address());
      probe.close(() => resolvePort(port));
    });
  });
}

/** The mock upstream (libs/mock-llm, built) as its own process on a free port. */
export async function startMockLlm() {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [join(benchDir, '..', 'libs/mock-llm/dist/cli.js'), '--port', String(port), '--host', '127.0.0.1'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await once(child.stdout, 'data');
  child.stdout.resume();
  return { url: `http://127.0.0.1:${port}`, child };
}

async function formatMarkdown(text, path) {
  try {
    const prettier = (await import('prettier')).default;
    const config = (await prettier.resolveConfig(path)) ?? {};
    return await prettier.format(text, { ...config, filepath: path });
  } catch {
    return text;
  }
}

/**
 * Replaces the text between `<!-- <script> report: start/end -->` in bench/README.md; without the markers, adds a
 * section before run.mjs's "Last report".
 */
export async function writeReportSection(script, markdown) {
  const path = join(benchDir, 'README.md');
  const start = `<!-- ${script} report: start -->`;
  const end = `<!-- ${script} report: end -->`;
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // first run
  }
  const block = `${start}\n\n${markdown}\n\n${end}`;
  let next;
  if (current.includes(start) && current.includes(end)) {
    next = current.slice(0, current.indexOf(start)) + block + current.slice(current.indexOf(end) + end.length);
  } else {
    const section = `## ${script}: latest report\n\n${block}\n\n`;
    const at = current.indexOf('## Last report');
    next = at === -1 ? `${current.trimEnd()}\n\n${section}` : current.slice(0, at) + section + current.slice(at);
  }
  writeFileSync(path, await formatMarkdown(next, path));
}

/** One variable of a running process's environment (Linux /proc), or undefined. */
export function processEnv(pid, name) {
  try {
    const entries = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
    const entry = entries.find((e) => e.startsWith(`${name}=`));
    return entry?.slice(name.length + 1);
  } catch {
    return undefined;
  }
}

/**
 * The floor relay (bench/lib/floor-relay.mjs) as its own process, on the API's PostgreSQL and Redis (read from the
 * API process's environment), relaying from `mockUrl`. Undefined when the API's environment cannot be read.
 */
export async function startFloorRelay(apiPid, mockUrl) {
  const databaseUrl = apiPid && processEnv(apiPid, 'DATABASE_URL');
  const redisUrl = apiPid && processEnv(apiPid, 'REDIS_URL');
  if (!databaseUrl || !redisUrl) return undefined;
  const secret = randomBytes(32).toString('hex');
  const child = spawn(process.execPath, [join(benchDir, 'lib/floor-relay.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      FLOOR_DATABASE_URL: databaseUrl,
      FLOOR_REDIS_URL: redisUrl,
      FLOOR_UPSTREAM: mockUrl,
      FLOOR_SECRET: secret,
    },
  });
  const [line] = await Promise.race([
    once(child.stdout, 'data'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`the floor relay exited with ${code}`);
    }),
  ]);
  const port = Number(/listening (\d+)/.exec(String(line))?.[1]);
  child.stdout.resume();
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: randomUUID(), exp: Math.floor(Date.now() / 1000) + 86_400 })}`;
  const token = `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    token,
    close: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
