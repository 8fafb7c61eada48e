import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import type { ErrorEnvelope } from '@modelyard/contracts';
import { ZodValidationException } from 'nestjs-zod';
import type { ZodError } from 'zod';
import { AppException } from './app-exception';
import { CommonErrorCode, codeForStatus } from './common.errors';

export interface MappedError {
  body: ErrorEnvelope;
  headers: Record<string, string>;
  /** true when the error was not raised on purpose and must be logged with its stack */
  unexpected: boolean;
}

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

const FASTIFY_CODES: Record<string, { code: CommonErrorCode; message: string; status?: number }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: CommonErrorCode.MalformedBody, message: 'The request body is not valid JSON' },
  // Fastify reads text bodies as UTF-8: invalid bytes become U+FFFD and the decoded length no longer adds up.
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: CommonErrorCode.MalformedBody,
    message: 'The request body is not valid UTF-8, or its length does not match Content-Length',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: CommonErrorCode.PayloadTooLarge, message: 'The request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: CommonErrorCode.UnsupportedMediaType,
    message: 'Unsupported content type',
  },
  // Errors Fastify's router raises before any hook or Nest filter runs (see `frameworkErrors` in create-app.ts).
  FST_ERR_BAD_URL: { code: CommonErrorCode.ValidationFailed, message: 'The URL is malformed', status: 400 },
  // A path segment longer than any id, name or label the API has: nothing can be found by it.
  FST_ERR_MAX_PARAM_LENGTH: { code: CommonErrorCode.NotFound, message: 'Nothing has this id', status: 404 },
  // @fastify/multipart's limits: one file and ten fields a request. A second file is a malformed form, not a large one.
  FST_FILES_LIMIT: { code: CommonErrorCode.ValidationFailed, message: 'Send one file per request', status: 400 },
  FST_FIELDS_LIMIT: { code: CommonErrorCode.PayloadTooLarge, message: 'The form has too many fields' },
  FST_PARTS_LIMIT: { code: CommonErrorCode.PayloadTooLarge, message: 'The form has too many parts' },
  FST_REQ_FILE_TOO_LARGE: { code: CommonErrorCode.PayloadTooLarge, message: 'The uploaded file is too large' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    code: CommonErrorCode.UnsupportedMediaType,
    message: 'Expected a multipart/form-data request',
    status: 415,
  },
};

/**
 * The unique indexes (see migrations/) → the conflict their module reports when its own check sees the clash first.
 * Two requests racing past that check meet at the index; the loser gets the same 409, never a 500.
 */
const UNIQUE_VIOLATIONS: Record<string, { code: string; message: string; path: string }> = {
  users_email_key: { code: 'EMAIL_TAKEN', message: 'This email is already registered', path: 'email' },
  users_nickname_key: { code: 'NICKNAME_TAKEN', message: 'This nickname is already taken', path: 'nickname' },
  providers_name_key: {
    code: 'PROVIDER_NAME_TAKEN',
    message: 'A provider with this name already exists',
    path: 'name',
  },
  model_configs_owner_name_key: {
    code: 'MODEL_CONFIG_NAME_TAKEN',
    message: 'You already have a model config with this name',
    path: 'name',
  },
  teams_name_key: { code: 'TEAM_NAME_TAKEN', message: 'A team with this name already exists', path: 'name' },
  prompts_owner_name_key: {
    code: 'PROMPT_NAME_TAKEN',
    message: 'You already have a prompt with this name',
    path: 'name',
  },
};

/** busboy's errors (under @fastify/multipart) for a body that is not the multipart it claims to be. */
const MALFORMED_MULTIPART =
  /^Multipart: Boundary not found$|^Boundary required$|unexpected end of (multipart data|form)$|^Malformed part header$/i;

/** A PostgreSQL error as node-postgres raises it (TypeORM's QueryFailedError copies these fields). */
interface PostgresError {
  code?: string;
  constraint?: string;
}

function zodDetails(error: ZodError): unknown[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message, code: issue.code }));
}

/** Turns anything thrown while serving a request into the one error envelope. */
const NOT_HTTP = { statusCode: 400, code: CommonErrorCode.MalformedRequest, message: 'The request is not valid HTTP' };
/** Node's parser errors by code (anything else is "not valid HTTP"). */
const CLIENT_ERRORS: Record<string, typeof NOT_HTTP> = {
  HPE_HEADER_OVERFLOW: {
    statusCode: 431,
    code: CommonErrorCode.HeadersTooLarge,
    message: 'The request headers are too large',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    statusCode: 408,
    code: CommonErrorCode.RequestTimeout,
    message: 'The request took too long to arrive',
  },
};

/**
 * The raw HTTP response for a request Node's parser refused before Fastify saw it (a header block over the limit,
 * bytes that are not HTTP, a request too slow to arrive): the same envelope as any other error, then the socket
 * closes (the connection's framing can no longer be trusted).
 */
