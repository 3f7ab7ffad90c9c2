/**
 * Highest and lowest of the last n values, and Donchian channels.
 *
 * A monotonic deque keeps the candidates for the window's extreme, so an update costs amortized O(1) (every value
 * enters and leaves the deque once) and the extreme is exact (it is one of the inputs).
 *
 * Conventions: the window includes the current value (a breakout rule "close above the previous n-bar high" reads
 * `value` before updating with the current bar). Donchian upper = highest high, lower = lowest low, middle =
 * (upper + lower) / 2. A NaN input makes the extreme NaN until it leaves the window. Donchian's result object is
 * reused: `update` overwrites it.
 */
import { rejectUpdateArguments, requireInteger, type StreamingIndicator } from './indicator.js';

/** The maximum of the last `period` values, by a monotonic deque in two rings. */
class SlidingMaximum {
  private readonly values: Float64Array;
  private readonly positions: Float64Array;
  private head = 0;
  private size = 0;
  private position = 0;
  private lastNaN = Number.NEGATIVE_INFINITY;

  constructor(readonly period: number) {
    this.values = new Float64Array(period);
    this.positions = new Float64Array(period);
  }

  push(x: number): number {
    const n = this.period;
    const position = this.position++;
    if (this.size > 0 && (this.positions[this.head] as number) <= position - n) {
      this.head = this.head + 1 === n ? 0 : this.head + 1;
      this.size -= 1;
    }
    if (x !== x) {
      this.lastNaN = position;
      return this.front(position);
    }
    let back = this.head + this.size - 1;
    if (back >= n) back -= n;
    while (this.size > 0 && (this.values[back] as number) <= x) {
      this.size -= 1;
      back = back === 0 ? n - 1 : back - 1;
    }
    let slot = this.head + this.size;
    if (slot >= n) slot -= n;
    this.values[slot] = x;
    this.positions[slot] = position;
    this.size += 1;
    return this.front(position);
  }

  get count(): number {
    return this.position;
  }

  reset(): void {
    this.head = 0;
    this.size = 0;
    this.position = 0;
    this.lastNaN = Number.NEGATIVE_INFINITY;
  }

  private front(position: number): number {
    if (position - this.lastNaN < this.period || this.size === 0) return Number.NaN;
    return this.values[this.head] as number;
  }
}

/** The maximum (sign 1) or minimum (sign -1, a maximum of the negated values; negation is exact) of a window. */
abstract class WindowExtreme implements StreamingIndicator<number> {
  readonly warmup: number;
  private readonly maximum: SlidingMaximum;
  private current = Number.NaN;
  private readonly updateCall: string;

  constructor(
    name: string,
    readonly period: number,
    private readonly sign: 1 | -1,
  ) {
    requireInteger(name, 'period', period);
    this.updateCall = `${name}.update`;
    this.warmup = period;
    this.maximum = new SlidingMaximum(period);
  }

  update(x: number): number | undefined {
    if (typeof x !== 'number') rejectUpdateArguments(this.updateCall, 'value', x);
    this.current = this.sign * this.maximum.push(this.sign * x);
    return this.maximum.count >= this.period ? this.current : undefined;
  }

  get value(): number | undefined {
    return this.maximum.count >= this.period ? this.current : undefined;
  }

  get isReady(): boolean {
    return this.maximum.count >= this.period;
  }

  reset(): void {
    this.maximum.reset();
    this.current = Number.NaN;
  }
}

/** The maximum of the last `period` values. */
export class Highest extends WindowExtreme {
  constructor(period: number) {
    super('Highest', period, 1);
  }
}

/** The minimum of the last `period` values. */
export class Lowest extends WindowExtreme {
  constructor(period: number) {
    super('Lowest', period, -1);
  }
}

export interface DonchianResult {
  upper: number;
  middle: number;
  lower: number;
}

export class DonchianChannels implements StreamingIndicator<DonchianResult> {
  readonly warmup: number;
  private readonly highest: Highest;
  private readonly lowest: Lowest;
  private readonly result: DonchianResult = { upper: Number.NaN, middle: Number.NaN, lower: Number.NaN };

  constructor(readonly period: number) {
    requireInteger('DonchianChannels', 'period', period);
    this.warmup = period;
    this.highest = new Highest(period);
    this.lowest = new Lowest(period);
  }

  update(high: number, low: number): DonchianResult | undefined {
    if (typeof high !== 'number' || typeof low !== 'number') rejectUpdateArguments('DonchianChannels.update', 'high, low', high, low);
    const upper = this.highest.update(high);
    const lower = this.lowest.update(low);
    if (upper === undefined || lower === undefined) return undefined;
    const result = this.result;
    result.upper = upper;
    result.lower = lower;
    result.middle = (upper + lower) / 2;
    return result;
  }

  get value(): DonchianResult | undefined {
    return this.highest.isReady ? this.result : undefined;
  }

  get isReady(): boolean {
    return this.highest.isReady;
  }

  reset(): void {
    this.highest.reset();
    this.lowest.reset();
  }
}
