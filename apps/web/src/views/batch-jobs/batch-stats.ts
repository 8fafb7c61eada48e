import type { BatchReport } from '@modelyard/contracts';

/** The five numbers of a Tukey box plot, plus the points beyond its whiskers. */
export interface BoxStats {
  count: number;
  min: number;
  max: number;
  q1: number;
  median: number;
  q3: number;
  /** The lowest and highest values within 1.5 × IQR of the box. */
  whiskerLow: number;
  whiskerHigh: number;
  outliers: number[];
}

/** The q-quantile of sorted values, interpolating linearly between the closest ranks (numpy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const weight = position - lower;
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * weight;
}

export function boxStats(values: readonly number[]): BoxStats | null {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const q1 = quantile(sorted, 0.25);
  const median = quantile(sorted, 0.5);
  const q3 = quantile(sorted, 0.75);
  const fence = 1.5 * (q3 - q1);
  const inside = sorted.filter((v) => v >= q1 - fence && v <= q3 + fence);
  return {
    count: sorted.length,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    q1,
    median,
    q3,
    whiskerLow: inside[0] ?? q1,
    whiskerHigh: inside[inside.length - 1] ?? q3,
    outliers: sorted.filter((v) => v < q1 - fence || v > q3 + fence),
  };
}

/** The latencies of each model's successful answers, by column. */
export function latenciesByColumn(report: BatchReport): number[][] {
  const columns: number[][] = report.models.map(() => []);
  for (const row of report.rows) {
    row.cells.forEach((cell, column) => {
      if (cell?.status === 'complete' && cell.latencyMs !== null) columns[column]?.push(cell.latencyMs);
    });
  }
  return columns;
}

/** Milliseconds as people read them: "850 ms", "1.24 s", "12.5 s". */
export function formatLatency(ms: number | null | undefined, locale = 'en'): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(ms)} ms`;
  const digits = ms < 10_000 ? 2 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(ms / 1000)} s`;
}

/** BLEU and ROUGE-L are 0–1 scores: three decimals. */
export function formatScore(score: number | null | undefined, locale = 'en'): string {
  if (score === null || score === undefined || !Number.isFinite(score)) return '—';
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 3, maximumFractionDigits: 3 }).format(score);
}

/** Estimated cost in US dollars; small amounts keep enough digits to be told apart. */
export function formatCost(usd: number | null | undefined, locale = 'en'): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return '—';
  const digits = usd === 0 ? 2 : usd < 0.01 ? 6 : usd < 1 ? 4 : 2;
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(usd);
}

export function formatInteger(value: number | null | undefined, locale = 'en'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(locale).format(value);
}

export type GridFilter = 'all' | 'errors';

/** The report rows a grid shows: matching the search (question, expected or any answer) and the filter. */
export function filterRows(rows: BatchReport['rows'], search: string, filter: GridFilter): BatchReport['rows'] {
  const needle = search.trim().toLowerCase();
  return rows.filter((row) => {
    if (filter === 'errors' && !row.cells.some((cell) => !cell || cell.status === 'error')) return false;
    if (!needle) return true;
    if (row.question.toLowerCase().includes(needle)) return true;
    if (row.expected?.toLowerCase().includes(needle)) return true;
    return row.cells.some((cell) => cell?.answer.toLowerCase().includes(needle));
  });
}
