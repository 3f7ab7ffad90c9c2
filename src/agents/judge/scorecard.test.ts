import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../core/random.js';
import { FixRequestError } from '../../core/errors.js';
import { DEFAULT_SCORECARD_CONFIG, computeScorecard, interpolate, type ResolvedDecision, type Scorecard } from './scorecard.js';

const eq = (values: number[]): Float64Array => Float64Array.from(values);
const fromReturns = (start: number, returns: number[]): Float64Array => {
  const out = [start];
  for (const r of returns) out.push((out[out.length - 1] as number) * (1 + r));
  return eq(out);
};
const d = (direction: ResolvedDecision['direction'], conviction: number, outcomeReturn: number): ResolvedDecision => ({
  ts: 0,
  direction,
  conviction,
  outcomeReturn,
});

function expectBounded(card: Scorecard): void {
  for (const value of [card.total, ...Object.values(card.subScores)]) {
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThanOrEqual(100);
  }
}

describe('computeScorecard — worked example', () => {
  // equity 100 → 110 → 99 → 108.9: returns +10%, −10%, +10%; barsPerYear 3, so n = 3 periods is one year.
  // Returns: G = 1.089, A = 1.089^(3/3) − 1 = 8.9%; curve between (0, 40) and (0.2, 65): 40 + 25 · 0.089 / 0.2 = 51.125.
  // Risk: max drawdown 1 − 99/110 = 10%, budget 20% → 100 · (1 − 0.1/0.4) = 75.
  //   returns mean 1/30, deviations 1/15, −2/15, 1/15 → Σ² = 0.0266…, / 2 = 0.01333…, sd = 0.11547, × √3 = 0.2 (20%).
  //   budget 60% → 100 · (1 − 0.2/1.2) = 83.333…; risk = (75 + 83.333)/2 = 79.1667.
  // Decisions (k = 2): long 0.8 hit, short 0.6 miss, long 0.7 hit, flat ignored: m = 3, h = 2.
  //   p̃ = (2 + 1)/(3 + 2) = 0.6 → 50 + 250 · 0.1 = 75.
  //   Brier Σ = 0.04 + 0.36 + 0.09 = 0.49 → B = 0.16333; B̃ = (0.49 + 0.5)/5 = 0.198 → 100 · (1 − 0.396) = 60.4.
  //   decision quality = (75 + 60.4)/2 = 67.7.
  //   buckets: [.6,.8): 2 calls, mean conviction .65, hit rate .5; [.8,1]: 1 call, .8, 1.
  //   ECE = (2/3)|.5 − .65| + (1/3)|1 − .8| = 0.1 + 0.0667 = 0.16667.
  // Consistency (subPeriodBars 2): one complete sub-period (+10%, −10%) → 1.1 · 0.9 − 1 = −1%, not positive.
  //   q = (0 + 0 + 1)/(1 + 2) = 1/3 → 33.333; stability with one sub-period: 50 → consistency 41.6667.
  // Total = 0.3 · 51.125 + 0.25 · 79.1667 + 0.25 · 67.7 + 0.2 · 41.6667 = 15.3375 + 19.7917 + 16.925 + 8.3333 = 60.3875.
  const card = computeScorecard(
    {
      equity: eq([100, 110, 99, 108.9]),
      decisions: [d('long', 0.8, 0.02), d('short', 0.6, -0.01), d('long', 0.7, 0.03), d('flat', 0.5, 0.05)],
      barsPerYear: 3,
    },
    { ...DEFAULT_SCORECARD_CONFIG, priorStrength: 2, subPeriodBars: 2 },
  );

  it('computes each sub-score as worked by hand', () => {
    expect(card.metrics.annualisedReturn).toBeCloseTo(0.089, 10);
    expect(card.subScores.returns).toBeCloseTo(51.125, 8);
    expect(card.metrics.maxDrawdown).toBeCloseTo(0.1, 10);
    expect(card.metrics.annualisedVolatility).toBeCloseTo(0.2, 10);
    expect(card.subScores.risk).toBeCloseTo(79.16667, 4);
    expect(card.metrics.directionalDecisions).toBe(3);
    expect(card.metrics.shrunkHitRate).toBeCloseTo(0.6, 10);
    expect(card.metrics.shrunkBrier).toBeCloseTo(0.198, 10);
    expect(card.subScores.decisionQuality).toBeCloseTo(67.7, 8);
    expect(card.metrics.expectedCalibrationError).toBeCloseTo(1 / 6, 10);
    expect(card.metrics.reliability[3]).toMatchObject({ count: 2, hitRate: 0.5 });
    expect(card.metrics.reliability[3]?.meanConviction).toBeCloseTo(0.65, 10);
    expect(card.metrics.reliability[4]).toMatchObject({ count: 1, meanConviction: 0.8, hitRate: 1 });
    expect(card.subScores.consistency).toBeCloseTo(41.66667, 4);
    expect(card.total).toBeCloseTo(60.3875, 4);
  });

  it('explains every sub-score and the total with its numbers', () => {
    expect(card.reasons).toHaveLength(5);
    expect(card.reasons[0]).toContain('annualised 8.90%');
    expect(card.reasons[1]).toContain('max drawdown 10.00%');
    expect(card.reasons[2]).toContain('2 of 3 directional calls right');
    expect(card.reasons[3]).toContain('0 of 1 sub-periods');
    expect(card.reasons[4]).toContain('total 60.4/100');
  });
});

