import type { CompareAnswer } from '@modelyard/contracts';
import { describe, expect, it } from 'vitest';
import { createColumnTracker, parseColumnFrame } from '@/api/compare';
import type { ServerEvent } from '@/api/sse';
import {
  answerFromServer,
  answerMetrics,
  roughTokenCount,
  applyColumnEvent,
  type ColumnAnswer,
  fastestColumn,
  formatCost,
  formatMetrics,
  reattachedAnswer,
  streamingAnswer,
} from './compare-columns';
import { keptSelection } from './compare-selection';

const frame = (id: number, event: string, data: unknown): ServerEvent => ({ id, event, data: JSON.stringify(data) });

function feed(frames: ServerEvent[], now = 1000): (ColumnAnswer | null)[] {
  let answers: (ColumnAnswer | null)[] = [streamingAnswer(0), streamingAnswer(0), streamingAnswer(0)];
  for (const f of frames) {
    const parsed = parseColumnFrame(f);
    if (parsed) answers = applyColumnEvent(answers, parsed, now);
  }
  return answers;
}

function serverAnswer(overrides: Partial<CompareAnswer> = {}): CompareAnswer {
  return {
    messageId: '10000000-0000-4000-8000-000000000001',
    generationId: null,
    content: 'Hi',
    reasoning: null,
    status: 'complete',
    error: null,
    usage: { promptTokens: 12, completionTokens: 40 },
    ttftMs: 120,
    totalMs: 900,
    reasoningMs: null,
    tokensPerSecond: 51.28,
    estimatedCost: 0.000423,
    rating: null,
    ...overrides,
  };
}

