import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BollingerBands } from './bollinger.js';
import { RollingBeta, RollingCorrelation } from './correlation.js';
import { DonchianChannels, Highest, Lowest } from './extremes.js';
import { StandardDeviation, ZScore } from './statistics.js';
import { ATR, TrueRange } from './true-range.js';
import { VWAP } from './vwap.js';

describe('true range and ATR', () => {
  const bars: [number, number, number][] = [
    [10, 8, 9], // first bar: high - low = 2
    [11, 9, 10.5], // max(2, |11 - 9|, |9 - 9|) = 2
    [12, 10, 11], // max(2, 1.5, 0.5) = 2
    [11.5, 9, 9.5], // max(2.5, 0.5, 2) = 2.5
    [15, 14, 14.5], // gap up: max(1, 5.5, 4.5) = 5.5
  ];

  it('takes high - low on the first bar and the gap to the previous close after it', () => {
    const tr = new TrueRange();
    expect(tr.value).toBeUndefined();
    expect(bars.map(([h, l, c]) => tr.update(h, l, c))).toEqual([2, 2, 2, 2.5, 5.5]);
  });

  it('averages the first n true ranges, then smooths them the Wilder way', () => {
    const atr = new ATR(2);
    expect(atr.warmup).toBe(2);
    expect(bars.map(([h, l, c]) => atr.update(h, l, c))).toEqual([undefined, 2, 2, 2.25, (2.25 + 5.5) / 2]);
  });
});

describe('Bollinger Bands', () => {
  it('puts the bands k population standard deviations around the SMA', () => {
    const bands = new BollingerBands(5, 2);
    const out = [1, 2, 3, 4].map((x) => bands.update(x));
    expect(out).toEqual([undefined, undefined, undefined, undefined]);
    // Mean 3, population variance (4 + 1 + 0 + 1 + 4) / 5 = 2.
    expect(bands.update(5)).toEqual({ middle: 3, standardDeviation: Math.SQRT2, upper: 3 + 2 * Math.SQRT2, lower: 3 - 2 * Math.SQRT2 });
  });

  it('collapses onto the price for a flat window, with no negative variance', () => {
    const bands = new BollingerBands(3, 2);
    for (const x of [0.3, 0.1, 0.1, 0.1]) bands.update(x);
    // The middle is the SMA's fsum / n: fl(0.1 * 3) / 3, one ulp above 0.1.
    const middle = 0.30000000000000004 / 3;
    expect(bands.value).toEqual({ middle, standardDeviation: 0, upper: middle, lower: middle });
  });

  it('gives the same bands after push, once read, as update does', () => {
    const updated = new BollingerBands(4, 1.5);
    const pushed = new BollingerBands(4, 1.5);
    const closes = [101.25, 99.5, 100.75, 102, 98.25, 100.5, 103.75, 97];
    for (const [i, close] of closes.entries()) {
      const bands = updated.update(close);
      const middle = pushed.push(close);
      expect(middle).toBe(bands?.middle);
      if (i % 2 === 0) expect(pushed.value).toEqual(bands);
    }
    expect(pushed.value).toEqual(updated.value);
  });
});

describe('standard deviation and z-score', () => {
  it('gives the population standard deviation and the z-score of the newest value', () => {
    const sd = new StandardDeviation(4);
    const z = new ZScore(4);
    const values = [2, 4, 4, 4, 5, 5, 7, 9];
    const sds = values.map((x) => sd.update(x));
    const zs = values.map((x) => z.update(x));
    // Window 5, 5, 7, 9: mean 6.5, variance (2.25 + 2.25 + 0.25 + 6.25) / 4 = 2.75.
    expect(sds.at(-1)).toBe(Math.sqrt(2.75));
    expect(zs.at(-1)).toBe((9 - 6.5) / Math.sqrt(2.75));
    expect(z.mean).toBe(6.5);
    // Window 2, 4, 4, 4: mean 3.5, variance 0.75.
    expect(sds[3]).toBe(Math.sqrt(0.75));
  });

  it('gives a z-score of 0 for a window without variance', () => {
    const z = new ZScore(3);
    for (const x of [1, 1, 1]) z.update(x);
    expect(z.value).toBe(0);
  });

  it('agrees with a two-pass computation on random windows (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.001, max: 1e6, noNaN: true }), { minLength: 5, maxLength: 60 }), (values) => {
        const sd = new StandardDeviation(5);
        values.forEach((x, i) => {
          const got = sd.update(x);
          if (i < 4) return;
          const window = values.slice(i - 4, i + 1);
          const mean = window.reduce((a, b) => a + b, 0) / 5;
          const expected = Math.sqrt(window.reduce((a, b) => a + (b - mean) ** 2, 0) / 5);
          expect(Math.abs((got as number) - expected)).toBeLessThanOrEqual(1e-9 * Math.max(expected, mean * 1e-7));
        });
      }),
    );
  });
});

