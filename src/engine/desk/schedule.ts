import type { UnixMs } from '../../core/time.js';

/**
 * A recurring nudge on the desk's clock. Due times sit on multiples of the period since the epoch (an hourly job
 * runs at hh:00), so a backtest and a paper run of the same data wake the same roles at the same instants.
 */
export class Every {
  private next: number;

  constructor(
    readonly periodMs: number,
    start: UnixMs,
  ) {
    this.next = (Math.floor(start / periodMs) + 1) * periodMs;
  }

  /** True once per period boundary crossed since the last call (missed boundaries collapse into one). */
  due(now: UnixMs): boolean {
    if (now < this.next) return false;
    this.next = (Math.floor(now / this.periodMs) + 1) * this.periodMs;
    return true;
  }
}
