/**
 * Exactness: ExactSum, the SMA, the WMA and the rolling moments checked bit for bit against an independent
 * reference in BigInt arithmetic (every finite double is an integer multiple of 2^-1074, so sums and products are
 * exact integers, rounded to a double once at the end, half to even).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/random.js';
import { ExactSum, fsum, productError } from './exact-sum.js';
import { SMA, WMA } from './moving-averages.js';
import { WindowMoments } from './rolling-moments.js';

const SCALE = 1074n;
const view = new DataView(new ArrayBuffer(8));

/** x * 2^1074 as an exact BigInt. */
function scaled(x: number): bigint {
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  const mantissa = exponent === 0 ? fraction : fraction | (1n << 52n);
  const magnitude = mantissa << BigInt(Math.max(exponent, 1) - 1);
  return bits >> 63n === 1n ? -magnitude : magnitude;
}

function bitLength(n: bigint): number {
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + 32 - Math.clz32(parseInt(hex.charAt(0), 16));
}

/** The double nearest to n / 2^scale, ties to even. */
function toDouble(n: bigint, scale: bigint = SCALE): number {
  if (n === 0n) return 0;
  const negative = n < 0n;
  const magnitude = negative ? -n : n;
  const length = bitLength(magnitude);
  // Keep 53 significant bits, but never bits below 2^-1074 (subnormal results).
  const shift = Math.max(length - 53, Number(scale) - 1074, 0);
  let q = magnitude >> BigInt(shift);
  if (shift > 0) {
    const remainder = magnitude - (q << BigInt(shift));
    const half = 1n << BigInt(shift - 1);
    if (remainder > half || (remainder === half && (q & 1n) === 1n)) q += 1n;
  }
  let x = Number(q);
  let exponent = shift - Number(scale);
  while (exponent > 1000) {
    x *= 2 ** 1000;
    exponent -= 1000;
  }
  while (exponent < -1000) {
    x *= 2 ** -1000;
    exponent += 1000;
  }
  x *= 2 ** exponent;
  return negative ? -x : x;
}

const referenceSum = (values: readonly number[]): number => toDouble(values.reduce((s, x) => s + scaled(x), 0n));

/** Prices of mixed magnitudes with spikes, repeats and cancellations: the cases that break naive rolling sums. */
function hostileValue(random: SeededRandom, previous: number): number {
  const pick = random.next();
  if (pick < 0.02) return (random.next() < 0.5 ? -1 : 1) * 1e15 * (1 + random.next());
  if (pick < 0.04) return -previous;
  if (pick < 0.06) return previous;
  if (pick < 0.08) return random.next() * 1e-20;
  const exponent = random.int(-6, 8);
  return (random.next() < 0.2 ? -1 : 1) * random.next() * 10 ** exponent;
}

describe('the BigInt reference itself', () => {
  it('round-trips doubles, subnormals included', () => {
    for (const x of [1, -1, 0.1, 1e-310, Number.MIN_VALUE, Number.MAX_VALUE, 2 ** -1022, 123456.789]) expect(toDouble(scaled(x))).toBe(x);
  });
});

