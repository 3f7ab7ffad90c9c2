import type { UnixMs } from '../core/time.js';

/** A token bucket on the caller's clock: `capacity` sends at once, then one more every `refillIntervalMs`. */
export class TokenBucket {
  private tokens: number;
  private refilledAt: UnixMs;

  constructor(
    readonly capacity: number,
    readonly refillIntervalMs: number,
    now: UnixMs,
  ) {
    this.tokens = capacity;
    this.refilledAt = now;
  }

  tryTake(now: UnixMs): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** When the next token will be there (now, when one is). */
  nextTokenAt(now: UnixMs): UnixMs {
    this.refill(now);
    return this.tokens >= 1 ? now : ((this.refilledAt + this.refillIntervalMs) as UnixMs);
  }

  private refill(now: UnixMs): void {
    if (this.tokens >= this.capacity) {
      this.refilledAt = now;
      return;
    }
    const earned = Math.floor((now - this.refilledAt) / this.refillIntervalMs);
    if (earned <= 0) return;
    this.tokens = Math.min(this.capacity, this.tokens + earned);
    this.refilledAt = (this.tokens >= this.capacity ? now : this.refilledAt + earned * this.refillIntervalMs) as UnixMs;
  }
}
