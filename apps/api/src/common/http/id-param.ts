import { ParseUUIDPipe } from '@nestjs/common';
import { CommonErrorCode, commonError } from '../errors/common.errors';

/**
 * The pipe for `:id` path parameters: ids are UUIDs, so anything else names nothing that exists and answers 404
 * like an unknown id (no 400 telling a prober which ids are well-formed), in words a person can read.
 */
export const idParam = new ParseUUIDPipe({
  exceptionFactory: () => commonError(CommonErrorCode.NotFound, 'Nothing has this id: ids are UUIDs'),
});
