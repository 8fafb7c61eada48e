import { describe, expect, it } from 'vitest';
import { freeName, withSuffix } from './names';

describe('withSuffix and freeName', () => {
  it('shortens the name, never the suffix, so every numbered copy of a long name differs', () => {
    const long = 'n'.repeat(64);
    const copies = [2, 3, 4].map((n) => withSuffix(long, ` (copy ${n})`, 64));
    expect(new Set(copies).size).toBe(3);
    for (const copy of copies) expect(copy.length).toBe(64);
    expect(withSuffix('short', ' (copy)', 64)).toBe('short (copy)');
  });

  it('counts characters, so an emoji at the cut stays whole', () => {
    const named = withSuffix(`${'a'.repeat(56)}😀😀`, ' (copy)', 64);
    expect(named).toBe(`${'a'.repeat(56)}😀 (copy)`);
    expect(() => encodeURIComponent(named)).not.toThrow();
  });

  it('finds the first free name within the limit, case-insensitively', () => {
    expect(freeName('Mail', new Set(['mail', 'mail (2)']), 100)).toBe('Mail (3)');
    const long = 'x'.repeat(10);
    expect(freeName(long, new Set([long, 'xxxxxx (2)']), 10)).toBe('xxxxxx (3)');
  });
});
