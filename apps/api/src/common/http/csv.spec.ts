import { describe, expect, it } from 'vitest';
import { spreadsheetCsv } from './csv';

describe('spreadsheetCsv', () => {
  it('turns text that would start a formula into plain text, and leaves the rest alone', () => {
    const csv = spreadsheetCsv(
      [
        ['=HYPERLINK("http://evil.example","click")', 1],
        ['+1+1', -2],
        ['-cmd', 3.5],
        ['@SUM(A1)', ''],
        ['plain, with comma', 0],
      ],
      ['text', 'n'],
    );
    expect(csv.startsWith('\uFEFFtext,n\n')).toBe(true);
    const lines = csv.slice(1).trim().split('\n');
    expect(lines.slice(1)).toEqual([
      `"'=HYPERLINK(""http://evil.example"",""click"")",1`,
      "'+1+1,-2",
      "'-cmd,3.5",
      "'@SUM(A1),",
      '"plain, with comma",0',
    ]);
  });
});
