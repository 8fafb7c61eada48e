// Secrets generated once per data directory and reused on every later run.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Returns the secret stored in `file`, generating it (hex, URL- and config-file-safe) on first use.
 * The directory is created mode 700 and the file mode 600, owned by whoever runs this.
 * @param {string} file
 * @param {{ bytes?: number }} [options]
 * @returns {string}
 */
export function readOrCreateSecret(file, { bytes = 32 } = {}) {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const existing = readSecret(file);
  if (existing) return existing;
  const secret = randomBytes(bytes).toString('hex');
  try {
    // 'wx': if a concurrent run created it first, theirs wins and we read it back.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    return secret;
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
    const theirs = readSecret(file);
    if (!theirs) throw new Error(`${file} exists but is empty; delete it to generate a new secret`);
    return theirs;
  }
}

/** @param {string} file */
function readSecret(file) {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') return '';
    throw error;
  }
}
