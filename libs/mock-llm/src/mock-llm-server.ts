import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicProtocol } from './anthropic-protocol';
import { handleChat, ScenarioState } from './chat-flow';
import { type ChatProtocol, isRecord, type ProtocolError } from './chat-protocol';
import { Exchange, readBody } from './exchange';
import {
  anthropicModel,
  anthropicModelList,
  ollamaShow,
  ollamaTags,
  ollamaVersion,
  openAiModel,
  openAiModelList,
} from './model-listings';
import { ollamaProtocol } from './ollama-protocol';
import { openAiProtocol } from './openai-protocol';
import { RequestLog } from './request-log';
import { BUILT_IN_TIMING, resolveModel } from './scenario-catalog';
import type { MockLlmOptions, MockLlmServer, MockProtocol, RecordedRequest, ScenarioTiming } from './types';

const PROTOCOLS: Record<MockProtocol, ChatProtocol> = {
  openai: openAiProtocol,
  ollama: ollamaProtocol,
  anthropic: anthropicProtocol,
};

const INTROSPECTION_PATH = '/__mock/requests';

interface ServerContext {
  apiKey?: string;
  defaults: ScenarioTiming;
  state: ScenarioState;
  log: RequestLog;
  /** Settles when the exchange's connection has closed; close() waits for all of them. */
  open: Set<Promise<void>>;
}

/** Anthropic and OpenAI share `/v1/models`; Anthropic clients always send `anthropic-version` or `x-api-key`. */
function detectProtocol(path: string, headers: IncomingHttpHeaders): MockProtocol {
  if (path === '/' || path.startsWith('/api/')) return 'ollama';
  if (path === '/v1/messages') return 'anthropic';
  if (headers['anthropic-version'] !== undefined || headers['x-api-key'] !== undefined) return 'anthropic';
  return 'openai';
}

function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && /^bearer\s+/i.test(authorization))
    return authorization.replace(/^bearer\s+/i, '');
  for (const name of ['x-api-key', 'api-key']) {
    const value = headers[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** Keys starting with `invalid` always fail, so a test can exercise a wrong key without configuring the server. */
function authError(headers: IncomingHttpHeaders, apiKey: string | undefined): ProtocolError | undefined {
  const key = presentedKey(headers);
  if (key?.startsWith('invalid')) return { kind: 'invalid-key', presentedKey: key };
  if (apiKey === undefined) return undefined;
  if (key === undefined) return { kind: 'missing-key' };
  if (key !== apiKey) return { kind: 'invalid-key', presentedKey: key };
  return undefined;
}

function parseJson(raw: string): { ok: true; value: unknown } | { ok: false } {
  if (raw.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false };
  }
}

function introspect(req: IncomingMessage, res: ServerResponse, log: RequestLog): void {
  if (req.method === 'DELETE') {
    log.clear();
    res.writeHead(204).end();
    return;
  }
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(log.list()));
    return;
  }
  res.writeHead(405, { allow: 'GET, DELETE' }).end();
}

const NO_MODELS_PREFIX = '/no-models';

function modelIdFrom(path: string): string | undefined {
  const match = /^(?:\/v1)?\/models\/(.+)$/.exec(path);
  return match ? decodeURIComponent(match[1]) : undefined;
}

