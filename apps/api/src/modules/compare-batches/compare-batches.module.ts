import { Module } from '@nestjs/common';
import { ModelConfigsModule } from '../model-configs/model-configs.module';
import { UsersModule } from '../users/users.module';
import { BatchProgressRepository } from './batch-progress.repository';
import { CompareBatchProcessor } from './compare-batch.processor';
import { CompareBatchRunner } from './compare-batch.runner';
import { CompareBatchesController } from './compare-batches.controller';
import { CompareBatchesRepository } from './compare-batches.repository';
import { CompareBatchesService } from './compare-batches.service';

/** The HTTP side: upload, follow, cancel, report. Jobs are queued here and run by the worker. */
@Module({
  imports: [ModelConfigsModule],
  controllers: [CompareBatchesController],
  providers: [CompareBatchesRepository, BatchProgressRepository, CompareBatchesService],
})
export class CompareBatchesModule {}

/** Loaded only by the worker process (worker.ts): runs the queued batches. */
@Module({
  imports: [ModelConfigsModule, UsersModule],
  providers: [CompareBatchesRepository, BatchProgressRepository, CompareBatchRunner, CompareBatchProcessor],
})
export class CompareBatchesWorkerModule {}
