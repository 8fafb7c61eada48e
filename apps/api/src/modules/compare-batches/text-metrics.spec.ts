import { describe, expect, it } from 'vitest';
import { bleu, rougeL, tokenize } from './text-metrics';

describe('tokenize', () => {
  it('splits words, drops punctuation, and makes every CJK character a token', () => {
    expect(tokenize('Hello, World! 42')).toEqual(['hello', 'world', '42']);
    expect(tokenize('北京是中国的首都。')).toEqual(['北', '京', '是', '中', '国', '的', '首', '都']);
  });
});

describe('bleu', () => {
  it('is 1 for an identical answer and 0 for one sharing no word', () => {
    expect(bleu('the cat sat on the mat', 'the cat sat on the mat')).toBeCloseTo(1, 10);
    expect(bleu('dogs bark loudly', 'the cat sat on the mat')).toBe(0);
  });

  it('rewards overlap and penalises answers shorter than the reference', () => {
    const close = bleu('the cat sat on a mat', 'the cat sat on the mat');
    const far = bleu('a cat was somewhere', 'the cat sat on the mat');
    expect(close).toBeGreaterThan(far);
    expect(close).toBeLessThan(1);
    expect(bleu('the cat', 'the cat sat on the mat')).toBeLessThan(
      bleu('the cat sat on the', 'the cat sat on the mat'),
    );
  });

  it('scores Chinese answers by characters', () => {
    expect(bleu('北京是中国的首都', '中国的首都是北京')).toBeGreaterThan(0.2);
    expect(bleu('北京是中国的首都', '北京是中国的首都')).toBeCloseTo(1, 10);
  });
});

describe('rougeL', () => {
  it('is the F1 of the longest common subsequence', () => {
    // LCS of "the cat sat on the mat" and "the cat on the mat" is 5 tokens: P = 5/5, R = 5/6.
    expect(rougeL('the cat on the mat', 'the cat sat on the mat')).toBeCloseTo((2 * 1 * (5 / 6)) / (1 + 5 / 6), 10);
    expect(rougeL('x y z', 'a b c')).toBe(0);
    expect(rougeL('', 'a')).toBe(0);
  });
});
