#!/usr/bin/env node
// Chat streaming through a running Modelyard API, each number paired with a baseline measured in the same run:
//   1. time to first token (TTFT) and the gaps between content chunks with 100 and 1,000 streams open at once,
//      through POST /api/chat/sessions/:id/messages (SSE)  vs  the same streams straight from the mock upstream
//   2. the API's resident memory (VmRSS) while 1,000 streams are open: during the 1,000-stream latency phase, and in
//      a memory phase of 1,000 slower answers (5 tokens/s) open all at once, which this machine can keep up with
//   3. chunk throughput through the API  vs  a bare node:http pass-through proxy (in this process) to the mock
// The mock upstream (libs/mock-llm, built) runs as its own process on a free port; the bench registers it as a
// provider with two model configs. The API must allow many generations per user:
//   CHAT_MAX_CONCURRENT_GENERATIONS=2000 npm start
//   BASE_URL=http://127.0.0.1:8080 ADMIN_EMAIL=… ADMIN_PASSWORD=… node bench/chat-stream.mjs
// Prints a markdown report and writes it to bench/README.md between the chat-stream report markers.
import { randomUUID } from 'node:crypto';
import diagnosticsChannel from 'node:diagnostics_channel';
import { once } from 'node:events';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  apiCall,
  apiPid,
  fmt,
  rssMb,
  startFloorRelay,
  startMockLlm,
  verdict,
  writeReportSection,
} from './lib/api-under-test.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const rootDir = resolve(benchDir, '..');
// undici and eventsource-parser are dependencies of libs/llm-clients: load the very copies the API uses.
const requireFromClients = createRequire(join(rootDir, 'libs/llm-clients/package.json'));
const { Agent, buildConnector, request } = requireFromClients('undici');
const { createParser } = requireFromClients('eventsource-parser');

const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
const ADMIN_EMAIL = process.env.ADMIN_EMAIL ?? 'admin@modelyard.local';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD;
const TOKENS = Number(process.env.BENCH_TOKENS ?? 200);
const TPS = Number(process.env.BENCH_TPS ?? 20);
const TTFT = Number(process.env.BENCH_TTFT ?? 200);
const LEVELS = (process.env.BENCH_LEVELS ?? '100,1000').split(',').filter(Boolean).map(Number);
const THROUGHPUT_STREAMS = Number(process.env.BENCH_THROUGHPUT_STREAMS ?? 200);
const THROUGHPUT_CONCURRENCY = Number(process.env.BENCH_THROUGHPUT_CONCURRENCY ?? 16);
const THROUGHPUT_ROUNDS = Number(process.env.BENCH_THROUGHPUT_ROUNDS ?? 8);
/** Runs the floor relay as a third throughput path (`BENCH_FLOOR=0` leaves it out). */
const FLOOR = process.env.BENCH_FLOOR !== '0';
/**
 * Rounds of the TTFT level: each round runs the direct, proxy and Modelyard phases (in a rotated order); the goals
 * judge the median of the rounds' own differences, so a stretch of host noise that hits one phase decides nothing.
 */
const LATENCY_ROUNDS = Math.max(1, Number(process.env.BENCH_LATENCY_ROUNDS ?? 3));
/** Streams held open at once in the memory phase (0 skips it), and their speed. */
const MEMORY_STREAMS = Number(process.env.BENCH_MEMORY_STREAMS ?? 1000);
const MEMORY_TPS = Number(process.env.BENCH_MEMORY_TPS ?? 5);
/** Answers streamed through the API before anything is measured (not timed; at least 32, the warm-up's concurrency). */
const WARM_UP = Math.max(32, Number(process.env.BENCH_WARM_UP ?? 400));
/** A stream that has not ended after this long is counted as an error and cut. */
const STREAM_TIMEOUT_MS = Number(process.env.BENCH_STREAM_TIMEOUT_MS ?? 300_000);
const STREAM_MS = TTFT + ((TOKENS - 1) * 1000) / TPS;

const GOALS = {
  addedTtftP50Ms: 5,
  addedTtftP99Ms: 25,
  ttftLevel: 100,
  errorLevel: 1000,
  rssMb: 500,
  throughputVsProxy: 0.7,
};

const log = (message) => console.error(`[chat-stream] ${message}`);
const PATH_NAMES = { direct: 'mock direct', proxy: 'through the bare proxy', api: 'through Modelyard' };

/* ------------------------------------------------------------------ helpers */

