#!/usr/bin/env node
// Compare and batch compare through a running Modelyard API, each against a baseline from the same run:
//   1. fan-out overhead: wall time of an N-model side-by-side run (N = 2, 4, 6; the slowest model always among
//      them)  vs  the slowest model alone as a chat answer through the same API; goal ≤ 5% over
//   2. batch throughput: cells (question × model) per second of a batch job  vs  the ideal set by the mock's latency
//      and the chosen concurrency (concurrency / latency); goal ≥ 90% of ideal
// The mock upstream (libs/mock-llm, built) runs as its own process on a free port.
//   BASE_URL=http://127.0.0.1:8080 ADMIN_EMAIL=… ADMIN_PASSWORD=… node bench/compare.mjs
// Prints a markdown report and writes it to bench/README.md between the compare.mjs report markers.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiCall, fmt, startMockLlm, verdict, writeReportSection } from './lib/api-under-test.mjs';

const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
const ADMIN_EMAIL = process.env.ADMIN_EMAIL ?? 'admin@modelyard.local';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const SLOW_MODEL = process.env.BENCH_SLOW_MODEL ?? 'mock-chat@ttft=300,tps=100,tokens=150';
const BATCH_LATENCY_MS = Number(process.env.BENCH_BATCH_LATENCY_MS ?? 200);
const BATCH_QUESTIONS = Number(process.env.BENCH_BATCH_QUESTIONS ?? 100);
const BATCH_MODELS = Number(process.env.BENCH_BATCH_MODELS ?? 2);
const BATCH_CONCURRENCY = Number(process.env.BENCH_BATCH_CONCURRENCY ?? 8);
const GOALS = { fanoutOverhead: 0.05, batchVsIdeal: 0.9 };

const log = (message) => console.error(`[compare] ${message}`);
const api = (method, path, options) => apiCall(BASE_URL, method, path, options);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Reads an SSE response to its end; returns the wall time and the `done`/`error` events seen. */
async function drain(res, started) {
  if (!(res.headers.get('content-type') ?? '').includes('text/event-stream'))
    throw new Error(`not a stream: ${res.status} ${await res.text()}`);
  const text = await res.text();
  const ends = (text.match(/^event: (done|error)$/gm) ?? []).length;
  const errors = (text.match(/^event: error$/gm) ?? []).length;
  return { ms: performance.now() - started, ends, errors };
}

