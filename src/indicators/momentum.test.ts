import { describe, expect, it } from 'vitest';
import { CCI } from './cci.js';
import { DMI } from './dmi.js';
import { MACD } from './macd.js';
import { ROC } from './roc.js';
import { RSI } from './rsi.js';
import { Stochastic } from './stochastic.js';

/** Wilder's RSI example (the 14-day table StockCharts publishes for 44.34, 44.09, ...). */
const WILDER_CLOSES = [
  44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.1, 45.42, 45.84, 46.08, 45.89, 46.03, 45.61, 46.28, 46.28, 46.0, 46.03, 46.41, 46.22, 45.64,
  46.21, 46.25, 45.71, 46.45, 45.78, 45.35, 44.03, 44.18, 44.22, 44.57, 43.42, 42.66, 43.13,
];
/**
 * RSI(14) of those closes, computed without rounding. StockCharts' table shows 70.53, 66.32, ... because it
 * rounds the average gain and loss to two decimals; unrounded Wilder smoothing gives these.
 */
const WILDER_RSI = [70.46, 66.25, 66.48, 69.35, 66.29, 57.92, 62.88, 63.21, 56.01, 62.34, 54.67, 50.39, 40.02, 41.49, 41.9, 45.5, 37.32, 33.09, 37.79];

