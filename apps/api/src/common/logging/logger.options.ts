import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import { type Logger, pino, type SerializedRequest, type SerializedResponse } from 'pino';
import { type HttpLogger, pinoHttp } from 'pino-http';
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
 * Lines written during a request name it themselves (`requestId`); the request log is `httpLogger`.
 */
export function loggerOptions(config: AppConfig): Params {
  return { pinoHttp: { logger: appLogger(config) }, useExisting: true, forRoutes: [] };
}

/** One line per request and response (pino-http), registered on Fastify's onRequest hook by createApp. */
export function httpLogger(config: AppConfig): HttpLogger {
  return pinoHttp({
    logger: appLogger(config),
    // Fastify already assigned the id (see create-app.ts genReqId); reuse it so logs and envelopes agree.
    genReqId: (req) => (req as IncomingMessage & { id?: string }).id ?? requestIdFor(req),
    // What an operator reads, and no headers: requests carry credentials, and every response the same dozen
    // security headers (they made each line ≈ 1.4 kB and were serialised and redacted on every request).
    serializers: {
      req: (req: SerializedRequest) => ({
        id: req.id,
        method: req.method,
        url: req.url,
        remoteAddress: req.remoteAddress,
        userAgent: req.headers['user-agent'],
      }),
      res: (res: SerializedResponse) => ({ statusCode: res.statusCode }),
    },
    // Load balancers poll health constantly; those lines would drown the log.
    autoLogging: {
      ignore: (req) => (req.url ?? '').split('?')[0]?.endsWith('/health') ?? false,
    },
  });
}
