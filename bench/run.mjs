#!/usr/bin/env node
// Modelyard benchmarks against a running API (`npm start`, or any BASE_URL). Each measurement is paired with a
// baseline taken in the same run on the same machine, so the ratios mean something even on a busy laptop:
//   1. POST /api/auth/login at 50 connections   vs  raw bcrypt.compare (cost 12) at 50 in flight, in this process
//   2. GET /api/auth/me at 100 connections       vs  a bare Fastify route returning the same JSON
//   3. the API process's resident memory (VmRSS) while idle
// Prints a markdown report and writes it to bench/README.md under "Last report".

import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import autocannon from 'autocannon';
import { apiCall, apiPid, fmt, rssMb, verdict } from './lib/api-under-test.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const rootDir = resolve(benchDir, '..');
// bcrypt and fastify are dependencies of the API, not of the bench: load the very copies the API uses.
const requireFromApi = createRequire(join(rootDir, 'apps/api/package.json'));
const bcrypt = requireFromApi('bcrypt');

const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
const ADMIN_EMAIL = process.env.ADMIN_EMAIL;
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD;
// Logins are slow on purpose (bcrypt): measure a fixed number of them rather than a time window, so no request is
// cut off mid-flight and left running on the server into the next measurement.
const LOGINS = Number(process.env.BENCH_LOGINS ?? 150);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
const LOGIN_CONNECTIONS = 50;
const ME_CONNECTIONS = 100;
const BCRYPT_COST = 12;

const GOALS = {
  loginVsBcrypt: 0.9,
  meVsBare: 0.5,
  meP99Ms: 20,
  idleRssMb: 200,
};

const log = (message) => console.error(`[bench] ${message}`);

const api = (method, path, options) => apiCall(BASE_URL, method, path, options);

/** A user of its own, so the benchmark never touches real accounts (and never fails a login). */
async function benchAccount() {
  const account = {
    email: `bench-${randomUUID()}@bench.test`,
    nickname: `bench${randomUUID().replace(/-/g, '').slice(0, 12)}`,
    password: `Bench-${randomUUID().slice(0, 12)}9`,
  };
  const res = await api('POST', '/api/auth/register', { body: account });
  if (res.status === 201) return { ...account, note: 'a dedicated bench user' };
  if (ADMIN_EMAIL && ADMIN_PASSWORD) {
    log(`could not register a bench user (${res.status} ${res.body?.code}); benchmarking the admin login instead`);
    return {
      email: ADMIN_EMAIL,
      password: ADMIN_PASSWORD,
      note: `the admin account (registration answered ${res.status})`,
    };
  }
  throw new Error(
    `cannot register a bench user: ${res.status} ${JSON.stringify(res.body)}; set ADMIN_EMAIL/ADMIN_PASSWORD`,
  );
}

async function cannon(label, options) {
  const span = options.amount ? `${options.amount} requests` : `${options.duration}s`;
  log(`${label}: ${options.connections} connections, ${span}`);
  const start = performance.now();
  const result = await autocannon({ timeout: 300, ...options });
  const elapsed = (performance.now() - start) / 1000;
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) log(`${label}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  const ok = result.requests.total - result.non2xx;
  return { requests: ok, rps: ok / elapsed, p50: result.latency.p50, p99: result.latency.p99, failed, elapsed };
}

/** Mean throughput over rounds; latencies of the slowest round. */
function combine(rounds) {
  const total = (key) => rounds.reduce((sum, r) => sum + r[key], 0);
  return {
    requests: total('requests'),
    rps: total('requests') / total('elapsed'),
    p50: Math.max(...rounds.map((r) => r.p50)),
    p99: Math.max(...rounds.map((r) => r.p99)),
    failed: total('failed'),
    elapsed: total('elapsed'),
    perRound: rounds.map((r) => r.rps),
  };
}

/** CPU seconds (user + system) the process has used so far, from /proc/<pid>/stat. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Waits until the API has finished what the previous phase left it (< 5% of a core over half a second). */
async function waitForIdle(pid) {
  if (!pid) return sleep(3000);
  for (let i = 0; i < 240; i++) {
    const before = cpuSeconds(pid);
    await sleep(500);
    const after = cpuSeconds(pid);
    if (before === undefined || after === undefined || after - before < 0.025) return;
  }
  log('the API never went idle; measuring anyway');
}

/** `amount` bcrypt.compare calls at cost 12, `concurrency` of them in flight on the libuv threadpool. */
async function rawBcrypt(hash, password, concurrency, amount) {
  log(`raw bcrypt.compare (cost ${BCRYPT_COST}): ${concurrency} in flight, ${amount} compares`);
  const latencies = [];
  let started = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < amount) {
        started++;
        const t0 = performance.now();
        if (!(await bcrypt.compare(password, hash))) throw new Error('bcrypt.compare failed');
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return {
    requests: latencies.length,
    rps: latencies.length / elapsed,
    p50: pct(50),
    p99: pct(99),
    failed: 0,
    elapsed,
  };
}

/** A bare Fastify server answering GET /api/auth/me with `body`, on its own thread of this process. */
async function startBareFastify(body) {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const app = require(workerData.fastifyPath)({ logger: false });
    const body = JSON.parse(workerData.body);
    app.get('/api/auth/me', async () => body);
    app.listen({ port: 0, host: '127.0.0.1' }).then(() => parentPort.postMessage(app.server.address().port));
    parentPort.on('message', () => app.close().then(() => process.exit(0)));
  `;
  const worker = new Worker(source, {
    eval: true,
    workerData: { fastifyPath: requireFromApi.resolve('fastify'), body: JSON.stringify(body) },
  });
  const port = await new Promise((resolvePort, reject) => {
    worker.once('message', resolvePort);
    worker.once('error', reject);
  });
  return {
    url: `http://127.0.0.1:${port}/api/auth/me`,
    stop: async () => {
      worker.postMessage('stop');
      await new Promise((done) => worker.once('exit', done));
    },
  };
}

