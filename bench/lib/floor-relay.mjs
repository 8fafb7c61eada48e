#!/usr/bin/env node
// The floor under chat throughput: the least a server can do per answer and still keep issue 4's promises, written
// without a framework, so the bench can show how much of the gap between Modelyard and a bare pass-through proxy
// any implementation would pay. Per answer it does exactly this and nothing else:
//   - checks an HS256 access token (HMAC with node:crypto),
//   - claims a slot of the per-user generation limit in Redis (INCR + EXPIRE, one round trip),
//   - in one statement: reads the session (the caller's, locked) and the current branch's messages (the history sent
//     upstream), moves the session's leaf and inserts the question and the streaming answer, into copies of
//     chat_sessions and chat_messages with their indexes and CHECK constraints (the trigram indexes for search among
//     them) but without their foreign keys (FLOOR_SEPARATE_READ=1: the read as a statement of its own first, and
//     the write only if the leaf is still the one read, as the API does),
//   - streams the upstream answer with undici and eventsource-parser (the copies the API uses), JSON-parses each
//     chunk, joins the deltas of one network read into one SSE `content` event, writes it to the client and appends
//     it to the generation's Redis Stream (so another process could re-attach),
//   - at the end saves the answer (one UPDATE), appends `done`, sets the stream's TTL and frees the slot (one
//     pipeline), and writes `done`.
// No reasoning splitting, no interim saves (a burst answer ends within its first second), no logging, no request
// validation beyond the body being a JSON object with a string `content`.
//
// Run by bench/chat-stream.mjs as its own process (as the API is): FLOOR_DATABASE_URL, FLOOR_REDIS_URL,
// FLOOR_UPSTREAM (the mock's base URL), FLOOR_SECRET. Prints `listening <port>` when ready; the bench makes its
// sessions with `POST /sessions` (untimed) and streams with `POST /sessions/:id/messages`.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const rootDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const fromApi = createRequire(join(rootDir, 'apps/api/package.json'));
const fromClients = createRequire(join(rootDir, 'libs/llm-clients/package.json'));
const pg = fromApi('pg');
const Redis = fromApi('ioredis');
const { Agent, request } = fromClients('undici');
const { createParser } = fromClients('eventsource-parser');

const TABLE = 'bench_floor_messages';
const SESSIONS = 'bench_floor_sessions';
const SLOT_LIMIT = 2000;
/** FLOOR_SEPARATE_READ=1: read the session in a statement of its own before the turn's write (as the API does). */
const SEPARATE_READ = process.env.FLOOR_SEPARATE_READ === '1';
const secret = process.env.FLOOR_SECRET;
const upstream = `${process.env.FLOOR_UPSTREAM}/v1/chat/completions`;
const db = new pg.Pool({ connectionString: process.env.FLOOR_DATABASE_URL, max: 30 });
const redis = new Redis(process.env.FLOOR_REDIS_URL, { lazyConnect: false });
const dispatcher = new Agent({ connections: 4096, keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });
const instance = randomUUID();

for (const [copy, of] of [
  [SESSIONS, 'chat_sessions'],
  [TABLE, 'chat_messages'],
]) {
  await db.query(
    `CREATE TABLE IF NOT EXISTS ${copy} (LIKE ${of} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`,
  );
}

const pathCte = (leaf) => `path AS (
    SELECT m.id, m.parent_id, m.role, m.content, 0 AS depth FROM ${TABLE} m WHERE m.id = ${leaf}
    UNION ALL
    SELECT m.id, m.parent_id, m.role, m.content, p.depth + 1 FROM ${TABLE} m JOIN path p ON m.id = p.parent_id
  )`;
const INSERT_TURN = `INSERT INTO ${TABLE}
    (id, session_id, parent_id, role, content, status, model, generation_id, owner_instance, created_at)
  SELECT v.* FROM session, LATERAL (VALUES
    ($1::uuid, $2::uuid, session.parent, 'user', $3::text, 'complete', NULL::text, NULL::uuid, NULL::text, now()),
    ($4::uuid, $2::uuid, $1::uuid, 'assistant', '', 'streaming', $5::text, $6::uuid, $7::text,
     now() + interval '1 microsecond')) AS v
  RETURNING id`;
const turnValues = (t) => [t.questionId, t.sessionId, t.content, t.answerId, 'mock-chat', t.generationId, instance];

/**
 * The turn in one statement: the session (the caller's, locked), its branch's messages, the leaf moved and both
 * messages inserted. Undefined when the session is not the caller's.
 */
async function turnWithRead(t) {
  const {
    rows: [row],
  } = await db.query({
    name: 'floor-turn-with-read',
    text: `WITH RECURSIVE s AS (
             SELECT id, current_leaf_id FROM ${SESSIONS} WHERE id = $2 AND owner_id = $8 FOR UPDATE
           ), ${pathCte('(SELECT current_leaf_id FROM s)')}, session AS (
             UPDATE ${SESSIONS} t SET current_leaf_id = $4, message_count = t.message_count + 2,
                    last_activity_at = now(), updated_at = now()
               FROM s WHERE t.id = s.id RETURNING s.current_leaf_id AS parent
           ), inserted AS (${INSERT_TURN})
           SELECT (SELECT count(*) FROM inserted)::int AS inserted,
                  (SELECT json_agg(path ORDER BY depth DESC) FROM path) AS path`,
    values: [...turnValues(t), t.userId],
  });
  return row.inserted === 2 ? { path: row.path ?? [] } : undefined;
}

