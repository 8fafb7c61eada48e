import { describe, expect, it } from 'vitest';
import { attachmentHeader, fileSafeName } from './download';

describe('fileSafeName', () => {
  it('replaces what file systems refuse and falls back when nothing is left', () => {
    expect(fileSafeName('a/b:c*?"<>|d', 60, 'x')).toBe('a_b_c_d');
    expect(fileSafeName('  ///  ', 60, 'batch')).toBe('_');
    expect(fileSafeName('   ', 60, 'batch')).toBe('batch');
  });

  it('drops bidirectional controls that would disguise the extension, keeping emoji joiners', () => {
    expect(fileSafeName('report\u202Efdp.exe', 60, 'chat')).toBe('report_fdp.exe');
    expect(fileSafeName('a\u2066b\u200Fc', 60, 'chat')).toBe('a_b_c');
    expect(fileSafeName('Family 👨‍👩‍👧', 60, 'chat')).toBe('Family 👨‍👩‍👧');
  });

  it('never names a hidden file (or ..)', () => {
    expect(fileSafeName('..', 60, 'chat')).toBe('chat');
    expect(fileSafeName('.env backup', 60, 'chat')).toBe('env backup');
    expect(fileSafeName('v1.2 notes', 60, 'chat')).toBe('v1.2 notes');
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

describe('attachmentHeader', () => {
  it('gives an ASCII filename for old clients and the exact one percent-encoded', () => {
    expect(attachmentHeader('量子 "notes".md')).toBe(
      `attachment; filename="__ _notes_.md"; filename*=UTF-8''%E9%87%8F%E5%AD%90%20%22notes%22.md`,
    );
  });
});
