import { ARENA_ELO, type ArenaWinner } from '@modelyard/contracts';

export interface Vote {
  a: string;
  b: string;
  winner: ArenaWinner;
}

/** A's score in one vote: 1 win, 0 loss, ½ for a tie or "both bad" (Chatbot Arena counts both as ties). */
export function scoreOfA(winner: ArenaWinner): number {
  return winner === 'a' ? 1 : winner === 'b' ? 0 : 0.5;
}

/** Online Elo over the votes in the order given (oldest first): initial 1000, K = 4, scale 400, base 10. */
export function eloRatings(votes: readonly Vote[], models: readonly string[]): Map<string, number> {
  const rating = new Map(models.map((m) => [m, ARENA_ELO.initial as number]));
  for (const vote of votes) {
    const ra = rating.get(vote.a) ?? ARENA_ELO.initial;
    const rb = rating.get(vote.b) ?? ARENA_ELO.initial;
    const expectedA = 1 / (1 + ARENA_ELO.base ** ((rb - ra) / ARENA_ELO.scale));
    const sa = scoreOfA(vote.winner);
    rating.set(vote.a, ra + ARENA_ELO.k * (sa - expectedA));
    rating.set(vote.b, rb + ARENA_ELO.k * (1 - sa - (1 - expectedA)));
  }
  return rating;
}

/**
 * Bradley–Terry strengths by the minorisation–maximisation algorithm (Hunter 2004), ties as half a win each way,
 * reported on the Elo scale (400·log10) and centred so the mean is 1000. Order-independent, unlike online Elo.
 */
export function bradleyTerry(votes: readonly Vote[], models: readonly string[]): Map<string, number> {
  const n = models.length;
  const index = new Map(models.map((m, i) => [m, i]));
  const wins = new Float64Array(n);
  const games: Float64Array[] = models.map(() => new Float64Array(n));
  for (const vote of votes) {
    const i = index.get(vote.a);
    const j = index.get(vote.b);
    if (i === undefined || j === undefined || i === j) continue;
    const sa = scoreOfA(vote.winner);
    wins[i]! += sa;
    wins[j]! += 1 - sa;
    games[i]![j]! += 1;
    games[j]![i]! += 1;
  }
  // A tiny prior (one tie against a virtual average opponent) keeps unbeaten or winless models finite.
  const PRIOR = 0.5;
  let p = new Float64Array(n).fill(1);
  for (let iteration = 0; iteration < 200; iteration++) {
    const next = new Float64Array(n);
    let change = 0;
    for (let i = 0; i < n; i++) {
      let denominator = (2 * PRIOR) / (p[i]! + 1);
      for (let j = 0; j < n; j++) if (games[i]![j]! > 0) denominator += games[i]![j]! / (p[i]! + p[j]!);
      next[i] = (wins[i]! + PRIOR) / denominator;
    }
    const geoMean = Math.exp(next.reduce((sum, v) => sum + Math.log(v), 0) / Math.max(1, n));
    for (let i = 0; i < n; i++) {
      next[i]! /= geoMean;
      change = Math.max(change, Math.abs(next[i]! - p[i]!));
    }
    p = next;
    if (change < 1e-9) break;
  }
  return new Map(
    models.map((m, i) => [m, ARENA_ELO.initial + (ARENA_ELO.scale * Math.log(p[i]!)) / Math.log(ARENA_ELO.base)]),
  );
}

/** A small seeded generator, so a leaderboard's intervals do not jitter between two reloads. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 95% percentile bootstrap intervals of the Bradley–Terry strengths (votes resampled with replacement). */
export function bootstrapIntervals(
  votes: readonly Vote[],
  models: readonly string[],
  rounds = 200,
  seed = 42,
): Map<string, { low: number; high: number }> {
  const samples = new Map(models.map((m) => [m, [] as number[]]));
  if (votes.length > 0) {
    const random = mulberry32(seed);
    for (let r = 0; r < rounds; r++) {
      const sample = Array.from({ length: votes.length }, () => votes[Math.floor(random() * votes.length)]!);
      for (const [model, value] of bradleyTerry(sample, models)) samples.get(model)!.push(value);
    }
  }
  const percentile = (sorted: number[], q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return new Map(
    models.map((m) => {
      const sorted = samples.get(m)!.sort((x, y) => x - y);
      return [
        m,
        sorted.length === 0
          ? { low: ARENA_ELO.initial, high: ARENA_ELO.initial }
          : { low: percentile(sorted, 0.025), high: percentile(sorted, 0.975) },
      ];
    }),
  );
}

export interface Tally {
  votes: number;
  wins: number;
  losses: number;
  ties: number;
}

export function tallies(votes: readonly Vote[], models: readonly string[]): Map<string, Tally> {
  const result = new Map(models.map((m) => [m, { votes: 0, wins: 0, losses: 0, ties: 0 }]));
  for (const vote of votes) {
    const a = result.get(vote.a);
    const b = result.get(vote.b);
    if (!a || !b) continue;
    a.votes++;
    b.votes++;
    if (vote.winner === 'a') {
      a.wins++;
      b.losses++;
    } else if (vote.winner === 'b') {
      b.wins++;
      a.losses++;
    } else {
      a.ties++;
      b.ties++;
    }
  }
  return result;
}

/** `matrix[i][j]`: the share of i-vs-j battles that i won, ties counting half; null when they never met. */
export function pairwiseWinRates(votes: readonly Vote[], models: readonly string[]): (number | null)[][] {
  const index = new Map(models.map((m, i) => [m, i]));
  const score = models.map(() => models.map(() => 0));
  const count = models.map(() => models.map(() => 0));
  for (const vote of votes) {
    const i = index.get(vote.a);
    const j = index.get(vote.b);
    if (i === undefined || j === undefined) continue;
    const sa = scoreOfA(vote.winner);
    score[i]![j]! += sa;
    score[j]![i]! += 1 - sa;
    count[i]![j]!++;
    count[j]![i]!++;
  }
  return score.map((row, i) => row.map((s, j) => (count[i]![j]! > 0 ? s / count[i]![j]! : null)));
}
