import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS_CLIENT } from './redis.tokens';

export interface WindowCount {
  count: number;
  /** milliseconds until the window resets */
  resetInMs: number;
}

/** The only place that talks to Redis for caching and counters. */
@Injectable()
export class CacheRepository {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}

  async getJson<T>(key: string): Promise<T | null> {
    const raw = await this.redis.get(key);
    return raw === null ? null : (JSON.parse(raw) as T);
  }

  async setJson(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    await this.redis.set(key, JSON.stringify(value), 'EX', ttlSeconds);
  }

  async delete(...keys: string[]): Promise<void> {
    if (keys.length > 0) await this.redis.del(...keys);
  }

  /** Fixed-window counter: increments and returns the count and time to reset. */
  async increment(key: string, windowSeconds: number): Promise<WindowCount> {
    const results = await this.redis
      .multi()
      .incr(key)
      .pexpire(key, windowSeconds * 1000, 'NX')
      .pttl(key)
      .exec();
    if (!results) throw new Error('redis transaction aborted');
    const count = Number(results[0]?.[1] ?? 0);
    const ttl = Number(results[2]?.[1] ?? windowSeconds * 1000);
    return { count, resetInMs: ttl > 0 ? ttl : windowSeconds * 1000 };
  }

  /** Takes one back from a counter that still exists (never creating one, nor going below zero). */
  async decrement(key: string): Promise<void> {
    await this.redis.eval(
      "local n = tonumber(redis.call('GET', KEYS[1])) if n and n > 0 then return redis.call('DECR', KEYS[1]) end return 0",
      1,
      key,
    );
  }

  async peek(key: string): Promise<WindowCount> {
    const [count, ttl] = await Promise.all([this.redis.get(key), this.redis.pttl(key)]);
    return { count: count === null ? 0 : Number(count), resetInMs: ttl > 0 ? ttl : 0 };
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }
}