async function handle(req: IncomingMessage, res: ServerResponse, context: ServerContext): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://mock.invalid');
  const fullPath = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  // A gateway without a model list: the same server under `/no-models`, whose model routes are unknown.
  const withoutModels = fullPath.startsWith(NO_MODELS_PREFIX);
  const path = withoutModels ? fullPath.slice(NO_MODELS_PREFIX.length) || '/' : fullPath;
  const method = req.method ?? 'GET';
  if (path === INTROSPECTION_PATH) {
    introspect(req, res, context.log);
    return;
  }

  const protocolName = detectProtocol(path, req.headers);
  const protocol = PROTOCOLS[protocolName];
  const exchange = new Exchange(req, res);
  const record: RecordedRequest = context.log.start({
    protocol: protocolName,
    method,
    path: fullPath,
    headers: req.headers,
  });
  const closed = new Promise<void>((resolve) =>
    exchange.onClose(() => {
      context.log.finish(record, exchange.outcome);
      context.open.delete(closed);
      resolve();
    }),
  );
  context.open.add(closed);
  const sendError = (error: ProtocolError, headers: Record<string, string> = {}): void => {
    const { status, body } = protocol.errorResponse(error);
    exchange.sendJson(status, body, headers);
  };

  const read = await readBody(req);
  if (!read.ok) {
    if (read.reason === 'too-large') sendError({ kind: 'invalid-request', message: 'request body too large' });
    return;
  }
  const json = parseJson(read.raw);
  record.body = json.ok ? json.value : read.raw;
  if (isRecord(record.body) && typeof record.body.model === 'string') record.model = record.body.model;

  const denied = authError(req.headers, context.apiKey);
  if (denied) {
    sendError(denied);
    return;
  }
  if (!json.ok) {
    sendError({
      kind: 'invalid-request',
      message:
        protocolName === 'ollama'
          ? 'invalid character in request body'
          : 'We could not parse the JSON body of your request.',
    });
    return;
  }

  const chatDeps = {
    defaults: context.defaults,
    state: context.state,
    noteModel: (model: string) => {
      record.model = model;
    },
  };
  const route = `${method} ${path}`;
  const modelId = method === 'GET' ? modelIdFrom(path) : undefined;
  if (withoutModels && (modelId !== undefined || /^GET (?:\/v1)?\/models$|^GET \/api\/tags$/.test(route))) {
    sendError({ kind: 'route-not-found', method, path: fullPath });
    return;
  }

  if (route === 'GET /' || route === 'HEAD /') {
    exchange.sendText(200, 'Ollama is running');
  } else if (route === 'GET /api/version') {
    exchange.sendJson(200, ollamaVersion());
  } else if (route === 'GET /api/tags') {
    exchange.sendJson(200, ollamaTags());
  } else if (route === 'POST /api/show') {
    const body = isRecord(json.value) ? json.value : {};
    // `name` is the field's older spelling, still sent by some clients.
    const name = typeof body.model === 'string' ? body.model : typeof body.name === 'string' ? body.name : '';
    if (name === '') {
      sendError({ kind: 'invalid-request', message: 'model is required' });
      return;
    }
    record.model = name;
    const resolution = resolveModel(name, context.defaults);
    if (resolution.ok) exchange.sendJson(200, ollamaShow(resolution.model));
    else sendError({ kind: 'model-not-found', model: name });
  } else if (
    route === 'POST /api/chat' ||
    route === 'POST /v1/messages' ||
    route === 'POST /v1/chat/completions' ||
    route === 'POST /chat/completions'
  ) {
    if (protocolName === 'anthropic' && req.headers['anthropic-version'] === undefined) {
      sendError({ kind: 'invalid-request', message: 'anthropic-version: header is required' });
      return;
    }
    await handleChat(exchange, protocol, json.value, chatDeps);
  } else if (route === 'GET /v1/models' || route === 'GET /models') {
    exchange.sendJson(200, protocolName === 'anthropic' ? anthropicModelList() : openAiModelList());
  } else if (modelId !== undefined) {
    record.model = modelId;
    if (!resolveModel(modelId, context.defaults).ok) sendError({ kind: 'model-not-found', model: modelId });
    else exchange.sendJson(200, protocolName === 'anthropic' ? anthropicModel(modelId) : openAiModel(modelId));
  } else {
    sendError({ kind: 'route-not-found', method, path });
  }
}

/** Starts a mock upstream that speaks OpenAI, Ollama and Anthropic on one port; see the README for scenarios. */
export async function startMockLlm(options: MockLlmOptions = {}): Promise<MockLlmServer> {
  const host = options.host ?? '127.0.0.1';
  const context: ServerContext = {
    apiKey: options.apiKey,
    defaults: { ...BUILT_IN_TIMING, ...options.defaults },
    state: new ScenarioState(),
    log: new RequestLog(),
    open: new Set(),
  };

  const server = createServer((req, res) => {
    handle(req, res, context).catch((error: unknown) => {
      // A bug in the mock must surface in the test that hit it, not hang it.
      console.error('mock-llm: request failed', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('mock-llm internal error');
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Load benchmarks open a thousand upstream connections in a burst: queue them rather than drop them.
    server.listen({ port: options.port ?? 0, host, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    requests: () => context.log.list(),
    clearRequests: () => context.log.clear(),
    close: async () => {
      const stopped = new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      // Stalled streams never end by themselves; cutting them also clears their timers.
      server.closeAllConnections();
      // Waiting for the exchanges too means the log holds every final outcome once close() resolves.
      await Promise.all([stopped, ...context.open]);
    },
  };
}
