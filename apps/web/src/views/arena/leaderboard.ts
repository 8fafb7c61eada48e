import type { Leaderboard, LeaderboardEntry } from '@modelyard/contracts';

/** "1,012" for Elo and Bradley–Terry scores: whole points, as published leaderboards show them. */
export const formatScore = (value: number, locale: string) =>
  new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);

/** "+12 / −9": the 95% interval around the Bradley–Terry score. */
export function formatInterval(entry: Pick<LeaderboardEntry, 'bt' | 'ciLow' | 'ciHigh'>, locale: string): string {
  const n = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const up = Math.max(0, Math.round(entry.ciHigh - entry.bt));
  const down = Math.max(0, Math.round(entry.bt - entry.ciLow));
  return `+${n.format(up)} / −${n.format(down)}`;
}

/**
 * The rows as ranked: models with votes in the server's order, numbered; those without any after them, unranked
 * (an unplayed model's starting score would otherwise outrank one that lost its only battle).
 */
export function rankedRows<T extends Pick<LeaderboardEntry, 'votes'>>(
  items: readonly T[],
): { entry: T; rank: number | null }[] {
  const rated = items.filter((entry) => entry.votes > 0);
  return [
    ...rated.map((entry, index) => ({ entry, rank: index + 1 })),
    ...items.filter((entry) => entry.votes === 0).map((entry) => ({ entry, rank: null })),
  ];
}

export const formatPercent = (value: number, locale: string) =>
  new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value);

/** One cell of the win-rate heat map: [column, row, value] as ECharts wants it; pairs that never met are left out. */
export function heatmapCells(board: Pick<Leaderboard, 'winRates'>): [number, number, number][] {
  const cells: [number, number, number][] = [];
  board.winRates.forEach((row, i) =>
    row.forEach((value, j) => {
      if (i !== j && value !== null) cells.push([j, i, value]);
    }),
  );
  return cells;
}
