import { defineErrors } from '../../common/errors/app-exception';

export enum CompareBatchesErrorCode {
  NotFound = 'BATCH_NOT_FOUND',
  InvalidFile = 'BATCH_FILE_INVALID',
  FileMissing = 'BATCH_FILE_MISSING',
  Finished = 'BATCH_FINISHED',
}

export const compareBatchesError = defineErrors<CompareBatchesErrorCode>({
  [CompareBatchesErrorCode.NotFound]: 404,
  [CompareBatchesErrorCode.InvalidFile]: 400,
  [CompareBatchesErrorCode.FileMissing]: 400,
  [CompareBatchesErrorCode.Finished]: 409,
});
