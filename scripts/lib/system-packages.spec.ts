import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MissingSystemPackagesError,
  findExecutable,
  findUntraversableAncestors,
  sortPostgresBinDirs,
} from './system-packages.mjs';

describe('sortPostgresBinDirs', () => {
  it('prefers the highest major version, comparing numerically', () => {
    expect(
      sortPostgresBinDirs(['/usr/lib/postgresql/9.6/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin']),
    ).toEqual(['/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/9.6/bin']);
  });

  it('puts directories without a version (pg_config --bindir elsewhere) last and drops duplicates', () => {
    expect(sortPostgresBinDirs(['/opt/pg/bin', '/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/15/bin'])).toEqual([
      '/usr/lib/postgresql/15/bin',
      '/opt/pg/bin',
    ]);
  });
});

describe('findExecutable', () => {
  it('finds programs in sbin directories even when PATH does not list them', () => {
    expect(findExecutable('sh', { path: '' })).toMatch(/\/sh$/);
    expect(findExecutable('definitely-not-a-real-program', { path: '' })).toBeNull();
  });
});

describe('MissingSystemPackagesError', () => {
  it('tells the user the exact command to run', () => {
    const error = new MissingSystemPackagesError(['postgresql', 'redis-server']);
    expect(error.command).toBe('sudo apt-get install -y postgresql redis-server');
    expect(error.message).toContain('sudo apt-get install -y postgresql redis-server');
  });
});

describe('findUntraversableAncestors', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('names the directory an unprivileged user cannot enter on the way to the data', () => {
    const root = mkdtempSync(join(tmpdir(), 'modelyard-traverse-spec-'));
    dirs.push(root);
    const locked = join(root, 'locked');
    mkdirSync(join(locked, 'data', 'postgres'), { recursive: true });
    chmodSync(root, 0o755);
    chmodSync(locked, 0o700);
    // Owned by us, so for another uid/gid only the "other" bits count.
    const stranger = { uid: 4_000_000, gid: 4_000_000 };
    expect(findUntraversableAncestors(join(locked, 'data', 'postgres'), stranger)).toEqual([locked]);
    chmodSync(locked, 0o711);
    expect(findUntraversableAncestors(join(locked, 'data', 'postgres'), stranger)).toEqual([]);
  });
});