const pctText = (ratio) => (ratio === undefined || Number.isNaN(ratio) ? 'n/a' : `${(ratio * 100).toFixed(0)}%`);

function report(r) {
  const cpus = os.cpus();
  const loginRatio = r.login.rps / r.bcrypt.rps;
  const meRatio = r.me.rps / r.bare.rps;
  const idleRss = r.rssAfter ?? r.rssBefore;
  const lines = [
    `Run ${new Date().toISOString()} against ${BASE_URL} — ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'},`,
    `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${os.type()} ${os.release()}.`,
    `The load generator (autocannon), the bcrypt baseline and the bare Fastify server run in this process, on the`,
    `same cores as the API, PostgreSQL and Redis: absolute numbers are this machine's; the ratios are the point.`,
    `Load average when the run ended: ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(', ')} (anything above the core count means`,
    `other processes competed for the CPU).`,
    '',
    '| Measurement | Result | Baseline (same run) | Ratio | Goal | Status |',
    '|---|---|---|---|---|---|',
    `| Login throughput, ${LOGIN_CONNECTIONS} connections | ${fmt(r.login.rps)} logins/s (p50 ${fmt(r.login.p50, 0)} ms, p99 ${fmt(r.login.p99, 0)} ms) | raw \`bcrypt.compare\` cost ${BCRYPT_COST}, ${LOGIN_CONNECTIONS} in flight: ${fmt(r.bcrypt.rps)}/s | ${pctText(loginRatio)} | ≥ ${GOALS.loginVsBcrypt * 100}% of raw | ${verdict(loginRatio >= GOALS.loginVsBcrypt && r.login.failed === 0)} |`,
    `| \`GET /api/auth/me\`, ${ME_CONNECTIONS} connections | ${fmt(r.me.rps, 0)} req/s | bare Fastify, same JSON: ${fmt(r.bare.rps, 0)} req/s | ${pctText(meRatio)} | ≥ ${GOALS.meVsBare * 100}% of bare | ${verdict(meRatio >= GOALS.meVsBare && r.me.failed === 0)} |`,
    `| \`GET /api/auth/me\` latency | p50 ${fmt(r.me.p50, 0)} ms, p99 ${fmt(r.me.p99, 0)} ms | bare: p50 ${fmt(r.bare.p50, 0)} ms, p99 ${fmt(r.bare.p99, 0)} ms | | p99 < ${GOALS.meP99Ms} ms | ${verdict(r.me.p99 < GOALS.meP99Ms)} |`,
    `| API idle memory (VmRSS, pid ${r.pid ?? '?'}) | ${fmt(idleRss, 0)} MB idle after the load (${fmt(r.rssBefore, 0)} MB before it, ${fmt(r.rssPeak, 0)} MB peak seen) | | | < ${GOALS.idleRssMb} MB | ${verdict(idleRss === undefined ? undefined : idleRss < GOALS.idleRssMb)} |`,
    '',
    'Details:',
    `- Login: ${r.login.requests} logins as ${r.account} in ${ROUNDS} rounds of ${LOGINS} ` +
      `(${r.login.perRound.map((x) => fmt(x)).join(' and ')} logins/s), ${r.login.failed} failed. ` +
      `Raw bcrypt: ${r.bcrypt.requests} compares in the same rounds (${r.bcrypt.perRound.map((x) => fmt(x)).join(' and ')}/s; ` +
      `p50 ${fmt(r.bcrypt.p50, 0)} ms, p99 ${fmt(r.bcrypt.p99, 0)} ms) on this ` +
      `process's libuv threadpool (UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}). ` +
      `Assumes the API runs with the default BCRYPT_COST=${BCRYPT_COST}.`,
    `- \`/api/auth/me\`: ${r.me.requests} requests in ${HTTP_SECONDS}s after a ${WARMUP_SECONDS}s warm-up, ${r.me.failed} failed; ` +
      `bare Fastify: ${r.bare.requests} requests, ${r.bare.failed} failed (its own worker thread, no logging, no auth, no database).`,
  ];
  return lines.join('\n');
}

