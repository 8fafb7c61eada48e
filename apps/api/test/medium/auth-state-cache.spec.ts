import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserAuthStateCache } from '../../src/modules/users/user-auth-state.cache';
import { UsersRepository } from '../../src/modules/users/users.repository';
import { startTestApp, type TestApp } from './support/app';

/** Two API processes (two app instances on one PostgreSQL and Redis), each with its in-memory copy. */
describe('the JWT guard’s user state across API processes', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    [a, b] = await Promise.all([startTestApp(), startTestApp()]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  async function newUser() {
    return a.app.get(UsersRepository).create({
      email: `state-${randomUUID()}@medium.test`,
      nickname: `state-${randomUUID().slice(0, 8)}`,
      passwordHash: 'x',
      role: 'user',
    });
  }

  /** Reads until the subscription is confirmed and the state sits in memory (the first read subscribes). */
  async function warm(cache: UserAuthStateCache, userId: string) {
    for (let i = 0; i < 50; i++) {
      await cache.get(userId);
      if ((cache as unknown as { listening: boolean }).listening) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await cache.get(userId);
  }

  it('drops the copy in every process when one process records a change', async () => {
    const user = await newUser();
    const cacheA = a.app.get(UserAuthStateCache);
    const cacheB = b.app.get(UserAuthStateCache);
    await warm(cacheA, user.id);
    await warm(cacheB, user.id);
    expect(await cacheB.get(user.id)).toMatchObject({ isActive: true, role: 'user' });

    // Process A disables the user (as the admin endpoint does: write, then invalidate).
    await a.app.get(UsersRepository).update(user.id, { isActive: false, role: 'admin' });
    await cacheA.invalidate(user.id);

    expect(await cacheA.get(user.id)).toMatchObject({ isActive: false, role: 'admin' });
    // The message reaches B over Redis pub/sub; B must not answer from its stale copy after that.
    let seenByB = await cacheB.get(user.id);
    for (let i = 0; i < 50 && seenByB?.isActive; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      seenByB = await cacheB.get(user.id);
    }
    expect(seenByB).toMatchObject({ isActive: false, role: 'admin' });
  });

  it('keeps a copy until an invalidation, which any process may send', async () => {
    const user = await newUser();
    const cache = b.app.get(UserAuthStateCache);
    await warm(cache, user.id);
    // A change behind the cache's back (no invalidation): the copies stand until they expire.
    await b.app.get(UsersRepository).update(user.id, { role: 'admin' });
    expect(await cache.get(user.id)).toMatchObject({ role: 'user' });
    // A third process that never saw the user invalidates, then reads the database.
    const fresh = await startTestApp();
    try {
      await fresh.app.get(UserAuthStateCache).invalidate(user.id);
      expect(await fresh.app.get(UserAuthStateCache).get(user.id)).toMatchObject({ role: 'admin' });
      let seen = await cache.get(user.id);
      for (let i = 0; i < 50 && seen?.role !== 'admin'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        seen = await cache.get(user.id);
      }
      expect(seen).toMatchObject({ role: 'admin' });
    } finally {
      await fresh.close();
    }
  });
});
