import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppConfig } from './app-config';
import { ConfigError, parseEnv } from './config.schema';

const valid = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db', REDIS_URL: 'redis://127.0.0.1:6379' };

describe('parseEnv', () => {
  it('applies the documented defaults', () => {
    const env = parseEnv(valid);
    expect(env.PORT).toBe(8080);
    expect(env.DATA_DIR).toBe('./.data');
    expect(env.ACCESS_TOKEN_TTL_SECONDS).toBe(900);
    expect(env.BCRYPT_COST).toBe(12);
    expect(env.REGISTRATION_OPEN).toBe(true);
  });

  it('names every bad variable in one message', () => {
    const attempt = () => parseEnv({ DATABASE_URL: 'mysql://x', PORT: 'eighty', REDIS_URL: 'redis://ok' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).toMatch(/DATABASE_URL/);
      expect((error as Error).message).toMatch(/PORT/);
      expect((error as Error).message).not.toMatch(/REDIS_URL/);
    }
  });

  it('treats empty strings as unset', () => {
    expect(parseEnv({ ...valid, PORT: '', ADMIN_PASSWORD: '' }).PORT).toBe(8080);
  });
});

describe('AppConfig secrets', () => {
  it('generates JWT and encryption secrets once into DATA_DIR, owner-only, and reuses them', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'modelyard-config-'));
    const first = new AppConfig(parseEnv({ ...valid, DATA_DIR: dataDir }));
    const second = new AppConfig(parseEnv({ ...valid, DATA_DIR: dataDir }));
    expect(first.jwtSecret).toHaveLength(96);
    expect(second.jwtSecret).toBe(first.jwtSecret);
    expect(first.encryptionKey).toHaveLength(32);
    expect(second.encryptionKey.equals(first.encryptionKey)).toBe(true);
    const file = join(dataDir, 'secrets', 'jwt-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(first.jwtSecret);
  });

  it('prefers secrets given in the environment', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'modelyard-config-'));
    const config = new AppConfig(parseEnv({ ...valid, DATA_DIR: dataDir, JWT_SECRET: 'x'.repeat(40) }));
    expect(config.jwtSecret).toBe('x'.repeat(40));
  });
});
