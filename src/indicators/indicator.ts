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

/**
 * Throws the FixRequestError for an `update` given something other than numbers: a bar object, an array, text
 * from a file. Arithmetic on those yields NaN, which would pass for a gap in the data and stay for good in the
 * recursive indicators. Callers test `typeof` themselves and call this only when a test fails, so a correct call
 * costs a comparison per argument and allocates nothing.
 */
export function rejectUpdateArguments(call: string, parameters: string, ...values: unknown[]): never {
  const names = parameters.split(', ');
  const index = values.findIndex((value) => typeof value !== 'number');
  const bad = values[index];
  const several = names.length > 1;
  let message = `${call} takes (${parameters}) as ${several ? 'numbers' : 'a number'}; got ${describeValue(bad)}${several ? ` for ${names[index] ?? 'an argument'}` : ''}`;
  if (several && index === 0 && typeof bad === 'object' && bad !== null) message += `; pass each field as its own argument, e.g. update(${names.map((name) => `bar.${name}`).join(', ')})`;
  throw new FixRequestError('invalid_indicator_input', message);
}

/**
 * Throws the FixRequestError for a bar (of an indicator set, or a spec's indicator) that is not an object whose
 * open, high, low, close and volume are numbers, naming the first field that is not. Checked for the whole bar
 * before any indicator moves, so a refused bar leaves every one of them as it was.
 */
export function rejectBar(call: string, bar: unknown): never {
  const prefix = `${call} takes a bar whose open, high, low, close and volume are numbers; got`;
  if (typeof bar !== 'object' || bar === null || Array.isArray(bar)) throw new FixRequestError('invalid_indicator_input', `${prefix} ${describeValue(bar)}`);
  const fields = bar as Record<string, unknown>;
  const field = ['open', 'high', 'low', 'close', 'volume'].find((name) => typeof fields[name] !== 'number') ?? 'open';
  throw new FixRequestError('invalid_indicator_input', `${prefix} ${describeValue(fields[field])} for ${field}`);
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `a string (${JSON.stringify(value.length > 24 ? `${value.slice(0, 24)}...` : value)})`;
    case 'bigint':
      return `a bigint (${value}n)`;
    case 'boolean':
      return `a boolean (${value})`;
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}
