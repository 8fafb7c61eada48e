import type { BatchReport, BatchReportFormat } from '@modelyard/contracts';
import ExcelJS from 'exceljs';
import { spreadsheetCsv } from '../../common/http/csv';
import { fileSafeName } from '../../common/http/download';

const CONTENT_TYPES: Record<BatchReportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

const ANSWER_COLUMNS = [
  'question_no',
  'question',
  'expected',
  'model_config',
  'model',
  'status',
  'answer',
  'latency_ms',
  'ttft_ms',
  'prompt_tokens',
  'completion_tokens',
  'bleu',
  'rouge_l',
  'error',
  'attempts',
] as const;

/** Scores to four decimals: enough to rank, without float noise (0.39999999999999997) in a spreadsheet. */
function roundScore(score: number | null): number | null {
  return score === null ? null : Math.round(score * 10_000) / 10_000;
}

function answerRows(report: BatchReport): (string | number | null)[][] {
  return report.rows.flatMap((row) =>
    report.models.map((m) => {
      const c = row.cells[m.column];
      return [
        row.index,
        row.question,
        row.expected,
        m.name,
        m.model,
        c?.status ?? 'pending',
        c?.answer ?? '',
        c?.latencyMs ?? null,
        c?.ttftMs ?? null,
        c?.promptTokens ?? null,
        c?.completionTokens ?? null,
        roundScore(c?.bleu ?? null),
        roundScore(c?.rougeL ?? null),
        c?.error ?? null,
        c?.attempts ?? null,
      ];
    }),
  );
}

const SUMMARY_COLUMNS = [
  'model_config',
  'model',
  'answered',
  'errors',
  'latency_mean_ms',
  'latency_p50_ms',
  'latency_p95_ms',
  'latency_min_ms',
  'latency_max_ms',
  'prompt_tokens',
  'completion_tokens',
  'estimated_cost',
  'bleu',
  'rouge_l',
] as const;

function summaryRows(report: BatchReport): (string | number | null)[][] {
  return report.models.map((m) => [
    m.name,
    m.model,
    m.answered,
    m.errors,
    m.latencyMs.mean,
    m.latencyMs.p50,
    m.latencyMs.p95,
    m.latencyMs.min,
    m.latencyMs.max,
    m.promptTokens,
    m.completionTokens,
    m.estimatedCost === null ? null : Math.round(m.estimatedCost * 1e6) / 1e6,
    roundScore(m.bleu),
    roundScore(m.rougeL),
  ]);
}

const STATUS_WORDS: Record<string, string> = {
  queued: 'Queued',
  running: 'Still running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** "2026-11-23 03:08 UTC": a reader's date, not a machine's. */
function readableUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The report as a file: XLSX (sheets "answers" and "summary"), CSV (answers), Markdown or JSON. */
export async function renderBatchReport(report: BatchReport, format: BatchReportFormat) {
  // A batch is named after its upload by default: "questions.jsonl" gives questions_report_…, not questions.jsonl_report_….
  const base = fileSafeName(report.batch.name.replace(/\.(jsonl|json|csv|txt)$/i, ''), 60, 'batch');
  // Its start to the minute: two batches of the same file on one day download as two files.
  const started = `${report.batch.createdAt.slice(0, 10)}_${report.batch.createdAt.slice(11, 16).replace(':', '')}`;
  const filename = `${base}_report_${started}.${format}`;
  return { filename, contentType: CONTENT_TYPES[format], body: await body(report, format) };
}

async function body(report: BatchReport, format: BatchReportFormat): Promise<Buffer | string> {
  switch (format) {
    case 'json':
      return JSON.stringify({ format: 'modelyard.batch-report', version: 1, ...report }, null, 2);
    case 'csv':
      return spreadsheetCsv(answerRows(report), ANSWER_COLUMNS);
    case 'xlsx': {
      const book = new ExcelJS.Workbook();
      book.creator = 'Modelyard';
      for (const [name, columns, rows] of [
        ['answers', ANSWER_COLUMNS, answerRows(report)],
        ['summary', SUMMARY_COLUMNS, summaryRows(report)],
      ] as const) {
        const sheet = book.addWorksheet(name);
        sheet.addRow([...columns]).font = { bold: true };
        for (const row of rows) sheet.addRow(row);
        sheet.views = [{ state: 'frozen', ySplit: 1 }];
        sheet.columns.forEach((column) => (column.width = 18));
      }
      return Buffer.from(await book.xlsx.writeBuffer());
    }
    case 'md': {
      const cell = (v: unknown) =>
        String(v ?? '—')
          .replace(/\|/g, '\\|')
          .replace(/\r?\n/g, '<br>');
      const lines = [
        `# ${report.batch.name}`,
        '',
        `${report.batch.questions} questions × ${report.models.length} models · ${STATUS_WORDS[report.batch.status] ?? report.batch.status} · ` +
          `started ${readableUtc(report.batch.createdAt)}`,
        '',
        '## Summary',
        '',
        `| ${SUMMARY_COLUMNS.join(' | ')} |`,
        `|${SUMMARY_COLUMNS.map(() => ' --- ').join('|')}|`,
        ...summaryRows(report).map((r) => `| ${r.map(cell).join(' | ')} |`),
        '',
        '## Answers',
        '',
      ];
      for (const row of report.rows) {
        lines.push(`### ${row.index}. ${row.question.replace(/\r?\n/g, ' ')}`, '');
        if (row.expected) lines.push(`*Expected:* ${row.expected}`, '');
        for (const m of report.models) {
          const c = row.cells[m.column];
          const meta = c
            ? [
                c.latencyMs !== null && `${c.latencyMs} ms`,
                c.bleu !== null && `BLEU ${c.bleu.toFixed(3)}`,
                c.rougeL !== null && `ROUGE-L ${c.rougeL.toFixed(3)}`,
              ]
                .filter(Boolean)
                .join(' · ')
            : 'pending';
          lines.push(
            meta ? `**${m.name}** (${meta})` : `**${m.name}**`,
            '',
            c?.status === 'error' ? `> Error: ${c.error}` : (c?.answer ?? ''),
            '',
          );
        }
      }
      return lines.join('\n');
    }
  }
}
