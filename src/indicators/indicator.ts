/**
 * What every streaming indicator shares. An indicator takes one update per bar and answers in O(1) (the sliding
 * extremes in amortized O(1); CCI's mean deviation in O(period), which its definition requires).
 *
 * - `update(...)` returns the current value, or `undefined` while warming up.
 * - `warmup` is the number of updates before the first value: the first value comes with update number `warmup`.
 * - `value` is the last value (or `undefined`), `isReady` says whether there is one, `reset()` starts over.
 * - Multi-output indicators return one result object that they overwrite on every update: read its fields
 *   before the next update, or copy them.
 */
import { FixRequestError } from '../core/errors.js';

export interface StreamingIndicator<Value> {
  /** Updates needed before the first value. */
  readonly warmup: number;
  readonly isReady: boolean;
  readonly value: Value | undefined;
  reset(): void;
}

/** Throws a FixRequestError unless `value` is an integer in [min, max]. */
export function requireInteger(indicator: string, parameter: string, value: number, min = 1, max = 10_000_000): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new FixRequestError(
      'invalid_indicator_parameter',
      `${indicator} ${parameter} must be an integer from ${min} to ${max}, got ${String(value)}`,
    );
  }
}

/** Throws a FixRequestError unless `value` is a finite number above zero. */
export function requirePositive(indicator: string, parameter: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new FixRequestError('invalid_indicator_parameter', `${indicator} ${parameter} must be a positive number, got ${String(value)}`);
  }
}