describe('RSI', () => {
  it("reproduces Wilder's example with unrounded smoothing", () => {
    const rsi = new RSI(14);
    expect(rsi.warmup).toBe(15);
    const out = WILDER_CLOSES.map((x) => rsi.update(x));
    expect(out.slice(0, 14)).toEqual(Array.from({ length: 14 }, () => undefined));
    expect(out.slice(14).map((x) => Math.round((x as number) * 100) / 100)).toEqual(WILDER_RSI);
  });

  it('seeds with the plain average of the first n changes, then smooths the Wilder way (hand-computed)', () => {
    const rsi = new RSI(2);
    // Changes +1, +1, -1, +2. Seed: gain 1, loss 0 -> 100. Then gain (1 + 0) / 2, loss (0 + 1) / 2 -> 50.
    // Then gain (0.5 + 2) / 2 = 1.25, loss (0.5 + 0) / 2 = 0.25 -> RS 5 -> 100 - 100 / 6.
    expect([1, 2, 3, 2, 4].map((x) => rsi.update(x))).toEqual([undefined, undefined, 100, 50, 100 - 100 / 6]);
  });

  it('is 50 for a price that has never moved and 0 for one that only falls', () => {
    const flat = new RSI(3);
    expect([5, 5, 5, 5, 5].map((x) => flat.update(x)).at(-1)).toBe(50);
    const falling = new RSI(3);
    expect([5, 4, 3, 2, 1].map((x) => falling.update(x)).at(-1)).toBe(0);
  });
  it('carries a NaN price forward for good, as the recursive averages it is built on do', () => {
    const early = new RSI(2);
    expect([1, 2, Number.NaN, 3, 4, 5, 6].map((x) => early.update(x))).toEqual([undefined, undefined, Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
    const late = new RSI(2);
    expect([1, 2, 3, Number.NaN, 4, 5].map((x) => late.update(x))).toEqual([undefined, undefined, 100, Number.NaN, Number.NaN, Number.NaN]);
    expect(late.value).toBeNaN();
    late.reset();
    expect([1, 2, 3].map((x) => late.update(x))).toEqual([undefined, undefined, 100]);
  });
});

describe('MACD', () => {
  it('starts with the slow EMA and its signal is an SMA-seeded EMA of the line', () => {
    const macd = new MACD(2, 3, 2);
    expect(macd.warmup).toBe(4);
    // EMA(2) of 1, 2, 3, ... lags by 0.5 and EMA(3) by 1 (both seeded with their SMA), so the line is 0.5 from the
    // third value on; the signal is seeded with the mean of the first two line values.
    const out = [1, 2, 3, 4, 5].map((x) => {
      const r = macd.update(x);
      return r === undefined ? undefined : { ...r };
    });
    expect(out.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(out[3]).toEqual({ line: 0.5, signal: 0.5, histogram: 0 });
    expect(out[4]).toEqual({ line: 0.5, signal: 0.5, histogram: 0 });
    // A jump: EMA(2) = 2/3 * 11 + 1/3 * 4.5 = 8.8333..., EMA(3) = 0.5 * 11 + 0.5 * 4 = 7.5.
    const r = macd.update(11) as { line: number; signal: number; histogram: number };
    expect(r.line).toBeCloseTo(8.5 + 1 / 3 - 7.5, 12);
    expect(r.signal).toBeCloseTo((2 / 3) * r.line + (1 / 3) * 0.5, 12);
    expect(r.histogram).toBeCloseTo(r.line - r.signal, 15);
  });

  it('rejects a fast period that is not below the slow one', () => {
    expect(() => new MACD(26, 12, 9)).toThrow('MACD fast period (26) must be below the slow period (12)');
  });
});

describe('Stochastic', () => {
  it('computes raw %K over the range, then smooths %K and %D with SMAs', () => {
    const stochastic = new Stochastic(3, 2, 2);
    expect(stochastic.warmup).toBe(5);
    const bars: [number, number, number][] = [
      [10, 8, 9],
      [11, 9, 10],
      [12, 10, 11], // range 8..12: raw (11 - 8) / 4 = 75
      [12, 9, 9], // range 9..12: raw 0
      [13, 11, 13], // range 9..13: raw 100; %K = (0 + 100) / 2 = 50, previous %K (75 + 0) / 2 = 37.5
    ];
    const out = bars.map(([h, l, c]) => {
      const r = stochastic.update(h, l, c);
      return r === undefined ? undefined : { ...r };
    });
    expect(out.slice(0, 4)).toEqual([undefined, undefined, undefined, undefined]);
    expect(out[4]).toEqual({ k: 50, d: (37.5 + 50) / 2 });
  });

  it('gives 50 when the range is flat', () => {
    const stochastic = new Stochastic(2, 1, 1);
    stochastic.update(5, 5, 5);
    expect(stochastic.update(5, 5, 5)).toEqual({ k: 50, d: 50 });
  });

  it('gives NaN for a NaN close on a flat range, as on any other, and 50 again once it has left', () => {
    const k = (stochastic: Stochastic, bars: readonly (readonly [number, number, number])[]): (number | undefined)[] => bars.map(([h, l, c]) => stochastic.update(h, l, c)?.k);
    const flat = [[10, 10, 10], [10, 10, 10], [10, 10, 10], [10, 10, Number.NaN], [10, 10, 10]] as const;
    expect(k(new Stochastic(3, 1, 1), flat)).toEqual([undefined, undefined, 50, Number.NaN, 50]);
    const ranged = [[11, 9, 10], [11, 9, 10], [11, 9, 10], [11, 9, Number.NaN], [11, 9, 10]] as const;
    expect(k(new Stochastic(3, 1, 1), ranged)).toEqual([undefined, undefined, 50, Number.NaN, 50]);
    expect(k(new Stochastic(3, 1, 1), [...flat.slice(0, 3), [10, 10, Number.POSITIVE_INFINITY]])).toEqual([undefined, undefined, 50, Number.NaN]);
  });
});

describe('DMI / ADX', () => {
  it('follows Wilder: DM and TR from the second bar, RMA smoothing, ADX seeded with the mean of n DX', () => {
    const dmi = new DMI(2);
    expect(dmi.warmup).toBe(4);
    const bars: [number, number, number][] = [
      [10, 9, 9.5],
      [11, 9.5, 10.5], // +DM 1, TR 1.5
      [11.5, 10, 11], // +DM 0.5, TR 1.5 -> smoothed +DM 0.75, -DM 0, TR 1.5: +DI 50, -DI 0, DX 100
      [11, 9, 9.5], // -DM 1, TR 2 -> TR 1.75, +DM 0.375, -DM 0.5: DX 100 * (50 - 37.5) / 87.5; ADX (100 + DX) / 2
      [10, 8, 8.5], // -DM 1, TR 2 -> TR 1.875, +DM 0.1875, -DM 0.75: +DI 10, -DI 40, DX 60
      [11, 7, 10], // up == down == 1: a tie gives both 0; TR 4 -> DX stays 60 (the ratio of the DMs is unchanged)
    ];
    const out = bars.map(([h, l, c]) => {
      dmi.update(h, l, c);
      return { plus: dmi.plusDI, minus: dmi.minusDI, dx: dmi.dx, adx: dmi.adx };
    });
    expect(out[1]).toEqual({ plus: undefined, minus: undefined, dx: undefined, adx: undefined });
    expect(out[2]).toEqual({ plus: 50, minus: 0, dx: 100, adx: undefined });
    const dx3 = (100 * (0.5 - 0.375)) / (0.5 + 0.375);
    expect(out[3]?.plus).toBeCloseTo(37.5 / 1.75, 12);
    expect(out[3]?.minus).toBeCloseTo(50 / 1.75, 12);
    expect(out[3]?.dx).toBeCloseTo(dx3, 12);
    expect(out[3]?.adx).toBeCloseTo((100 + dx3) / 2, 12);
    expect(out[4]?.plus).toBeCloseTo(10, 12);
    expect(out[4]?.minus).toBeCloseTo(40, 12);
    expect(out[4]?.dx).toBeCloseTo(60, 12);
    expect(out[4]?.adx).toBeCloseTo(((100 + dx3) / 2 + 60) / 2, 12);
    expect(out[5]?.dx).toBeCloseTo(60, 12);
    expect(out[5]?.plus).toBeCloseTo((100 * 0.09375) / 2.9375, 12);
  });
});

describe('CCI', () => {
  it('divides the distance from the mean by 0.015 times the mean deviation', () => {
    const cci = new CCI(3);
    // Typical prices 1, 2, 3: mean 2, mean deviation 2/3, CCI (3 - 2) / 0.01 = 100.
    expect([1, 2, 3].map((x) => cci.update(x, x, x))).toEqual([undefined, undefined, (3 - 2) / (0.015 * (2 / 3))]);
    // Typical prices 2, 3, 1: mean 2, CCI -100.
    expect(cci.update(3, 0, 0)).toBeCloseTo(-100, 10);
  });

  it('is 0 when the window has no deviation', () => {
    const cci = new CCI(2);
    cci.update(4, 4, 4);
    expect(cci.update(4, 4, 4)).toBe(0);
  });

  it('is exactly 0 on a flat window whose rounded mean is a step off the price', () => {
    // 20 bars at 123456.789: the window sum / 20 rounds one step below the typical price.
    const flat = new CCI(20);
    for (let i = 0; i < 19; i++) flat.update(123456.789, 123456.789, 123456.789);
    expect(flat.update(123456.789, 123456.789, 123456.789)).toBe(0);
    // UNITTEST/BTC 1m from 1510122060000: one bar whose high is 0.00186345, then flat at 0.0018634300000000001.
    const cci = new CCI(5);
    const price = 0.0018634300000000001;
    const bars: [number, number, number][] = [[0.00186345, price, price], ...Array.from({ length: 5 }, (): [number, number, number] => [price, price, price])];
    const out = bars.map(([high, low, close]) => cci.update(high, low, close));
    // One typical price d above four at p: mean p + d/5, mean deviation 8d/25, CCI -(d/5) / (0.015 * 8d/25) = -125/3.
    expect(out[4]).toBeCloseTo(-125 / 3, 12);
    expect(out[5]).toBe(0);
  });

  it('measures from the exact mean, so a window one rounding step wide gets its exact CCI', () => {
    const step = 2 ** -52;
    const cci = new CCI(4);
    for (const x of [1, 1, 1]) cci.update(x, x, x);
    // Typical prices 1, 1, 1, 1 + step: exact mean 1 + step / 4, mean deviation 3 step / 8, CCI (3 step / 4) / (0.015 * 3 step / 8) = 200 / 1.5.
    expect(cci.update(1 + step, 1 + step, 1 + step)).toBeCloseTo(200 / 1.5, 9);
  });
});

describe('ROC', () => {
  it('is the percent change over n bars', () => {
    const roc = new ROC(2);
    expect(roc.warmup).toBe(3);
    expect([10, 11, 12, 22, 6].map((x) => roc.update(x))).toEqual([undefined, undefined, 20, 100, -50]);
  });
});
