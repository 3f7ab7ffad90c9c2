import { FixRequestError } from './errors.js';

/**
 * Rounding modes. `down`/`up` are toward/away from zero; `floor`/`ceil` toward -/+ infinity;
 * `half-even` (banker's rounding, used for fees) and `half-up` (half away from zero) round to nearest.
 */
export type Rounding = 'half-even' | 'half-up' | 'down' | 'up' | 'floor' | 'ceil';

export const MAX_SCALE = 36;

const POW10: bigint[] = [];
for (let i = 0, p = 1n; i <= MAX_SCALE * 2 + 2; i++, p *= 10n) POW10.push(p);

export function pow10(exponent: number): bigint {
  const p = POW10[exponent];
  if (p === undefined) throw new FixRequestError('scale_out_of_range', `a decimal scale of ${exponent} is out of range`);
  return p;
}

/** Integer division n / d (d > 0) rounded by `mode`. */
export function divRound(n: bigint, d: bigint, mode: Rounding): bigint {
  if (d <= 0n) {
    if (d === 0n) throw new FixRequestError('division_by_zero', 'division by zero');
    return divRound(-n, -d, mode);
  }
  const q = n / d; // truncates toward zero
  const r = n - q * d;
  if (r === 0n) return q;
  const negative = n < 0n;
  switch (mode) {
    case 'down':
      return q;
    case 'up':
      return negative ? q - 1n : q + 1n;
    case 'floor':
      return negative ? q - 1n : q;
    case 'ceil':
      return negative ? q : q + 1n;
    case 'half-up':
    case 'half-even': {
      const twice = (negative ? -r : r) * 2n;
      const away = negative ? q - 1n : q + 1n;
      if (twice > d) return away;
      if (twice < d) return q;
      if (mode === 'half-up') return away;
      return q % 2n === 0n ? q : away;
    }
  }
}

const MAX_EXACT = 9007199254740992n;
const POW10_DOUBLE: number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** 2^50: see `fromNumberApprox`. */
const FAST_UNITS_LIMIT = 2 ** 50;

