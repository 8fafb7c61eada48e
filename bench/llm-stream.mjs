#!/usr/bin/env node
// Streaming overhead of libs/llm-clients: how many chunks per second a consumer gets through the library (undici,
// eventsource-parser, the adapter, the reasoning splitter, usage accounting) compared with reading the very same
// mock stream raw (undici body, bytes counted, no parsing) in the same run. Goal: ≥ 80% of raw.
// Needs the built libs (`pnpm build:libs`); starts its own mock upstream as a separate process on a free port, so
// producing the stream does not compete with the consumer being measured for this process's CPU.
//   node bench/llm-stream.mjs            (BENCH_STREAMS=<n> BENCH_TOKENS=<n> BENCH_ROUNDS=<n> to tune)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const rootDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const requireFromRoot = createRequire(join(rootDir, 'libs/llm-clients/package.json'));
const { createLlmClient, streamChatWithReasoning, closeHttpAgents } = requireFromRoot('./dist/index.js');
const { request: undiciRequest, Agent } = requireFromRoot('undici');

const STREAMS = Number(process.env.BENCH_STREAMS ?? 200);
const TOKENS = Number(process.env.BENCH_TOKENS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const GOAL = 0.8;

const port = await new Promise((resolvePort) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = /** @type {import('node:net').AddressInfo} */ (probe.address());
    probe.close(() => resolvePort(free));
  });
});
const mockProcess = spawn(
  process.execPath,
  [join(rootDir, 'libs/mock-llm/dist/cli.js'), '--port', String(port), '--ttft', '0', '--tps', '0', '--latency', '0'],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
await once(mockProcess.stdout, 'data');
const mock = { url: `http://127.0.0.1:${port}` };
const model = `mock-chat@tokens=${TOKENS}`;
const body = JSON.stringify({
  model,
  messages: [{ role: 'user', content: 'benchmark' }],
  stream: true,
  stream_options: { include_usage: true },
});
const rawAgent = new Agent({ keepAliveTimeout: 30_000, connections: 64 });

/** Reads the stream as bytes and counts SSE frames by their blank-line separators: the floor of any parser. */
async function rawStream() {
  const res = await undiciRequest(`${mock.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    dispatcher: rawAgent,
  });
  let frames = 0;
  for await (const chunk of res.body) {
    for (let i = 1; i < chunk.length; i++) if (chunk[i] === 10 && chunk[i - 1] === 10) frames++;
  }
  return frames;
}

const client = createLlmClient({ kind: 'openai', baseUrl: `${mock.url}/v1` });
async function libraryStream() {
  let chunks = 0;
  for await (const event of streamChatWithReasoning(client, {
    model,
    messages: [{ role: 'user', content: 'benchmark' }],
  })) {
    if (event.type === 'content' || event.type === 'reasoning') chunks++;
    if (event.type === 'error') throw new Error(event.message);
  }
  return chunks;
}

async function measure(fn) {
  let total = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < STREAMS) {
        // Not `total += await fn()`: that reads `total` before the await, so concurrent workers overwrote each
        // other's counts and the rates came out several times too low (and noisy) with more than one in flight.
        const chunks = await fn();
        total += chunks;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { chunks: total, seconds, perSecond: total / seconds };
}

// Warm both paths (JIT, connection pools) before measuring.
await measure(rawStream);
await measure(libraryStream);
const rows = [];
for (let round = 1; round <= ROUNDS; round++) {
  // Alternate the order so neither path always runs on a warmer machine.
  if (round % 2) {
    const raw = await measure(rawStream);
    rows.push({ raw, lib: await measure(libraryStream) });
  } else {
    const lib = await measure(libraryStream);
    rows.push({ raw: await measure(rawStream), lib });
  }
}
mockProcess.kill('SIGTERM');
await rawAgent.close();
await closeHttpAgents();

const best = (key) => Math.max(...rows.map((r) => r[key].perSecond));
const rawBest = best('raw');
const libBest = best('lib');
const ratio = libBest / rawBest;
const fmt = (n) => Math.round(n).toLocaleString('en-US');
console.log(`# llm-clients streaming overhead

${new Date().toISOString()} · Node ${process.version} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}
${STREAMS} streams × ${TOKENS} tokens per round, ${CONCURRENCY} in flight, ${ROUNDS} rounds (best round shown)

| path | chunks/s (best) | per round |
|---|---:|---|
| raw undici body, frames counted | ${fmt(rawBest)} | ${rows.map((r) => fmt(r.raw.perSecond)).join(' · ')} |
| createLlmClient + splitter | ${fmt(libBest)} | ${rows.map((r) => fmt(r.lib.perSecond)).join(' · ')} |

Library / raw = **${(ratio * 100).toFixed(1)}%** (goal ≥ ${GOAL * 100}%): ${ratio >= GOAL ? 'met' : 'missed'}.
The mock upstream runs in its own process; on a machine with few cores it still competes for CPU with both paths alike.`);
