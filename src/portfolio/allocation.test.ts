import { describe, expect, it } from 'vitest';
import { Fixed } from '../core/fixed.js';
import { boundedWeights, sharpe, targetWeights } from './allocation.js';
import { defineSleeves, type SleeveInput } from './sleeves.js';

const sleeve = (id: string, bounds: Partial<SleeveInput> = {}): SleeveInput => ({
  id,
  agentId: `agent-${id}`,
  currency: 'USDT',
  maxGrossExposure: '100000',
  maxDrawdown: '0.25',
  ...bounds,
});

const plain = (weights: ReadonlyMap<string, { toPlainString(): string }>) =>
  Object.fromEntries([...weights].map(([id, w]) => [id, w.toPlainString()]));

describe('allocation policies', () => {
  it('splits equally, exactly summing to one by largest remainder', () => {
    const sleeves = defineSleeves([sleeve('a'), sleeve('b'), sleeve('c')]);
    const result = targetWeights(sleeves, { kind: 'equal' });
    expect(plain(result.weights)).toEqual({ a: '0.333334', b: '0.333333', c: '0.333333' });
  });

  it('clamps equal weights to bounds and renormalises the rest', () => {
    const sleeves = defineSleeves([sleeve('a', { minWeight: '0.5' }), sleeve('b'), sleeve('c', { maxWeight: '0.1' })]);
    expect(plain(targetWeights(sleeves, { kind: 'equal' }).weights)).toEqual({ a: '0.5', b: '0.4', c: '0.1' });
  });

  it('accepts fixed weights summing to one and refuses others with the field named', () => {
    const sleeves = defineSleeves([sleeve('a', { maxWeight: '0.7' }), sleeve('b')]);
    expect(plain(targetWeights(sleeves, { kind: 'fixed', weights: { a: '0.7', b: '0.3' } }).weights)).toEqual({ a: '0.7', b: '0.3' });
    expect(() => targetWeights(sleeves, { kind: 'fixed', weights: { a: '0.6', b: '0.3' } })).toThrow('weights: sum to 0.9, not 1');
    expect(() => targetWeights(sleeves, { kind: 'fixed', weights: { a: '0.8', b: '0.2' } })).toThrow(
      "weights.a: 0.8 is outside the sleeve's bounds [0, 0.7]",
    );
    expect(() => targetWeights(sleeves, { kind: 'fixed', weights: { a: '1', z: '0' } })).toThrow(/weights\.z: no such sleeve.*weights\.b: missing/);
  });

  it('weights by trailing Sharpe, flooring losers at zero', () => {
    const sleeves = defineSleeves([sleeve('a'), sleeve('b'), sleeve('c')]);
    // a: returns 1%, 3% -> mean 2%, sd 1.414% -> 1.4142; b: 1%, 2% -> mean 1.5%, sd 0.707% -> 2.1213;
    // c: -1%, -2.0202% -> mean -1.5101%, sd 0.7214% -> -2.0933.
    const series = new Map([
      ['a', [100, 101, 104.03]],
      ['b', [100, 101, 103.02]],
      ['c', [100, 99, 97]],
    ]);
    expect(sharpe([100, 101, 104.03], 2)).toBeCloseTo(Math.SQRT2, 9);
    const result = targetWeights(sleeves, { kind: 'performance', lookback: 2, shrink: '0' }, series);
    expect(plain(result.weights)).toEqual({ a: '0.4', b: '0.6', c: '0' });
    expect(result.reasons[2]).toBe('c: trailing Sharpe over 2 periods -2.0933 (floored at 0)');
  });

  it('uses only the lookback window and respects a cap by handing the excess to the others', () => {
    const sleeves = defineSleeves([sleeve('a', { maxWeight: '0.5' }), sleeve('b'), sleeve('c', { minWeight: '0.1' })]);
    const series = new Map([
      ['a', [50, 10, 100, 101, 104.03]],
      ['b', [100, 101, 103.02]],
      ['c', [100, 99, 97]],
    ]);
    // raw a 0.4, b 0.6 -> then c pinned at 0.1, a and b share 0.9 as 0.36 / 0.54.
    expect(plain(targetWeights(sleeves, { kind: 'performance', lookback: 2, shrink: '0' }, series).weights)).toEqual({ a: '0.36', b: '0.54', c: '0.1' });
  });

  it('falls back to equal when no sleeve has a positive score', () => {
    const sleeves = defineSleeves([sleeve('a'), sleeve('b')]);
    const result = targetWeights(sleeves, { kind: 'performance', lookback: 5 }, new Map([['a', [100, 90, 80]]]));
    expect(plain(result.weights)).toEqual({ a: '0.5', b: '0.5' });
    expect(result.reasons).toContain('no sleeve has a positive risk-adjusted return: falling back to equal weights');
  });

  it('pins a capped sleeve without pinning a floored one that the excess lifts above its floor', () => {
    const sleeves = defineSleeves([sleeve('a', { maxWeight: '0.4' }), sleeve('b', { minWeight: '0.1' }), sleeve('c')]);
    // a alone would take 100/102; capped at 0.4, b and c share the 0.6 equally, so b stands above its floor.
    expect(plain(boundedWeights(sleeves, new Map([['a', 100], ['b', 1], ['c', 1]])))).toEqual({ a: '0.4', b: '0.3', c: '0.3' });
  });

  it('hands what the scored sleeves cannot take to the sleeves without a score, and shares by score below a cap', () => {
    const sleeves = defineSleeves([sleeve('a', { maxWeight: '0.5' }), sleeve('b', { minWeight: '0.2', maxWeight: '0.3' }), sleeve('c', { maxWeight: '0.6' })]);
    // Scores 10 : 1 : 0 -> a capped at 0.5, b at 0.3; c, without a score, takes the 0.2 they cannot.
    expect(plain(boundedWeights(sleeves, new Map([['a', 10], ['b', 1], ['c', 0]])))).toEqual({ a: '0.5', b: '0.3', c: '0.2' });
    // Scores 1 : 1 : 8 -> c capped at 0.6, a and b share 0.4 equally: 0.2 each, b exactly at its floor.
    expect(plain(boundedWeights(sleeves, new Map([['a', 1], ['b', 1], ['c', 8]])))).toEqual({ a: '0.2', b: '0.2', c: '0.6' });
  });

  it('keeps every bounded weight within its bounds and summing to exactly 1, for any scores', () => {
    const sleeves = defineSleeves([
      sleeve('a', { maxWeight: '0.35' }),
      sleeve('b', { minWeight: '0.15' }),
      sleeve('c', { minWeight: '0.05', maxWeight: '0.5' }),
      sleeve('d'),
    ]);
    let seed = 7;
    const next = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647) * (seed % 3 === 0 ? 0 : 10);
    for (let i = 0; i < 500; i++) {
      const raw = new Map(sleeves.map((s) => [s.id, next()]));
      const weights = boundedWeights(sleeves, raw);
      expect([...weights.values()].reduce((a, b) => a.add(b)).toPlainString()).toBe('1');
      for (const s of sleeves) {
        const w = weights.get(s.id)!;
        expect(w.gte(s.minWeight) && w.lte(s.maxWeight)).toBe(true);
      }
      // Proportional where free: two sleeves strictly inside their bounds keep the ratio of their scores (up to the
      // rounding of each weight to 6 places).
      const inside = sleeves.filter((s) => {
        const w = weights.get(s.id)!;
        return w.gt(s.minWeight) && w.lt(s.maxWeight) && (raw.get(s.id) ?? 0) > 0;
      });
      if (inside.length >= 2) {
        const [x, y] = inside as [(typeof sleeves)[number], (typeof sleeves)[number]];
        const [rx, ry] = [raw.get(x.id)!, raw.get(y.id)!];
        expect(Math.abs(weights.get(x.id)!.toNumber() * ry - weights.get(y.id)!.toNumber() * rx)).toBeLessThanOrEqual(1e-6 * (rx + ry));
      }
    }
  });
});

