/**
 * Rolling Pearson correlation and beta of two aligned series, over exact moments (see PairMoments).
 *
 * Conventions:
 * - Population moments over the last n pairs; correlation = cov(x, y) / (sd(x) * sd(y)), clamped to [-1, 1].
 * - beta = cov(asset, benchmark) / var(benchmark): the least-squares slope of the asset on the benchmark (the
 *   hedge ratio of a pair when fed log prices).
 * - A window in which a series has no variance gives 0 (correlation, and beta when the benchmark is flat).
 * - Any magnitude of either series, each scaled apart by a power of two (see PairMoments).
 */
import { rejectUpdateArguments, requireInteger, type StreamingIndicator } from './indicator.js';
import { PairMoments, timesPowerOfTwo } from './rolling-moments.js';

/** A statistic of the last `period` aligned pairs, computed from their exact moments when the window is full. */
abstract class PairMomentIndicator implements StreamingIndicator<number> {
  readonly warmup: number;
  private readonly moments: PairMoments;
  private current = Number.NaN;

  constructor(
    name: string,
    readonly period: number,
  ) {
    requireInteger(name, 'period', period, 2);
    this.warmup = period;
    this.moments = new PairMoments(period);
  }

  protected abstract statistic(moments: PairMoments): number;

  protected advance(x: number, y: number): number | undefined {
    const m = this.moments;
    m.push(x, y);
    if (!m.isFull) return undefined;
    m.compute();
    this.current = this.statistic(m);
    return this.current;
  }

  get value(): number | undefined {
    return this.moments.isFull ? this.current : undefined;
  }

  get isReady(): boolean {
    return this.moments.isFull;
  }

  reset(): void {
    this.moments.reset();
    this.current = Number.NaN;
  }
}

export class RollingCorrelation extends PairMomentIndicator {
  constructor(period: number) {
    super('RollingCorrelation', period);
  }

  update(x: number, y: number): number | undefined {
    if (typeof x !== 'number' || typeof y !== 'number') rejectUpdateArguments('RollingCorrelation.update', 'x, y', x, y);
    return this.advance(x, y);
  }

  protected statistic(m: PairMoments): number {
    const varianceX = m.scaledVarianceX;
    const varianceY = m.scaledVarianceY;
    if (varianceX === 0 || varianceY === 0) return 0;
    const product = varianceX * varianceY;
    // One square root (exact for perfect relations). Where the product would overflow or underflow, both variances
    // are first brought near 1 by even powers of two: exact, so both ways give the same bits.
    if (product > 1e-290 && product < 1e290) return Math.max(-1, Math.min(1, m.scaledCovariance / Math.sqrt(product)));
    const shiftX = evenExponent(varianceX);
    const shiftY = evenExponent(varianceY);
    const scale = Math.sqrt(timesPowerOfTwo(varianceX, -shiftX) * timesPowerOfTwo(varianceY, -shiftY));
    return Math.max(-1, Math.min(1, timesPowerOfTwo(m.scaledCovariance, -(shiftX + shiftY) / 2) / scale));
  }
}

export class RollingBeta extends PairMomentIndicator {
  constructor(period: number) {
    super('RollingBeta', period);
  }

  /** Feeds one aligned pair: the asset's value and the benchmark's. */
  update(asset: number, benchmark: number): number | undefined {
    if (typeof asset !== 'number' || typeof benchmark !== 'number') rejectUpdateArguments('RollingBeta.update', 'asset, benchmark', asset, benchmark);
    return this.advance(benchmark, asset);
  }

  protected statistic(m: PairMoments): number {
    // The moments are of the benchmark times 2^-shiftX and the asset times 2^-shiftY.
    if (m.scaledVarianceX === 0) return 0;
    const ratio = m.scaledCovariance / m.scaledVarianceX;
    return m.shiftY === m.shiftX ? ratio : timesPowerOfTwo(ratio, m.shiftY - m.shiftX);
  }
}

/** An even exponent e with value / 2^e in [1, 4) (NaN passes through as NaN). */
function evenExponent(value: number): number {
  return 2 * Math.floor(Math.log2(value) / 2);
}
