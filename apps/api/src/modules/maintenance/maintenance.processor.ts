import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { type JobPayloads, MaintenanceJob, QueueName } from '../../common/queue/queue.types';
import { RefreshTokensRepository } from '../auth/refresh-tokens.repository';

/** Grace kept after expiry so reuse of a just-expired token can still be recognised and logged. */
const EXPIRED_RETENTION_MS = 7 * 86400 * 1000;

@Processor(QueueName.Maintenance)
export class MaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QueueName.Maintenance) private readonly queue: Queue,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly logger: PinoLogger,
  ) {
    super();
    this.logger.setContext(MaintenanceProcessor.name);
  }

  /** One scheduler id, so any number of workers starting together keep a single hourly schedule. */
  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      MaintenanceJob.PurgeExpiredRefreshTokens,
      { every: 60 * 60 * 1000 },
      { name: MaintenanceJob.PurgeExpiredRefreshTokens, data: {} },
    );
  }

  async process(job: Job<JobPayloads[MaintenanceJob.PurgeExpiredRefreshTokens]>): Promise<{ deleted: number }> {
    switch (job.name as MaintenanceJob) {
      case MaintenanceJob.PurgeExpiredRefreshTokens: {
        const deleted = await this.refreshTokens.deleteExpired(new Date(Date.now() - EXPIRED_RETENTION_MS));
        this.logger.info({ jobId: job.id, deleted, requestId: job.data.requestId }, 'purged expired refresh tokens');
        return { deleted };
      }
      default:
        throw new Error(`unknown maintenance job ${job.name}`);
    }
  }
}