const DECIMAL = /^([+-])?(\d+)?(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * An exact decimal: an integer number of units at a fixed scale (value = units / 10^scale).
 * Immutable. Parsed from decimal strings only; floats enter only through `fromNumberApprox` for analytics.
 */
export class Fixed {
  private constructor(
    readonly units: bigint,
    readonly scale: number,
  ) {}

  static fromUnits(units: bigint, scale: number): Fixed {
    checkScale(scale);
    return new Fixed(units, scale);
  }

  static zero(scale = 0): Fixed {
    return Fixed.fromUnits(0n, scale);
  }

  static fromInt(value: number | bigint, scale = 0): Fixed {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) {
      throw new FixRequestError('invalid_decimal', `${value} is not a safe integer`);
    }
    return Fixed.fromUnits(BigInt(value) * pow10(scale), scale);
  }

  /**
   * Parses a decimal string ("12.5", "-0.001", "1e-8"). With `scale`, the result has that scale; digits beyond it
   * are an error unless a rounding mode is given.
   */
  static parse(text: string, scale?: number, rounding?: Rounding): Fixed {
    const match = DECIMAL.exec(text.trim());
    if (match === null || (match[2] === undefined && (match[3] === undefined || match[3] === ''))) {
      throw new FixRequestError('invalid_decimal', `"${text}" is not a decimal number`);
    }
    const sign = match[1] === '-' ? -1n : 1n;
    const intDigits = match[2] ?? '0';
    const fracDigits = match[3] ?? '';
    const exponent = match[4] === undefined ? 0 : Number(match[4]);
    let naturalScale = fracDigits.length - exponent;
    let units = BigInt(intDigits + fracDigits) * sign;
    if (naturalScale < 0) {
      units *= pow10(-naturalScale);
      naturalScale = 0;
    }
    if (naturalScale > MAX_SCALE && scale !== undefined) {
      // Finer than a Fixed can hold, but still expressible at `scale`. Every power of ten above 2 x |units| divides
      // the same way, so the cut is capped instead of building an arbitrarily large power.
      checkScale(scale);
      const cut = 10n ** BigInt(Math.min(naturalScale - scale, intDigits.length + fracDigits.length + 1));
      const rounded = divRound(units, cut, rounding ?? 'down');
      if (rounding === undefined && rounded * cut !== units) {
        throw new FixRequestError('too_many_decimals', `"${text}" has more than ${scale} decimal places`);
      }
      return new Fixed(rounded, scale);
    }
    checkScale(naturalScale, text);
    const parsed = new Fixed(units, naturalScale);
    if (scale === undefined) return parsed;
    if (naturalScale > scale && rounding === undefined) {
      const exact = parsed.rescale(scale, 'down');
      if (exact.units * pow10(naturalScale - scale) !== units) {
        throw new FixRequestError('too_many_decimals', `"${text}" has more than ${scale} decimal places`);
      }
      return exact;
    }
    return parsed.rescale(scale, rounding ?? 'half-even');
  }

  /** For analytics inputs only: the shortest decimal form of a float, at `scale`. Never feed the books with it. */
  static fromNumberApprox(value: number, scale: number, rounding: Rounding = 'half-even'): Fixed {
    if (!Number.isFinite(value)) throw new FixRequestError('invalid_decimal', `${value} is not a finite number`);
    // An integer is exact at any scale: no text to write and parse.
    if (Number.isSafeInteger(value)) return Fixed.fromUnits(BigInt(value) * pow10(scale), scale);
    // When a multiple of 10^-scale divides back to exactly this float, and the units stay below 2^50 (so floats
    // near the value are far closer together than 10^-scale), that multiple is the only one at this scale that
    // reads as this float: the shortest decimal form, with at most `scale` decimals, is the same number. Prices
    // from data are mostly like this, and skip writing and parsing text.
    if (scale <= 22) {
      const power = POW10_DOUBLE[scale] as number;
      const units = Math.round(value * power);
      if (Math.abs(units) < FAST_UNITS_LIMIT && units / power === value) return new Fixed(BigInt(units), scale);
    }
    return Fixed.parse(String(value), scale, rounding);
  }

  rescale(scale: number, rounding: Rounding = 'half-even'): Fixed {
    if (scale === this.scale) return this;
    checkScale(scale);
    if (scale > this.scale) return new Fixed(this.units * pow10(scale - this.scale), scale);
    return new Fixed(divRound(this.units, pow10(this.scale - scale), rounding), scale);
  }

  add(other: Fixed): Fixed {
    if (this.scale === other.scale) return new Fixed(this.units + other.units, this.scale);
    const scale = Math.max(this.scale, other.scale);
    return new Fixed(this.unitsAt(scale) + other.unitsAt(scale), scale);
  }

  sub(other: Fixed): Fixed {
    if (this.scale === other.scale) return new Fixed(this.units - other.units, this.scale);
    const scale = Math.max(this.scale, other.scale);
    return new Fixed(this.unitsAt(scale) - other.unitsAt(scale), scale);
  }

  /** Exact product rounded to `scale` (default: exact, this.scale + other.scale). */
  mul(other: Fixed, scale: number = this.scale + other.scale, rounding: Rounding = 'half-even'): Fixed {
    const exactScale = this.scale + other.scale;
    if (scale !== exactScale) checkScale(scale);
    const product = this.units * other.units;
    if (scale >= exactScale) return new Fixed(product * pow10(scale - exactScale), scale);
    return new Fixed(divRound(product, pow10(exactScale - scale), rounding), scale);
  }

  /** Quotient at `scale`, rounded by `rounding`. */
  div(other: Fixed, scale: number, rounding: Rounding): Fixed {
    if (other.units === 0n) throw new FixRequestError('division_by_zero', `cannot divide ${this.toString()} by zero`);
    checkScale(scale);
    // value = (a / 10^sa) / (b / 10^sb); units at scale s = a * 10^(s + sb - sa) / b
    const shift = scale + other.scale - this.scale;
    const numerator = shift >= 0 ? this.units * pow10(shift) : this.units;
    const denominator = shift >= 0 ? other.units : other.units * pow10(-shift);
    return new Fixed(divRound(numerator, denominator, rounding), scale);
  }

  /** The nearest multiple of `increment` by `rounding` (default toward zero, as for lot sizes). */
  quantize(increment: Fixed, rounding: Rounding = 'down'): Fixed {
    if (increment.units <= 0n) {
      throw new FixRequestError('invalid_increment', `an increment must be positive, got ${increment.toString()}`);
    }
    const scale = Math.max(this.scale, increment.scale);
    const step = increment.unitsAt(scale);
    const steps = divRound(this.unitsAt(scale), step, rounding);
    return new Fixed(steps * step, scale);
  }

  /** True when this is an exact multiple of `increment`. */
  isMultipleOf(increment: Fixed): boolean {
    const scale = Math.max(this.scale, increment.scale);
    const step = increment.unitsAt(scale);
    return step !== 0n && this.unitsAt(scale) % step === 0n;
  }

  cmp(other: Fixed): -1 | 0 | 1 {
    const a = this.scale === other.scale ? this.units : this.unitsAt(Math.max(this.scale, other.scale));
    const b = this.scale === other.scale ? other.units : other.unitsAt(Math.max(this.scale, other.scale));
    return a < b ? -1 : a > b ? 1 : 0;
  }

  eq(other: Fixed): boolean {
    return this.cmp(other) === 0;
  }
  lt(other: Fixed): boolean {
    return this.cmp(other) < 0;
  }
  lte(other: Fixed): boolean {
    return this.cmp(other) <= 0;
  }
  gt(other: Fixed): boolean {
    return this.cmp(other) > 0;
  }
  gte(other: Fixed): boolean {
    return this.cmp(other) >= 0;
  }
  isZero(): boolean {
    return this.units === 0n;
  }
  isNegative(): boolean {
    return this.units < 0n;
  }
  isPositive(): boolean {
    return this.units > 0n;
  }
  sign(): -1 | 0 | 1 {
    return this.units < 0n ? -1 : this.units > 0n ? 1 : 0;
  }
  neg(): Fixed {
    return new Fixed(-this.units, this.scale);
  }
  abs(): Fixed {
    return this.units < 0n ? new Fixed(-this.units, this.scale) : this;
  }
  min(other: Fixed): Fixed {
    return this.lte(other) ? this : other;
  }
  max(other: Fixed): Fixed {
    return this.gte(other) ? this : other;
  }

  /** Units of this value at a scale at least as fine as its own (exact). */
  unitsAt(scale: number): bigint {
    if (scale === this.scale) return this.units;
    if (scale < this.scale) {
      throw new FixRequestError('scale_loss', `cannot express ${this.toString()} exactly at scale ${scale}`);
    }
    return this.units * pow10(scale - this.scale);
  }

  /**
   * For analytics only (indicators, metrics, charts). The nearest double to the exact value: when the units and
   * 10^scale are both exact doubles, one IEEE division rounds correctly; otherwise the decimal text is parsed.
   */
  toNumber(): number {
    const units = this.units;
    if (this.scale <= 22 && units <= MAX_EXACT && units >= -MAX_EXACT) return Number(units) / (POW10_DOUBLE[this.scale] as number);
    return Number(this.toString());
  }

  /** Plain decimal with exactly `scale` fraction digits, e.g. "-1.50". */
  toString(): string {
    const negative = this.units < 0n;
    const digits = (negative ? -this.units : this.units).toString();
    if (this.scale === 0) return negative ? `-${digits}` : digits;
    const padded = digits.padStart(this.scale + 1, '0');
    const cut = padded.length - this.scale;
    return `${negative ? '-' : ''}${padded.slice(0, cut)}.${padded.slice(cut)}`;
  }

  /** Decimal without trailing fraction zeros, e.g. "1.5". */
  toPlainString(): string {
    const text = this.toString();
    if (this.scale === 0) return text;
    const trimmed = text.replace(/0+$/, '');
    return trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed;
  }

  toJSON(): string {
    return this.toPlainString();
  }
}

function checkScale(scale: number, text?: string): void {
  if (!Number.isInteger(scale) || scale < 0 || scale > MAX_SCALE) {
    throw new FixRequestError(
      'scale_out_of_range',
      text === undefined ? `a decimal scale must be an integer 0..${MAX_SCALE}, got ${scale}` : `"${text}" needs more than ${MAX_SCALE} decimal places`,
    );
  }
}

/** Shorthand for literals in code and tests: `fx('1.25')`. */
export function fx(text: string, scale?: number): Fixed {
  return Fixed.parse(text, scale);
}
