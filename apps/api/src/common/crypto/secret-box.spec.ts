import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../config/app-config';
import { SecretBox, keyIdOf } from './secret-box';

const configWith = (encryptionKey: Buffer, previousEncryptionKeys: Buffer[] = []) =>
  ({ encryptionKey, previousEncryptionKeys }) as unknown as AppConfig;

describe('SecretBox', () => {
  const key = randomBytes(32);

  it('round-trips and never stores the plaintext', () => {
    const box = new SecretBox(configWith(key));
    const sealed = box.seal('sk-very-secret-key');
    expect(sealed.envelope).not.toContain('sk-very-secret-key');
    expect(sealed.keyId).toBe(keyIdOf(key));
    expect(box.open(sealed.envelope)).toBe('sk-very-secret-key');
  });

  it('uses a fresh IV every time', () => {
    const box = new SecretBox(configWith(key));
    expect(box.seal('same').envelope).not.toBe(box.seal('same').envelope);
  });

  it('detects tampering with the ciphertext or the key id', () => {
    const box = new SecretBox(configWith(key));
    const [id, iv, tag, ct] = box.seal('secret').envelope.split(':') as [string, string, string, string];
    const flipped = Buffer.from(ct, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => box.open([id, iv, tag, flipped.toString('base64')].join(':'))).toThrow();
    expect(() => box.open(['000000000000', iv, tag, ct].join(':'))).toThrow(/unknown key/);
    expect(() => box.open('garbage')).toThrow(/malformed/);
  });

  it('opens secrets sealed under a retired key and reports them for re-sealing', () => {
    const oldKey = randomBytes(32);
    const sealedOld = new SecretBox(configWith(oldKey)).seal('rotated');
    const rotated = new SecretBox(configWith(key, [oldKey]));
    expect(rotated.open(sealedOld.envelope)).toBe('rotated');
    // The start-up re-seal finds rows by this difference (providers.secrets_key_id <> the current key id).
    expect(sealedOld.keyId).not.toBe(rotated.currentKeyId);
    expect(rotated.seal('x').keyId).toBe(rotated.currentKeyId);
    expect(() => new SecretBox(configWith(key)).open(sealedOld.envelope)).toThrow(/ENCRYPTION_KEYS_PREVIOUS/);
  });
});
