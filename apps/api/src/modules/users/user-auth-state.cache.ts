import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import { CacheRepository } from '../../common/redis/cache.repository';
import { REDIS_CLIENT } from '../../common/redis/redis.tokens';
import { AppConfig } from '../../config/app-config';
import { type UserAuthState, UsersRepository } from './users.repository';

const TTL_SECONDS = 30;
const LOCAL_MAX_ENTRIES = 50_000;
const key = (userId: string) => `auth:user-state:${userId}`;
/** Every API process drops its in-memory copy of a user's state when a message with the user's id arrives here. */
const INVALIDATE_CHANNEL = 'auth:user-state:invalidate';

/**
 * What the JWT guard checks on every request (role, active flag, token version, ended sessions). Kept in memory in each API
 * process, backed by Redis, both for 30 s and both dropped on every change, so a disabled user, a role change or a logout
 * takes effect on the very next request, in every process:
 * - the change deletes the Redis copy and publishes the user's id; every process drops its own copy on receipt;
 * - memory is trusted only while the invalidation channel is subscribed (a dropped subscription empties it, and
 *   reads go to Redis until it is back);
 * - a read that raced with an invalidation is not kept in memory.
 * The memory layer spares every authenticated request a Redis round trip before it can start its work.
 */
@Injectable()
export class UserAuthStateCache implements OnModuleDestroy {
  private readonly logger = new Logger(UserAuthStateCache.name);
  private readonly local = new Map<string, { state: UserAuthState; expiresAt: number }>();
  private subscriber: Redis | null = null;
  /** True while the invalidation channel is subscribed: only then may memory answer. */
  private listening = false;
  /** Bumped by every invalidation seen here; a read that saw it change does not fill memory. */
  private invalidations = 0;

  constructor(
    private readonly cache: CacheRepository,
    private readonly users: UsersRepository,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async get(userId: string): Promise<UserAuthState | null> {
    if (this.listening) {
      const hit = this.local.get(userId);
      if (hit && hit.expiresAt > Date.now()) return hit.state;
    } else this.listen();
    const seen = this.invalidations;
    const state = (await this.cache.getJson<UserAuthState>(key(userId))) ?? (await this.load(userId));
    if (state && this.listening && seen === this.invalidations) this.remember(userId, state);
    return state;
  }

  async invalidate(userId: string): Promise<void> {
    this.drop(userId);
    await this.cache.delete(key(userId));
    await this.redis.publish(INVALIDATE_CHANNEL, userId);
  }

  onModuleDestroy(): void {
    this.listening = false;
    this.subscriber?.disconnect();
    this.subscriber = null;
  }

  private async load(userId: string): Promise<UserAuthState | null> {
    // An ended session's access tokens live at most one access-token lifetime after it ended.
    const state = await this.users.authState(userId, this.config.env.ACCESS_TOKEN_TTL_SECONDS);
    if (state) await this.cache.setJson(key(userId), state, TTL_SECONDS);
    return state;
  }

  private remember(userId: string, state: UserAuthState): void {
    if (this.local.size >= LOCAL_MAX_ENTRIES) {
      // Oldest first (insertion order): a bounded cache, not an unbounded map of every user ever seen.
      const oldest = this.local.keys().next().value;
      if (oldest !== undefined) this.local.delete(oldest);
    }
    this.local.set(userId, { state, expiresAt: Date.now() + TTL_SECONDS * 1000 });
  }

  private drop(userId: string): void {
    this.invalidations++;
    this.local.delete(userId);
  }

  /** Subscribes once, lazily (processes that never authenticate, like the queue worker, hold no extra connection). */
  private listen(): void {
    if (this.subscriber) return;
    const subscriber = this.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    this.subscriber = subscriber;
    const stopTrusting = () => {
      this.listening = false;
      this.invalidations++;
      this.local.clear();
    };
    const subscribe = () =>
      subscriber.subscribe(INVALIDATE_CHANNEL).then(
        () => {
          if (this.subscriber === subscriber) this.listening = true;
        },
        (error: Error) => this.logger.warn(`cannot subscribe to auth invalidations: ${error.message}`),
      );
    subscriber.on('message', (channel: string, userId: string) => {
      if (channel === INVALIDATE_CHANNEL) this.drop(userId);
    });
    subscriber.on('error', () => undefined);
    // Messages published while disconnected are lost: forget everything and trust memory again only once the
    // subscription is confirmed anew.
    subscriber.on('close', stopTrusting);
    subscriber.on('ready', () => {
      if (this.subscriber === subscriber && !this.listening) void subscribe();
    });
  }
}
