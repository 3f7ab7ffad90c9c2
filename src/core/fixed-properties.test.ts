import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Fixed, MAX_SCALE, divRound } from './fixed.js';
import { ROUNDINGS } from '../../test/support/fixed-values.js';

const abs = (n: bigint): bigint => (n < 0n ? -n : n);

// ---------- properties ----------

const units = fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n });
const nonZeroUnits = units.filter((n) => n !== 0n);
const scale = fc.integer({ min: 0, max: 12 });
const fixed = fc.tuple(units, scale).map(([u, s]) => Fixed.fromUnits(u, s));

describe('properties', () => {
  it('(a) add then sub returns the original value', () => {
    fc.assert(
      fc.property(fixed, fixed, (x, y) => {
        const back = x.add(y).sub(y);
        expect(back.eq(x)).toBe(true);
        expect(back.scale).toBe(Math.max(x.scale, y.scale));
        expect(back.unitsAt(Math.max(x.scale, y.scale))).toBe(x.unitsAt(Math.max(x.scale, y.scale)));
      }),
    );
  });

  it('(b) floor and ceil division bracket the exact quotient and differ by at most one unit', () => {
    fc.assert(
      fc.property(units, scale, nonZeroUnits, scale, scale, (a, sa, b, sb, s) => {
        const x = Fixed.fromUnits(a, sa);
        const y = Fixed.fromUnits(b, sb);
        // Exact quotient in units of scale s: a * 10^(s + sb) / (b * 10^sa), made over a positive denominator.
        let n = a * 10n ** BigInt(s + sb);
        let d = b * 10n ** BigInt(sa);
        if (d < 0n) {
          n = -n;
          d = -d;
        }
        const lo = x.div(y, s, 'floor');
        const hi = x.div(y, s, 'ceil');
        expect(lo.scale).toBe(s);
        expect(hi.scale).toBe(s);
        expect(lo.units * d <= n).toBe(true);
        expect(n < (lo.units + 1n) * d).toBe(true);
        expect((hi.units - 1n) * d < n).toBe(true);
        expect(n <= hi.units * d).toBe(true);
        const exact = n % d === 0n;
        expect(hi.units - lo.units).toBe(exact ? 0n : 1n);
        // down and up sit on the bracket by sign.
        const down = x.div(y, s, 'down').units;
        const up = x.div(y, s, 'up').units;
        expect(down).toBe(n >= 0n ? lo.units : hi.units);
        expect(up).toBe(n >= 0n ? hi.units : lo.units);
      }),
    );
  });

  it('(c) half-even is within half a unit of the exact value and breaks ties to even', () => {
    const check = (result: bigint, n: bigint, d: bigint): void => {
      // |result - n/d| <= 1/2  <=>  |2(result*d - n)| <= d  (d > 0)
      const distance2 = abs(2n * (result * d - n));
      expect(distance2 <= d).toBe(true);
      if (distance2 === d) expect(result % 2n).toBe(0n);
    };
    fc.assert(
      fc.property(units, scale, nonZeroUnits, scale, scale, (a, sa, b, sb, s) => {
        let n = a * 10n ** BigInt(s + sb);
        let d = b * 10n ** BigInt(sa);
        if (d < 0n) {
          n = -n;
          d = -d;
        }
        check(Fixed.fromUnits(a, sa).div(Fixed.fromUnits(b, sb), s, 'half-even').units, n, d);
      }),
    );
    fc.assert(
      fc.property(units, scale, units, scale, fc.integer({ min: 0, max: 24 }), (a, sa, b, sb, s) => {
        const product = Fixed.fromUnits(a, sa).mul(Fixed.fromUnits(b, sb), s, 'half-even');
        const exactScale = sa + sb;
        if (s >= exactScale) {
          expect(product.units).toBe(a * b * 10n ** BigInt(s - exactScale));
        } else {
          check(product.units, a * b, 10n ** BigInt(exactScale - s));
        }
      }),
    );
  });

  it('(c) ties at scale 0 land on an even integer for every half value', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), (k) => {
        const half = Fixed.fromUnits(k * 10n + 5n, 1); // k.5
        const rounded = half.rescale(0, 'half-even').units;
        expect(rounded % 2n).toBe(0n);
        expect(rounded === k || rounded === k + 1n).toBe(true);
      }),
    );
  });

  it('(d) parse(toString(x)) reproduces x, units and scale', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.integer({ min: 0, max: MAX_SCALE }), (u, s) => {
        const x = Fixed.fromUnits(u, s);
        const back = Fixed.parse(x.toString());
        expect(back.units).toBe(u);
        expect(back.scale).toBe(s);
        expect(Fixed.parse(x.toPlainString()).eq(x)).toBe(true);
        expect(Fixed.parse(x.toPlainString(), s)).toEqual(x);
      }),
    );
  });

  it('(e) quantize down gives a multiple of the increment, no larger in size, within one increment', () => {
    const increment = fc
      .tuple(fc.bigInt({ min: 1n, max: 10n ** 6n }), fc.integer({ min: 0, max: 10 }))
      .map(([u, s]) => Fixed.fromUnits(u, s));
    fc.assert(
      fc.property(fixed, increment, (x, step) => {
        const result = x.quantize(step, 'down');
        expect(result.isMultipleOf(step)).toBe(true);
        expect(result.abs().lte(x.abs())).toBe(true);
        expect(x.sub(result).abs().lt(step)).toBe(true);
        expect(result.isZero() || result.sign() === x.sign()).toBe(true);
        expect(result.scale).toBe(Math.max(x.scale, step.scale));
      }),
    );
  });

  it('every rounding mode agrees with rescale and is exact when nothing is cut', () => {
    fc.assert(
      fc.property(units, fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 }), fc.constantFrom(...ROUNDINGS), (u, s, cut, mode) => {
        const x = Fixed.fromUnits(u, s + cut);
        const viaRescale = x.rescale(s, mode);
        expect(viaRescale.units).toBe(divRound(u, 10n ** BigInt(cut), mode));
        expect(Fixed.parse(x.toString(), s, mode)).toEqual(viaRescale);
        if (u % 10n ** BigInt(cut) === 0n) expect(viaRescale.unitsAt(s + cut)).toBe(u);
      }),
    );
  });
});

describe('toNumber is the nearest double, as parsing the decimal text would give', () => {
  it('for random units and scales (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }), fc.integer({ min: 0, max: 30 }), (units, scale) => {
        const value = Fixed.fromUnits(units, scale);
        expect(value.toNumber()).toBe(Number(value.toString()));
      }),
      { numRuns: 20000 },
    );
  });
});
