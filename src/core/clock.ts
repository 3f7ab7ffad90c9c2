import { FixRequestError } from './errors.js';
import type { UnixMs } from './time.js';

/** The only source of "now" (DESIGN §3). Backtests use TestClock; live runs use WallClock. */
export interface Clock {
  now(): UnixMs;
}

/** A simulated clock that only moves forward, when told to. */
export class TestClock implements Clock {
  private current: UnixMs;

  constructor(start: UnixMs = 0 as UnixMs) {
    this.current = start;
  }

  now(): UnixMs {
    return this.current;
  }

  advanceTo(ts: UnixMs): void {
    if (!Number.isSafeInteger(ts)) {
      throw new FixRequestError('invalid_time', `the clock needs integer epoch milliseconds, got ${ts}`);
    }
    if (ts < this.current) {
      throw new FixRequestError('clock_backwards', `the clock cannot move backwards from ${this.current} to ${ts}`);
    }
    this.current = ts;
  }

  advanceBy(ms: number): void {
    this.advanceTo((this.current + ms) as UnixMs);
  }
}

/** Real time. This file is the one place that reads the wall clock (enforced by lint). */
export class WallClock implements Clock {
  now(): UnixMs {
    return Date.now() as UnixMs;
  }
}

/** Monotonic high-resolution nanoseconds for measuring durations (benchmarks, latency), never for books. */
export function monotonicNs(): bigint {
  return process.hrtime.bigint();
}
