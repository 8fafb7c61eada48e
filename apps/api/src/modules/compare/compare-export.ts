import type { CompareRun } from '@modelyard/contracts';
import { spreadsheetCsv } from '../../common/http/csv';
import { fileSafeName } from '../../common/http/download';

export type CompareExportFormat = 'md' | 'json' | 'csv';

const CONTENT_TYPES: Record<CompareExportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** A run as a downloadable file: Markdown to read, JSON to process, CSV (one row per answer) for a spreadsheet. */
export function renderCompareExport(run: CompareRun, format: CompareExportFormat) {
  const date = run.createdAt.slice(0, 10);
  const safe = fileSafeName(run.title, 60, 'compare');
  return { filename: `${safe}_${date}.${format}`, contentType: CONTENT_TYPES[format], body: render(run, format) };
}

function render(run: CompareRun, format: CompareExportFormat): string {
  if (format === 'json') return JSON.stringify({ format: 'modelyard.compare', version: 1, run }, null, 2);
  if (format === 'csv') {
    const rows = run.turns.flatMap((turn, t) =>
      run.columns.map((c) => {
        const a = turn.answers[c.column];
        return [
          t + 1,
          turn.prompt,
          c.column,
          c.name,
          c.model,
          a?.status ?? '',
          a?.content ?? '',
          a?.ttftMs ?? '',
          a?.totalMs ?? '',
          a?.reasoningMs ?? '',
          a?.usage?.promptTokens ?? '',
          a?.usage?.completionTokens ?? '',
          a?.tokensPerSecond ?? '',
          a?.estimatedCost ?? '',
          a?.rating?.stars ?? '',
          a?.rating?.note ?? '',
          a?.error?.message ?? '',
        ];
      }),
    );
    return spreadsheetCsv(rows, [
      'turn',
      'prompt',
      'column',
      'model_config',
      'model',
      'status',
      'answer',
      'ttft_ms',
      'total_ms',
      'reasoning_ms',
      'prompt_tokens',
      'completion_tokens',
      'tokens_per_second',
      'estimated_cost',
      'stars',
      'rating_note',
      'error',
    ]);
  }
  const lines = [
    `# ${run.title}`,
    '',
    `*${run.createdAt}* — ${run.columns.map((c) => `${c.name} (${c.model})`).join(' · ')}`,
    '',
  ];
  if (run.systemPrompt) lines.push(`> **System:** ${run.systemPrompt.replace(/\n/g, '\n> ')}`, '');
  run.turns.forEach((turn, t) => {
    lines.push(`## Turn ${t + 1}`, '', `**Prompt:** ${turn.prompt}`, '');
    for (const c of run.columns) {
      const a = turn.answers[c.column];
      lines.push(`### ${c.name}${turn.fastestColumn === c.column ? ' ⚡ fastest' : ''}`, '');
      if (!a) {
        lines.push('_No answer_', '');
        continue;
      }
      const stats = [
        a.ttftMs !== null && `TTFT ${a.ttftMs} ms`,
        a.totalMs !== null && `total ${a.totalMs} ms`,
        a.usage && `${a.usage.promptTokens} + ${a.usage.completionTokens} tokens`,
        a.tokensPerSecond !== null && `${a.tokensPerSecond} tok/s`,
        a.rating && `${'★'.repeat(a.rating.stars)}${'☆'.repeat(5 - a.rating.stars)}`,
      ].filter(Boolean);
      lines.push(`*${a.status}${stats.length ? ' · ' + stats.join(' · ') : ''}*`, '');
      lines.push(a.error ? `> Error: ${a.error.message}` : a.content, '');
      if (a.rating?.note) lines.push(`> Note: ${a.rating.note}`, '');
    }
  });
  return lines.join('\n');
}
