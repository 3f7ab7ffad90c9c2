/**
 * Stochastic oscillator (slow stochastic).
 *
 * Conventions: raw %K = 100 * (close - lowest low) / (highest high - lowest low) over the last `kPeriod` bars
 * (50 when the range is 0 and the close finite; a NaN or infinite close gives NaN there); %K = SMA(kSmoothing) of
 * raw %K; %D = SMA(dPeriod) of %K. Both appear together with bar kPeriod + kSmoothing + dPeriod - 2 (the warmup);
 * `stoch:14:1:3` is the fast stochastic. The result object is reused: `update` overwrites it.
 */
import { Highest, Lowest } from './extremes.js';
import { rejectUpdateArguments, requireInteger, type StreamingIndicator } from './indicator.js';
import { SMA } from './moving-averages.js';

export interface StochasticResult {
  k: number;
  d: number;
}

export class Stochastic implements StreamingIndicator<StochasticResult> {
  readonly warmup: number;
  private readonly highest: Highest;
  private readonly lowest: Lowest;
  private readonly smoothK: SMA;
  private readonly smoothD: SMA;
  private readonly result: StochasticResult = { k: Number.NaN, d: Number.NaN };

  constructor(
    readonly kPeriod = 14,
    readonly kSmoothing = 3,
    readonly dPeriod = 3,
  ) {
    requireInteger('Stochastic', 'k period', kPeriod);
    requireInteger('Stochastic', 'k smoothing', kSmoothing);
    requireInteger('Stochastic', 'd period', dPeriod);
    this.warmup = kPeriod + kSmoothing + dPeriod - 2;
    this.highest = new Highest(kPeriod);
    this.lowest = new Lowest(kPeriod);
    this.smoothK = new SMA(kSmoothing);
    this.smoothD = new SMA(dPeriod);
  }

  update(high: number, low: number, close: number): StochasticResult | undefined {
    if (typeof high !== 'number' || typeof low !== 'number' || typeof close !== 'number') rejectUpdateArguments('Stochastic.update', 'high, low, close', high, low, close);
    const highest = this.highest.update(high);
    const lowest = this.lowest.update(low);
    if (highest === undefined || lowest === undefined) return undefined;
    const range = highest - lowest;
    // 50 stands for the 0 / 0 of a flat range only: a NaN (or infinite) close is no midpoint and stays NaN.
    const raw = range === 0 ? (close - close === 0 ? 50 : Number.NaN) : (100 * (close - lowest)) / range;
    const k = this.smoothK.update(raw);
    if (k === undefined) return undefined;
    const d = this.smoothD.update(k);
    if (d === undefined) return undefined;
    this.result.k = k;
    this.result.d = d;
    return this.result;
  }

  get value(): StochasticResult | undefined {
    return this.smoothD.isReady ? this.result : undefined;
  }

  get isReady(): boolean {
    return this.smoothD.isReady;
  }

  reset(): void {
    this.highest.reset();
    this.lowest.reset();
    this.smoothK.reset();
    this.smoothD.reset();
  }
}
