import { describe, expect, it } from 'vitest';
import { fileSafeName } from './download';

describe('fileSafeName', () => {
  it('replaces what file systems refuse and falls back when nothing is left', () => {
    expect(fileSafeName('a/b:c*?"<>|d', 60, 'x')).toBe('a_b_c_d');
    expect(fileSafeName('  ///  ', 60, 'batch')).toBe('_');
    expect(fileSafeName('   ', 60, 'batch')).toBe('batch');
  });

  it('cuts by characters, never through an emoji, so the name can always go into a header', () => {
    const name = fileSafeName(`${'a'.repeat(59)}😀tail`, 60, 'x');
    expect(name).toBe(`${'a'.repeat(59)}😀`);
    expect(() => encodeURIComponent(name)).not.toThrow();
    const lone = fileSafeName('half \ud83d of an emoji', 60, 'x');
    expect(() => encodeURIComponent(lone)).not.toThrow();
    expect(lone).toBe('half _ of an emoji');
  });
});
