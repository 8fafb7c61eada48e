import { Injectable } from '@nestjs/common';
import { CacheRepository } from '../../common/redis/cache.repository';
import { type UserAuthState, UsersRepository } from './users.repository';

const TTL_SECONDS = 30;
const key = (userId: string) => `auth:user-state:${userId}`;

/**
 * What the JWT guard checks on every request (role, active flag, token version). Cached briefly in Redis and
 * dropped on every change, so a disabled user or a role change takes effect on the very next request.
 */
@Injectable()
export class UserAuthStateCache {
  constructor(
    private readonly cache: CacheRepository,
    private readonly users: UsersRepository,
  ) {}

  async get(userId: string): Promise<UserAuthState | null> {
    const cached = await this.cache.getJson<UserAuthState>(key(userId));
    if (cached) return cached;
    const state = await this.users.authState(userId);
    if (state) await this.cache.setJson(key(userId), state, TTL_SECONDS);
    return state;
  }

  async invalidate(userId: string): Promise<void> {
    await this.cache.delete(key(userId));
  }
}
