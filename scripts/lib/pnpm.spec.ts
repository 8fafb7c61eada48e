import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dependenciesUpToDate, parsePackageManager, pnpmEnv, readPnpmVersion } from './pnpm.mjs';

describe('parsePackageManager', () => {
  it('reads the pnpm version, with or without an integrity hash', () => {
    expect(parsePackageManager('pnpm@10.34.9')).toBe('10.34.9');
    expect(parsePackageManager('pnpm@10.34.9+sha512.abcdef')).toBe('10.34.9');
  });

  it('rejects other package managers and missing fields', () => {
    expect(() => parsePackageManager('yarn@4.1.0')).toThrow(/pnpm@<version>/);
    expect(() => parsePackageManager(undefined)).toThrow(/packageManager/);
  });
});

it('reads the version pinned by this repository', () => {
  expect(readPnpmVersion(join(__dirname, '..', '..'))).toMatch(/^\d+\.\d+\.\d+$/);
});

describe('dependenciesUpToDate', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function workspace() {
    const dir = mkdtempSync(join(tmpdir(), 'modelyard-pnpm-spec-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'pnpm-lock.yaml'), 'lockfileVersion: 9.0\n');
    return dir;
  }

  it('is false before the first install', () => {
    expect(dependenciesUpToDate(workspace())).toBe(false);
  });

  it('is true after an install and false again once the lockfile changes', () => {
    const dir = workspace();
    mkdirSync(join(dir, 'node_modules'));
    writeFileSync(join(dir, 'node_modules', '.modules.yaml'), '');
    utimesSync(join(dir, 'pnpm-lock.yaml'), new Date(1_000_000), new Date(1_000_000));
    expect(dependenciesUpToDate(dir)).toBe(true);
    utimesSync(join(dir, 'pnpm-lock.yaml'), new Date(), new Date(Date.now() + 10_000));
    expect(dependenciesUpToDate(dir)).toBe(false);
  });
});

describe('pnpmEnv', () => {
  it('puts our pnpm first on PATH and never lets Playwright download a browser', () => {
    const env = pnpmEnv(
      {
        command: '/x/.tools/node_modules/.bin/pnpm',
        prefixArgs: [],
        version: '10.0.0',
        binDir: '/x/.tools/node_modules/.bin',
      },
      { PATH: '/usr/bin' },
    );
    expect(env.PATH).toBe('/x/.tools/node_modules/.bin:/usr/bin');
    expect(env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD).toBe('1');
  });
});
