import { Processor, WorkerHost } from '@nestjs/bullmq';
import { type Job, UnrecoverableError } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { AppException } from '../../common/errors/app-exception';
import { CompareBatchJob, type JobPayloads, QueueName } from '../../common/queue/queue.types';
import { CompareBatchRunner } from './compare-batch.runner';

/** Runs batch compare jobs on the worker process. The batch's rows are its state, so a retried job resumes. */
@Processor(QueueName.CompareBatches, { concurrency: 4 })
export class CompareBatchProcessor extends WorkerHost {
  constructor(
    private readonly runner: CompareBatchRunner,
    private readonly logger: PinoLogger,
  ) {
    super();
    this.logger.setContext(CompareBatchProcessor.name);
  }

  async process(job: Job<JobPayloads[CompareBatchJob.Run]>): Promise<{ outcome: string }> {
    if (job.name !== (CompareBatchJob.Run as string)) throw new UnrecoverableError(`unknown job ${job.name}`);
    const { batchId, requestId } = job.data;
    this.logger.info({ jobId: job.id, batchId, requestId, attempt: job.attemptsMade + 1 }, 'compare batch starting');
    try {
      const outcome = await this.runner.run(batchId);
      this.logger.info({ jobId: job.id, batchId, requestId, outcome }, 'compare batch finished');
      return { outcome };
    } catch (error) {
      // Out of attempts: the batch is marked failed so nobody waits on it forever. Its owner reads why in their terms;
      // a database's or a library's own words stay in the log.
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        this.logger.error({ jobId: job.id, batchId, requestId, err: error }, 'compare batch failed');
        await this.runner.fail(
          batchId,
          error instanceof AppException
            ? error.message
            : 'The batch stopped on an unexpected error; the worker log has the details',
        );
      }
      throw error;
    }
  }
}
