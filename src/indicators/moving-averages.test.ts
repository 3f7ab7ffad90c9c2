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

describe('SMA.compareTo', () => {
  it('orders two SMAs by their exact means: one flat price is equal, though the rounded values are a step apart', () => {
    const fast = new SMA(3);
    const slow = new SMA(5);
    feed(fast, [0.000103, 0.000103, 0.000103]);
    feed(slow, [0.000103, 0.000103, 0.000103, 0.000103, 0.000103]);
    expect([fast.value, slow.value]).toEqual([0.000103, 0.00010299999999999998]);
    expect(fast.compareTo(slow)).toBe(0);
    expect(slow.compareTo(fast)).toBe(0);
  });

  it('gives the side of a real difference, however small, and NaN until both are ready or with a NaN inside', () => {
    const step = 2 ** -66; // one rounding step of 0.000103
    const fast = new SMA(3);
    const slow = new SMA(5);
    expect(fast.compareTo(slow)).toBeNaN();
    feed(fast, [0.000103, 0.000103, 0.000103 - step]);
    expect(fast.compareTo(slow)).toBeNaN();
    feed(slow, [0.000103, 0.000103, 0.000103, 0.000103, 0.000103]);
    // The fast mean is a third of a step below the price, the slow one on it; the rounded values say the opposite.
    expect(fast.value as number).toBeGreaterThan(slow.value as number);
    expect(fast.compareTo(slow)).toBe(-1);
    expect(slow.compareTo(fast)).toBe(1);
    fast.update(0.0002);
    expect(fast.compareTo(slow)).toBe(1);
    slow.update(Number.NaN);
    expect(fast.compareTo(slow)).toBeNaN();
  });

  it('orders infinities like their values and leaves two of one sign undecided', () => {
    const a = new SMA(1);
    const b = new SMA(2);
    feed(a, [Number.POSITIVE_INFINITY]);
    feed(b, [1, 2]);
    expect(a.compareTo(b)).toBe(1);
    expect(b.compareTo(a)).toBe(-1);
    b.update(Number.POSITIVE_INFINITY);
    expect(a.compareTo(b)).toBeNaN();
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

  it('stays exactly on a constant input once it has reached it', () => {
    for (const [period, price] of [[10, 0.1], [9, 3.3], [26, 0.02789976], [50, 123.45]] as const) {
      const out = feed(new EMA(period), Array.from({ length: period + 500 }, () => price));
      expect(out.slice(period - 1), `EMA(${period}) of ${price}`).toEqual(Array.from({ length: 501 }, () => price));
    }
  });

  it('seeded a rounding step off a constant input (its SMA seed), never passes it', () => {
    const out = feed(new EMA(5), Array.from({ length: 505 }, () => 0.000103));
    expect(out[4]).toBe(0.00010299999999999998);
    expect(out.slice(4).every((x) => (x as number) <= 0.000103)).toBe(true);
  });

  it('closes in on a new constant price from its side without passing it or turning back', () => {
    for (const [period, from, to] of [[2, 0.00010197, 0.000103], [12, 0.0279 * 1.01, 0.0279], [26, 123.45 * 0.99, 123.45]] as const) {
      const ema = new EMA(period);
      feed(ema, Array.from({ length: period }, () => from));
      let previous = ema.value as number;
      for (let i = 0; i < 2000; i++) {
        const next = ema.update(to) as number;
        expect(Math.abs(to - next) <= Math.abs(to - previous) && Math.sign(to - next) !== -Math.sign(to - from)).toBe(true);
        previous = next;
      }
    }
  });

  it('stays NaN after a NaN, also with period 1', () => {
    expect(feed(new EMA(1), [1, Number.NaN, 2])).toEqual([1, Number.NaN, Number.NaN]);
    expect(feed(new EMA(2), [1, 2, Number.NaN, 2])).toEqual([undefined, 1.5, Number.NaN, Number.NaN]);
  });

  it('with period 1 is the input itself, however far it moves', () => {
    expect(feed(new EMA(1), [1e20, 1, 1e-20])).toEqual([1e20, 1, 1e-20]);
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
