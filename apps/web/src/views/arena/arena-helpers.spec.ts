import { describe, expect, it } from 'vitest';
import { streamingAnswer } from '@/views/compare/compare-columns';
import { answersFromBattle, canVote } from './arena-battle';
import { formatInterval, formatPercent, heatmapCells, rankedRows } from './leaderboard';

describe('arena helpers', () => {
  it('takes a vote only once both sides have ended', () => {
    const ended = { ...streamingAnswer(0), status: 'complete' as const };
    expect(canVote([ended, streamingAnswer(0)])).toBe(false);
    expect(canVote([ended, { ...ended, status: 'error' as const }])).toBe(true);
    expect(canVote([ended])).toBe(false);
  });

  it('reads saved sides back as answers', () => {
    const [a, b] = answersFromBattle({
      sides: [
        { label: 'Model A', content: 'one', reasoning: null, status: 'complete', generationId: null },
        { label: 'Model B', content: '', reasoning: 'hm', status: 'error', generationId: null },
      ],
    });
    expect(a).toMatchObject({ content: 'one', status: 'complete' });
    expect(b).toMatchObject({ reasoning: 'hm', status: 'error' });
  });

  it('ranks the models that have votes and lists the unplayed ones after them, unranked', () => {
    const rows = rankedRows([
      { name: 'Winner', votes: 1 },
      { name: 'Unplayed', votes: 0 },
      { name: 'Loser', votes: 1 },
    ]);
    expect(rows.map(({ entry, rank }) => [entry.name, rank])).toEqual([
      ['Winner', 1],
      ['Loser', 2],
      ['Unplayed', null],
    ]);
  });

  it('formats the interval, the win rate and the heat map cells', () => {
    expect(formatInterval({ bt: 1010.4, ciLow: 990, ciHigh: 1032 }, 'en')).toBe('+22 / −20');
    expect(formatPercent(0.625, 'en')).toBe('62.5%');
    expect(
      heatmapCells({
        winRates: [
          [null, 0.75, null],
          [0.25, null, 0.5],
          [null, 0.5, null],
        ],
      }),
    ).toEqual([
      [1, 0, 0.75],
      [0, 1, 0.25],
      [2, 1, 0.5],
      [1, 2, 0.5],
    ]);
  });
});