const api = (method, path, options) => apiCall(BASE_URL, method, path, options);

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summarize(values) {
  const sorted = Float64Array.from(values).sort();
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `fn` over `items` with `concurrency` in flight. */
async function pool(items, concurrency, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index], index);
      }
    }),
  );
  return results;
}

/* ------------------------------------------------------------ the two clients */

// Enough sockets for every stream at once (undici's default is unlimited per origin too; this makes it explicit).
/** How long each new client connection took to open (TCP handshake), for the phase being measured. */
const connects = [];
const connector = buildConnector({ timeout: 10_000 });
const dispatcher = new Agent({
  connections: 4096,
  keepAliveTimeout: 30_000,
  headersTimeout: 0,
  bodyTimeout: 0,
  connect: (options, callback) => {
    const started = performance.now();
    connector(options, (error, socket) => {
      if (!error) connects.push(performance.now() - started);
      callback(error, socket);
    });
  },
});
/**
 * When this client wrote each Modelyard request's headers to its socket, by path (every stream has its own
 * session, so its own path): separates waiting in this process from waiting for the API.
 */
const headersWrittenAt = new Map();
diagnosticsChannel.subscribe('undici:client:sendHeaders', ({ request: sent }) => {
  if (sent.path.startsWith('/api/')) headersWrittenAt.set(sent.path, performance.now());
});
const tracker = { open: 0, maxOpen: 0 };

class TooManyGenerations extends Error {}

/**
 * The answer every bench stream must deliver: the mock's text for `tokens=TOKENS` (its words do not depend on the
 * timing), read once straight from the mock before the phases.
 */
let expectedText;

/**
 * One streaming request. `kind` picks the dialect: 'modelyard' reads `content` events, 'openai' non-empty
 * `choices[0].delta.content`. Returns the TTFT (request sent → first content), the gaps between content events,
 * the number of content events and the upstream chunks delivered: all TOKENS once the whole text has arrived
 * intact (Modelyard sends the deltas that reach it in one network read as one event, so a fast upstream's 200
 * chunks can arrive in fewer events; the text is what counts). Failures are reported, never thrown (except the
 * per-user limit).
 */
async function stream(kind, url, { headers, body }) {
  const result = {
    ttft: undefined,
    headers: undefined,
    written: undefined,
    gaps: [],
    events: 0,
    chunks: 0,
    error: undefined,
  };
  let text = '';
  const signal = AbortSignal.timeout(STREAM_TIMEOUT_MS);
  const started = performance.now();
  let last = 0;
  let terminal = false;
  let opened = false;
  const onContent = (delta) => {
    const now = performance.now();
    if (result.events === 0) result.ttft = now - started;
    else result.gaps.push(now - last);
    last = now;
    result.events++;
    text += delta;
  };
  const parser = createParser({
    onEvent(event) {
      if (kind === 'modelyard') {
        if (event.event === 'content') onContent(JSON.parse(event.data).text);
        else if (event.event === 'done') terminal = true;
        else if (event.event === 'error') {
          terminal = true;
          const data = JSON.parse(event.data);
          result.error = `error event ${data.code}`;
        }
      } else if (event.data === '[DONE]') terminal = true;
      else {
        const delta = JSON.parse(event.data).choices?.[0]?.delta?.content;
        if (typeof delta === 'string' && delta.length > 0) onContent(delta);
      }
    },
  });
  try {
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      dispatcher,
      signal,
    });
    result.headers = performance.now() - started;
    const path = new URL(url).pathname;
    const written = headersWrittenAt.get(path);
    headersWrittenAt.delete(path);
    if (written !== undefined) result.written = written - started;
    if (res.statusCode !== 200) {
      const text = await res.body.text();
      if (res.statusCode === 429 && text.includes('TOO_MANY_GENERATIONS')) throw new TooManyGenerations(text);
      result.error = `HTTP ${res.statusCode}`;
      return result;
    }
    opened = true;
    tracker.open++;
    tracker.maxOpen = Math.max(tracker.maxOpen, tracker.open);
    const decoder = new TextDecoder();
    for await (const chunk of res.body) parser.feed(decoder.decode(chunk, { stream: true }));
    if (!terminal && !result.error) result.error = 'ended without done';
  } catch (error) {
    if (error instanceof TooManyGenerations) throw error;
    result.error = error.name === 'TimeoutError' ? 'client timeout' : (error.code ?? error.message);
  } finally {
    if (opened) tracker.open--;
  }
  if (!result.error && expectedText !== undefined && text !== expectedText) {
    result.error = `${text.length} characters in ${result.events} content events, not the mock's ${expectedText.length}`;
  }
  if (!result.error) result.chunks = TOKENS;
  result.text = text;
  return result;
}

