import { describe, expect, it } from 'vitest';
import { toTitle } from './session-title';

describe('toTitle', () => {
  it('keeps at most six words of a Latin-script title and drops quotes and final punctuation', () => {
    expect(toTitle('"Planning a Trip to Kyoto in Autumn With Friends."')).toBe('Planning a Trip to Kyoto in');
    expect(toTitle('Title: Sorting Algorithms Compared')).toBe('Sorting Algorithms Compared');
  });

  it('keeps at most ten characters of a Chinese title', () => {
    expect(toTitle('《如何在周末学习机器学习的基础知识》')).toBe('如何在周末学习机器学');
    expect(toTitle('标题：快速排序算法')).toBe('快速排序算法');
  });

  it('uses the first non-empty line and ignores stray reasoning tags and markdown', () => {
    expect(toTitle('<think>\n</think>\n\n## **Rust Ownership Basics**\nmore text')).toBe('Rust Ownership Basics');
    expect(toTitle('   \n  ')).toBe('');
  });
});
