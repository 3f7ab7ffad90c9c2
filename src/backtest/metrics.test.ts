import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../core/errors.js';
import { computeMetrics, maxDrawdown, pointsPerYear, simpleReturns } from './metrics.js';
import type { MetricsInput } from './metrics.js';
import type { BacktestMetrics, BacktestTrade } from './result.js';

const DAY = 86_400_000;

function trade(pnl: number): BacktestTrade {
  return {
    instrument: 'TEST:BTC/USDT',
    direction: 'long',
    entryTs: 0,
    exitTs: DAY,
    qty: 1,
    entryPrice: 100,
    exitPrice: 100 + pnl,
    pnl,
    fees: 0,
    returnPct: pnl / 100,
    bars: 1,
  };
}

function input(equity: readonly number[], overrides: Partial<MetricsInput> = {}): MetricsInput {
  return {
    equity: Float64Array.from(equity),
    ts: Float64Array.from(equity, (_, i) => i * DAY),
    barsPerYear: 365,
    trades: [],
    feesPaid: 0,
    fundingPaid: 0,
    exposureBars: 0,
    tradedNotional: 0,
    benchmark: { firstClose: 1, lastClose: 1 },
    trials: 1,
    bootstrap: { samples: 200, seed: 7 },
    ...overrides,
  };
}

/** Every metric is a number and none is NaN (profit factor may be Infinity, as documented). */
function expectNoNaN(metrics: BacktestMetrics): void {
  for (const [key, value] of Object.entries(metrics)) {
    if (typeof value === 'number') expect(value, key).not.toBeNaN();
    else for (const [inner, v] of Object.entries(value as object)) expect(v, `${key}.${inner}`).not.toBeNaN();
  }
}

// Straightforward reference implementations on plain arrays, written separately from metrics.ts.
function referenceReturns(equity: readonly number[]): number[] {
  return equity.slice(1).map((value, i) => value / equity[i]! - 1);
}
function referenceMean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
function referenceSharpe(equity: readonly number[], barsPerYear: number): number {
  const r = referenceReturns(equity);
  const mean = referenceMean(r);
  const variance = r.reduce((a, x) => a + (x - mean) ** 2, 0) / (r.length - 1);
  return (mean / Math.sqrt(variance)) * Math.sqrt(barsPerYear);
}
function referenceSortino(equity: readonly number[], barsPerYear: number): number {
  const r = referenceReturns(equity);
  const downside = Math.sqrt(r.reduce((a, x) => a + Math.min(x, 0) ** 2, 0) / r.length);
  return (referenceMean(r) / downside) * Math.sqrt(barsPerYear);
}
function referenceMaxDrawdown(equity: readonly number[]): number {
  let worst = 0;
  for (let i = 0; i < equity.length; i++) {
    const peak = Math.max(...equity.slice(0, i + 1));
    worst = Math.max(worst, 1 - equity[i]! / peak);
  }
  return worst;
}
/** O(n^2): from each running-peak point, scan forward to the first point back at or above it. */
function referenceDrawdownDuration(equity: readonly number[], ts: readonly number[]): number {
  let longest = 0;
  for (let j = 0; j < equity.length - 1; j++) {
    const isPeak = equity.slice(0, j).every((e) => e <= equity[j]!);
    if (!isPeak || equity[j + 1]! >= equity[j]!) continue;
    let end = equity.length - 1;
    for (let t = j + 1; t < equity.length; t++) {
      if (equity[t]! >= equity[j]!) {
        end = t;
        break;
      }
    }
    longest = Math.max(longest, ts[end]! - ts[j]!);
  }
  return longest;
}

