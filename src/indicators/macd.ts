/**
 * Moving Average Convergence/Divergence.
 *
 * Conventions: line = EMA(fast) - EMA(slow), both SMA-seeded EMAs of the input, starting when the slow EMA is
 * ready (update `slow`); signal = EMA(signal) of the line, itself seeded with the SMA of its first `signal` line
 * values; histogram = line - signal. All three appear together with update slow + signal - 1 (the warmup), as
 * TradingView's `ta.macd`. The result object is reused: `update` overwrites it.
 */
import { FixRequestError } from '../core/errors.js';
import { rejectUpdateArguments, requireInteger, type StreamingIndicator } from './indicator.js';
import { EMA } from './moving-averages.js';

export interface MacdResult {
  line: number;
  signal: number;
  histogram: number;
}

export class MACD implements StreamingIndicator<MacdResult> {
  readonly warmup: number;
  private readonly fastAverage: EMA;
  private readonly slowAverage: EMA;
  private readonly signalAverage: EMA;
  private readonly result: MacdResult = { line: Number.NaN, signal: Number.NaN, histogram: Number.NaN };

  constructor(
    readonly fast = 12,
    readonly slow = 26,
    readonly signal = 9,
  ) {
    requireInteger('MACD', 'fast period', fast);
    requireInteger('MACD', 'slow period', slow);
    requireInteger('MACD', 'signal period', signal);
    if (fast >= slow) throw new FixRequestError('invalid_indicator_parameter', `MACD fast period (${fast}) must be below the slow period (${slow})`);
    this.warmup = slow + signal - 1;
    this.fastAverage = new EMA(fast);
    this.slowAverage = new EMA(slow);
    this.signalAverage = new EMA(signal);
  }

  update(x: number): MacdResult | undefined {
    if (typeof x !== 'number') rejectUpdateArguments('MACD.update', 'value', x);
    const fast = this.fastAverage.update(x);
    const slow = this.slowAverage.update(x);
    if (fast === undefined || slow === undefined) return undefined;
    const line = fast - slow;
    const signal = this.signalAverage.update(line);
    if (signal === undefined) return undefined;
    const result = this.result;
    result.line = line;
    result.signal = signal;
    result.histogram = line - signal;
    return result;
  }

  get value(): MacdResult | undefined {
    return this.signalAverage.isReady ? this.result : undefined;
  }

  get isReady(): boolean {
    return this.signalAverage.isReady;
  }

  reset(): void {
    this.fastAverage.reset();
    this.slowAverage.reset();
    this.signalAverage.reset();
  }
}
