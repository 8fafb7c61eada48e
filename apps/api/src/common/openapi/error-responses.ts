import { applyDecorators } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import { ErrorEnvelopeSchema } from '@modelyard/contracts';
import { z } from 'zod';
import { toOpenApi30 } from './openapi-30';

const ENVELOPE_REF = '#/components/schemas/ErrorEnvelope';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** A 429 a route answers on purpose (a per-user or per-address limit), with the envelope and a Retry-After header. */
export const ApiRateLimited = (description: string) =>
  applyDecorators(
    ApiTooManyRequestsResponse({
      description,
      headers: { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } } },
      schema: { $ref: ENVELOPE_REF },
    }),
  );

/** The per-user limit of answers generating at once, on every route that starts one. */
export const ApiGenerationLimit = () =>
  ApiRateLimited(
    'TOO_MANY_GENERATIONS: the per-user limit of answers generating at once (CHAT_MAX_CONCURRENT_GENERATIONS)',
  );

/**
 * Every operation's errors: the standard envelope as the `default` response (400 validation, 401, 403, 404, 409…,
 * with the code that says which), so generated clients know the shape of every failure.
 */
export function withErrorResponses(document: OpenAPIObject): OpenAPIObject {
  const { $schema: _ignored, ...envelope } = toOpenApi30(z.toJSONSchema(ErrorEnvelopeSchema)) as Record<
    string,
    unknown
  >;
  document.components ??= {};
  document.components.schemas = { ...document.components.schemas, ErrorEnvelope: envelope };
  for (const path of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = path[method];
      if (!operation) continue;
      operation.responses.default ??= {
        description:
          'An error: `{ statusCode, code, message, details?, requestId }` (`code` names it; `details` lists the ' +
          'fields at fault)',
        content: { 'application/json': { schema: { $ref: ENVELOPE_REF } } },
      };
    }
  }
  return document;
}