describe('computeMetrics on a worked example', () => {
  // Returns 0.2, -0.25, 0.2, 0.25: mean 0.1, sample variance 0.165 / 3 = 0.055, downside RMS sqrt(0.0625 / 4).
  const equity = [100, 120, 90, 108, 135];
  const metrics = computeMetrics(
    input(equity, {
      barsPerYear: 4,
      trades: [trade(10), trade(-5), trade(0), trade(20), trade(-15)],
      feesPaid: 3.5,
      fundingPaid: -1.25,
      exposureBars: 3,
      tradedNotional: 1000,
      benchmark: { firstClose: 50, lastClose: 60 },
      trials: 1,
    }),
  );

  it('computes returns, volatility and the risk-adjusted ratios', () => {
    expect(metrics.totalReturn).toBeCloseTo(0.35, 14);
    expect(metrics.annualisedReturn).toBeCloseTo(0.35, 14); // 4 returns at 4 bars a year: exactly one year
    expect(metrics.volatility).toBeCloseTo(Math.sqrt(0.055) * 2, 14);
    expect(metrics.sharpe).toBeCloseTo((0.1 / Math.sqrt(0.055)) * 2, 14);
    expect(metrics.sortino).toBeCloseTo((0.1 / 0.125) * 2, 14); // 1.6
    expect(metrics.maxDrawdown).toBeCloseTo(0.25, 15); // 120 -> 90
    expect(metrics.maxDrawdownDurationMs).toBe(3 * DAY); // peak at day 1, back above 120 on day 4
    expect(metrics.calmar).toBeCloseTo(0.35 / 0.25, 14);
  });

  it('computes the trade statistics', () => {
    expect(metrics.trades).toBe(5);
    expect(metrics.winRate).toBeCloseTo(0.4, 15); // the zero-pnl trade counts in the denominator only
    expect(metrics.profitFactor).toBeCloseTo(30 / 20, 15);
    expect(metrics.expectancy).toBeCloseTo(2, 15);
    expect(metrics.averageWin).toBeCloseTo(15, 15);
    expect(metrics.averageLoss).toBeCloseTo(-10, 15);
  });

  it('computes exposure, turnover, costs and the buy-and-hold comparison', () => {
    expect(metrics.exposure).toBeCloseTo(3 / 5, 15);
    expect(metrics.turnover).toBeCloseTo(1000 / (553 / 5), 12);
    expect(metrics.feesPaid).toBe(3.5);
    expect(metrics.fundingPaid).toBe(-1.25);
    expect(metrics.buyAndHoldReturn).toBeCloseTo(0.2, 15);
  });

  it('computes the deflated Sharpe ratio from the moments of the returns', () => {
    // Independently with scipy: SR = 0.42640143271122094, skew -1.1190135543575699, kurtosis 2.308539944903581,
    // PSR(0) = Phi(SR sqrt(3) / sqrt(1 - skew SR + (kurt - 1)/4 SR^2)) = 0.7243430128058113.
    expect(metrics.deflatedSharpe).toBeCloseTo(0.7243430128058113, 12);
    expect(metrics.trials).toBe(1);
    // Ten trials, V = 1/(T-1) = 1/3: SR0 = sqrt(1/3) x 1.57459830134575 = 0.9090947531474962.
    const tenTrials = computeMetrics(input(equity, { barsPerYear: 4, trials: 10 }));
    expect(tenTrials.deflatedSharpe).toBeCloseTo(0.250013729383664, 12);
    expect(tenTrials.trials).toBe(10);
  });

  it('brackets the point Sharpe with its bootstrap interval', () => {
    expect(metrics.sharpeConfidence!.level).toBe(0.95);
    expect(metrics.sharpeConfidence!.low).toBeLessThan(metrics.sharpe);
    expect(metrics.sharpeConfidence!.high).toBeGreaterThan(metrics.sharpe);
  });
});

describe('max drawdown duration', () => {
  it('measures an unrecovered drawdown to the end and keeps the longest span', () => {
    const ts = [0, 1, 2, 3, 4, 5].map((d) => d * DAY);
    // 100 -> 80 recovers at day 3 (3 days); 120 -> 110 never recovers (2 days to the end).
    expect(maxDrawdown([100, 80, 90, 120, 110, 115], ts)).toEqual({ maxDrawdown: 0.2, maxDrawdownDurationMs: 3 * DAY });
    // Same shape but the second drawdown lasts longer: 120 at day 1 until the end at day 5.
    expect(maxDrawdown([100, 120, 119, 118, 117, 116], ts).maxDrawdownDurationMs).toBe(4 * DAY);
  });

  it('starts at the last point at the peak, not the first', () => {
    expect(maxDrawdown([100, 100, 90, 100], [0, 1, 2, 3]).maxDrawdownDurationMs).toBe(2);
    expect(maxDrawdown([100, 100, 100], [0, 1, 2])).toEqual({ maxDrawdown: 0, maxDrawdownDurationMs: 0 });
  });

  it('uses timestamps, so a gap in the data counts as time', () => {
    expect(maxDrawdown([100, 90, 100], [0, 10, 1000]).maxDrawdownDurationMs).toBe(1000);
  });
});

