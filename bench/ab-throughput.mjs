#!/usr/bin/env node
// A/B of two running API processes (two builds, or one build with two configurations) on the chat throughput load:
// 200-chunk answers from the mock upstream as fast as it can send them, 16 in flight. The two APIs share the host's
// PostgreSQL and Redis; blocks of answers alternate between them (A B, B A, A B, …) so that a stretch of host noise
// falls on both, and the report gives the median over blocks of the CPU each process spent per answer (from
// /proc/<pid>/stat) and of the wall time per answer. On a shared 2-vCPU host a single throughput run moved by ±30 %
// from one minute to the next. Run it A/A first (the same build on both ports): the gap between two identical APIs
// is the noise floor (5–10 % on that host), and a difference below it is not a result.
//   BASES=http://127.0.0.1:8090,http://127.0.0.1:8091 ADMIN_PASSWORD=… node bench/ab-throughput.mjs
// Optional: ADMIN_EMAIL, BENCH_AB_BLOCK (answers per block, 100), BENCH_AB_BLOCKS (blocks per API, 10),
// BENCH_TOKENS (200). The API processes are found by their listening port (`ss`), or given as API_PIDS=pidA,pidB.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiCall, apiPid, fmt, startMockLlm } from './lib/api-under-test.mjs';

const rootDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { Agent, request } = createRequire(join(rootDir, 'libs/llm-clients/package.json'))('undici');

const BASES = (process.env.BASES ?? '').split(',').filter(Boolean);
const ADMIN_EMAIL = process.env.ADMIN_EMAIL ?? 'admin@modelyard.local';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD;
const BLOCK = Number(process.env.BENCH_AB_BLOCK ?? 100);
const BLOCKS = Number(process.env.BENCH_AB_BLOCKS ?? 10);
const TOKENS = Number(process.env.BENCH_TOKENS ?? 200);
const CONCURRENCY = 16;
const WARM_UP = 32;

if (BASES.length !== 2 || !ADMIN_PASSWORD) {
  console.error('usage: BASES=<api A>,<api B> ADMIN_PASSWORD=… node bench/ab-throughput.mjs');
  process.exit(2);
}
const pids = process.env.API_PIDS ? process.env.API_PIDS.split(',').map(Number) : BASES.map((base) => apiPid(base));
if (pids.some((pid) => !pid)) throw new Error('cannot find the API processes; set API_PIDS=pidA,pidB');

/** CPU time of a process in ms (utime + stime, clock ticks of 10 ms). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time of every process whose command name starts with `name` (PostgreSQL's backends come and go). */
function cpuMsOf(name) {
  let out = '';
  try {
    out = execFileSync('pgrep', ['-d', ',', name], { encoding: 'utf8' }).trim();
  } catch {
    return 0;
  }
  return out
    .split(',')
    .filter(Boolean)
    .reduce((sum, pid) => {
      try {
        return sum + cpuMs(Number(pid));
      } catch {
        return sum;
      }
    }, 0);
}

const dispatcher = new Agent({ connections: 256 });
const mock = await startMockLlm();

/** A provider and model config for the mock, and enough sessions, on one API. */
async function prepare(base) {
  const api = (method, path, options) => apiCall(base, method, path, options);
  const login = await api('POST', '/api/auth/login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
  if (login.status !== 200) throw new Error(`login on ${base} failed: ${login.status}`);
  const token = login.body.accessToken;
  const name = `bench-ab-${Math.random().toString(36).slice(2, 8)}`;
  const provider = await api('POST', '/api/providers', {
    token,
    body: { name, kind: 'openai', baseUrl: `${mock.url}/v1` },
  });
  const config = await api('POST', '/api/model-configs', {
    token,
    body: { name, providerId: provider.body.id, model: `mock-chat@tokens=${TOKENS},tps=0` },
  });
  const sessions = [];
  for (let i = 0; i < WARM_UP + BLOCK * BLOCKS; i++) {
    const session = await api('POST', '/api/chat/sessions', {
      token,
      body: { modelConfigId: config.body.id, title: 'bench' },
    });
    sessions.push(session.body.id);
  }
  return { base, token, sessions };
}

/** One answer, read to its end; anything but a whole answer is an error. */
async function answer(target, sessionId) {
  const res = await request(`${target.base}/api/chat/sessions/${sessionId}/messages`, {
    method: 'POST',
    dispatcher,
    headers: {
      authorization: `Bearer ${target.token}`,
      'content-type': 'application/json',
      accept: 'text/event-stream',
    },
    body: JSON.stringify({ content: 'Hello' }),
  });
  const text = await res.body.text();
  if (res.statusCode !== 200 || !text.includes('event: done')) {
    throw new Error(`${target.base}: ${res.statusCode} ${text.slice(0, 200)}`);
  }
}

async function run(target, count) {
  const sessions = target.sessions.splice(0, count);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < sessions.length) await answer(target, sessions[next++]);
    }),
  );
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

try {
  console.error('[ab-throughput] creating sessions');
  const targets = [];
  for (const base of BASES) targets.push(await prepare(base));
  for (const target of targets) await run(target, WARM_UP);
  const samples = targets.map(() => ({ api: [], postgres: [], redis: [], wall: [] }));
  for (let block = 0; block < BLOCKS; block++) {
    for (const index of block % 2 === 0 ? [0, 1] : [1, 0]) {
      const before = { api: cpuMs(pids[index]), postgres: cpuMsOf('postgres'), redis: cpuMsOf('redis-server') };
      const started = performance.now();
      await run(targets[index], BLOCK);
      const s = samples[index];
      s.wall.push((performance.now() - started) / BLOCK);
      s.api.push((cpuMs(pids[index]) - before.api) / BLOCK);
      s.postgres.push((cpuMsOf('postgres') - before.postgres) / BLOCK);
      s.redis.push((cpuMsOf('redis-server') - before.redis) / BLOCK);
    }
    console.error(`[ab-throughput] block ${block + 1}/${BLOCKS}`);
  }
  const lines = [
    `${BLOCKS} blocks of ${BLOCK} answers per API (${TOKENS} chunks each, ${CONCURRENCY} in flight), alternating; medians per answer:`,
    '',
    '| API | API CPU (ms) | PostgreSQL CPU (ms) | Redis CPU (ms) | wall (ms) | chunks/s | wall per block (ms) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...targets.map((target, i) => {
      const s = samples[i];
      return `| ${target.base} | ${fmt(median(s.api), 2)} | ${fmt(median(s.postgres), 2)} | ${fmt(median(s.redis), 2)} | ${fmt(median(s.wall), 2)} | ${fmt((TOKENS * 1000) / median(s.wall), 0)} | ${s.wall.map((w) => fmt(w, 1)).join(' · ')} |`;
    }),
  ];
  console.log(lines.join('\n'));
} finally {
  mock.child.kill();
  await dispatcher.close();
}