/** The README is checked by `prettier --check`: format what we write the way the repository does. */
async function formatMarkdown(text, path) {
  try {
    const prettier = (await import('prettier')).default;
    const config = (await prettier.resolveConfig(path)) ?? {};
    return await prettier.format(text, { ...config, filepath: path });
  } catch {
    return text;
  }
}

async function writeReadme(markdown) {
  const path = join(benchDir, 'README.md');
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // first run
  }
  const heading = '## Last report';
  const head = current.includes(heading) ? current.slice(0, current.indexOf(heading)) : current;
  writeFileSync(path, await formatMarkdown(`${head.trimEnd()}\n\n${heading}\n\n${markdown}\n`, path));
}

async function main() {
  const health = await api('GET', '/api/health').catch((error) => {
    throw new Error(
      `no API at ${BASE_URL} (${error.cause?.code ?? error.message}); start it with \`npm start\` or set BASE_URL`,
    );
  });
  if (health.status !== 200) throw new Error(`API at ${BASE_URL} is not healthy: ${JSON.stringify(health.body)}`);
  const pid = apiPid(BASE_URL);
  if (!pid) log('API pid not found (set API_PID): memory will not be measured');
  const results = { pid, rssBefore: rssMb(pid), rssPeak: rssMb(pid) };
  const samplePeak = setInterval(() => {
    const now = rssMb(pid);
    if (now !== undefined && now > (results.rssPeak ?? 0)) results.rssPeak = now;
  }, 250);

  const account = await benchAccount();
  results.account = account.note;
  const loginBody = JSON.stringify({ email: account.email, password: account.password });
  let first;
  for (let i = 0; i < 3; i++) {
    first = await api('POST', '/api/auth/login', { body: { email: account.email, password: account.password } });
    if (first.status !== 200) throw new Error(`bench login failed: ${first.status} ${JSON.stringify(first.body)}`);
  }

  const loginOptions = {
    url: `${BASE_URL}/api/auth/login`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: loginBody,
    connections: LOGIN_CONNECTIONS,
  };
  const bcryptPassword = 'Bench-password-1';
  const bcryptHash = await bcrypt.hash(bcryptPassword, BCRYPT_COST);
  // Alternate the two, so a neighbour's load on this machine hits both about equally.
  const loginRounds = [];
  const bcryptRounds = [];
  for (let round = 1; round <= ROUNDS; round++) {
    await waitForIdle(pid);
    loginRounds.push(await cannon(`login round ${round}`, { ...loginOptions, amount: LOGINS }));
    await waitForIdle(pid);
    bcryptRounds.push(await rawBcrypt(bcryptHash, bcryptPassword, LOGIN_CONNECTIONS, LOGINS));
  }
  results.login = combine(loginRounds);
  results.bcrypt = combine(bcryptRounds);

  const token = first.body.accessToken;
  const me = await api('GET', '/api/auth/me', { token });
  if (me.status !== 200) throw new Error(`GET /api/auth/me failed: ${me.status}`);
  const meOptions = {
    url: `${BASE_URL}/api/auth/me`,
    headers: { authorization: `Bearer ${token}` },
    connections: ME_CONNECTIONS,
  };
  await waitForIdle(pid);
  await cannon('me warm-up', { ...meOptions, duration: WARMUP_SECONDS });
  await waitForIdle(pid);
  results.me = await cannon('me', { ...meOptions, duration: HTTP_SECONDS });

  const bare = await startBareFastify(me.body);
  try {
    const bareOptions = { url: bare.url, connections: ME_CONNECTIONS };
    await cannon('bare warm-up', { ...bareOptions, duration: WARMUP_SECONDS });
    results.bare = await cannon('bare fastify', { ...bareOptions, duration: HTTP_SECONDS });
  } finally {
    await bare.stop();
  }

  log('letting the API settle before reading its idle memory');
  await waitForIdle(pid);
  await sleep(5000);
  clearInterval(samplePeak);
  results.rssAfter = rssMb(pid);

  const markdown = report(results);
  console.log(markdown);
  await writeReadme(markdown);
  log(`report written to ${join(benchDir, 'README.md')}`);
}

main().catch((error) => {
  console.error(`[bench] ${error.message}`);
  process.exit(1);
});
