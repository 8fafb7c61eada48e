import { describe, expect, it } from 'vitest';
import { countTokens } from 'gpt-tokenizer/encoding/cl100k_base';
import { estimateUsage } from './token-estimate';

describe('estimateUsage', () => {
  it('counts prompt messages with per-message overhead and the generated text', async () => {
    const usage = await estimateUsage(
      [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'Hello world' },
      ],
      'Hello! How can I help you today?',
    );

    // cl100k: "You are a helpful assistant." = 6, "Hello world" = 2, the reply = 9; +4 per message, +3 priming.
    expect(usage).toEqual({ promptTokens: 6 + 2 + 2 * 4 + 3, completionTokens: 9 });
  });

  it('counts special-token text as text instead of failing', async () => {
    const usage = await estimateUsage([{ role: 'user', content: 'what is <|endoftext|>?' }], '<|im_end|>');
    expect(usage.promptTokens).toBeGreaterThan(7);
    expect(usage.completionTokens).toBeGreaterThan(1);
  });

  it('counts long text in slices: about what the whole counts, and other work runs meanwhile', async () => {
    const prose = 'The quick brown fox jumps over the lazy dog, again and again. '.repeat(2_000);
    const sliced = await estimateUsage([], prose);
    // The tokenizer's own count of the whole text (ordinary prose is quick to count at once).
    const exact = countTokens(prose);
    expect(sliced.completionTokens).toBeGreaterThanOrEqual(exact);
    expect(sliced.completionTokens).toBeLessThan(exact * 1.02);

    // A model stuck repeating one character (no spaces: one BPE piece) must not hold the process: a timer set
    // before the estimate fires while it runs.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const stuck = await estimateUsage([{ role: 'user', content: '中'.repeat(40_000) }], '。'.repeat(40_000));
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    expect(stuck.promptTokens).toBeGreaterThan(10_000);
    expect(stuck.completionTokens).toBeGreaterThan(10_000);
  });

  it('extrapolates beyond a million characters', async () => {
    const usage = await estimateUsage([], 'word '.repeat(400_000));
    expect(usage.completionTokens).toBeGreaterThan(380_000);
    expect(usage.completionTokens).toBeLessThan(420_000);
  });
});