const chatBody = (model) => ({ model, messages: [{ role: 'user', content: 'benchmark' }], stream: true });
const directStream = (mockUrl, model) => () =>
  stream('openai', `${mockUrl}/v1/chat/completions`, { body: chatBody(model) });
const modelyardStream = (token, sessions) => (index) =>
  stream('modelyard', `${BASE_URL}/api/chat/sessions/${sessions[index]}/messages`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    body: { content: 'benchmark' },
  });

/* ------------------------------------------------------------------- phases */

/**
 * `level` workers, each running two streams back to back; the workers' first streams start spread evenly over
 * one stream's length, so each worker's second stream starts while all `level` workers are streaming: only those
 * second streams are measured. Everything (errors included) counts both streams.
 */
async function latencyPhase(level, startStream) {
  const measured = [];
  const all = [];
  connects.length = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: level }, async (_, worker) => {
      await sleep((worker / level) * STREAM_MS);
      all.push(await startStream(worker * 2));
      const second = await startStream(worker * 2 + 1);
      all.push(second);
      measured.push(second);
    }),
  );
  return { all, measured, connects: connects.splice(0), seconds: (performance.now() - started) / 1000 };
}

/** The pooled figures of one path's rounds (`latencyPhase` results). */
function summarizePhases(phases) {
  const all = phases.flatMap((p) => p.all);
  const ok = phases.flatMap((p) => p.measured).filter((r) => !r.error);
  const errorKinds = new Map();
  for (const r of all) if (r.error) errorKinds.set(r.error, (errorKinds.get(r.error) ?? 0) + 1);
  return {
    streams: all.length,
    errors: all.filter((r) => r.error).length,
    errorKinds: [...errorKinds].map(([k, v]) => `${v} × ${k}`).join(', '),
    ttft: summarize(ok.map((r) => r.ttft)),
    roundTtft: phases.map((p) => summarize(p.measured.filter((r) => !r.error).map((r) => r.ttft))),
    headers: summarize(ok.map((r) => r.headers)),
    written: summarize(ok.filter((r) => r.written !== undefined).map((r) => r.written)),
    connects: summarize(phases.flatMap((p) => p.connects)),
    gaps: summarize(ok.flatMap((r) => r.gaps)),
    measured: ok.length,
    eventsPerStream: ok.reduce((sum, r) => sum + r.events, 0) / Math.max(1, ok.length),
    seconds: phases.reduce((sum, p) => sum + p.seconds, 0) / phases.length,
  };
}

async function throughputRound(startStream) {
  const started = performance.now();
  const results = await pool(
    Array.from({ length: THROUGHPUT_STREAMS }, (_, i) => i),
    THROUGHPUT_CONCURRENCY,
    (i) => startStream(i),
  );
  const seconds = (performance.now() - started) / 1000;
  const chunks = results.reduce((sum, r) => sum + r.chunks, 0);
  const events = results.reduce((sum, r) => sum + r.events, 0);
  return {
    chunks,
    seconds,
    perSecond: chunks / seconds,
    eventsPerStream: events / results.length,
    errors: results.filter((r) => r.error).length,
  };
}

/** A bare node:http pass-through proxy in this process: forwards the request to the mock, pipes the bytes back. */
async function startProxy(mockUrl) {
  const target = new URL(mockUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
        agent,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      agent.destroy();
      return new Promise((done) => server.close(done));
    },
  };
}

/**
 * Samples the API's VmRSS every 250 ms until stopped: the peak, and the highest reading taken while at least
 * `openAtLeast` client streams were open (with the most streams seen open).
 */
function sampleRss(pid, openAtLeast) {
  const rss = { before: rssMb(pid), peak: 0, atMostOpen: undefined, mostOpen: 0, whileOpen: undefined };
  const timer = setInterval(() => {
    const now = rssMb(pid);
    if (now === undefined) return;
    rss.peak = Math.max(rss.peak, now);
    if (tracker.open >= rss.mostOpen) {
      rss.mostOpen = tracker.open;
      rss.atMostOpen = now;
    }
    if (tracker.open >= openAtLeast) rss.whileOpen = Math.max(rss.whileOpen ?? 0, now);
  }, 250);
  return { rss, stop: () => clearInterval(timer) };
}