describe('compare stream demultiplexing', () => {
  it('sends every event to its own column and leaves the other columns as they were', () => {
    const answers = feed([
      frame(2, 'content', { column: 1, text: 'Hello' }),
      frame(3, 'reasoning', { column: 0, text: 'Hmm…' }),
      frame(4, 'content', { column: 1, text: ' world' }),
      frame(5, 'error', { column: 2, code: 'UPSTREAM_ERROR', message: 'upstream said 500' }),
      frame(6, 'usage', { column: 1, promptTokens: 5, completionTokens: 2 }),
      frame(7, 'done', { column: 1, status: 'complete', ttftMs: 40, totalMs: 300, reasoningMs: null }),
    ]);
    expect(answers[0]).toMatchObject({ reasoning: 'Hmm…', content: '', status: 'streaming' });
    expect(answers[1]).toMatchObject({ content: 'Hello world', status: 'complete', totalMs: 300 });
    expect(answers[1]!.usage).toEqual({ promptTokens: 5, completionTokens: 2 });
    expect(answers[2]).toMatchObject({ status: 'error', error: { message: 'upstream said 500' } });
  });

  it('ignores frames without a valid column and the stream’s own meta', () => {
    expect(parseColumnFrame(frame(1, 'meta', { runId: 'x', columns: [{ column: 0 }] }))).toBeNull();
    expect(parseColumnFrame(frame(2, 'content', { text: 'no column' }))).toBeNull();
    expect(parseColumnFrame(frame(3, 'content', { column: -1, text: 'x' }))).toBeNull();
    expect(parseColumnFrame({ id: 4, event: 'content', data: 'not json' })).toBeNull();
    expect(parseColumnFrame(frame(5, 'ping', { column: 0 }))).toBeNull();
  });

  it('keeps an arena side anonymous: its meta (a label only) only starts its timers', () => {
    const before = [streamingAnswer(0), streamingAnswer(0)];
    const after = applyColumnEvent(before, parseColumnFrame(frame(2, 'meta', { column: 0, label: 'Model A' }))!, 700);
    expect(after[0]).toEqual({ ...before[0], startedAt: 700 });
    expect(after[1]).toBe(before[1]);
  });

  it('times a column from its start on the server (its meta), not from when the run was sent', () => {
    const sent = [streamingAnswer(0)];
    const started = applyColumnEvent(
      sent,
      parseColumnFrame(frame(2, 'meta', { column: 0, generationId: 'g', assistantMessageId: 'a' }))!,
      150,
    );
    const first = applyColumnEvent(started, parseColumnFrame(frame(3, 'content', { column: 0, text: 'Hi' }))!, 190);
    expect(answerMetrics(first[0]!, 200).ttftMs).toBe(40);
    // The server's own figure, when the first text brings it, is the one shown.
    const told = applyColumnEvent(
      started,
      parseColumnFrame(frame(3, 'content', { column: 0, text: 'Hi', ttftMs: 57 }))!,
      190,
    );
    expect(answerMetrics(told[0]!, 200).ttftMs).toBe(57);
  });

  it('times a column followed again after a reload from the turn on the server, not from the replay', () => {
    // The turn started at 1,000 on the server; the page re-attached at 5,000 and its events so far came at once.
    let answers: (ColumnAnswer | null)[] = [reattachedAnswer(1_000)];
    for (const f of [
      frame(2, 'meta', { column: 0, generationId: 'g', assistantMessageId: 'a' }),
      frame(3, 'content', { column: 0, text: 'Hel' }),
    ]) {
      answers = applyColumnEvent(answers, parseColumnFrame(f)!, 5_000);
    }
    const live = answerMetrics(answers[0]!, 5_500);
    expect(live.totalMs).toBe(4_500);
    // When the first token came is the server's to say, not the replay's 0 ms.
    expect(live.ttftMs).toBeNull();
  });

  it('places a reattached thinking and answer by the server’s figures, so timers and speed do not restart', () => {
    // The turn started at 1,000 on the server, its first token (thinking) came 500 ms later and it thought for
    // 2,000 ms; the page re-attached at 9,000 and the events so far came at once.
    let answers: (ColumnAnswer | null)[] = [reattachedAnswer(1_000, 500)];
    for (const f of [
      frame(2, 'meta', { column: 0, generationId: 'g', assistantMessageId: 'a' }),
      frame(3, 'reasoning', { column: 0, text: 'Hmm', ttftMs: 500 }),
      frame(4, 'content', { column: 0, text: 'word '.repeat(65), reasoningMs: 2_000 }),
    ]) {
      answers = applyColumnEvent(answers, parseColumnFrame(f)!, 9_000);
    }
    const answer = answers[0]!;
    expect([answer.reasoningStartedAt, answer.answerStartedAt]).toEqual([1_500, 3_500]);
    const live = answerMetrics(answer, 10_000);
    // 66 tokens in the 8.5 s since the first one, not since the reload.
    expect(live).toMatchObject({ ttftMs: 500, reasoningMs: 2_000, totalMs: 9_000, completionTokens: 66 });
    expect(live.tokensPerSecond).toBeCloseTo(66 / 8.5);
    // Without a saved first-token time the thinking is still placed no later than the turn's start allows.
    const unknown = applyColumnEvent(
      [reattachedAnswer(1_000)],
      parseColumnFrame(frame(3, 'reasoning', { column: 0, text: 'Hmm', ttftMs: 700 }))!,
      9_000,
    );
    expect(unknown[0]!.reasoningStartedAt).toBe(1_700);
  });

  it('knows the stream is over once every column has ended', () => {
    const tracker = createColumnTracker(2);
    expect(tracker.observe(frame(2, 'content', { column: 0, text: 'x' }))).toBe(false);
    expect(tracker.observe(frame(3, 'done', { column: 0, status: 'complete' }))).toBe(false);
    expect(tracker.observe(frame(4, 'done', { column: 0, status: 'complete' }))).toBe(false);
    expect(tracker.observe(frame(5, 'error', { column: 1, code: 'X', message: 'x' }))).toBe(true);
  });
});

describe('fastest column', () => {
  it('is the complete answer with the shortest total time; failed and streaming ones do not count', () => {
    const make = (status: ColumnAnswer['status'], totalMs: number | null): ColumnAnswer => ({
      ...streamingAnswer(0),
      status,
      totalMs,
    });
    expect(fastestColumn([make('complete', 900), make('complete', 400), make('error', 10)])).toBe(1);
    expect(fastestColumn([make('streaming', null), make('complete', 700)])).toBe(1);
    expect(fastestColumn([make('stopped', 100), make('error', 50), null])).toBeNull();
  });
});

