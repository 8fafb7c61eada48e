import { defineErrors } from '../../common/errors/app-exception';

export enum ChatErrorCode {
  SessionNotFound = 'SESSION_NOT_FOUND',
  MessageNotFound = 'MESSAGE_NOT_FOUND',
  GenerationNotFound = 'GENERATION_NOT_FOUND',
  NoModelConfig = 'NO_MODEL_CONFIG',
  InvalidParent = 'INVALID_PARENT',
  TooManyGenerations = 'TOO_MANY_GENERATIONS',
  NotAcceptable = 'SSE_REQUIRED',
  InvalidImport = 'INVALID_IMPORT',
}

export const chatError = defineErrors<ChatErrorCode>({
  [ChatErrorCode.SessionNotFound]: 404,
  [ChatErrorCode.MessageNotFound]: 404,
  [ChatErrorCode.GenerationNotFound]: 404,
  [ChatErrorCode.NoModelConfig]: 400,
  [ChatErrorCode.InvalidParent]: 400,
  [ChatErrorCode.TooManyGenerations]: 429,
  [ChatErrorCode.NotAcceptable]: 406,
  [ChatErrorCode.InvalidImport]: 400,
});
