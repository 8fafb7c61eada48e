import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;

/** A short, stable id for a key so a ciphertext names the key that sealed it without revealing anything. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('modelyard-key-id:').update(key).digest('hex').slice(0, 12);
}

export interface Sealed {
  keyId: string;
  /** `<keyId>:<iv b64>:<tag b64>:<ciphertext b64>` */
  envelope: string;
}

/**
 * AES-256-GCM for secrets at rest (provider API keys). Every envelope records the id of the key that sealed it,
 * so the master key can be rotated: the new key seals, retired keys (ENCRYPTION_KEYS_PREVIOUS) still open, and
 * rows are re-sealed under the current key.
 */
@Injectable()
export class SecretBox {
  private readonly current: { id: string; key: Buffer };
  private readonly keys = new Map<string, Buffer>();

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.current = { id: keyIdOf(config.encryptionKey), key: config.encryptionKey };
    this.keys.set(this.current.id, config.encryptionKey);
    for (const old of config.previousEncryptionKeys) this.keys.set(keyIdOf(old), old);
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  seal(plaintext: string): Sealed {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.current.key, iv);
    // The key id is authenticated too, so an envelope cannot be relabelled to another key.
    cipher.setAAD(Buffer.from(this.current.id));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    const envelope = [
      this.current.id,
      iv.toString('base64'),
      tag.toString('base64'),
      ciphertext.toString('base64'),
    ].join(':');
    return { keyId: this.current.id, envelope };
  }

  open(envelope: string): string {
    const [keyId, iv, tag, ciphertext] = envelope.split(':');
    if (!keyId || !iv || !tag || ciphertext === undefined) throw new Error('malformed secret envelope');
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`secret sealed with unknown key ${keyId}; add it to ENCRYPTION_KEYS_PREVIOUS`);
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(keyId));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
  }
}
