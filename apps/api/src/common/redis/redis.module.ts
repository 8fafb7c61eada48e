import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { redisOptionsFromUrl } from './redis-connection';
import { CacheRepository } from './cache.repository';
import { REDIS_CLIENT } from './redis.tokens';

export { REDIS_CLIENT };

@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const client = new Redis({
          ...redisOptionsFromUrl(config.env.REDIS_URL),
          // Commands fail fast while Redis is down instead of queueing forever; the client reconnects by itself.
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          lazyConnect: false,
          retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
        });
        // Without a listener ioredis prints every failed reconnect; health reports the outage instead.
        let lastReport = 0;
        client.on('error', (error: Error) => {
          if (Date.now() - lastReport < 10_000) return;
          lastReport = Date.now();
          console.warn(`[redis] ${error.message} (retrying)`);
        });
        return client;
      },
    },
    CacheRepository,
  ],
  exports: [REDIS_CLIENT, CacheRepository],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