describe('ExactSum', () => {
  it('matches math.fsum on its classic examples', () => {
    expect(fsum([1e100, 1, -1e100])).toBe(1);
    expect(fsum(Array.from({ length: 10 }, () => 0.1))).toBe(1);
    expect(fsum([1, 1e100, 1, -1e100])).toBe(2);
    // Half-way between two doubles, tipped up by a third, much smaller term (CPython's own test).
    expect(fsum([1e-16, 1, 1e16])).toBe(10000000000000002);
    expect(fsum([2 ** 53, 1, 2 ** -80])).toBe(2 ** 53 + 2);
    expect(fsum([2 ** 53, 1, -(2 ** -80)])).toBe(2 ** 53);
    expect(fsum([])).toBe(0);
  });

  it('is correctly rounded for any finite values (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }), { maxLength: 60 }), (values) => {
        expect(Object.is(fsum(values), referenceSum(values)) || (fsum(values) === 0 && referenceSum(values) === 0)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('stays exact through any interleaving of additions and subtractions (property)', () => {
    const value = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e200, max: 1e200 });
    fc.assert(
      fc.property(fc.array(fc.tuple(value, fc.boolean()), { maxLength: 80 }), (steps) => {
        const sum = new ExactSum();
        let exact = 0n;
        for (const [x, subtract] of steps) {
          if (subtract) sum.subtract(x);
          else sum.add(x);
          exact += subtract ? -scaled(x) : scaled(x);
          expect(sum.value()).toBe(toDouble(exact));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('adds exact products', () => {
    const factor = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e120, max: 1e120 }).filter((x) => x === 0 || Math.abs(x) > 1e-120);
    fc.assert(
      fc.property(fc.array(fc.tuple(factor, factor), { maxLength: 30 }), (pairs) => {
        const sum = new ExactSum();
        let exact = 0n;
        for (const [a, b] of pairs) {
          sum.addProduct(a, b);
          exact += scaled(a) * scaled(b);
        }
        expect(sum.value()).toBe(toDouble(exact, 2n * SCALE));
      }),
      { numRuns: 1000 },
    );
    expect(0.1 * 0.1 + productError(0.1, 0.1)).toBe(0.1 * 0.1);
    expect(productError(0.1, 0.1)).not.toBe(0);
  });

  it('counts infinities and NaN apart, so they leave no trace once removed', () => {
    const sum = new ExactSum();
    sum.add(1.5);
    sum.add(Number.POSITIVE_INFINITY);
    expect(sum.value()).toBe(Number.POSITIVE_INFINITY);
    sum.add(Number.NEGATIVE_INFINITY);
    expect(sum.value()).toBeNaN();
    sum.subtract(Number.POSITIVE_INFINITY);
    expect(sum.value()).toBe(Number.NEGATIVE_INFINITY);
    sum.subtract(Number.NEGATIVE_INFINITY);
    sum.add(Number.NaN);
    expect(sum.value()).toBeNaN();
    sum.subtract(Number.NaN);
    expect(sum.value()).toBe(1.5);
  });

  it('gives the remainder of a division: exact for a sum of equal values, within a rounding otherwise (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: 1e-200, max: 1e200 }), fc.array(fc.double({ min: 0.5, max: 2, noNaN: true }), { maxLength: 50 }), (n, x, spread) => {
        const equal = new ExactSum();
        for (let i = 0; i < n; i++) equal.add(x);
        const mean = equal.value() / n;
        expect(equal.remainder(n, mean)).toBe(toDouble(BigInt(n) * (scaled(x) - scaled(mean))));
        const mixed = new ExactSum();
        const values = spread.map((f) => f * x);
        for (const v of values) mixed.add(v);
        const divisor = Math.max(1, values.length);
        const quotient = mixed.value() / divisor;
        const exact = toDouble(values.reduce((sum, v) => sum + scaled(v), 0n) - BigInt(divisor) * scaled(quotient));
        expect(Math.abs(mixed.remainder(divisor, quotient) - exact)).toBeLessThanOrEqual(Math.abs(exact) * 2 ** -52 + Math.abs(mixed.value()) * 2 ** -100);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps a short expansion for prices', () => {
    const sum = new ExactSum();
    const random = new SeededRandom(3);
    let max = 0;
    for (let i = 0; i < 10_000; i++) {
      sum.add(0.05 + random.next() * 0.05);
      max = Math.max(max, sum.size);
    }
    expect(max).toBeLessThanOrEqual(3);
  });
});

describe('SMA exactness', () => {
  it('equals fsum(window) / period, bit for bit, on every bar of a 1,000,000-bar hostile run', () => {
    const period = 50;
    const bars = 1_000_000;
    const random = new SeededRandom(20240611);
    const sma = new SMA(period);
    const window = new Float64Array(period);
    let exact = 0n;
    let previous = 1;
    let mismatches = 0;
    let firstMismatch = '';
    let naive = 0;
    let naiveMismatches = 0;
    for (let i = 0; i < bars; i++) {
      const x = hostileValue(random, previous);
      previous = x;
      const slot = i % period;
      if (i >= period) {
        exact -= scaled(window[slot] as number);
        naive -= window[slot] as number;
      }
      window[slot] = x;
      exact += scaled(x);
      naive += x;
      const got = sma.update(x);
      if (i < period - 1) {
        if (got !== undefined) mismatches += 1;
        continue;
      }
      const expected = toDouble(exact) / period;
      if (got !== expected) {
        mismatches += 1;
        if (firstMismatch === '') firstMismatch = `bar ${i}: got ${got}, expected ${expected}`;
      }
      if (naive / period !== expected) naiveMismatches += 1;
    }
    expect(firstMismatch).toBe('');
    expect(mismatches).toBe(0);
    // The run is hostile enough that a naive running sum is wrong on most bars.
    expect(naiveMismatches).toBeGreaterThan(bars / 2);
  });

  it('equals fsum(window) / period for any values and periods (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e290, max: 1e290 }), { minLength: 1, maxLength: 80 }),
        (period, values) => {
          const sma = new SMA(period);
          values.forEach((x, i) => {
            const got = sma.update(x);
            if (i < period - 1) expect(got).toBeUndefined();
            else expect(got).toBe(referenceSum(values.slice(i - period + 1, i + 1)) / period);
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('SMA.compareTo exactness', () => {
  it('is the sign of the exact difference of two SMAs\' means (property)', () => {
    const near = fc.integer({ min: -4, max: 4 }).map((steps) => 0.000103 + steps * 2 ** -66);
    const anyValue = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e200, max: 1e200 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.oneof(near, anyValue), { minLength: 9, maxLength: 40 }),
        (fastPeriod, slowPeriod, values) => {
          const fast = new SMA(fastPeriod);
          const slow = new SMA(slowPeriod);
          values.forEach((x, i) => {
            fast.update(x);
            slow.update(x);
            if (i < Math.max(fastPeriod, slowPeriod) - 1) return;
            const window = (n: number): bigint => values.slice(i - n + 1, i + 1).reduce((sum, v) => sum + scaled(v), 0n);
            const exact = window(fastPeriod) * BigInt(slowPeriod) - window(slowPeriod) * BigInt(fastPeriod);
            expect(fast.compareTo(slow)).toBe(exact > 0n ? 1 : exact < 0n ? -1 : 0);
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('WMA exactness', () => {
  it('equals the correctly rounded weighted sum / (n(n+1)/2) on every bar of a 200,000-bar hostile run', () => {
    const period = 7;
    const random = new SeededRandom(77);
    const wma = new WMA(period);
    const values: number[] = [];
    let previous = 1;
    let mismatches = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = hostileValue(random, previous);
      previous = x;
      values.push(x);
      const got = wma.update(x);
      if (i < period - 1) continue;
      let weighted = 0n;
      for (let k = 1; k <= period; k++) weighted += BigInt(k) * scaled(values[i - period + k] as number);
      if (got !== toDouble(weighted) / ((period * (period + 1)) / 2)) mismatches += 1;
    }
    expect(mismatches).toBe(0);
  });

  it('recovers once a NaN or infinity has left the window', () => {
    const wma = new WMA(3);
    for (const x of [1, 2, 3]) wma.update(x);
    expect(wma.value).toBe((1 + 4 + 9) / 6);
    expect(wma.update(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(wma.update(Number.NaN)).toBeNaN();
    wma.update(1);
    wma.update(1);
    expect(wma.update(1)).toBe(1);
  });
});

describe('rolling moments exactness', () => {
  it('gives the root of the exact n^2 * variance, correctly rounded, divided by n^2, on every bar', () => {
    const period = 20;
    const random = new SeededRandom(5);
    const moments = new WindowMoments(period);
    const values: number[] = [];
    let mismatches = 0;
    for (let i = 0; i < 20_000; i++) {
      // Prices near 0.09 with tiny moves and flat stretches: where sum(x^2) - n * mean^2 cancels catastrophically.
      const x = i % 500 < 40 ? 0.0912 : 0.0912 + random.int(-50, 50) * 1e-8;
      values.push(x);
      moments.push(x);
      if (!moments.isFull) continue;
      const window = values.slice(-period).map(scaled);
      const sum = window.reduce((a, b) => a + b, 0n);
      const squares = window.reduce((a, b) => a + b * b, 0n);
      const expected = Math.sqrt(toDouble(BigInt(period) * squares - sum * sum, 2n * SCALE) / (period * period));
      if (moments.standardDeviation() !== expected) mismatches += 1;
    }
    expect(mismatches).toBe(0);
  });

  it('gives exactly 0 for a window of equal values', () => {
    const moments = new WindowMoments(5);
    for (const x of [0.1, 0.7, 0.3, 0.1, 0.1, 0.1, 0.1, 0.1]) moments.push(x);
    expect(moments.standardDeviation()).toBe(0);
    const three = new WindowMoments(3);
    for (const x of [0.1, 0.1, 0.1]) three.push(x);
    expect(three.standardDeviation()).toBe(0);
  });
});