describe('computeMetrics edge cases', () => {
  it('returns zeros, not NaN, for an empty run and a single bar', () => {
    for (const equity of [[], [1000]]) {
      const metrics = computeMetrics(input(equity));
      expectNoNaN(metrics);
      expect(metrics.totalReturn).toBe(0);
      expect(metrics.sharpe).toBe(0);
      expect(metrics.volatility).toBe(0);
      expect(metrics.deflatedSharpe).toBe(0);
      expect(metrics.sharpeConfidence).toEqual({ low: 0, high: 0, level: 0.95 });
    }
  });

  it('reports 0 for the ratios of a flat curve and of a constant-return curve', () => {
    const flat = computeMetrics(input([100, 100, 100, 100]));
    expectNoNaN(flat);
    expect([flat.sharpe, flat.sortino, flat.calmar, flat.volatility, flat.maxDrawdown]).toEqual([0, 0, 0, 0, 0]);
    const growth = computeMetrics(input(Array.from({ length: 50 }, (_, i) => 100 * 1.01 ** i)));
    expectNoNaN(growth);
    expect(growth.sharpe).toBe(0); // the deviation is rounding noise of 1e-16
    expect(growth.sortino).toBe(0); // no negative return
    expect(growth.calmar).toBe(0); // no drawdown
    expect(growth.deflatedSharpe).toBe(0);
    expect(growth.totalReturn).toBeCloseTo(1.01 ** 49 - 1, 12);
  });

  it('handles no trades and only winning trades', () => {
    const none = computeMetrics(input([100, 101, 99]));
    expect([none.winRate, none.profitFactor, none.expectancy, none.averageWin, none.averageLoss]).toEqual([0, 0, 0, 0, 0]);
    const winners = computeMetrics(input([100, 101, 99], { trades: [trade(5), trade(1)] }));
    expect(winners.profitFactor).toBe(Number.POSITIVE_INFINITY);
    expect(JSON.parse(JSON.stringify(winners)).profitFactor).toBeNull();
    expect(winners.winRate).toBe(1);
  });

  it('survives equity going negative: zero returns after ruin and a drawdown above 100%', () => {
    const metrics = computeMetrics(input([100, 50, -20, -10, 5]));
    expectNoNaN(metrics);
    expect(Array.from(simpleReturns(Float64Array.from([100, 50, -20, -10, 5])))).toEqual([-0.5, -1, 0, 0]);
    // Coming back above zero after ruin earns nothing: a ratio from a tiny base would make the loss a triumph.
    expect(Array.from(simpleReturns(Float64Array.from([100, -20, 5, 100])))).toEqual([-1, 0, 0]);
    const recovered = computeMetrics(input([100, 90, -20, 5, 100, 120]));
    expect(recovered.sharpe).toBeLessThan(0);
    expect(recovered.sortino).toBeLessThan(0);
    expect(metrics.totalReturn).toBeCloseTo(-0.95, 15);
    expect(metrics.maxDrawdown).toBeCloseTo(1.2, 15);
    expect(computeMetrics(input([100, 50, -20])).annualisedReturn).toBe(-1);
  });

  it('rejects malformed input', () => {
    expect(() => computeMetrics(input([1, 2], { ts: new Float64Array(3) }))).toThrow(FixRequestError);
    expect(() => computeMetrics(input([1, Number.NaN]))).toThrow(/equity\[1\]/);
    expect(() => computeMetrics(input([1, 2], { trials: 0 }))).toThrow(/trials/);
    expect(() => computeMetrics(input([1, 2], { barsPerYear: 0 }))).toThrow(/barsPerYear/);
    expect(() => computeMetrics(input([1, 2], { bootstrap: { seed: 1, level: 1 } }))).toThrow(/level/);
  });
});

const equityCurve = fc
  // Returns in steps of 0.1%: tiny non-zero returns would measure rounding noise instead of the property.
  .array(fc.integer({ min: -200, max: 250 }).map((permille) => permille / 1000), { minLength: 3, maxLength: 60 })
  .map((returns) => {
    const equity = [1000];
    for (const r of returns) equity.push(equity[equity.length - 1]! * (1 + r));
    return equity;
  })
  .filter((equity) => {
    const r = referenceReturns(equity);
    const mean = referenceMean(r);
    return r.some((x) => Math.abs(x - mean) > 1e-6);
  });

