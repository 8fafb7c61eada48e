import type { Batch, BatchReport, BatchReportCell } from '@modelyard/contracts';
import { describe, expect, it } from 'vitest';
import { durationMessage, elapsedSeconds, pausedModels, progressPercent, statusTagType } from './batch-progress';
import {
  boxStats,
  filterRows,
  formatCost,
  formatLatency,
  formatScore,
  latenciesByColumn,
  quantile,
} from './batch-stats';
import { fileErrorDetails, parseCsv, previewQuestions } from './question-preview';

function makeBatch(overrides: Partial<Batch> = {}): Batch {
  return {
    id: '30000000-0000-4000-8000-000000000001',
    name: 'qa.csv',
    filename: 'qa.csv',
    status: 'running',
    done: 3,
    total: 8,
    questions: 4,
    concurrency: 4,
    hasExpected: false,
    cancelRequested: false,
    models: [
      { column: 0, modelConfigId: null, name: 'Swift', done: 2, errors: 0, pausedUntil: null },
      { column: 1, modelConfigId: null, name: 'Steady', done: 1, errors: 1, pausedUntil: null },
    ],
    etaSeconds: 12,
    error: null,
    createdAt: '2026-01-01T10:00:00.000Z',
    startedAt: '2026-01-01T10:00:05.000Z',
    finishedAt: null,
    ...overrides,
  };
}

const cell = (overrides: Partial<BatchReportCell> = {}): BatchReportCell => ({
  status: 'complete',
  answer: 'ok',
  latencyMs: 100,
  ttftMs: 10,
  promptTokens: 5,
  completionTokens: 7,
  bleu: null,
  rougeL: null,
  error: null,
  attempts: 1,
  ...overrides,
});

describe('box-plot statistics', () => {
  it('interpolates quartiles between ranks', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([7], 0.95)).toBe(7);
  });

  it('computes the five numbers and puts values beyond 1.5 × IQR outside the whiskers', () => {
    const stats = boxStats([10, 12, 11, 13, 12, 14, 11, 200])!;
    expect(stats.count).toBe(8);
    expect(stats.min).toBe(10);
    expect(stats.max).toBe(200);
    expect(stats.median).toBe(12);
    expect(stats.q1).toBe(11);
    expect(stats.q3).toBeCloseTo(13.25);
    expect(stats.whiskerLow).toBe(10);
    expect(stats.whiskerHigh).toBe(14);
    expect(stats.outliers).toEqual([200]);
  });

  it('has nothing to show without values, and ignores non-finite ones', () => {
    expect(boxStats([])).toBeNull();
    expect(boxStats([Number.NaN])).toBeNull();
    expect(boxStats([5, Number.POSITIVE_INFINITY])).toMatchObject({ count: 1, median: 5, outliers: [] });
  });

  it('collects the latencies of successful answers per model', () => {
    const report = {
      batch: makeBatch(),
      models: [{}, {}],
      rows: [
        {
          index: 1,
          question: 'a',
          expected: null,
          cells: [cell({ latencyMs: 100 }), cell({ status: 'error', latencyMs: 5 })],
        },
        { index: 2, question: 'b', expected: null, cells: [cell({ latencyMs: 300 }), null] },
      ],
    } as unknown as BatchReport;
    expect(latenciesByColumn(report)).toEqual([[100, 300], []]);
  });
});

describe('progress formatting', () => {
  it('never shows 100% before every cell is done', () => {
    expect(progressPercent(0, 0)).toBe(0);
    expect(progressPercent(1, 3)).toBe(33);
    expect(progressPercent(999, 1000)).toBe(99);
    expect(progressPercent(1000, 1000)).toBe(100);
  });

  it('states an ETA with the two largest units', () => {
    expect(durationMessage(45)).toEqual({ key: 'seconds', values: { h: 0, m: 0, s: 45 } });
    expect(durationMessage(200)).toEqual({ key: 'minutes', values: { h: 0, m: 3, s: 20 } });
    expect(durationMessage(3900)).toEqual({ key: 'hours', values: { h: 1, m: 5, s: 0 } });
    expect(durationMessage(-3).values.s).toBe(0);
  });

  it('lists only the models paused until a time still ahead', () => {
    const now = Date.parse('2026-01-01T10:01:00.000Z');
    const batch = makeBatch({
      models: [
        { column: 0, modelConfigId: null, name: 'Swift', done: 1, errors: 0, pausedUntil: '2026-01-01T10:01:30.000Z' },
        { column: 1, modelConfigId: null, name: 'Steady', done: 1, errors: 0, pausedUntil: '2026-01-01T10:00:30.000Z' },
      ],
    });
    expect(pausedModels(batch, now).map((p) => p.name)).toEqual(['Swift']);
  });

  it('measures elapsed time up to now, or to the end', () => {
    const now = Date.parse('2026-01-01T10:00:15.000Z');
    expect(elapsedSeconds(makeBatch(), now)).toBe(10);
    expect(elapsedSeconds(makeBatch({ finishedAt: '2026-01-01T10:00:07.000Z' }), now)).toBe(2);
    expect(elapsedSeconds(makeBatch({ startedAt: null }), now)).toBeNull();
    expect(statusTagType('completed')).toBe('success');
    expect(statusTagType('failed')).toBe('danger');
  });

  it('formats latency, scores and costs for people', () => {
    expect(formatLatency(850)).toBe('850 ms');
    expect(formatLatency(1234)).toBe('1.23 s');
    expect(formatLatency(12_500)).toBe('12.5 s');
    expect(formatLatency(null)).toBe('—');
    expect(formatScore(0.73456)).toBe('0.735');
    expect(formatCost(0.000123)).toBe('$0.000123');
    expect(formatCost(null)).toBe('—');
  });
});