describe('rolling correlation and beta', () => {
  it('finds a perfect linear relation and its slope', () => {
    const correlation = new RollingCorrelation(4);
    const beta = new RollingBeta(4);
    const xs = [1, 2, 3, 4, 6];
    const c = xs.map((x) => correlation.update(x, 2 * x + 1));
    const b = xs.map((x) => beta.update(3 * x - 1, x));
    expect(c.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(c.slice(3)).toEqual([1, 1]);
    expect(b.slice(3)).toEqual([3, 3]);
    const anti = new RollingCorrelation(3);
    expect([1, 2, 4].map((x) => anti.update(x, -x)).at(-1)).toBe(-1);
  });

  it('gives 0 when a series has no variance in the window', () => {
    const correlation = new RollingCorrelation(3);
    const beta = new RollingBeta(3);
    for (const x of [1, 2, 3]) {
      correlation.update(x, 5);
      beta.update(x, 5);
    }
    expect(correlation.value).toBe(0);
    expect(beta.value).toBe(0);
  });

  it('matches a hand computation on a partly correlated example', () => {
    const xs = [1, 2, 3, 4, 5];
    const ys = [2, 1, 4, 3, 5];
    const correlation = new RollingCorrelation(5);
    const beta = new RollingBeta(5);
    xs.forEach((x, i) => {
      correlation.update(x, ys[i] as number);
      beta.update(ys[i] as number, x);
    });
    // Means 3 and 3; cov = (2 + 2 + 0 + 0 + 4) / 5 = 1.6; var x = var y = 2.
    expect(correlation.value).toBe(0.8);
    expect(beta.value).toBe(0.8);
  });
});

describe('highest, lowest and Donchian channels', () => {
  it('track the extremes of the last n values, the current one included', () => {
    const highest = new Highest(3);
    const lowest = new Lowest(3);
    const values = [5, 3, 4, 1, 2, 2, 6, 0];
    expect(values.map((x) => highest.update(x))).toEqual([undefined, undefined, 5, 4, 4, 2, 6, 6]);
    expect(values.map((x) => lowest.update(x))).toEqual([undefined, undefined, 3, 1, 1, 1, 2, 0]);
  });

  it('equal a brute-force max and min over any window (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 100 }), (period, values) => {
        const highest = new Highest(period);
        const lowest = new Lowest(period);
        values.forEach((x, i) => {
          const high = highest.update(x);
          const low = lowest.update(x);
          if (i < period - 1) return;
          const window = values.slice(i - period + 1, i + 1);
          expect(high).toBe(Math.max(...window));
          expect(low).toBe(Math.min(...window));
        });
      }),
    );
  });

  it('report NaN while a NaN is in the window', () => {
    const highest = new Highest(2);
    expect([1, Number.NaN, 3, 2].map((x) => highest.update(x))).toEqual([undefined, Number.NaN, Number.NaN, 3]);
  });

  it('give the channel and its middle', () => {
    const donchian = new DonchianChannels(2);
    donchian.update(10, 8);
    expect(donchian.update(12, 9)).toEqual({ upper: 12, middle: 10, lower: 8 });
    expect(donchian.update(11, 10)).toEqual({ upper: 12, middle: 10.5, lower: 9 });
  });
});

describe('VWAP', () => {
  it('weights the typical price by volume since the anchor, and restarts on reset', () => {
    const vwap = new VWAP();
    expect(vwap.update(12, 9, 9, 0)).toBeUndefined();
    expect(vwap.update(11, 9, 10, 2)).toBe(10);
    // (10 * 2 + 13 * 1) / 3 = 11.
    expect(vwap.update(14, 12, 13, 1)).toBe(11);
    vwap.reset();
    expect(vwap.value).toBeUndefined();
    expect(vwap.update(3, 3, 3, 5)).toBe(3);
  });
});
