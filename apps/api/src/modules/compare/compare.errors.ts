import { defineErrors } from '../../common/errors/app-exception';

export enum CompareErrorCode {
  RunNotFound = 'COMPARE_RUN_NOT_FOUND',
  ColumnNotFound = 'COMPARE_COLUMN_NOT_FOUND',
  AnswerNotFound = 'COMPARE_ANSWER_NOT_FOUND',
  /** A follow-up while a column still answers: the chat's own code for the same situation. */
  AnswerInProgress = 'ANSWER_IN_PROGRESS',
}

export const compareError = defineErrors<CompareErrorCode>({
  [CompareErrorCode.RunNotFound]: 404,
  [CompareErrorCode.ColumnNotFound]: 404,
  [CompareErrorCode.AnswerNotFound]: 404,
  [CompareErrorCode.AnswerInProgress]: 409,
});