describe('computeMetrics properties', () => {
  it('agrees with the straightforward reference implementations', () => {
    fc.assert(
      fc.property(equityCurve, (equity) => {
        const ts = equity.map((_, i) => i * 3_600_000);
        const metrics = computeMetrics(input(equity, { ts: Float64Array.from(ts), barsPerYear: 8760 }));
        expect(metrics.sharpe).toBeCloseTo(referenceSharpe(equity, 8760), 8);
        if (referenceReturns(equity).some((r) => r < 0)) {
          expect(metrics.sortino).toBeCloseTo(referenceSortino(equity, 8760), 8);
        }
        expect(metrics.maxDrawdown).toBeCloseTo(referenceMaxDrawdown(equity), 12);
        expect(metrics.maxDrawdownDurationMs).toBe(referenceDrawdownDuration(equity, ts));
      }),
    );
  });

  it('leaves every ratio unchanged when equity is scaled by a constant', () => {
    fc.assert(
      fc.property(equityCurve, fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (equity, k) => {
        const base = computeMetrics(input(equity));
        const scaled = computeMetrics(input(equity.map((e) => e * k)));
        const close = (a: number, b: number): void => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(b)));
        close(scaled.totalReturn, base.totalReturn);
        close(scaled.annualisedReturn, base.annualisedReturn);
        close(scaled.volatility, base.volatility);
        close(scaled.sharpe, base.sharpe);
        close(scaled.sortino, base.sortino);
        close(scaled.calmar, base.calmar);
        close(scaled.maxDrawdown, base.maxDrawdown);
        close(scaled.deflatedSharpe, base.deflatedSharpe);
        close(scaled.sharpeConfidence!.low, base.sharpeConfidence!.low);
        close(scaled.sharpeConfidence!.high, base.sharpeConfidence!.high);
        expect(scaled.maxDrawdownDurationMs).toBe(base.maxDrawdownDurationMs);
      }),
    );
  });

  it('keeps max drawdown in [0, 1] and its duration within the run for positive equity', () => {
    fc.assert(
      fc.property(equityCurve, (equity) => {
        const metrics = computeMetrics(input(equity));
        expect(metrics.maxDrawdown).toBeGreaterThanOrEqual(0);
        expect(metrics.maxDrawdown).toBeLessThanOrEqual(1);
        expect(metrics.maxDrawdownDurationMs).toBeGreaterThanOrEqual(0);
        expect(metrics.maxDrawdownDurationMs).toBeLessThanOrEqual((equity.length - 1) * DAY);
        expectNoNaN(metrics);
      }),
    );
  });

  it('gives the same bootstrap interval for the same seed', () => {
    fc.assert(
      fc.property(equityCurve, fc.integer({ min: 0, max: 2 ** 31 }), (equity, seed) => {
        const first = computeMetrics(input(equity, { bootstrap: { samples: 100, seed, blockLength: 3 } }));
        const second = computeMetrics(input(equity, { bootstrap: { samples: 100, seed, blockLength: 3 } }));
        expect(second.sharpeConfidence).toEqual(first.sharpeConfidence);
        expect(first.sharpeConfidence!.low).toBeLessThanOrEqual(first.sharpeConfidence!.high);
      }),
    );
  });
});

describe('points per year', () => {
  const YEAR = 365 * DAY;

  it('is a year over the timeframe on gapless bars, and what the data holds on bars with closed days', () => {
    expect(pointsPerYear(Float64Array.from({ length: 25 }, (_, i) => i * 3_600_000), 1)).toBeCloseTo(8760, 9);
    // Weekday daily bars of 2023 (1970-01-01 was a Thursday): 260 bars from Monday 2 January to Friday 29 December.
    const first = Date.UTC(2023, 0, 2) / DAY;
    const weekdays: number[] = [];
    for (let day = first; day < first + 363; day++) if ((day + 4) % 7 >= 1 && (day + 4) % 7 <= 5) weekdays.push(day * DAY);
    expect(weekdays).toHaveLength(260);
    expect(pointsPerYear(weekdays, 365)).toBeCloseTo((259 * 365) / 361, 9);
    expect(pointsPerYear([5], 365)).toBe(365);
    expect(pointsPerYear([5, 5], 12)).toBe(12);
  });

  it('annualises the return over the calendar time the curve spans, gaps included', () => {
    // 30 daily points in January 2023 and 30 in January 2024, equity rising 3.37% in all.
    const ts = [...Array.from({ length: 30 }, (_, i) => i * DAY), ...Array.from({ length: 30 }, (_, i) => YEAR + i * DAY)];
    const equity = ts.map((_, i) => 100_000 * (1 + (0.0337 * i) / 59));
    const span = (ts[59] as number) - (ts[0] as number);
    const metrics = computeMetrics(input(equity, { ts: Float64Array.from(ts), barsPerYear: pointsPerYear(ts, 365) }));
    expect(metrics.annualisedReturn).toBeCloseTo(1.0337 ** (YEAR / span) - 1, 12);
    expect(metrics.annualisedReturn).toBeCloseTo(0.0312, 4);
  });
});
