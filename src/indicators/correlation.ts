/**
 * Rolling Pearson correlation and beta of two aligned series, over exact moments (see PairMoments).
 *
 * Conventions:
 * - Population moments over the last n pairs; correlation = cov(x, y) / (sd(x) * sd(y)), clamped to [-1, 1].
 * - beta = cov(asset, benchmark) / var(benchmark): the least-squares slope of the asset on the benchmark (the
 *   hedge ratio of a pair when fed log prices).
 * - A window in which a series has no variance gives 0 (correlation, and beta when the benchmark is flat).
 */
import { rejectUpdateArguments, requireInteger, type StreamingIndicator } from './indicator.js';
import { PairMoments } from './rolling-moments.js';

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
    const product = m.scaledVarianceX * m.scaledVarianceY;
    // One square root where the product neither overflows nor underflows (exact for perfect relations).
    const scale = product > 1e-290 && product < 1e290 ? Math.sqrt(product) : Math.sqrt(m.scaledVarianceX) * Math.sqrt(m.scaledVarianceY);
    return scale === 0 ? 0 : Math.max(-1, Math.min(1, m.scaledCovariance / scale));
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
    return m.scaledVarianceX === 0 ? 0 : m.scaledCovariance / m.scaledVarianceX;
  }
}
