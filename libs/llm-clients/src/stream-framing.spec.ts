import { describe, expect, it } from 'vitest';
import { readNdjsonLines } from './ndjson-lines';
import { readSseFrames } from './sse-frames';
import { ANTHROPIC_THINKING_SSE, OLLAMA_THINKING_NDJSON, OPENROUTER_REASONING_SSE } from './testing/recorded-frames';
import { collect, piecesOf } from './testing/stub-upstream';

// Every split, from one byte at a time to whole frames: a 1-byte piece cuts every multi-byte character.
const SPLITS: [string, number[]][] = [
  ['one byte at a time', [1]],
  ['odd sizes', [3, 1, 7, 2, 13, 5]],
  ['large pieces', [4096]],
];

describe('SSE framing', () => {
  it.each(SPLITS)('yields the same frames when split %s', async (_label, sizes) => {
    const whole = await collect(readSseFrames(piecesOf(ANTHROPIC_THINKING_SSE, [1_000_000])));
    const split = await collect(readSseFrames(piecesOf(ANTHROPIC_THINKING_SSE, sizes)));

    expect(split).toEqual(whole);
    expect(whole).toHaveLength(15);
    expect(whole[0]?.event).toBe('message_start');
    expect(JSON.stringify(split)).toContain('“sure”');
  });

  it('handles CRLF line ends and comments', async () => {
    const frames = await collect(readSseFrames(piecesOf(OPENROUTER_REASONING_SSE, [1])));

    expect(frames.map((frame) => frame.data.slice(0, 8))).toEqual([
      '{"id":"g',
      '{"id":"g',
      '{"id":"g',
      '{"id":"g',
      '{"id":"g',
      '{"id":"g',
      '[DONE]',
    ]);
  });

  it('delivers a last frame that lacks its blank line', async () => {
    const frames = await collect(readSseFrames(piecesOf('data: {"a":1}\n\ndata: [DONE]', [2])));
    expect(frames.map((frame) => frame.data)).toEqual(['{"a":1}', '[DONE]']);
  });
});

describe('NDJSON framing', () => {
  it.each(SPLITS)('yields whole lines when split %s', async (_label, sizes) => {
    const lines = await collect(readNdjsonLines(piecesOf(OLLAMA_THINKING_NDJSON, sizes)));

    expect(lines).toEqual(OLLAMA_THINKING_NDJSON.split('\n').filter(Boolean));
    expect(lines.map((line) => JSON.parse(line) as unknown)).toHaveLength(5);
  });

  it('skips blank lines, tolerates CRLF and keeps a final line without newline', async () => {
    const lines = await collect(readNdjsonLines(piecesOf('{"a":1}\r\n\r\n{"b":"é"}\n{"done":true}', [1])));
    expect(lines).toEqual(['{"a":1}', '{"b":"é"}', '{"done":true}']);
  });
});