/**
 * MEMORY_STREAMS answers started over 5 s and all open at once for most of their ≈ 40 s: what the API holds per open
 * stream, at a token rate these cores sustain (the 1,000-stream latency phase saturates them, so fewer are open).
 */
async function memoryPhase(pid, startStream) {
  tracker.maxOpen = 0;
  const sampler = sampleRss(pid, Math.ceil(MEMORY_STREAMS * 0.95));
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: MEMORY_STREAMS }, async (_, i) => {
      await sleep((i / MEMORY_STREAMS) * 5000);
      return startStream(i);
    }),
  );
  sampler.stop();
  const errors = results.filter((r) => r.error).length;
  return { ...sampler.rss, errors, seconds: (performance.now() - started) / 1000 };
}

/* ------------------------------------------------------------------- setup */

async function login() {
  if (!ADMIN_PASSWORD) throw new Error('set ADMIN_EMAIL and ADMIN_PASSWORD (the bench registers a provider)');
  const res = await api('POST', '/api/auth/login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken;
}

async function setUp(token, mockUrl) {
  const suffix = randomUUID().slice(0, 8);
  const provider = await api('POST', '/api/providers', {
    token,
    body: { name: `bench-mock-${suffix}`, kind: 'openai', baseUrl: `${mockUrl}/v1` },
  });
  if (provider.status !== 201)
    throw new Error(`cannot create a provider: ${provider.status} ${JSON.stringify(provider.body)}`);
  const config = async (name, model) => {
    const res = await api('POST', '/api/model-configs', {
      token,
      body: { name: `${name}-${suffix}`, providerId: provider.body.id, model },
    });
    if (res.status !== 201) throw new Error(`cannot create a model config: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  };
  return {
    providerId: provider.body.id,
    latencyConfig: await config('bench-latency', latencyModel),
    throughputConfig: await config('bench-throughput', throughputModel),
    memoryConfig: await config('bench-memory', memoryModel),
  };
}

async function createSessions(token, modelConfigId, count) {
  return pool(Array.from({ length: count }), 16, async () => {
    const res = await api('POST', '/api/chat/sessions', { token, body: { modelConfigId, title: 'bench' } });
    if (res.status !== 201) throw new Error(`cannot create a session: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  });
}

async function tearDown(token, ids) {
  for (const id of [ids.latencyConfig, ids.throughputConfig, ids.memoryConfig]) {
    const path = `/api/model-configs/${id}`;
    await api('DELETE', path, { token }).catch(() => undefined);
  }
  await api('DELETE', `/api/providers/${ids.providerId}`, { token }).catch(() => undefined);
}

const latencyModel = `mock-chat@tokens=${TOKENS},tps=${TPS},ttft=${TTFT}`;
const throughputModel = `mock-chat@tokens=${TOKENS},tps=0`;
const memoryModel = `mock-chat@tokens=${TOKENS},tps=${MEMORY_TPS},ttft=${TTFT}`;
const MEMORY_STREAM_MS = TTFT + ((TOKENS - 1) * 1000) / MEMORY_TPS;

/* ------------------------------------------------------------------ report */

const ms = (n) => `${fmt(n, Math.abs(n) >= 100 ? 0 : 1)} ms`;
const plusMs = (n) => `${n >= 0 ? '+' : '−'}${ms(Math.abs(n))}`;

function report(r) {
  const cpus = os.cpus();
  const lines = [
    `Run ${new Date().toISOString()} against ${BASE_URL} — ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'},`,
    `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${os.type()} ${os.release()}.`,
    `Mock upstream (own process): \`${latencyModel}\` for latency (≈ ${(STREAM_MS / 1000).toFixed(1)} s per answer),`,
    `\`${throughputModel}\` for throughput. The clients and the pass-through proxy run in this process, on the same`,
    `cores as the API, PostgreSQL, Redis and the mock. Load average at the start: ${r.loadStart}; at the end: ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(', ')} (above ${cpus.length} means other processes competed for the CPU).`,
    '',
    '| Measurement | Through Modelyard | Baseline (same run) | Added | Goal | Status |',
    '|---|---|---|---|---|---|',
  ];
  for (const level of r.levels) {
    // Over several rounds, the median of the rounds' own differences: a round whose direct (or Modelyard) phase a
    // stretch of host noise hit moves it no more than any one sample.
    const added = (q) => median(level.api.roundTtft.map((round, i) => round[q] - level.direct.roundTtft[i][q]));
    const added50 = added('p50');
    const added99 = added('p99');
    const goal = level.level === GOALS.ttftLevel;
    lines.push(
      `| TTFT, ${level.level} concurrent streams | p50 ${ms(level.api.ttft.p50)}, p99 ${ms(level.api.ttft.p99)} | mock direct: p50 ${ms(level.direct.ttft.p50)}, p99 ${ms(level.direct.ttft.p99)}${level.proxy ? `; a bare node:http proxy adds p50 ${plusMs(level.proxy.ttft.p50 - level.direct.ttft.p50)}, p99 ${plusMs(level.proxy.ttft.p99 - level.direct.ttft.p99)}` : ''} | p50 ${plusMs(added50)}, p99 ${plusMs(added99)}${level.rounds > 1 ? ` (median of ${level.rounds} rounds)` : ''} | ${goal ? `added p50 ≤ ${GOALS.addedTtftP50Ms} ms, p99 ≤ ${GOALS.addedTtftP99Ms} ms` : '—'} | ${goal ? verdict(added50 <= GOALS.addedTtftP50Ms && added99 <= GOALS.addedTtftP99Ms) : ''} |`,
      `| Inter-chunk gap, ${level.level} concurrent | p50 ${ms(level.api.gaps.p50)}, p99 ${ms(level.api.gaps.p99)} | direct: p50 ${ms(level.direct.gaps.p50)}, p99 ${ms(level.direct.gaps.p99)} | p99 ${plusMs(level.api.gaps.p99 - level.direct.gaps.p99)} | — | |`,
      `| Errors, ${level.level} concurrent | ${level.api.errors} of ${level.api.streams} streams${level.api.errorKinds ? ` (${level.api.errorKinds})` : ''} | direct: ${level.direct.errors} of ${level.direct.streams} | | ${level.level === GOALS.errorLevel ? 'zero' : '—'} | ${level.level === GOALS.errorLevel ? verdict(level.api.errors === 0) : ''} |`,
    );
  }
  if (r.rss) {
    lines.push(
      `| API memory (VmRSS, pid ${r.pid}) in the ${GOALS.errorLevel}-stream latency phase | ${fmt(r.rss.atMostOpen, 0)} MB with ${r.rss.mostOpen} streams open at most; peak ${fmt(r.rss.peak, 0)} MB (${fmt(r.rss.before, 0)} MB before it) | | | ≤ ${GOALS.rssMb} MB at ${GOALS.errorLevel} open | ${r.rss.mostOpen >= GOALS.errorLevel * 0.95 ? verdict(r.rss.peak <= GOALS.rssMb) : 'not all open at once: see the memory phase'} |`,
    );
  }
  if (r.memory) {
    const m = r.memory;
    const shown = m.mostOpen >= MEMORY_STREAMS * 0.95 && MEMORY_STREAMS >= GOALS.errorLevel && m.errors === 0;
    lines.push(
      `| API memory (VmRSS, pid ${r.pid}), ${MEMORY_STREAMS} streams open at once (${MEMORY_TPS} tokens/s) | ${fmt(m.whileOpen, 0)} MB at most while ≥ 95 % were open (${m.mostOpen} at most); peak ${fmt(m.peak, 0)} MB over the phase (${fmt(m.before, 0)} MB before it); ${m.errors} errors | | | ≤ ${GOALS.rssMb} MB at ${GOALS.errorLevel} open | ${shown ? verdict(m.peak <= GOALS.rssMb) : '❌ not shown'} |`,
    );
  }
  if (r.throughput) {
    const t = r.throughput;
    const ratio = t.api.best / t.proxy.best;
    lines.push(
      `| Chunk throughput, ${THROUGHPUT_CONCURRENCY} streams in flight, best of ${THROUGHPUT_ROUNDS} rounds | ${fmt(t.api.best, 0)} chunks/s (all rounds: ${fmt(t.api.perSecond, 0)}) | bare node:http proxy: ${fmt(t.proxy.best, 0)} chunks/s (all rounds: ${fmt(t.proxy.perSecond, 0)}) | ${(ratio * 100).toFixed(0)}% of proxy | ≥ ${GOALS.throughputVsProxy * 100}% of proxy | ${verdict(ratio >= GOALS.throughputVsProxy && t.api.errors === 0)} |`,
    );
    if (t.floor) {
      lines.push(
        `| Chunk throughput of the floor relay (bench/lib/floor-relay.mjs: what any server keeping the issue's promises pays at least), same rounds | ${fmt(t.floor.best, 0)} chunks/s (all rounds: ${fmt(t.floor.perSecond, 0)}); ${t.floor.errors} errors | bare node:http proxy, as above | ${((t.floor.best / t.proxy.best) * 100).toFixed(0)}% of proxy; Modelyard reaches ${((t.api.best / t.floor.best) * 100).toFixed(0)}% of the floor | — | for reference |`,
      );
    }
  }
  lines.push('', 'Details:');
  for (const level of r.levels) {
    lines.push(
      `- ${level.level} concurrent: ${level.level} workers × 2 streams, first streams started evenly over ${(STREAM_MS / 1000).toFixed(1)} s, ` +
        `TTFT and gaps from the ${level.level} second streams (started while all workers were streaming; ${level.api.measured} through Modelyard and ${level.direct.measured} direct completed). ` +
        (level.rounds > 1
          ? `${level.rounds} rounds, each running every path once in a rotated order; the table's TTFT figures pool ` +
            `all rounds, its "added" is the median of the rounds' own differences. TTFT p50 / p99 per round: ` +
            ['api', 'direct', 'proxy']
              .filter((path) => level[path])
              .map(
                (path) =>
                  `${path === 'api' ? 'Modelyard' : path} ${level[path].roundTtft.map((x) => `${fmt(x.p50)} / ${fmt(x.p99, 0)}`).join(' · ')} ms`,
              )
              .join('; ') +
            ` (added per round: ${level.api.roundTtft
              .map(
                (x, i) =>
                  `${plusMs(x.p50 - level.direct.roundTtft[i].p50)} / ${plusMs(x.p99 - level.direct.roundTtft[i].p99)}`,
              )
              .join(' · ')}). `
          : '') +
        `Wall time${level.rounds > 1 ? ' per round' : ''}: Modelyard ${fmt(level.api.seconds)} s, direct ${fmt(level.direct.seconds)} s (ideal ≈ ${fmt((3 * STREAM_MS) / 1000)} s: a stagger of one answer, then two answers). ` +
        `Most client connections open at once: ${level.maxOpen}. ` +
        `Content events per answer through Modelyard: ${fmt(level.api.eventsPerStream, 1)} (of ${TOKENS} chunks). ` +
        `Request sent → response headers: Modelyard p50 ${ms(level.api.headers.p50)}, p99 ${ms(level.api.headers.p99)}; direct p50 ${ms(level.direct.headers.p50)}, p99 ${ms(level.direct.headers.p99)}. ` +
        `Of that, in this client before the request's headers were written to a socket (Modelyard): p50 ${ms(level.api.written.p50)}, p99 ${ms(level.api.written.p99)}. ` +
        `New client connections while streaming through Modelyard: ${level.api.connects.n} (TCP connect p50 ${ms(level.api.connects.p50)}, p99 ${ms(level.api.connects.p99)}, max ${ms(level.api.connects.max)}).`,
    );
  }
  if (r.memory) {
    lines.push(
      `- Memory phase: ${MEMORY_STREAMS} answers of \`${memoryModel}\` (≈ ${(MEMORY_STREAM_MS / 1000).toFixed(0)} s each) started over 5 s; ` +
        `wall time ${fmt(r.memory.seconds)} s; VmRSS sampled every 250 ms. The peak counts garbage not yet collected.`,
    );
  }
  if (r.throughput) {
    const t = r.throughput;
    lines.push(
      `- Throughput: ${THROUGHPUT_ROUNDS} rounds × ${THROUGHPUT_STREAMS} streams × ${TOKENS} chunks per path, alternating, ` +
        `${THROUGHPUT_CONCURRENCY} in flight; Modelyard ${t.api.rounds.map((x) => fmt(x, 0)).join(' · ')} chunks/s per round (${t.api.errors} errors), ` +
        `proxy ${t.proxy.rounds.map((x) => fmt(x, 0)).join(' · ')} (${t.proxy.errors} errors)` +
        (t.floor
          ? `, floor relay ${t.floor.rounds.map((x) => fmt(x, 0)).join(' · ')} (${t.floor.errors} errors)`
          : '') +
        `; each round runs the paths in a rotated order. Sessions are created beforehand and not timed. ` +
        `A chunk counts once its stream's whole text has arrived intact; the ${TOKENS} chunks of an answer reached the client in ` +
        `${fmt(t.api.eventsPerStream, 1)} \`content\` events on average through Modelyard (deltas that arrive in one network read leave as one event) ` +
        `and ${fmt(t.proxy.eventsPerStream, 1)} frames through the proxy.`,
    );
  }
  for (const note of r.notes) lines.push(`- ${note}`);
  return lines.join('\n');
}

/* -------------------------------------------------------------------- main */

async function main() {
  const loadStart = os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(', ');
  const health = await api('GET', '/api/health').catch((error) => {
    throw new Error(`no API at ${BASE_URL} (${error.cause?.code ?? error.message}); start it or set BASE_URL`);
  });
  if (health.status !== 200) throw new Error(`API at ${BASE_URL} is not healthy: ${JSON.stringify(health.body)}`);
  const pid = apiPid(BASE_URL);
  if (!pid) log('API pid not found (set API_PID): memory will not be measured');

  const { url: mockUrl, child: mockProcess } = await startMockLlm();
  const proxy = await startProxy(mockUrl);
  const reference = await stream('openai', `${mockUrl}/v1/chat/completions`, { body: chatBody(throughputModel) });
  if (reference.error || reference.events !== TOKENS) {
    throw new Error(`the mock's reference answer failed: ${reference.error ?? `${reference.events} chunks`}`);
  }
  expectedText = reference.text;
  let token = await login();
  const ids = await setUp(token, mockUrl);
  const results = { pid, loadStart, levels: [], notes: [] };
  try {
    // Steady state, not start-up, is measured: the JIT, the database pool's connections (each prepares the hot
    // statements on first use) and the upstream sockets are warmed by untimed answers, 32 at once, which also
    // fails early, with the fix, when the per-user limit is in the way.
    log(`warm-up: ${WARM_UP} answers`);
    const warmUp = await createSessions(token, ids.throughputConfig, WARM_UP);
    try {
      await pool(
        warmUp.map((_, i) => i),
        32,
        modelyardStream(token, warmUp),
      );
    } catch (error) {
      if (error instanceof TooManyGenerations) {
        throw new Error(
          'the API refused parallel generations (429 TOO_MANY_GENERATIONS): restart it with ' +
            'CHAT_MAX_CONCURRENT_GENERATIONS=2000 (the per-user limit, default 3)',
        );
      }
      throw error;
    }

    for (const level of LEVELS) {
      token = await login();
      const rounds = level === GOALS.ttftLevel ? LATENCY_ROUNDS : 1;
      log(`${level} concurrent: creating ${2 * level * rounds} sessions`);
      const sessions = await createSessions(token, ids.latencyConfig, 2 * level * rounds);
      const entry = { level, rounds };
      const phases = { direct: [], proxy: [], api: [] };
      const maxOpen = { direct: 0, api: 0 };
      const paths = ['direct', ...(level === GOALS.ttftLevel ? ['proxy'] : []), 'api'];
      for (let round = 0; round < rounds; round++) {
        const roundSessions = sessions.slice(round * 2 * level, (round + 1) * 2 * level);
        // Rotated, so no path always runs first (or right after another) in a round.
        for (const path of [...paths.slice(round % paths.length), ...paths.slice(0, round % paths.length)]) {
          log(`${level} concurrent${rounds > 1 ? `, round ${round + 1} of ${rounds}` : ''}: ${PATH_NAMES[path]}`);
          tracker.maxOpen = 0;
          const sampler =
            path === 'api' && level === GOALS.errorLevel && pid ? sampleRss(pid, Math.ceil(level * 0.95)) : undefined;
          phases[path].push(
            await latencyPhase(
              level,
              path === 'api'
                ? modelyardStream(token, roundSessions)
                : directStream(path === 'proxy' ? proxy.url : mockUrl, latencyModel),
            ),
          );
          sampler?.stop();
          if (sampler) results.rss = sampler.rss;
          if (path !== 'proxy') maxOpen[path] = Math.max(maxOpen[path], tracker.maxOpen);
          if (rounds > 1) await sleep(1000);
        }
      }
      entry.direct = summarizePhases(phases.direct);
      if (phases.proxy.length > 0) entry.proxy = summarizePhases(phases.proxy);
      entry.api = summarizePhases(phases.api);
      entry.maxOpen = `direct ${maxOpen.direct}, Modelyard ${maxOpen.api}`;
      results.levels.push(entry);
      log(
        `${level}: TTFT p50 ${fmt(entry.api.ttft.p50)} / direct ${fmt(entry.direct.ttft.p50)} ms, ` +
          `p99 ${fmt(entry.api.ttft.p99)} / ${fmt(entry.direct.ttft.p99)} ms, errors ${entry.api.errors}`,
      );
      await sleep(3000);
    }

    if (MEMORY_STREAMS > 0 && pid) {
      token = await login();
      log(`memory: creating ${MEMORY_STREAMS} sessions`);
      const sessions = await createSessions(token, ids.memoryConfig, MEMORY_STREAMS);
      log(`memory: ${MEMORY_STREAMS} streams at ${MEMORY_TPS} tokens/s, all open at once`);
      results.memory = await memoryPhase(pid, modelyardStream(token, sessions));
      await sleep(3000);
    }

    token = await login();
    log('throughput: creating sessions');
    {
      const proxyStream = () =>
        stream('openai', `${proxy.url}/v1/chat/completions`, { body: chatBody(throughputModel) });
      // The API was warmed up at the start; the proxy's sockets are warmed here.
      await pool(Array.from({ length: THROUGHPUT_CONCURRENCY }), THROUGHPUT_CONCURRENCY, proxyStream);
      // The floor relay, when the API's PostgreSQL and Redis can be found: what any server keeping issue 4's promises
      // would pay at least (bench/lib/floor-relay.mjs).
      const floor = FLOOR ? await startFloorRelay(pid, mockUrl) : undefined;
      if (FLOOR && !floor)
        log('floor relay skipped: the API process environment (DATABASE_URL, REDIS_URL) is not readable');
      const floorSessions = async () =>
        pool(Array.from({ length: THROUGHPUT_STREAMS }), 16, async () => {
          const res = await fetch(`${floor.url}/sessions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${floor.token}` },
          });
          return (await res.json()).id;
        });
      const floorStream = (sessions) => (index) =>
        stream('modelyard', `${floor.url}/sessions/${sessions[index]}/messages`, {
          headers: { authorization: `Bearer ${floor.token}`, accept: 'text/event-stream' },
          body: { content: 'benchmark' },
        });
      const rounds = { api: [], proxy: [], floor: [] };
      try {
        if (floor) {
          const warm = await floorSessions();
          await pool(
            warm.map((_, i) => i),
            32,
            floorStream(warm),
          );
        }
        const paths = ['api', 'proxy', ...(floor ? ['floor'] : [])];
        for (let round = 1; round <= THROUGHPUT_ROUNDS; round++) {
          const sessions = {
            api: await createSessions(token, ids.throughputConfig, THROUGHPUT_STREAMS),
            floor: floor ? await floorSessions() : [],
          };
          log(`throughput round ${round}`);
          // Rotated, so no path always runs on a warmer (or quieter) machine, or right after the same other path.
          const shift = (round - 1) % paths.length;
          for (const path of [...paths.slice(shift), ...paths.slice(0, shift)]) {
            const startStream =
              path === 'api'
                ? modelyardStream(token, sessions.api)
                : path === 'floor'
                  ? floorStream(sessions.floor)
                  : proxyStream;
            rounds[path].push(await throughputRound(startStream));
          }
        }
      } finally {
        await floor?.close();
      }
      const total = (of) => {
        const chunks = of.reduce((s, x) => s + x.chunks, 0);
        const seconds = of.reduce((s, x) => s + x.seconds, 0);
        return {
          perSecond: chunks / seconds,
          // Other work on the machine only ever slows a round down: the best round is the least disturbed one.
          best: Math.max(...of.map((x) => x.perSecond)),
          rounds: of.map((x) => x.perSecond),
          eventsPerStream: of.reduce((s, x) => s + x.eventsPerStream, 0) / of.length,
          errors: of.reduce((s, x) => s + x.errors, 0),
        };
      };
      results.throughput = {
        api: total(rounds.api),
        proxy: total(rounds.proxy),
        ...(floor ? { floor: total(rounds.floor) } : {}),
      };
    }
  } finally {
    await proxy.close();
    await tearDown(await login().catch(() => token), ids);
    mockProcess.kill('SIGTERM');
    await dispatcher.close();
  }

  const markdown = report(results);
  console.log(markdown);
  if (process.env.BENCH_WRITE_README === '0') return;
  await writeReportSection('chat-stream.mjs', markdown);
  log(`report written to ${join(benchDir, 'README.md')}`);
}

main().catch((error) => {
  console.error(`[chat-stream] ${error.message}`);
  process.exit(1);
});
