import { FixRequestError } from './errors.js';

/** Integer epoch milliseconds, UTC. */
export type UnixMs = number & { readonly __brand: 'UnixMs' };

export function unixMs(value: number): UnixMs {
  if (!Number.isSafeInteger(value)) {
    throw new FixRequestError('invalid_time', `a timestamp must be an integer number of epoch milliseconds, got ${value}`);
  }
  return value as UnixMs;
}

export function formatUnixMs(ts: UnixMs): string {
  return new Date(ts).toISOString();
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Start of the UTC day that contains `ts`. */
export function utcDayStart(ts: UnixMs): UnixMs {
  return (ts - (((ts % DAY_MS) + DAY_MS) % DAY_MS)) as UnixMs;
}