export function clientErrorResponse(errorCode: string | undefined, requestId: string): string {
  const { statusCode, code, message } = CLIENT_ERRORS[errorCode ?? ''] ?? NOT_HTTP;
  const body = JSON.stringify({ statusCode, code, message, requestId });
  return (
    `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}\r\n` +
    `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
    `X-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`
  );
}

export function toErrorEnvelope(error: unknown, requestId: string): MappedError {
  const envelope = (statusCode: number, code: string, message: string, details?: unknown[]): ErrorEnvelope => ({
    statusCode,
    code,
    message,
    ...(details && details.length > 0 ? { details } : {}),
    requestId,
  });

  if (error instanceof AppException) {
    return {
      body: envelope(error.statusCode, error.code, error.message, error.details?.map(dottedPath)),
      headers: error.headers ?? {},
      unexpected: error.statusCode >= 500,
    };
  }
  if (error instanceof ZodValidationException) {
    return {
      body: envelope(
        400,
        CommonErrorCode.ValidationFailed,
        'The request is invalid',
        zodDetails(error.getZodError() as ZodError),
      ),
      headers: {},
      unexpected: false,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    let message = error.message;
    if (typeof response === 'object' && response !== null && 'message' in response) {
      const m = (response as { message: unknown }).message;
      message = Array.isArray(m) ? m.join('; ') : String(m);
    }
    // Nest's Fastify adapter turns body-parser failures into a plain BadRequestException carrying this text.
    const isMalformedBody =
      status === 400 && /not valid JSON|Unexpected (token|end of JSON)|did not match Content-Length/i.test(message);
    if (isMalformedBody && /Content-Length/.test(message))
      message = FASTIFY_CODES.FST_ERR_CTP_INVALID_CONTENT_LENGTH!.message;
    const isRouteMiss = status === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)/.test(message);
    const code = isRouteMiss
      ? CommonErrorCode.RouteNotFound
      : isMalformedBody
        ? CommonErrorCode.MalformedBody
        : codeForStatus(status);
    if (isRouteMiss) message = 'No such route';
    if (status >= 500) message = 'Internal server error';
    return { body: envelope(status, code, message), headers: {}, unexpected: status >= 500 };
  }
  const fastifyError = error as FastifyLikeError;
  if (fastifyError && typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
    const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
    const status = known?.status ?? fastifyError.statusCode;
    return {
      body: envelope(
        status,
        known?.code ?? codeForStatus(status),
        known?.message ?? 'The request could not be processed',
      ),
      headers: {},
      unexpected: false,
    };
  }
  if (error instanceof Error && MALFORMED_MULTIPART.test(error.message)) {
    return {
      body: envelope(400, CommonErrorCode.MalformedBody, 'The multipart/form-data body is malformed or cut short'),
      headers: {},
      unexpected: false,
    };
  }
  const postgres = error as PostgresError;
  if (postgres && postgres.code === '23505') {
    const known = postgres.constraint ? UNIQUE_VIOLATIONS[postgres.constraint] : undefined;
    return {
      body: known
        ? envelope(409, known.code, known.message, [{ path: known.path, message: 'is taken' }])
        : envelope(409, CommonErrorCode.Conflict, 'This conflicts with an existing record; reload and try again'),
      headers: {},
      unexpected: false,
    };
  }
  if (postgres && (postgres.code === '22003' || postgres.code === '22P02')) {
    // A number out of its column's range, or text that is not the column's type: input the validation let
    // through. Logged (the schema needs a bound), but it is the request's fault, not the server's.
    return {
      body: envelope(400, CommonErrorCode.ValidationFailed, 'A value in the request is out of range or malformed'),
      headers: {},
      unexpected: true,
    };
  }
  if (isOverload(error)) {
    // Saturation (no free database connection in time, Redis unreachable) is not a bug: say so and when to retry.
    return {
      body: envelope(
        503,
        CommonErrorCode.ServiceUnavailable,
        'The server is busy or a backing service is unavailable; retry shortly',
      ),
      headers: { 'retry-after': '2' },
      unexpected: true,
    };
  }
  return {
    body: envelope(500, CommonErrorCode.InternalError, 'Internal server error'),
    headers: {},
    unexpected: true,
  };
}

/** node-postgres pool exhaustion / connection failures and ioredis' offline rejections. */
function isOverload(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  return (
    /timeout exceeded when trying to connect|Connection terminated|Stream isn't writeable|enableOfflineQueue/i.test(
      error.message,
    ) ||
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === '57P03' // PostgreSQL: cannot connect now (starting up / shutting down)
  );
}

/** Field paths in details are dotted strings everywhere (`variables.topic`), as validation errors write them. */
function dottedPath(detail: unknown): unknown {
  if (typeof detail !== 'object' || detail === null) return detail;
  const path = (detail as { path?: unknown }).path;
  return Array.isArray(path) ? { ...detail, path: path.join('.') } : detail;
}
