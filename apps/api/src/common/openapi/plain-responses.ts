import { ApiAcceptedResponse, ApiOkResponse, type SchemaObject } from '@nestjs/swagger';

/**
 * A download: 200 with the file's bytes in one of `mediaTypes` (an attachment). Declared per response rather than
 * with `@ApiProduces`, which would label the route's JSON error envelopes as files too.
 */
export const ApiFileResponse = (description: string, ...mediaTypes: string[]) =>
  ApiOkResponse({
    description,
    content: Object.fromEntries(mediaTypes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
  });

/** A JSON object answer described inline (routes whose answer has no schema of its own in the contracts). */
export const ApiObjectResponse = (
  description: string,
  properties: NonNullable<SchemaObject['properties']>,
  status: 200 | 202 = 200,
) =>
  (status === 202 ? ApiAcceptedResponse : ApiOkResponse)({
    description,
    schema: { type: 'object', required: Object.keys(properties), properties },
  });

/** `POST …/stop`: 202 `{ stopping }`, false when nothing was still generating. */
export const ApiStoppingResponse = () =>
  ApiObjectResponse('Stopping; `false` when nothing was still generating', { stopping: { type: 'boolean' } }, 202);
