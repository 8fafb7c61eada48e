import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD_FILE, AdminBootstrapService } from '../../src/modules/auth/admin-bootstrap.service';
import { RefreshTokensRepository } from '../../src/modules/auth/refresh-tokens.repository';
import { UserEntity } from '../../src/modules/users/user.entity';
import { UsersRepository } from '../../src/modules/users/users.repository';
import { UsersService } from '../../src/modules/users/users.service';
import { startTestApp, type TestApp } from './support/app';

describe('auth persistence against real PostgreSQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('lets exactly one of two concurrent rotations claim a refresh token', async () => {
    const users = t.app.get(UsersRepository);
    const tokens = t.app.get(RefreshTokensRepository);
    const user = await users.create({
      email: `race-${randomUUID()}@medium.test`,
      nickname: `race-${randomUUID().slice(0, 8)}`,
      passwordHash: 'x',
      role: 'user',
    });
    const token = await tokens.create({
      userId: user.id,
      familyId: randomUUID(),
      tokenHash: randomUUID(),
      expiresAt: new Date(Date.now() + 60_000),
      ip: null,
      userAgent: null,
    });
    const claims = await Promise.all(Array.from({ length: 8 }, () => tokens.claim(token.id)));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('bootstraps one admin from concurrent starts and stores a generated password owner-only', async () => {
    const repo = t.app.get<Repository<UserEntity>>(getRepositoryToken(UserEntity));
    // Simulate a fresh install inside this database: demote existing admins for the duration of the test.
    const admins = await repo.findBy({ role: 'admin' });
    await repo
      .update(
        admins.map((a) => a.id),
        { role: 'user' },
      )
      .catch(() => undefined);
    try {
      const email = `boot-${randomUUID()}@medium.test`;
      const boot = await startTestApp({ ADMIN_EMAIL: email });
      try {
        const service = boot.app.get(AdminBootstrapService);
        await Promise.all([service.ensureAdmin(), service.ensureAdmin(), service.ensureAdmin()]);
        const created = await repo.findBy({ role: 'admin' });
        expect(created.map((u) => u.email)).toEqual([email]);
        const file = join(boot.config.dataDir, ADMIN_PASSWORD_FILE);
        expect(statSync(file).mode & 0o777).toBe(0o600);
        expect(readFileSync(file, 'utf8')).toContain(email);
        await repo.delete({ id: created[0]!.id });
      } finally {
        await boot.close();
      }
    } finally {
      if (admins.length > 0) {
        await repo.update(
          admins.map((a) => a.id),
          { role: 'admin' },
        );
      }
    }
  });

  it('keeps one active admin when the last two demote or disable each other at the same moment', async () => {
    const repo = t.app.get<Repository<UserEntity>>(getRepositoryToken(UserEntity));
    const usersService = t.app.get(UsersService);
    const others = await repo.findBy({ role: 'admin', isActive: true });
    if (others.length > 0) {
      await repo.update(
        others.map((a) => a.id),
        { role: 'user' },
      );
    }
    const meta = { ip: '127.0.0.1', requestId: 'medium', userAgent: null };
    const made: string[] = [];
    try {
      for (const change of [{ role: 'user' as const }, { isActive: false }]) {
        const [x, y] = await Promise.all(
          ['x', 'y'].map(async (tag) => {
            const user = await t.app.get(UsersRepository).create({
              email: `admin-${tag}-${randomUUID()}@medium.test`,
              nickname: `adm${tag}${randomUUID().slice(0, 8)}`,
              passwordHash: 'x',
              role: 'admin',
            });
            made.push(user.id);
            return user;
          }),
        );
        const outcomes = await Promise.allSettled([
          usersService.adminUpdate(x!.id, y!.id, change, meta),
          usersService.adminUpdate(y!.id, x!.id, change, meta),
        ]);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
        expect(refused.reason).toMatchObject({ code: 'LAST_ADMIN', statusCode: 409 });
        expect(await repo.countBy({ role: 'admin', isActive: true })).toBe(1);
        await repo.update({ id: x!.id }, { role: 'user', isActive: false });
        await repo.update({ id: y!.id }, { role: 'user', isActive: false });
      }
    } finally {
      if (made.length > 0) await repo.delete(made);
      if (others.length > 0) {
        await repo.update(
          others.map((a) => a.id),
          { role: 'admin' },
        );
      }
    }
  });
});
