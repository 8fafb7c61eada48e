import { describe, expect, it } from 'vitest';
import { formatCount, formatRate, messageMetrics } from './message-meta';

describe('message metrics', () => {
  it('gives no speed for an answer that arrived in one burst', () => {
    // The reviewer's case: "48 tokens · first token 10 ms · 11 ms total · 48,000 tokens/s".
    const burst = messageMetrics({ usage: { promptTokens: 9, completionTokens: 48 }, ttftMs: 10, totalMs: 11 });
    expect(burst).toMatchObject({ completionTokens: 48, ttftMs: 10, totalMs: 11, tokensPerSecond: null });
    // A long wait for a buffered answer is still a burst: the window after the first token is what counts.
    expect(
      messageMetrics({ usage: { promptTokens: 9, completionTokens: 400 }, ttftMs: 5000, totalMs: 5040 })
        .tokensPerSecond,
    ).toBeNull();
  });

  it('gives no speed for fewer than two tokens, and one from a window of 50 ms up', () => {
    expect(
      messageMetrics({ usage: { promptTokens: 9, completionTokens: 1 }, ttftMs: 100, totalMs: 2100 }).tokensPerSecond,
    ).toBeNull();
    expect(
      messageMetrics({ usage: { promptTokens: 9, completionTokens: 20 }, ttftMs: 100, totalMs: 149 }).tokensPerSecond,
    ).toBeNull();
    expect(
      messageMetrics({ usage: { promptTokens: 9, completionTokens: 20 }, ttftMs: 100, totalMs: 150 }).tokensPerSecond,
    ).toBe(400);
  });

  it('shows a failed answer by its tokens only, so that it reads the same live and after a reload', () => {
    // Live: the `error` event has no times. Reloaded: the stored message has them.
    const live = messageMetrics({ status: 'error', usage: { promptTokens: 9, completionTokens: 30 } });
    const reloaded = messageMetrics({
      status: 'error',
      usage: { promptTokens: 9, completionTokens: 30 },
      ttftMs: 400,
      totalMs: 2400,
    });
    expect(reloaded).toEqual(live);
    expect(live).toEqual({
      promptTokens: 9,
      completionTokens: 30,
      ttftMs: null,
      totalMs: null,
      tokensPerSecond: null,
      estimated: false,
    });
  });

  it('formats large numbers with the thousands separators of the language', () => {
    expect(formatCount(12_345, 'en')).toBe('12,345');
    expect(formatCount(12_345, 'zh-CN')).toBe('12,345');
    expect(formatCount(48, 'en')).toBe('48');
    expect(formatRate(1234.4, 'en')).toBe('1,234');
  });
});