/** An equity series from 100 with the given per-period returns. */
const fromReturns = (returns: readonly number[]): number[] => returns.reduce((points, r) => [...points, (points.at(-1) as number) * (1 + r)], [100]);

describe('performance allocation on a noisy lookback', () => {
  const sleeves = defineSleeves([sleeve('a'), sleeve('b'), sleeve('c')]);
  // a's trailing Sharpe is +0.007 at the first rebalance and -0.005 at the next; b stays at +0.004, c is negative.
  const first = new Map([
    ['a', fromReturns([0.01, -0.0098])],
    ['b', fromReturns([0.01, -0.0099])],
    ['c', fromReturns([-0.01, -0.02])],
  ]);
  const second = new Map([...first, ['a', fromReturns([-0.0098, 0.0097])]]);

  it('does not swing a sleeve from the largest share to nothing when its trailing Sharpe crosses zero', () => {
    const start = targetWeights(sleeves, { kind: 'performance', lookback: 2 }).weights;
    const one = targetWeights(sleeves, { kind: 'performance', lookback: 2 }, first, start);
    const two = targetWeights(sleeves, { kind: 'performance', lookback: 2 }, second, one.weights);
    // Shrunk half-way to equal weights and moved at most 0.1 per rebalance (the defaults).
    for (const [before, after] of [[start, one.weights], [one.weights, two.weights]] as const) {
      for (const s of sleeves) expect(Math.abs(after.get(s.id)!.toNumber() - before.get(s.id)!.toNumber())).toBeLessThanOrEqual(0.1 + 1e-6);
      expect([...after.values()].reduce((x, y) => x.add(y)).toPlainString()).toBe('1');
    }
    // a's Sharpe share 0.6678 is shrunk to 0.5006, and from its equal start it moves the 0.1 step, the others 59.80%
    // of their way along with it; then a's share drops to 0 (0.1667 shrunk) and b's change (to 0.6667) is the step.
    expect(plain(one.weights)).toEqual({ a: '0.433334', b: '0.332999', c: '0.233667' });
    expect(plain(two.weights)).toEqual({ a: '0.353414', b: '0.432999', c: '0.213587' });
    expect(one.reasons).toContain('shrink 0.5 toward equal weights (each weight 0.5 × its Sharpe share + 0.5 × 1/3): a 0.6678 → 0.5006, b 0.3322 → 0.3328, c 0 → 0.1667');
    expect(two.reasons.at(-1)).toBe('maxStep 0.1: the largest change, b 0.332999 → 0.666666, is held to 0.1, so every sleeve moves 29.97% of the way from its previous target');
  });

  it('steps toward the equal fallback too when no sleeve has a positive Sharpe ratio', () => {
    const previous = new Map([['a', '0.6'], ['b', '0.2'], ['c', '0.2']].map(([id, w]) => [id as string, Fixed.parse(w as string, 6)]));
    const losing = new Map([['a', [100, 99, 97]]]);
    const result = targetWeights(sleeves, { kind: 'performance', lookback: 2 }, losing, previous);
    expect(plain(result.weights)).toEqual({ a: '0.5', b: '0.25', c: '0.25' });
    expect(result.reasons).not.toContainEqual(expect.stringMatching(/^shrink/));
  });

  it('with shrink 0 and maxStep 1 weights by the Sharpe ratios alone, as the policy once did', () => {
    const policy = { kind: 'performance', lookback: 2, shrink: '0', maxStep: '1' } as const;
    const one = targetWeights(sleeves, policy, first);
    expect(plain(targetWeights(sleeves, policy, second, one.weights).weights)).toEqual({ a: '0', b: '1', c: '0' });
    expect(Number(one.weights.get('a')!.toPlainString())).toBeGreaterThan(0.66);
  });

  it('shrinks toward equal weights within the bounds and refuses options out of range by name', () => {
    const bounded = defineSleeves([sleeve('a', { maxWeight: '0.4' }), sleeve('b'), sleeve('c')]);
    const series = new Map([['a', [100, 101, 104.03]], ['b', [100, 101, 103.02]], ['c', [100, 99, 97]]]);
    // Sharpe shares a 0.4, b 0.6, c 0; a quarter shrink: a 0.3833, b 0.5333, c 0.0833 (a stays under its 0.4 cap).
    const result = targetWeights(bounded, { kind: 'performance', lookback: 2, shrink: '0.25', maxStep: '1' }, series);
    expect(plain(result.weights)).toEqual({ a: '0.383334', b: '0.533333', c: '0.083333' });
    expect(() => targetWeights(bounded, { kind: 'performance', lookback: 2, shrink: '1.5' }, series)).toThrow('shrink: must be a fraction from 0 to 1, got 1.5');
    expect(() => targetWeights(bounded, { kind: 'performance', lookback: 2, maxStep: '0' }, series)).toThrow('maxStep: must be a fraction above 0 and at most 1, got 0');
    expect(() => targetWeights(bounded, { kind: 'performance', lookback: 2, shrink: 'half' }, series)).toThrow('shrink: must be a fraction from 0 to 1, got half');
  });
});