describe('upload preview', () => {
  it('reads TXT as one question per non-empty line', () => {
    const preview = previewQuestions('q.txt', '\uFEFFfirst\n\n  second  \r\nthird\n', 2);
    expect(preview).toMatchObject({ kind: 'txt', count: 3, hasExpected: false, error: null });
    expect(preview.sample).toEqual([
      { line: 1, question: 'first', expected: null },
      { line: 3, question: 'second', expected: null },
    ]);
  });

  it('reads CSV with quoted fields, a case-insensitive header and an optional expected column', () => {
    const text = 'Question,EXPECTED\n"Say ""hi"", please","hi"\n"multi\nline",\nplain,yes\n';
    const preview = previewQuestions('qa.csv', text);
    expect(preview).toMatchObject({ kind: 'csv', count: 3, hasExpected: true, error: null });
    expect(preview.sample.map((q) => [q.question, q.expected])).toEqual([
      ['Say "hi", please', 'hi'],
      ['multi\nline', null],
      ['plain', 'yes'],
    ]);
    expect(previewQuestions('qa.csv', 'prompt,answer\na,b\n').error).toBe('noQuestionColumn');
    expect(previewQuestions('qa.csv', 'question\n"open').error).toBe('invalidCsv');
    expect(parseCsv('a,b\r\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('reads JSONL and reports the lines it cannot use', () => {
    const text = '{"question":"a","expected":"x"}\nnot json\n\n{"prompt":"b","answer":"y"}\n{"expected":"z"}\n';
    const preview = previewQuestions('q.jsonl', text);
    expect(preview).toMatchObject({ kind: 'jsonl', count: 2, hasExpected: true });
    expect(preview.sample.map((q) => [q.line, q.question, q.expected])).toEqual([
      [1, 'a', 'x'],
      [4, 'b', 'y'],
    ]);
    expect(preview.problems).toEqual([
      { line: 2, code: 'invalidJson' },
      { line: 5, code: 'noQuestion' },
    ]);
  });

  it('refuses other file types and empty files', () => {
    expect(previewQuestions('q.xlsx', 'x').error).toBe('unsupported');
    expect(previewQuestions('q.txt', '\n \n').error).toBe('empty');
    expect(previewQuestions('q.txt', Array.from({ length: 5001 }, (_, i) => `q${i}`).join('\n')).error).toBe('tooMany');
  });

  it("turns the server's file.N details into line numbers", () => {
    expect(
      fileErrorDetails([
        { path: 'file.2', message: 'is not valid JSON' },
        { path: 'file', message: 'is empty' },
        { path: 'modelConfigIds', message: 'nope' },
        'junk',
      ]),
    ).toEqual([
      { line: 2, message: 'is not valid JSON' },
      { line: null, message: 'is empty' },
    ]);
  });
});

describe('answer grid filter', () => {
  const rows = [
    { index: 1, question: 'Capital of France', expected: 'Paris', cells: [cell({ answer: 'Paris' })] },
    { index: 2, question: 'Colours', expected: null, cells: [cell({ status: 'error', answer: '' })] },
    { index: 3, question: 'Not run', expected: null, cells: [null] },
  ];

  it('searches questions, expected answers and answers, and can keep only rows with errors', () => {
    expect(filterRows(rows, 'paris', 'all').map((r) => r.index)).toEqual([1]);
    expect(filterRows(rows, '', 'errors').map((r) => r.index)).toEqual([2, 3]);
    expect(filterRows(rows, '  ', 'all')).toHaveLength(3);
  });
});
