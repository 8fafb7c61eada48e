import { describe, expect, it } from 'vitest';
import { drainChat } from './drain-chat';
import { LlmError, type LlmStreamEvent } from './types';

async function* stream(events: LlmStreamEvent[]): AsyncGenerator<LlmStreamEvent> {
  yield* events;
}

describe('drainChat', () => {
  it('collects deltas, applies reclassify and keeps usage and finish reason', async () => {
    const drained = await drainChat(
      stream([
        { type: 'content', text: 'Let me think' },
        { type: 'reclassify', reasoning: 'Let me think', content: '' },
        { type: 'content', text: 'Answer: ' },
        { type: 'content', text: '42' },
        { type: 'usage', promptTokens: 5, completionTokens: 7, estimated: true },
        { type: 'done', finishReason: 'stop' },
      ]),
    );

    expect(drained).toEqual({
      result: {
        reasoning: 'Let me think',
        content: 'Answer: 42',
        usage: { promptTokens: 5, completionTokens: 7 },
        finishReason: 'stop',
      },
      usageEstimated: true,
    });
  });

  it('keeps what arrived before an error and returns the error', async () => {
    const drained = await drainChat(
      stream([
        { type: 'reasoning', text: 'Hmm' },
        { type: 'error', kind: 'rate_limit', message: 'slow down', status: 429, retryAfterMs: 2_000 },
      ]),
    );

    expect(drained.result).toEqual({ reasoning: 'Hmm', content: '', finishReason: 'error' });
    expect(drained.error).toBeInstanceOf(LlmError);
    expect(drained.error).toMatchObject({ kind: 'rate_limit', message: 'slow down', status: 429, retryAfterMs: 2_000 });
  });
});
