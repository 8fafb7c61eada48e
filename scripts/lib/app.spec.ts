import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_API_HEAP_MB, MIGRATE_ENTRY, apiNodeOptions, assertBuilt, describeExit, healthUrl } from './app.mjs';

describe('healthUrl', () => {
  it('polls loopback when the API listens on every interface', () => {
    expect(healthUrl('0.0.0.0', 8080)).toBe('http://127.0.0.1:8080/api/health');
    expect(healthUrl(undefined, 8080)).toBe('http://127.0.0.1:8080/api/health');
    expect(healthUrl('::', 9000)).toBe('http://127.0.0.1:9000/api/health');
  });

  it('polls the API’s own address otherwise, bracketing IPv6', () => {
    expect(healthUrl('10.0.0.5', 8080)).toBe('http://10.0.0.5:8080/api/health');
    expect(healthUrl('::1', 8080)).toBe('http://[::1]:8080/api/health');
  });
});

describe('assertBuilt', () => {
  it('explains which source the build should have compiled when an entry point is missing', () => {
    const root = mkdtempSync(join(tmpdir(), 'modelyard-app-spec-'));
    try {
      expect(() => assertBuilt(root, MIGRATE_ENTRY)).toThrow(
        /apps\/api\/dist\/cli\/migrate\.js does not exist\. "pnpm build" must compile it from apps\/api\/src\/cli\/migrate\.ts/,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('describeExit', () => {
  it('says how a process ended', () => {
    expect(describeExit({ code: 3, signal: null })).toBe('exit code 3');
    expect(describeExit({ code: null, signal: 'SIGKILL' })).toBe('killed by SIGKILL');
    expect(describeExit({ code: null, signal: null, error: new Error('spawn node ENOENT') })).toBe('spawn node ENOENT');
  });
});

describe('apiNodeOptions', () => {
  it('caps the API heap by default, at API_HEAP_MB when given, not at all with 0', () => {
    expect(apiNodeOptions({})).toEqual([`--max-old-space-size=${DEFAULT_API_HEAP_MB}`]);
    expect(apiNodeOptions({ API_HEAP_MB: ' 1024 ' })).toEqual(['--max-old-space-size=1024']);
    expect(apiNodeOptions({ API_HEAP_MB: '0' })).toEqual([]);
  });

  it('names the variable when its value is unusable', () => {
    for (const value of ['lots', '64', '512.5', '-1']) {
      expect(() => apiNodeOptions({ API_HEAP_MB: value })).toThrow(/API_HEAP_MB/);
    }
  });
});
