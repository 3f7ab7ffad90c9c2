import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../core/errors.js';
import { EMA, RMA, SMA, SMMA, WMA } from './moving-averages.js';

const feed = (indicator: { update(x: number): number | undefined }, values: readonly number[]): (number | undefined)[] =>
  values.map((x) => indicator.update(x));

describe('SMA', () => {
  it('averages the last n values and has no value before n', () => {
    const sma = new SMA(3);
    expect(sma.warmup).toBe(3);
    expect(feed(sma, [1, 2, 3, 4, 10])).toEqual([undefined, undefined, 2, 3, 17 / 3]);
    expect(sma.value).toBe(17 / 3);
    expect(sma.isReady).toBe(true);
  });

  it('is exact where a running float sum is not: 0.1 + 0.2 + 0.3 leaves exactly 0.6 / 3', () => {
    const sma = new SMA(3);
    expect(feed(sma, [1e16, 0.1, 0.2, 0.3])).toEqual([undefined, undefined, (1e16 + 0.3) / 3, 0.6 / 3]);
    expect(sma.value).toBe(0.19999999999999998);
  });

  it('starts over after reset', () => {
    const sma = new SMA(2);
    feed(sma, [5, 7]);
    sma.reset();
    expect(sma.value).toBeUndefined();
    expect(sma.isReady).toBe(false);
    expect(feed(sma, [1, 3])).toEqual([undefined, 2]);
  });

  it('rejects a period that is not a positive integer', () => {
    for (const period of [0, -3, 2.5, Number.NaN]) expect(() => new SMA(period)).toThrow(FixRequestError);
    expect(() => new SMA(0)).toThrow('SMA period must be an integer from 1');
  });

  it('recovers once an infinity has left the window', () => {
    const sma = new SMA(2);
    expect(feed(sma, [1, Number.POSITIVE_INFINITY, 3, 5])).toEqual([undefined, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 4]);
  });
});

describe('EMA', () => {
  it('is seeded with the SMA of its first period, then follows alpha = 2 / (n + 1)', () => {
    const ema = new EMA(3);
    expect(ema.alpha).toBe(0.5);
    // Seed (2 + 4 + 6) / 3 = 4; then 0.5 * 8 + 0.5 * 4 = 6; then 0.5 * 12 + 0.5 * 6 = 9.
    expect(feed(ema, [2, 4, 6, 8, 12])).toEqual([undefined, undefined, 4, 6, 9]);
  });

  it('with period 1 is the input itself', () => {
    expect(feed(new EMA(1), [3, 1, 4])).toEqual([3, 1, 4]);
  });

  it('starts a constant input at that constant and stays within rounding of it', () => {
    const ema = new EMA(10);
    const out = feed(ema, Array.from({ length: 50 }, () => 0.1));
    expect(out[9]).toBe(0.1);
    expect(ema.value).toBeCloseTo(0.1, 15);
  });
});

describe('RMA (Wilder smoothing, SMMA)', () => {
  it('is seeded with the SMA, then (previous * (n - 1) + x) / n', () => {
    const rma = new RMA(3);
    const out = feed(rma, [2, 4, 6, 8, 12]);
    expect(out.slice(0, 3)).toEqual([undefined, undefined, 4]);
    expect(out[3]).toBe((4 * 2 + 8) / 3);
    expect(out[4]).toBe(((16 / 3) * 2 + 12) / 3);
  });

  it('is the same class as SMMA', () => {
    expect(SMMA).toBe(RMA);
  });
});

describe('WMA', () => {
  it('weights the newest value n and the oldest 1', () => {
    const wma = new WMA(3);
    expect(feed(wma, [1, 2, 3, 4, 10])).toEqual([undefined, undefined, 14 / 6, 20 / 6, (3 * 1 + 4 * 2 + 10 * 3) / 6]);
  });

  it('with period 1 is the input itself', () => {
    expect(feed(new WMA(1), [3, 1, 4])).toEqual([3, 1, 4]);
  });
});
