import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { redisOptionsFromUrl } from '../redis/redis-connection';
import { QueueName } from './queue.types';

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // BullMQ workers block on Redis; they must retry forever rather than fail a command.
        connection: { ...redisOptionsFromUrl(config.env.REDIS_URL), maxRetriesPerRequest: null },
        prefix: 'modelyard',
        defaultJobOptions: {
          removeOnComplete: 1000,
          removeOnFail: 5000,
          attempts: 3,
          backoff: { type: 'exponential', delay: 1000 },
        },
      }),
    }),
    BullModule.registerQueue({ name: QueueName.Maintenance }, { name: QueueName.CompareBatches }),
  ],
  exports: [BullModule],
})
export class QueueModule {}
