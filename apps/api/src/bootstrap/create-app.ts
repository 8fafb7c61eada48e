import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { AppModule } from '../app.module';
import { CommonErrorCode } from '../common/errors/common.errors';
import { clientErrorResponse, toErrorEnvelope } from '../common/errors/error-envelope';
import { withErrorResponses } from '../common/openapi/error-responses';
import { toOpenApi30 } from '../common/openapi/openapi-30';
import { applyRouteBodyLimits, JSON_BODY_LIMIT } from '../common/http/body-limit';
import { appLogger, requestIdFor, requestLogger } from '../common/logging/logger.options';
import type { AppConfig } from '../config/app-config';

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Modelyard API')
    .setDescription(
      'HTTP API of Modelyard. Errors always use the envelope { statusCode, code, message, details?, requestId }.',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .addCookieAuth('refresh_token')
    .build();
  return withErrorResponses(toOpenApi30(cleanupOpenApiDoc(SwaggerModule.createDocument(app, config))));
}

/** Builds the HTTP application: Fastify, one error envelope, OpenAPI, and the SPA on the same port. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const securityHeaders = staticSecurityHeaders(config.webDistDir);
  const adapter = new FastifyAdapter({
    trustProxy: config.env.TRUST_PROXY,
    // Ids, names and labels are validated by the routes (the router's own limit, 100, made a 101-character id a
    // "no such route" on one route and a bare 414 on another).
    routerOptions: { maxParamLength: 1000 },
    // A malformed URL or a path segment over that is refused by the router before any hook runs: it still gets the
    // envelope, its request id and the security headers.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const { body, headers } = toErrorEnvelope(error, String(request.id));
      void reply
        .code(body.statusCode)
        .header('x-request-id', request.id)
        .headers({ ...securityHeaders, ...headers })
        .send(body);
    },
    clientErrorHandler: (error: NodeJS.ErrnoException, socket: Socket) => {
      // A reset connection has nobody to answer.
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      if (socket.writable) socket.write(clientErrorResponse(error.code, randomUUID()));
      socket.destroy(error);
    },
    bodyLimit: JSON_BODY_LIMIT,
    // A `__proto__` or `constructor.prototype` key in a body is dropped rather than the whole body refused as "not
    // valid JSON" (it is valid JSON); it never reaches an object either way.
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    genReqId: (req: IncomingMessage) => {
      const id = requestIdFor(req);
      (req as IncomingMessage & { id?: string }).id = id;
      return id;
    },
  });
  // JSON bodies only (and multipart where a route reads a file): Fastify's own JSON parser, not Nest's pair that
  // also parses urlencoded forms. A form any web page can post cross-site then gets 415 instead of reaching
  // sign-in (where failures lock the account).
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api');
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.removeContentTypeParser('text/plain');
  acceptEmptyJsonBodies(fastify);
  applyRouteBodyLimits(fastify);
  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, { limits: { fileSize: config.env.AVATAR_MAX_BYTES, files: 1, fields: 10 } });

  // One synchronous hook for what every response gets: its request id, the security headers, and (API routes) a log
  // line once it has been sent. Load balancers poll health constantly; those lines would drown the log.
  const logRequest = requestLogger(appLogger(config));
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id).headers(securityHeaders);
    const path = request.url.split('?', 1)[0]!;
    if (path.startsWith('/api/') && !path.endsWith('/health')) logRequest(request, reply.raw);
    done();
  });

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    yamlDocumentUrl: 'api/docs-yaml',
  });

  registerSpa(fastify, config.webDistDir);
  return app;
}

/**
 * Many HTTP clients label every request `application/json`, bodyless ones too (`POST /auth/logout`, a stop, a test):
 * an empty body is no body, as it is without the header, not a 400. Anything else goes to Fastify's own parser
 * (with the same `__proto__` handling as the server's options).
 */
function acceptEmptyJsonBodies(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('remove', 'remove');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    // A JSON escape can spell half a surrogate pair ("\ud800"), which no UTF-8 column or jsonb value can hold:
    // PostgreSQL stores U+FFFD for it in text but refuses it in JSON (an audit entry failed after its row was saved).
    // Such halves become U+FFFD here, once, for every route.
    parseJson(request, text, (error, value) =>
      error || !LONE_SURROGATE_ESCAPE.test(text) ? done(error, value) : done(null, wellFormed(value)),
    );
  });
}

/** A JSON `\uXXXX` escape of a surrogate (paired or not: the strings are checked after parsing). */
const LONE_SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** `value` with every string (keys included) made well-formed: unpaired surrogates become U+FFFD. */
export function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return (value as WellFormable).toWellFormed();
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [(key as WellFormable).toWellFormed(), wellFormed(inner)]),
    );
  }
  return value;
}

/** ES2024's `String.prototype.toWellFormed` (Node ≥ 20; the project's TypeScript lib is ES2023). */
type WellFormable = string & { toWellFormed(): string };

/**
 * Helmet's security headers and CSP, worked out once: none of them depends on the request (the CSP allows the SPA's
 * inline script by hash, not by a per-request nonce). Running helmet's middleware chain on every request cost
 * ≈ 0.06 ms on each request's way in (@fastify/helmet, before that, also re-parsed the CSP every time).
 */
export function staticSecurityHeaders(webDistDir: string): Record<string, string> {
  const middleware = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...inlineScriptHashes(webDistDir)],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
    hsts: false,
  });
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  return headers;
}

/** CSP hashes of the SPA's inline scripts (the pre-paint theme script), so they run without 'unsafe-inline'. */
function inlineScriptHashes(webDistDir: string): string[] {
  const index = join(webDistDir, 'index.html');
  if (!existsSync(index)) return [];
  const html = readFileSync(index, 'utf8');
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
    (m) =>
      `'sha256-${createHash('sha256')
        .update(m[1] ?? '')
        .digest('base64')}'`,
  );
}

/**
 * The built SPA on the same port as the API: real files as they are, any other non-/api GET gets index.html
 * (client-side routing), and unknown /api paths get the JSON 404 envelope.
 */
function registerSpa(fastify: FastifyInstance, webDistDir: string): void {
  const hasSpa = existsSync(join(webDistDir, 'index.html'));
  if (hasSpa) {
    // The top-level files (favicon…) as found at start-up; hashed assets looked up per request, so a web build
    // replaced under a running server serves its new assets instead of a blank page.
    void fastify.register(fastifyStatic, {
      root: webDistDir,
      prefix: '/',
      wildcard: false,
      index: false,
      decorateReply: false,
      globIgnore: ['assets/**'],
      cacheControl: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    });
    void fastify.register(fastifyStatic, {
      root: join(webDistDir, 'assets'),
      prefix: '/assets/',
      wildcard: true,
      index: false,
      decorateReply: false,
      cacheControl: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'public, max-age=31536000, immutable'),
    });
  }
  fastify.get('/*', (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    // A missing hashed asset must be a 404, not index.html (a stale tab would otherwise render a blank page).
    if (path === '/api' || path.startsWith('/api/') || path.startsWith('/assets/') || !hasSpa) {
      void reply.status(404).send({
        statusCode: 404,
        code: CommonErrorCode.RouteNotFound,
        message: 'No such route',
        requestId: String(request.id),
      });
      return;
    }
    void reply.header('Cache-Control', 'no-cache').type('text/html; charset=utf-8');
    void reply.send(createReadStream(join(webDistDir, 'index.html')));
  });
}
