import type { BatchModelStats, BatchReport, BatchReportCell } from '@modelyard/contracts';
import { describe, expect, it } from 'vitest';
import { renderBatchReport } from './batch-report';

const model = (column: number, name: string, bleu: number | null): BatchModelStats => ({
  column,
  modelConfigId: null,
  name,
  model: name.toLowerCase(),
  answered: 1,
  errors: 0,
  latencyMs: { mean: 120, p50: 120, p95: 120, min: 120, max: 120 },
  promptTokens: 10,
  completionTokens: 5,
  estimatedCost: 0.1 + 0.2,
  bleu,
  rougeL: bleu,
});

const cell = (overrides: Partial<BatchReportCell>): BatchReportCell => ({
  status: 'complete',
  answer: 'Paris',
  latencyMs: 120,
  ttftMs: 40,
  promptTokens: 10,
  completionTokens: 5,
  bleu: 0.39999999999999997,
  rougeL: 0.39999999999999997,
  error: null,
  attempts: 1,
  ...overrides,
});

const report: BatchReport = {
  batch: {
    id: '10000000-0000-4000-8000-000000000001',
    name: 'Capitals',
    filename: 'capitals.csv',
    status: 'completed',
    done: 2,
    total: 2,
    questions: 1,
    concurrency: 1,
    hasExpected: true,
    cancelRequested: false,
    models: [],
    etaSeconds: null,
    error: null,
    createdAt: '2026-11-23T00:00:00.000Z',
    startedAt: null,
    finishedAt: null,
  },
  models: [model(0, 'Fast', 0.39999999999999997), model(1, 'Broken', null)],
  rows: [
    {
      index: 1,
      question: 'Capital of France?',
      expected: 'Paris',
      cells: [
        cell({}),
        cell({ status: 'error', answer: '', latencyMs: null, bleu: null, rougeL: null, error: 'HTTP 500' }),
      ],
    },
  ],
};

describe('batch report files', () => {
  it('gives scores and costs without float noise', async () => {
    const csv = String((await renderBatchReport(report, 'csv')).body);
    expect(csv).not.toContain('0.39999999999999997');
    expect(csv).toContain('0.4');
    const summary = String((await renderBatchReport(report, 'md')).body);
    expect(summary).toContain('| 0.3 | 0.4 | 0.4 |');
  });

  it('reads like a report: a status in words, a readable time, a file name without the upload’s extension', async () => {
    const file = await renderBatchReport({ ...report, batch: { ...report.batch, name: 'questions.jsonl' } }, 'md');
    expect(file.filename).toBe('questions_report_2026-11-23_0000.md');
    expect(String(file.body)).toContain('· Completed · started 2026-11-23 00:00 UTC');
  });

  it('names a failed cell in Markdown without an empty "()"', async () => {
    const md = String((await renderBatchReport(report, 'md')).body);
    expect(md).toContain('**Broken**\n\n> Error: HTTP 500');
    expect(md).not.toContain('()');
    expect(md).toContain('**Fast** (120 ms · BLEU 0.400 · ROUGE-L 0.400)');
  });
});
