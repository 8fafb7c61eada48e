import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { type Logger, pino } from 'pino';
import type { AppConfig } from '../../config/app-config';

/** Paths never written to the log: credentials, cookies, keys. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.apiKey',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
  '*.secret',
];

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{8,128}$/;

/** Honours a well-formed incoming X-Request-Id (from nginx or a client), otherwise makes one. */
export function requestIdFor(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
}

const loggers = new WeakMap<AppConfig, Logger>();

/** The process's one pino logger (memoised per configuration): Nest's, the services' and the request log's parent. */
export function appLogger(config: AppConfig): Logger {
  let logger = loggers.get(config);
  if (!logger) {
    logger = pino({ level: config.env.LOG_LEVEL, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
    loggers.set(config, logger);
  }
  return logger;
}

/**
 * nestjs-pino supplies Nest's logger and the injectable PinoLogger, writing through `appLogger`, but binds no
 * request to them: its request binding runs every request inside an AsyncLocalStorage, which on Node 20 turns on
 * promise hooks for the whole process (about 3 % of the API's CPU while streaming answers, 8 % at 1,000 streams).
 * Lines written during a request name it themselves (`requestId`); the request log is `requestLogger`.
 */
export function loggerOptions(config: AppConfig): Params {
  return { pinoHttp: { logger: appLogger(config) }, useExisting: true, forRoutes: [] };
}

/** What the request log needs of a request: Fastify's request (its id and client address, proxies considered). */
export interface LoggedRequest {
  id: string;
  method: string;
  url: string;
  ip: string;
  headers: IncomingMessage['headers'];
}

/**
 * One line per API request, written when its response has been sent (or the client went away): request id, method,
 * URL, client address, user agent, status and time. No headers: requests carry credentials, and every response the
 * same dozen security headers. Nothing is built before the response ends: pino-http made a child logger per request
 * (its bindings serialised and redacted up front), ≈ 0.15 ms on every request's way in, a chat answer's first token
 * included.
 */
export function requestLogger(logger: Logger): (request: LoggedRequest, res: ServerResponse) => void {
  // The line's fields are fixed and hold no secret, so the redaction paths (whose `*.password`-style wildcards made
  // pino walk every key of every line: ≈ 30 µs, 15 % of an unknown route's CPU) are left out for it.
  const lines = logger.child({}, { redact: [] });
  return (request, res) => {
    const startedAt = performance.now();
    let logged = false;
    const log = () => {
      if (logged) return;
      logged = true;
      const line = {
        req: {
          id: request.id,
          method: request.method,
          url: request.url,
          remoteAddress: request.ip,
          userAgent: request.headers['user-agent'],
        },
        res: { statusCode: res.statusCode },
        responseTime: Math.round(performance.now() - startedAt),
      };
      if (!res.writableFinished) lines.warn(line, 'request aborted');
      else if (res.statusCode >= 500) lines.error(line, 'request errored');
      else lines.info(line, 'request completed');
    };
    res.once('finish', log);
    res.once('close', log);
  };
}
