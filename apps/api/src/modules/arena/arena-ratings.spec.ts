import { describe, expect, it } from 'vitest';
import { bootstrapIntervals, bradleyTerry, eloRatings, pairwiseWinRates, tallies, type Vote } from './arena-ratings';

const models = ['x', 'y', 'z'];

describe('eloRatings', () => {
  it('moves both ratings by K times the surprise: 1000 vs 1000, A wins → 1002 / 998', () => {
    const rating = eloRatings([{ a: 'x', b: 'y', winner: 'a' }], models);
    expect(rating.get('x')).toBeCloseTo(1002, 10);
    expect(rating.get('y')).toBeCloseTo(998, 10);
    expect(rating.get('z')).toBe(1000);
  });

  it('leaves equal ratings unchanged on a tie or "both bad", and conserves the total', () => {
    expect(eloRatings([{ a: 'x', b: 'y', winner: 'tie' }], models).get('x')).toBe(1000);
    expect(eloRatings([{ a: 'x', b: 'y', winner: 'bothBad' }], models).get('y')).toBe(1000);
    const votes: Vote[] = Array.from({ length: 50 }, (_, i) => ({
      a: models[i % 3]!,
      b: models[(i + 1) % 3]!,
      winner: i % 4 === 0 ? 'b' : 'a',
    }));
    const total = [...eloRatings(votes, models).values()].reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(3000, 6);
  });
});

describe('bradleyTerry', () => {
  it('ranks a model that wins most of its battles first, on the Elo scale around 1000', () => {
    const votes: Vote[] = [];
    for (let i = 0; i < 30; i++) votes.push({ a: 'x', b: 'y', winner: i < 24 ? 'a' : 'b' });
    for (let i = 0; i < 30; i++) votes.push({ a: 'y', b: 'z', winner: i < 20 ? 'a' : 'b' });
    const bt = bradleyTerry(votes, models);
    expect(bt.get('x')!).toBeGreaterThan(bt.get('y')!);
    expect(bt.get('y')!).toBeGreaterThan(bt.get('z')!);
    // 80% win rate ≈ 240 Elo points apart in the model (shrunk a little by the prior).
    expect(bt.get('x')! - bt.get('y')!).toBeGreaterThan(180);
    expect(bt.get('x')! - bt.get('y')!).toBeLessThan(260);
  });

  it('does not depend on vote order, and keeps an unbeaten model finite', () => {
    const votes: Vote[] = [
      { a: 'x', b: 'y', winner: 'a' },
      { a: 'x', b: 'z', winner: 'a' },
      { a: 'y', b: 'z', winner: 'tie' },
    ];
    const forward = bradleyTerry(votes, models);
    const backward = bradleyTerry([...votes].reverse(), models);
    for (const m of models) expect(forward.get(m)).toBeCloseTo(backward.get(m)!, 6);
    expect(Number.isFinite(forward.get('x'))).toBe(true);
  });
});

describe('bootstrapIntervals', () => {
  it('brackets the point estimate and is reproducible', () => {
    const votes: Vote[] = Array.from({ length: 40 }, (_, i) => ({ a: 'x', b: 'y', winner: i % 3 === 0 ? 'b' : 'a' }));
    const bt = bradleyTerry(votes, models);
    const ci = bootstrapIntervals(votes, models, 100);
    expect(ci.get('x')!.low).toBeLessThanOrEqual(bt.get('x')!);
    expect(ci.get('x')!.high).toBeGreaterThanOrEqual(bt.get('x')!);
    expect(ci.get('x')!.high).toBeGreaterThan(ci.get('x')!.low);
    expect(bootstrapIntervals(votes, models, 100)).toEqual(ci);
  });
});

describe('tallies and pairwiseWinRates', () => {
  it('counts wins, losses and ties per model, and win shares per pair', () => {
    const votes: Vote[] = [
      { a: 'x', b: 'y', winner: 'a' },
      { a: 'y', b: 'x', winner: 'tie' },
      { a: 'x', b: 'z', winner: 'b' },
    ];
    expect(tallies(votes, models).get('x')).toEqual({ votes: 3, wins: 1, losses: 1, ties: 1 });
    const rates = pairwiseWinRates(votes, models);
    expect(rates[0]![1]).toBe(0.75);
    expect(rates[1]![0]).toBe(0.25);
    expect(rates[0]![2]).toBe(0);
    expect(rates[1]![2]).toBeNull();
  });
});
