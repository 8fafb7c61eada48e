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
  InvalidLastEventId = 'INVALID_LAST_EVENT_ID',
  AnswerInProgress = 'ANSWER_IN_PROGRESS',
  NotAnAnswer = 'NOT_AN_ANSWER',
  ModelUnavailable = 'MODEL_UNAVAILABLE',
  ConversationChanged = 'CONVERSATION_CHANGED',
  NoQuestion = 'NO_QUESTION',
  ExportTooLarge = 'EXPORT_TOO_LARGE',
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
  [ChatErrorCode.InvalidLastEventId]: 400,
  [ChatErrorCode.AnswerInProgress]: 409,
  [ChatErrorCode.NotAnAnswer]: 400,
  [ChatErrorCode.ModelUnavailable]: 409,
  [ChatErrorCode.ConversationChanged]: 409,
  [ChatErrorCode.NoQuestion]: 400,
  [ChatErrorCode.ExportTooLarge]: 400,
});