describe('computeScorecard — consistency', () => {
  // Returns 1%, 3% | 2%, 2% | −1%, 1% in sub-periods of 2.
  // Sub-period returns: 4.03%, 4.04%, −0.01% → 2 positive: q = (2 + 1)/(3 + 2) = 0.6 → 60.
  // Sharpes: (mean .02 / sd .014142) = 1.41421; sd 0 → 0; mean 0 → 0. Their sd: mean .4714,
  //   √((.9428² + 2 · .4714²)/2) = √(0.6667) = 0.8165 → stability 100 · (1 − 0.8165) = 18.35.
  // Consistency = (60 + 18.35)/2 = 39.175.
  it('scores the positive share and the stability of sub-period Sharpe', () => {
    const card = computeScorecard(
      { equity: fromReturns(100, [0.01, 0.03, 0.02, 0.02, -0.01, 0.01]), decisions: [], barsPerYear: 365 },
      { ...DEFAULT_SCORECARD_CONFIG, subPeriodBars: 2 },
    );
    expect(card.metrics.subPeriods).toBe(3);
    expect(card.metrics.positiveSubPeriods).toBe(2);
    expect(card.metrics.subPeriodSharpeDispersion).toBeCloseTo(Math.sqrt(2 / 3), 6);
    expect(card.subScores.consistency).toBeCloseTo((60 + 100 * (1 - Math.sqrt(2 / 3))) / 2, 6);
  });
});

