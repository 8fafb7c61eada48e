import { applyDecorators } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, type SchemaObject } from '@nestjs/swagger';

/**
 * A route that answers with Server-Sent Events: 200 `text/event-stream`. Declared per response rather than with
 * `@ApiProduces`, which would label the route's JSON error envelopes (404, 429) as event streams too.
 */
export const ApiEventStream = (description: string) =>
  ApiOkResponse({
    description,
    content: { 'text/event-stream': { schema: { type: 'string', description: 'Server-Sent Events' } } },
  });

/**
 * A route that starts generations: their events as SSE (200), or, with `Accept: application/json` only, 202 with
 * the ids to follow them by.
 */
export const ApiEventStreamOrStarted = (
  stream: string,
  started: { description: string; properties: NonNullable<SchemaObject['properties']> },
) =>
  applyDecorators(
    ApiEventStream(stream),
    ApiAcceptedResponse({
      description: `With \`Accept: application/json\` (and not text/event-stream): ${started.description}`,
      content: { 'application/json': { schema: { type: 'object', properties: started.properties } } },
    }),
  );
