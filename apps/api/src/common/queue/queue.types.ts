/** Every queue and job the platform runs, with the payload each job carries. */
export enum QueueName {
  Maintenance = 'maintenance',
  CompareBatches = 'compare-batches',
}

export enum MaintenanceJob {
  PurgeExpiredRefreshTokens = 'purge-expired-refresh-tokens',
}

export enum CompareBatchJob {
  Run = 'run-compare-batch',
}

export interface JobPayloads {
  [MaintenanceJob.PurgeExpiredRefreshTokens]: { requestId?: string };
  /** The batch's rows say what is left to do; the job only names the batch (and is keyed by its id). */
  [CompareBatchJob.Run]: { batchId: string; requestId?: string };
}

export type JobName = keyof JobPayloads;
