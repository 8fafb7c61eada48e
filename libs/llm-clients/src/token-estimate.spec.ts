import { describe, expect, it } from 'vitest';
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
});
