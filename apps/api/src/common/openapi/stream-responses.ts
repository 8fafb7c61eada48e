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
 * A route that starts generations: their events as SSE (200), or 202 with the ids to follow them by; `preferred` is
 * the answer to a client that names neither (see `wantsEventStream`).
 */
export const ApiEventStreamOrStarted = (
  stream: string,
  started: { description: string; properties: NonNullable<SchemaObject['properties']> },
  preferred: 'stream' | 'ids',
) =>
  applyDecorators(
    ApiEventStream(
      preferred === 'stream'
        ? `Unless \`Accept\` asks for application/json only: ${stream}`
        : `With \`Accept: text/event-stream\`: ${stream}`,
    ),
    ApiAcceptedResponse({
      description:
        preferred === 'stream'
          ? `With \`Accept: application/json\` (and not text/event-stream): ${started.description}`
          : `Otherwise: ${started.description}`,
      content: { 'application/json': { schema: { type: 'object', properties: started.properties } } },
    }),
  );
