import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
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

export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.env.LOG_LEVEL,
      // Fastify already assigned the id (see create-app.ts genReqId); reuse it so logs and envelopes agree.
      genReqId: (req) => (req as IncomingMessage & { id?: string }).id ?? requestIdFor(req),
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Load balancers poll health constantly; those lines would drown the log.
      autoLogging: {
        ignore: (req) => {
          const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';
          return url.split('?')[0]?.endsWith('/health') ?? false;
        },
      },
    },
    // Nest 11's path syntax; the default '*' triggers a legacy-route warning under the /api prefix.
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
  };
}
