import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Batch } from '@modelyard/contracts';
import type Redis from 'ioredis';
import { REDIS_CLIENT } from '../../common/redis/redis.tokens';

const channel = (batchId: string) => `modelyard:compare-batch:${batchId}`;

/**
 * Live progress of batch jobs over Redis pub/sub: the worker running a batch publishes snapshots, any API process
 * relays them to the browsers following it. Snapshots are complete, so a missed one costs nothing.
 */
@Injectable()
export class BatchProgressRepository implements OnApplicationShutdown {
  private subscriber: Redis | null = null;
  private readonly listeners = new Map<string, Set<(batch: Batch) => void>>();

  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}

  async publish(batch: Batch): Promise<void> {
    await this.redis.publish(channel(batch.id), JSON.stringify(batch));
  }

  /** Calls `listener` with every snapshot published for the batch until the returned function is called. */
  async follow(batchId: string, listener: (batch: Batch) => void): Promise<() => void> {
    if (!this.subscriber) {
      this.subscriber = this.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
      this.subscriber.on('message', (name: string, message: string) => {
        const id = name.slice(channel('').length);
        for (const l of this.listeners.get(id) ?? []) l(JSON.parse(message) as Batch);
      });
    }
    let set = this.listeners.get(batchId);
    if (!set) {
      set = new Set();
      this.listeners.set(batchId, set);
      await this.subscriber.subscribe(channel(batchId));
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(batchId) === set) {
        this.listeners.delete(batchId);
        void this.subscriber?.unsubscribe(channel(batchId)).catch(() => undefined);
      }
    };
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }
}