/** The turn as a read (the session and its branch) and then a write that holds only if the leaf did not move. */
async function readThenTurn(t) {
  const {
    rows: [session],
  } = await db.query({
    name: 'floor-read',
    text: `SELECT s.owner_id, s.current_leaf_id,
                  (WITH RECURSIVE ${pathCte('s.current_leaf_id')} SELECT json_agg(path ORDER BY depth DESC) FROM path) AS path
             FROM ${SESSIONS} s WHERE s.id = $1`,
    values: [t.sessionId],
  });
  if (session?.owner_id !== t.userId) return undefined;
  const turn = await db.query({
    name: 'floor-turn',
    text: `WITH session AS (
             UPDATE ${SESSIONS} SET current_leaf_id = $4, message_count = message_count + 2, last_activity_at = now(),
                    updated_at = now()
              WHERE id = $2 AND current_leaf_id IS NOT DISTINCT FROM $8::uuid RETURNING $8::uuid AS parent
           ) ${INSERT_TURN}`,
    values: [...turnValues(t), session.current_leaf_id],
  });
  return turn.rowCount === 2 ? { path: session.path ?? [] } : undefined;
}

/** The token's subject when the HS256 signature and expiry hold, else undefined. */
function verify(header) {
  const token = header?.startsWith('Bearer ') ? header.slice(7) : '';
  const [head, payload, signature] = token.split('.');
  if (!head || !payload || !signature) return undefined;
  const expected = createHmac('sha256', secret).update(`${head}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  return typeof claims.sub === 'string' && claims.exp * 1000 > Date.now() ? claims.sub : undefined;
}

function fail(res, status, code) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code, message: code } }));
}

async function readJson(req) {
  const parts = [];
  for await (const part of req) parts.push(part);
  try {
    return JSON.parse(Buffer.concat(parts).toString('utf8'));
  } catch {
    return undefined;
  }
}

const frame = (id, event, data) => `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

async function answer(req, res, userId, sessionId) {
  const body = await readJson(req);
  if (typeof body?.content !== 'string') return fail(res, 400, 'VALIDATION_FAILED');
  const slot = `floor:slots:${userId}`;
  const [[, claimed]] = await redis.multi().incr(slot).expire(slot, 600).exec();
  if (claimed > SLOT_LIMIT) {
    await redis.decr(slot);
    return fail(res, 429, 'TOO_MANY_GENERATIONS');
  }
  const started = performance.now();
  const questionId = randomUUID();
  const answerId = randomUUID();
  const generationId = randomUUID();
  const turn = await (SEPARATE_READ ? readThenTurn : turnWithRead)({
    sessionId,
    userId,
    content: body.content,
    questionId,
    answerId,
    generationId,
  });
  if (!turn) {
    await redis.decr(slot);
    return fail(res, 404, 'NOT_FOUND');
  }
  const history = turn.path.map((m) => ({ role: m.role, content: m.content }));
  const key = `floor:gen:${generationId}`;
  let seq = 0;
  let text = '';
  let usage = null;
  let finishReason = null;
  let ttftMs = null;
  let pending = '';
  const parser = createParser({
    onEvent(event) {
      if (event.data === '[DONE]') return;
      const chunk = JSON.parse(event.data);
      const choice = chunk.choices?.[0];
      const delta = choice?.delta?.content;
      if (typeof delta === 'string') pending += delta;
      if (choice?.finish_reason) finishReason = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    },
  });
  const up = await request(upstream, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({
      model: 'mock-chat@tokens=200,tps=0',
      messages: [...history, { role: 'user', content: body.content }],
      stream: true,
      stream_options: { include_usage: true },
    }),
    dispatcher,
  });
  if (up.statusCode !== 200) {
    await up.body.dump();
    await redis.decr(slot);
    return fail(res, 502, 'UPSTREAM_ERROR');
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(frame(++seq, 'meta', { generationId, messageId: answerId, userMessageId: questionId }));
  const decoder = new TextDecoder();
  for await (const chunk of up.body) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    if (!pending) continue;
    ttftMs ??= Math.round(performance.now() - started);
    const event = frame(++seq, 'content', { text: pending });
    text += pending;
    pending = '';
    res.write(event);
    redis.xadd(key, '*', 'e', event).catch(() => undefined);
  }
  await db.query({
    name: 'floor-final',
    text: `UPDATE ${TABLE} SET content = $2, status = 'complete', usage = $3, finish_reason = $4, ttft_ms = $5,
                  total_ms = $6, updated_at = now() WHERE id = $1`,
    values: [answerId, text, usage, finishReason, ttftMs, Math.round(performance.now() - started)],
  });
  const done = frame(++seq, 'done', { messageId: answerId, usage });
  await redis.multi().xadd(key, '*', 'e', done).expire(key, 300).decr(slot).exec();
  res.end(done);
}

const server = http.createServer((req, res) => {
  const userId = verify(req.headers.authorization);
  if (!userId) return fail(res, 401, 'UNAUTHORIZED');
  const [, first, id, last] = req.url.split('/');
  if (req.method === 'POST' && first === 'sessions' && id === undefined) {
    const sessionId = randomUUID();
    return db
      .query(`INSERT INTO ${SESSIONS} (id, owner_id, title) VALUES ($1, $2, 'bench')`, [sessionId, userId])
      .then(() => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: sessionId }));
      })
      .catch(() => fail(res, 500, 'INTERNAL'));
  }
  if (req.method === 'POST' && first === 'sessions' && last === 'messages') {
    return answer(req, res, userId, id).catch((error) => {
      if (res.headersSent) res.destroy(error);
      else fail(res, 500, 'INTERNAL');
    });
  }
  fail(res, 404, 'NOT_FOUND');
});
server.keepAliveTimeout = 30_000;

async function shutdown() {
  server.close();
  await db.query(`DROP TABLE IF EXISTS ${TABLE}, ${SESSIONS}`).catch(() => undefined);
  await db.end();
  redis.disconnect();
  await dispatcher.close();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