async function post(path, token, body) {
  const started = performance.now();
  const res = await fetch(`${BASE_URL}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(body),
  });
  return drain(res, started);
}

async function main() {
  if (!ADMIN_PASSWORD) throw new Error('set ADMIN_EMAIL and ADMIN_PASSWORD (the bench registers a provider)');
  const health = await api('GET', '/api/health').catch((error) => {
    throw new Error(`no API at ${BASE_URL} (${error.cause?.code ?? error.message}); start it or set BASE_URL`);
  });
  if (health.status !== 200) throw new Error(`API at ${BASE_URL} is not healthy: ${JSON.stringify(health.body)}`);
  const loadStart = os.loadavg()[0].toFixed(1);
  const mock = await startMockLlm();
  const login = await api('POST', '/api/auth/login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
  if (login.status !== 200) throw new Error(`admin login failed: ${login.status}`);
  const token = login.body.accessToken;
  const suffix = randomUUID().slice(0, 8);
  const provider = await api('POST', '/api/providers', {
    token,
    body: { name: `bench-compare-${suffix}`, kind: 'openai', baseUrl: `${mock.url}/v1` },
  });
  if (provider.status !== 201) throw new Error(`cannot create a provider: ${JSON.stringify(provider.body)}`);
  const configIds = [];
  const config = async (name, model) => {
    const res = await api('POST', '/api/model-configs', {
      token,
      body: { name: `${name}-${suffix}`, providerId: provider.body.id, model },
    });
    if (res.status !== 201) throw new Error(`cannot create a model config: ${JSON.stringify(res.body)}`);
    configIds.push(res.body.id);
    return res.body.id;
  };
  const results = { fanout: [], batch: undefined };
  try {
    // 1. Fan-out: the slowest model alone (a chat answer), then inside 2-, 4- and 6-model runs with faster peers.
    const slow = await config('bench-slow', SLOW_MODEL);
    const faster = [];
    for (let i = 0; i < 5; i++)
      faster.push(await config(`bench-fast-${i}`, `mock-chat@ttft=${50 + 40 * i},tps=200,tokens=100`));
    const session = await api('POST', '/api/chat/sessions', { token, body: { modelConfigId: slow, title: 'bench' } });
    const singles = [];
    for (let r = 0; r < REPEATS; r++) {
      const one = await post(`/api/chat/sessions/${session.body.id}/messages`, token, { content: `single ${r}` });
      singles.push(one.ms);
    }
    const single = median(singles);
    log(`slowest alone: ${fmt(single, 0)} ms`);
    for (const n of [2, 4, 6]) {
      const times = [];
      let errors = 0;
      for (let r = 0; r < REPEATS; r++) {
        const run = await post('/api/compare/runs', token, {
          prompt: `fan-out ${n} ${r}`,
          modelConfigIds: [slow, ...faster.slice(0, n - 1)],
        });
        if (run.ends !== n) errors++;
        errors += run.errors;
        times.push(run.ms);
      }
      const wall = median(times);
      results.fanout.push({ n, wall, single, overhead: (wall - single) / single, errors });
      log(`${n} models: ${fmt(wall, 0)} ms`);
    }

    // 2. Batch throughput: every cell takes the mock's latency; `concurrency` cells in flight.
    const batchModels = [];
    for (let i = 0; i < BATCH_MODELS; i++)
      batchModels.push(await config(`bench-batch-${i}`, `mock-chat@ttft=${BATCH_LATENCY_MS},tps=0,tokens=${10 + i}`));
    const form = new FormData();
    for (const id of batchModels) form.append('modelConfigIds', id);
    form.append('concurrency', String(BATCH_CONCURRENCY));
    const questions = Array.from({ length: BATCH_QUESTIONS }, (_, i) => `bench question ${i}`).join('\n');
    form.append('file', new Blob([questions]), 'bench.txt');
    const started = performance.now();
    const upload = await fetch(`${BASE_URL}/api/compare/batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    if (upload.status !== 202) throw new Error(`batch upload failed: ${upload.status} ${await upload.text()}`);
    const { id } = await upload.json();
    let batch;
    for (;;) {
      batch = (await api('GET', `/api/compare/batches/${id}`, { token })).body;
      if (['completed', 'failed', 'cancelled'].includes(batch.status)) break;
      await sleep(20);
    }
    const wallS = (performance.now() - started) / 1000;
    const cells = BATCH_QUESTIONS * BATCH_MODELS;
    const ideal = BATCH_CONCURRENCY / (BATCH_LATENCY_MS / 1000);
    const errors = batch.models.reduce((sum, m) => sum + m.errors, 0);
    results.batch = {
      cells,
      wallS,
      throughput: cells / wallS,
      ideal,
      ratio: cells / wallS / ideal,
      errors,
      status: batch.status,
    };
    log(`batch: ${fmt(cells / wallS, 1)} cells/s (ideal ${fmt(ideal, 1)})`);
  } finally {
    for (const id of configIds) await api('DELETE', `/api/model-configs/${id}`, { token }).catch(() => undefined);
    await api('DELETE', `/api/providers/${provider.body.id}`, { token }).catch(() => undefined);
    mock.child.kill('SIGTERM');
  }

  const lines = [
    `Run on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${os.cpus().length} CPUs, load ${loadStart} at start; medians of ${REPEATS} runs.`,
    '',
    '| measure | Modelyard | baseline (same run) | result | goal |',
    '| --- | --- | --- | --- | --- |',
    ...results.fanout.map(
      (f) =>
        `| ${f.n}-model side-by-side, wall time | ${fmt(f.wall, 0)} ms | slowest alone ${fmt(f.single, 0)} ms | ${f.overhead >= 0 ? '+' : ''}${fmt(f.overhead * 100, 1)}%${f.errors ? ` (${f.errors} errors)` : ''} | ≤ +5% ${verdict(f.overhead <= GOALS.fanoutOverhead && f.errors === 0)} |`,
    ),
    `| batch throughput (${results.batch.cells} cells, concurrency ${BATCH_CONCURRENCY}, ${BATCH_LATENCY_MS} ms per answer) | ${fmt(results.batch.throughput, 1)} cells/s | ideal ${fmt(results.batch.ideal, 1)} cells/s | ${fmt(results.batch.ratio * 100, 0)}%${results.batch.errors ? ` (${results.batch.errors} errors)` : ''} | ≥ 90% ${verdict(results.batch.ratio >= GOALS.batchVsIdeal && results.batch.errors === 0)} |`,
    '',
    `- Slowest model: \`${SLOW_MODEL}\`; its peers answer faster (\`mock-chat@ttft=50…210,tps=200,tokens=100\`). The baseline is the same model alone through \`POST /api/chat/sessions/:id/messages\`, so both sides pay the same API path; the difference is the fan-out.`,
    `- Batch wall time runs from the upload request to the API reporting \`completed\` (polled every 20 ms): it includes parsing the file, queueing, the worker picking the job up and writing ${results.batch.cells} results.`,
  ];
  const markdown = lines.join('\n');
  console.log(markdown);
  await writeReportSection('compare.mjs', markdown);
}

main().catch((error) => {
  console.error(`[compare] ${error.stack ?? error}`);
  process.exit(1);
});