describe('metrics', () => {
  it('shows the server’s figures once an answer has ended, cost included', () => {
    const metrics = answerMetrics(answerFromServer(serverAnswer({ reasoningMs: 2500 })));
    expect(metrics).toMatchObject({
      ttftMs: 120,
      totalMs: 900,
      reasoningMs: 2500,
      tokensPerSecond: 51.28,
      live: false,
    });
    expect(formatMetrics(metrics, 'en')).toEqual([
      { key: 'ttft', value: '120 ms' },
      { key: 'total', value: '900 ms' },
      { key: 'reasoning', value: '2.5 s' },
      { key: 'tokens', value: '12 → 40' },
      { key: 'speed', value: '51' },
      { key: 'cost', value: '0.00042' },
    ]);
  });

  it('works the speed out when the server did not, and estimates live times while streaming', () => {
    const ended = answerMetrics(answerFromServer(serverAnswer({ tokensPerSecond: null, estimatedCost: null })));
    expect(ended.tokensPerSecond).toBeCloseTo(40 / 0.78);
    expect(formatMetrics(ended, 'en').map((m) => m.key)).not.toContain('cost');

    const live = { ...streamingAnswer(1000), answerStartedAt: 1250 };
    expect(answerMetrics(live, 3000)).toMatchObject({ ttftMs: 250, totalMs: 2000, live: true });
    expect(answerMetrics(streamingAnswer(1000), 1500)).toMatchObject({ ttftMs: null, totalMs: 500 });
  });

  it('counts output tokens and speed from the text while streaming, marked as estimates, until the model says', () => {
    const streaming = { ...streamingAnswer(1000), answerStartedAt: 1200, content: 'word '.repeat(100) };
    const live = answerMetrics(streaming, 3200);
    expect(live).toMatchObject({ completionTokens: 100, tokensPerSecond: 50, estimated: true, live: true });
    expect(formatMetrics(live, 'en')).toEqual(
      expect.arrayContaining([
        { key: 'tokens', value: '– → ≈ 100' },
        { key: 'speed', value: '≈ 50' },
      ]),
    );
    // Too early for a speed to mean anything; nothing yet, nothing shown.
    expect(answerMetrics(streaming, 1500).tokensPerSecond).toBeNull();
    expect(answerMetrics(streamingAnswer(1000), 1500)).toMatchObject({ completionTokens: null, estimated: false });
    // A model that reports usage as it goes is believed, without the mark.
    const reported = answerMetrics({ ...streaming, usage: { promptTokens: 7, completionTokens: 80 } }, 3200);
    expect(reported).toMatchObject({ completionTokens: 80, tokensPerSecond: 40, estimated: false });
    expect(formatMetrics(reported, 'en')).toContainEqual({ key: 'tokens', value: '7 → 80' });
  });

  it('marks the figures of an ended answer whose counts were estimated (none reported, or stopped)', () => {
    const stopped = answerMetrics(
      answerFromServer(
        serverAnswer({ status: 'stopped', usage: { promptTokens: 10, completionTokens: 168, estimated: true } }),
      ),
    );
    expect(stopped.estimated).toBe(true);
    expect(formatMetrics(stopped, 'en')).toContainEqual({ key: 'tokens', value: '≈ 10 → ≈ 168' });
    expect(answerMetrics(answerFromServer(serverAnswer())).estimated).toBe(false);
  });

  it('counts a word, a punctuation mark or a CJK character as about one token, long words as a few', () => {
    expect(roughTokenCount('')).toBe(0);
    expect(roughTokenCount('你好，世界')).toBe(5);
    expect(roughTokenCount('hello world!')).toBe(3);
    expect(roughTokenCount('模型model')).toBe(3);
    expect(roughTokenCount('internationalization')).toBe(3);
    expect(roughTokenCount('Привет, мир')).toBe(3);
  });

  it('formats costs readably in both languages', () => {
    expect(formatCost(0.000423, 'en')).toBe('0.00042');
    expect(formatCost(1.5, 'en')).toBe('1.50');
    expect(formatCost(0, 'zh-CN')).toBe('0');
  });
});

describe('remembered model choice', () => {
  it('keeps the configs that still exist and can be used, without duplicates, at most six', () => {
    const available = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => ({ id, providerEnabled: id !== 'c' }));
    expect(keptSelection(['a', 'x', 'c', 'a', 'b'], available)).toEqual(['a', 'b']);
    expect(keptSelection(['a', 'b', 'd', 'e', 'f', 'g', 'a'], available)).toHaveLength(6);
    expect(keptSelection('nonsense', available)).toEqual([]);
  });
});
