/**
 * Exact summation of float64 values, so rolling sums never drift.
 *
 * `ExactSum` holds the exact value of everything added (and subtracted) so far as a Shewchuk expansion: a short
 * list of non-overlapping doubles ordered by increasing magnitude whose exact mathematical sum is the running
 * total. Adding a value is Shewchuk's GROW-EXPANSION with zero elimination (a Knuth two-sum per component), and
 * `value()` rounds the expansion to the nearest double, ties to even, with the same final step as CPython's
 * `math.fsum`. A rolling window therefore adds the entering value and subtracts the leaving one, and its sum
 * equals `fsum(window)` bit for bit on every bar however long the run: nothing is ever approximated, so there is
 * nothing to drift.
 *
 * The expansion stays short: its components do not overlap, so for values of one market's prices it is one to
 * three doubles, and it can never exceed the ~2,100 bits of the float64 range.
 *
 * Limits: the finite values and their partial sums must stay below 2^1023 in magnitude (about 9e307; market data
 * is nowhere near). Infinities and NaN are counted apart from the expansion, so they spoil the sum only while they
 * are in it: any NaN, or +Infinity together with -Infinity, gives NaN; otherwise an infinity gives that infinity.
 * `addProduct` is exact while the factors stay below about 1e290 in magnitude and their product above about 1e-290.
 */

/** 2^27 + 1: Dekker's splitter, cutting a double into two halves of at most 26 significant bits each. */
const SPLITTER = 134217729;

export class ExactSum {
  private partials: Float64Array = new Float64Array(8);
  private count = 0;
  private nanCount = 0;
  private positiveInfinities = 0;
  private negativeInfinities = 0;

  /** Adds `x` exactly. */
  add(x: number): void {
    if (x - x !== 0) {
      this.countSpecial(x, 1);
      return;
    }
    let p: Float64Array = this.partials;
    const n = this.count;
    let kept = 0;
    for (let j = 0; j < n; j++) {
      const y = p[j] as number;
      const hi = x + y;
      const virtual = hi - x;
      const lo = x - (hi - virtual) + (y - virtual);
      if (lo !== 0) p[kept++] = lo;
      x = hi;
    }
    if (x !== 0) {
      if (kept === p.length) p = this.grow();
      p[kept++] = x;
    }
    this.count = kept;
  }

  /** Subtracts `x` exactly (removes a value added earlier, infinities and NaN included). */
  subtract(x: number): void {
    if (x - x !== 0) this.countSpecial(x, -1);
    else this.add(-x);
  }

  /** Adds the exact product `a * b` (Dekker's two-product: the rounded product and its rounding error). */
  addProduct(a: number, b: number): void {
    const product = a * b;
    this.add(product);
    if (product - product !== 0) return;
    const error = productError(a, b);
    if (error !== 0) this.add(error);
  }

  /** Adds `factor` times the exact value of `other` (exactly; `other` is unchanged and may not be `this`). */
  addScaled(other: ExactSum, factor: number): void {
    const p = other.partials;
    const n = other.count;
    if (factor === 1) {
      for (let i = 0; i < n; i++) this.add(p[i] as number);
    } else if (factor === -1) {
      for (let i = 0; i < n; i++) this.add(-(p[i] as number));
    } else {
      for (let i = 0; i < n; i++) this.addProduct(p[i] as number, factor);
    }
    this.nanCount += other.nanCount;
    if (factor > 0) {
      this.positiveInfinities += other.positiveInfinities;
      this.negativeInfinities += other.negativeInfinities;
    } else if (factor < 0) {
      this.positiveInfinities += other.negativeInfinities;
      this.negativeInfinities += other.positiveInfinities;
    } else if (other.positiveInfinities + other.negativeInfinities > 0 || factor !== factor) {
      this.nanCount += 1;
    }
  }

  /** Subtracts the exact product of the values of `a` and `b` (neither may be `this`; finite parts only). */
  subtractProduct(a: ExactSum, b: ExactSum): void {
    const pa = a.partials;
    const pb = b.partials;
    for (let i = 0; i < a.count; i++) {
      const factor = -(pa[i] as number);
      for (let j = 0; j < b.count; j++) this.addProduct(factor, pb[j] as number);
    }
  }

