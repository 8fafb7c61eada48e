import { describe, expect, it } from 'vitest';
import { compareVersions } from './node-version.mjs';
import { SUITES, formatResult, parseTestArgs, planTests, skipReason } from './test-plan.mjs';

describe('parseTestArgs', () => {
  it('accepts --only with a comma-separated list, in either spelling', () => {
    expect(parseTestArgs(['--only', 'lint,unit']).only).toEqual(['lint', 'unit']);
    expect(parseTestArgs(['--only=medium', '--skip-install']).only).toEqual(['medium']);
    expect(parseTestArgs(['--skip-install']).skipInstall).toBe(true);
  });

  it('rejects unknown suites and options with the list of known suites', () => {
    expect(() => parseTestArgs(['--only', 'lint,e2e'])).toThrow(/Unknown suite\(s\): e2e. Known: lint/);
    expect(() => parseTestArgs(['--fast'])).toThrow(/Unknown option: --fast/);
    expect(() => parseTestArgs(['--only'])).toThrow(/comma-separated/);
  });
});

describe('planTests', () => {
  it('runs every suite, with PostgreSQL, Redis, the app and Chromium, by default', () => {
    const plan = planTests({ only: null, skipBuild: false });
    expect(plan.suites).toEqual(SUITES.filter((suite) => suite !== 'build'));
    expect(plan).toMatchObject({ build: true, services: true, app: true });
    expect(plan.systemPackages.map((p) => p.aptPackage)).toEqual([
      'postgresql',
      'redis-server',
      'chromium',
      'fonts-noto-cjk',
    ]);
    expect(plan.systemPackages.find((p) => p.aptPackage === 'fonts-noto-cjk')?.optional).toBe(true);
  });

  it('needs no services, build or system packages for lint alone', () => {
    expect(planTests({ only: ['lint'], skipBuild: false })).toEqual({
      suites: ['lint'],
      build: false,
      services: false,
      app: false,
      systemPackages: [],
    });
  });

  it('builds first for medium (it migrates with the built CLI) unless told not to', () => {
    expect(planTests({ only: ['medium'], skipBuild: false })).toMatchObject({
      build: true,
      services: true,
      app: false,
    });
    expect(planTests({ only: ['medium'], skipBuild: true }).build).toBe(false);
  });
});

describe('skipReason', () => {
  it('does not let a lint failure stop the tests', () => {
    expect(skipReason('unit', { lint: 'failed', typecheck: 'failed' })).toBeNull();
    expect(skipReason('e2e-http', { lint: 'failed', build: 'passed', services: 'passed', app: 'passed' })).toBeNull();
  });

  it('skips everything that runs the built app when the build failed', () => {
    for (const suite of ['services', 'medium', 'app', 'e2e-http', 'e2e-browser']) {
      expect(skipReason(suite, { build: 'failed' })).toBe('build failed');
    }
    expect(skipReason('unit', { build: 'failed' })).toBeNull();
  });

  it('skips e2e when the app did not start, and medium when the services did not', () => {
    expect(skipReason('e2e-browser', { build: 'passed', services: 'passed', app: 'failed' })).toBe(
      'the app did not start',
    );
    expect(skipReason('medium', { build: 'passed', services: 'failed' })).toMatch(/did not start/);
  });
});

describe('formatResult', () => {
  it('prints one line per step with its duration', () => {
    expect(formatResult({ name: 'lint', status: 'passed', ms: 12_345 })).toBe('✔ lint 12.3s');
    expect(formatResult({ name: 'e2e-http', status: 'failed', ms: 40_100 })).toBe('✘ e2e-http 40.1s (see above)');
    expect(formatResult({ name: 'e2e-browser', status: 'skipped', ms: 0, note: 'build failed' })).toBe(
      '- e2e-browser skipped (build failed)',
    );
  });
});

describe('compareVersions', () => {
  it('compares numerically, so 20.9 is older than 20.19', () => {
    expect(compareVersions('20.9.0', '20.19.0')).toBeLessThan(0);
    expect(compareVersions('v22.1.0', '20.19.0')).toBeGreaterThan(0);
    expect(compareVersions('20.19.0', '20.19')).toBe(0);
  });
});
