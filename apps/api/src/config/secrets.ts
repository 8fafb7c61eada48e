import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Returns the secret stored at DATA_DIR/secrets/<name>, creating it on first use.
 * Creation uses O_EXCL so an API and a worker starting together agree on one value.
 */
export function loadOrCreateSecret(dataDir: string, name: string, generate: () => string): string {
  const dir = join(dataDir, 'secrets');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, name);
  try {
    writeFileSync(file, generate(), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const value = readFileSync(file, 'utf8').trim();
  if (!value) throw new Error(`secret file ${file} is empty; delete it to regenerate`);
  return value;
}

export const generateHexSecret = (bytes: number) => () => randomBytes(bytes).toString('hex');