  /** The exact sum rounded to the nearest double (ties to even). */
  value(): number {
    if (this.nanCount + this.positiveInfinities + this.negativeInfinities > 0) return this.specialValue();
    const p = this.partials;
    let n = this.count;
    if (n === 0) return 0;
    let hi = p[--n] as number;
    let lo = 0;
    // Sum from the top while the running sum stays exact.
    while (n > 0) {
      const x = hi;
      const y = p[--n] as number;
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // `hi + lo` is exact and `lo` is the rounding error. When it is exactly half an ulp, the components below
    // (whose sign is the sign of the largest of them) decide which way the tie goes.
    if (n > 0) {
      const next = p[n - 1] as number;
      if ((lo < 0 && next < 0) || (lo > 0 && next > 0)) {
        const twice = lo * 2;
        const bumped = hi + twice;
        if (twice === bumped - hi) hi = bumped;
      }
    }
    return hi;
  }

  /**
   * The remainder of dividing the sum by `divisor` when `quotient` is about the quotient: sum - divisor * quotient,
   * so that quotient + remainder / divisor is the quotient to about 2^-100 relative. Summed with compensation from
   * the exact product (Dekker) and the sum's parts: within a rounding of the remainder plus about 2^-104 of the sum,
   * and exact when the parts share one grid, as for a sum of equal values. NaN while NaN or an infinity is counted.
   */
  remainder(divisor: number, quotient: number): number {
    if (this.nanCount + this.positiveInfinities + this.negativeInfinities > 0) return Number.NaN;
    let total = -(divisor * quotient);
    let compensation = -productError(divisor, quotient);
    const p = this.partials;
    for (let i = this.count - 1; i >= 0; i--) {
      const x = p[i] as number;
      const next = total + x;
      compensation += Math.abs(total) >= Math.abs(x) ? total - next + x : x - next + total;
      total = next;
    }
    return total + compensation;
  }

  /**
   * The sign of the exact sum: -1, 0 or 1 (NaN or the infinity's sign when those are counted in). Exact, with no
   * rounding: the largest component of a non-overlapping expansion carries the sign of the whole.
   */
  sign(): number {
    if (this.nanCount + this.positiveInfinities + this.negativeInfinities > 0) return Math.sign(this.specialValue());
    return this.count === 0 ? 0 : Math.sign(this.partials[this.count - 1] as number);
  }

  /** Components currently held (for tests and diagnostics). */
  get size(): number {
    return this.count;
  }

  reset(): void {
    this.count = 0;
    this.nanCount = 0;
    this.positiveInfinities = 0;
    this.negativeInfinities = 0;
  }

  private countSpecial(x: number, step: 1 | -1): void {
    if (x !== x) this.nanCount += step;
    else if (x > 0) this.positiveInfinities += step;
    else this.negativeInfinities += step;
  }

  private specialValue(): number {
    if (this.nanCount > 0 || (this.positiveInfinities > 0 && this.negativeInfinities > 0)) return Number.NaN;
    return this.positiveInfinities > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  private grow(): Float64Array {
    const bigger = new Float64Array(this.partials.length * 2);
    bigger.set(this.partials);
    this.partials = bigger;
    return bigger;
  }
}

/** The correctly rounded sum of `values` (what Python's `math.fsum` returns). */
export function fsum(values: ArrayLike<number>): number {
  const sum = new ExactSum();
  for (let i = 0; i < values.length; i++) sum.add(values[i] as number);
  return sum.value();
}

/** The rounding error of the double product `a * b`: `a * b + productError(a, b)` is the exact product (Dekker). */
export function productError(a: number, b: number): number {
  const product = a * b;
  const ca = SPLITTER * a;
  const aHigh = ca - (ca - a);
  const aLow = a - aHigh;
  const cb = SPLITTER * b;
  const bHigh = cb - (cb - b);
  const bLow = b - bHigh;
  return aLow * bLow - (product - aHigh * bHigh - aLow * bHigh - aHigh * bLow);
}
