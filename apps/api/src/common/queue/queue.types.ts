/** Every queue and job the platform runs, with the payload each job carries. */
export enum QueueName {
  Maintenance = 'maintenance',
}

export enum MaintenanceJob {
  PurgeExpiredRefreshTokens = 'purge-expired-refresh-tokens',
}

export interface JobPayloads {
  [MaintenanceJob.PurgeExpiredRefreshTokens]: { requestId?: string };
}

export type JobName = keyof JobPayloads;
