import type { UnixMs } from '../core/time.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** The backoff grows by up to this fraction, drawn from the seeded random source. */
  readonly jitter: number;
}

export interface RateLimitPolicy {
  readonly capacity: number;
  readonly refillIntervalMs: number;
  /** Queued notifications past this many collapse into one "N more notifications" message (critical never do). */
  readonly maxQueue: number;
}

export type OutcomeKind =
  | 'sent'
  | 'retried'
  | 'gave-up'
  | 'deduplicated'
  | 'rate-limited'
  | 'collapsed'
  | 'acknowledged'
  | 'reminded';

export interface DispatchOutcome {
  readonly ts: UnixMs;
  readonly kind: OutcomeKind;
  readonly notificationId: string;
  readonly channel?: string;
  readonly attempt?: number;
  /** When the next attempt is due (retried, rate-limited). */
  readonly retryAt?: UnixMs;
  readonly detail?: string;
}
