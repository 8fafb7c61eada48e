import { describe, expect, it } from 'vitest';
import { makeUser } from '@/test-utils/fake-api';
import { AVATAR_MAX_BYTES, checkAvatarFile, profileChanges } from './profile-forms';

describe('checkAvatarFile', () => {
  it('accepts png, jpeg and webp up to 2 MB', () => {
    for (const type of ['image/png', 'image/jpeg', 'image/webp']) {
      expect(checkAvatarFile({ type, size: AVATAR_MAX_BYTES })).toBeNull();
    }
  });

  it('refuses other types and larger files', () => {
    expect(checkAvatarFile({ type: 'image/gif', size: 10 })).toBe('invalidType');
    expect(checkAvatarFile({ type: 'image/svg+xml', size: 10 })).toBe('invalidType');
    expect(checkAvatarFile({ type: 'image/png', size: AVATAR_MAX_BYTES + 1 })).toBe('tooLarge');
  });

  it('works on real File objects', () => {
    const file = new File([new Uint8Array(3 * 1024 * 1024)], 'big.png', { type: 'image/png' });
    expect(checkAvatarFile(file)).toBe('tooLarge');
  });
});

describe('profileChanges', () => {
  const user = makeUser({ nickname: 'Ada', email: 'ada@example.com' });

  it('sends only what changed, normalised like the server does', () => {
    expect(profileChanges(user, { nickname: ' Ada ', email: 'ADA@example.com' })).toEqual({});
    expect(profileChanges(user, { nickname: 'Ada L.', email: 'ada@example.com' })).toEqual({ nickname: 'Ada L.' });
    expect(profileChanges(user, { nickname: 'Ada', email: 'Lovelace@Example.com ' })).toEqual({
      email: 'lovelace@example.com',
    });
  });
});
