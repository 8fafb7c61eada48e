import { describe, expect, it } from 'vitest';
import { contentByTemplate, learnContentTemplate } from './content-frame-template';
import { isRecord, type JsonRecord } from './json-fields';

/** A reader in the adapter's spirit: only a frame with nothing but `choices[0].delta.content` counts. */
function plainContentOf(frame: JsonRecord): string | undefined {
  const choice: unknown = Array.isArray(frame.choices) ? frame.choices[0] : undefined;
  if (!isRecord(choice) || choice.finish_reason != null || frame.usage != null) return undefined;
  const delta = choice.delta;
  return isRecord(delta) && typeof delta.content === 'string' ? delta.content : undefined;
}

const frame = (content: string, finish: string | null = null): string =>
  `{"id":"c1","created":1,"choices":[{"index":0,"delta":{"content":${content}},"finish_reason":${JSON.stringify(finish)}}],"usage":null}`;

/** What the template says, checked against what a full parse says whenever the template answers. */
function read(data: string, learnedFrom = frame('"hi"')): string | undefined {
  const template = learnContentTemplate(learnedFrom, plainContentOf);
  if (!template) throw new Error('no template learned');
  const fast = contentByTemplate(template, data);
  if (fast !== undefined) expect(fast).toBe(plainContentOf(JSON.parse(data) as JsonRecord));
  return fast;
}

describe('content frame template', () => {
  it('reads the content of frames sharing the envelope, escapes and all', () => {
    expect(read(frame('" world"'))).toBe(' world');
    expect(read(frame('""'))).toBe('');
    expect(read(frame('"a\\"b\\\\"'))).toBe('a"b\\');
    expect(read(frame('"\\u00e9\\n"'))).toBe('é\n');
    expect(read(frame('"\\"content\\":\\"x\\""'))).toBe('"content":"x"');
    expect(read(frame('"多字节 🙂"'))).toBe('多字节 🙂');
  });

  it('leaves anything but one string in the slot to the full parse', () => {
    expect(read(frame('null'))).toBeUndefined();
    expect(read(frame('12'))).toBeUndefined();
    expect(read(frame('"a","content":"b"'))).toBeUndefined();
    expect(read(frame('"a"},"x":{"y":"b"'))).toBeUndefined();
    expect(read(frame('"unterminated'))).toBeUndefined();
    expect(read('{"id":"c1"}')).toBeUndefined();
  });

  it('does not match a frame whose envelope differs anywhere', () => {
    expect(read(frame('"x"', 'stop'))).toBeUndefined();
    expect(read(frame('"x"').replace('"c1"', '"c2"'))).toBeUndefined();
    expect(read(`${frame('"x"')} `)).toBeUndefined();
  });

  it('learns nothing from frames where the slot is not the content that counts', () => {
    // A later duplicate key wins in JSON.parse: the first `content` is not the one read.
    const duplicate = '{"choices":[{"delta":{"content":"a","content":"a"}}]}';
    expect(learnContentTemplate(duplicate, plainContentOf)).toBeUndefined();
    // Two candidate slots: ambiguous.
    const twice = '{"choices":[{"delta":{"content":"a"}},{"delta":{"content":"a"}}]}';
    expect(learnContentTemplate(twice, plainContentOf)).toBeUndefined();
    // Content somewhere other than choices[0].delta.
    expect(learnContentTemplate('{"message":{"content":"a"},"choices":[]}', plainContentOf)).toBeUndefined();
    // A frame with another effect (finish reason) is no template for plain tokens.
    expect(learnContentTemplate(frame('"a"', 'stop'), plainContentOf)).toBeUndefined();
    expect(learnContentTemplate(frame('null'), plainContentOf)).toBeUndefined();
  });
});