describe('computeScorecard — edge cases', () => {
  // One point: A = 0 → 40; no drawdown or volatility → 100; no decisions → 50; no sub-periods → (50 + 50)/2 = 50.
  // Total = 0.3 · 40 + 0.25 · 100 + 0.25 · 50 + 0.2 · 50 = 12 + 25 + 12.5 + 10 = 59.5.
  it('one equity point and no decisions give defined values', () => {
    const card = computeScorecard({ equity: eq([100]), decisions: [], barsPerYear: 365 });
    expect(card.subScores).toEqual({ returns: 40, risk: 100, decisionQuality: 50, consistency: 50 });
    expect(card.total).toBeCloseTo(59.5, 10);
    expect(card.metrics.sharpe).toBe(0);
  });

  // Flat equity, 9 zero returns, default sub-period round(365/52) = 7: one sub-period with R = 0 counts half:
  // q = (0 + 0.5 + 1)/(1 + 2) = 0.5 → 50; stability 50 → the same 59.5.
  it('flat equity is neither good nor bad', () => {
    const card = computeScorecard({ equity: eq(Array<number>(10).fill(100)), decisions: [], barsPerYear: 365 });
    expect(card.metrics.subPeriodBars).toBe(7);
    expect(card.subScores).toEqual({ returns: 40, risk: 100, decisionQuality: 50, consistency: 50 });
    expect(card.total).toBeCloseTo(59.5, 10);
  });

  it('ruin (equity to 0) scores returns 0 and stays finite', () => {
    const card = computeScorecard({ equity: eq([100, 50, 0, 0]), decisions: [d('long', 1, -0.5)], barsPerYear: 365 });
    expect(card.metrics.annualisedReturn).toBe(-1);
    expect(card.subScores.returns).toBe(0);
    expect(card.metrics.maxDrawdown).toBe(1);
    expectBounded(card);
  });

  it('a huge short-run return is capped, not infinite', () => {
    const card = computeScorecard({ equity: eq([100, 1000]), decisions: [], barsPerYear: 525_600 });
    expect(card.metrics.annualisedReturn).toBe(1e6);
    expect(card.subScores.returns).toBe(100);
  });

  it('rejects bad input and config, naming the problem', () => {
    expect(() => computeScorecard({ equity: eq([]), decisions: [], barsPerYear: 365 })).toThrow(FixRequestError);
    expect(() => computeScorecard({ equity: eq([100, Number.NaN]), decisions: [], barsPerYear: 365 })).toThrow(/equity\[1\]/);
    expect(() => computeScorecard({ equity: eq([100]), decisions: [d('long', 1.5, 0)], barsPerYear: 365 })).toThrow(/conviction/);
    expect(() =>
      computeScorecard({ equity: eq([100]), decisions: [], barsPerYear: 365 }, {
        ...DEFAULT_SCORECARD_CONFIG,
        weights: { returns: 0.5, risk: 0.5, decisionQuality: 0.5, consistency: 0 },
      }),
    ).toThrow(/sum to/);
    expect(() =>
      computeScorecard({ equity: eq([100]), decisions: [], barsPerYear: 365 }, {
        ...DEFAULT_SCORECARD_CONFIG,
        returnsCurve: [{ x: 0, y: 50 }, { x: 1, y: 40 }],
      }),
    ).toThrow(/must not decrease/);
  });
});

describe('computeScorecard — properties', () => {
  function randomCase(rng: SeededRandom): { equity: Float64Array; decisions: ResolvedDecision[]; barsPerYear: number } {
    const n = rng.int(0, 120);
    const vol = rng.next() * 0.2;
    const returns = Array.from({ length: n }, () => Math.max(-0.99, rng.normal() * vol));
    const decisions = Array.from({ length: rng.int(0, 40) }, () =>
      d((['long', 'short', 'flat'] as const)[rng.int(0, 2)] ?? 'long', rng.next(), rng.normal() * 0.05),
    );
    return { equity: fromReturns(100, returns), decisions, barsPerYear: [12, 52, 365, 8760][rng.int(0, 3)] ?? 365 };
  }

  it('every score is finite and within 0..100', () => {
    const rng = new SeededRandom(7);
    for (let i = 0; i < 300; i++) expectBounded(computeScorecard(randomCase(rng)));
  });

  it('better returns never lower the returns sub-score', () => {
    const rng = new SeededRandom(11);
    for (let i = 0; i < 300; i++) {
      const c = randomCase(rng);
      if (c.equity.length < 2) continue;
      const better = Float64Array.from(c.equity);
      better[better.length - 1] = (better[better.length - 1] as number) * (1 + rng.next());
      const before = computeScorecard(c).subScores.returns;
      const after = computeScorecard({ ...c, equity: better }).subScores.returns;
      expect(after).toBeGreaterThanOrEqual(before);
    }
  });

  it('the returns curve is monotone and flat beyond its ends', () => {
    const curve = DEFAULT_SCORECARD_CONFIG.returnsCurve;
    let previous = -Infinity;
    for (let x = -1; x <= 2; x += 0.01) {
      const y = interpolate(curve, x);
      expect(y).toBeGreaterThanOrEqual(previous);
      previous = y;
    }
    expect(interpolate(curve, -5)).toBe(0);
    expect(interpolate(curve, 5)).toBe(100);
    expect(interpolate(curve, 0.35)).toBeCloseTo(75, 10); // halfway between (0.2, 65) and (0.5, 85)
  });
});
