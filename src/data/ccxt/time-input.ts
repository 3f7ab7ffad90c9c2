import { FixRequestError } from '../../core/errors.js';
import type { UnixMs } from '../../core/time.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DIGITS = /^\d+$/;
/** Epoch ms below this (1973-03-03) are almost surely epoch seconds typed by mistake. */
const SMALLEST_PLAUSIBLE_MS = 100_000_000_000;

/**
 * A point in time from the command line: `2024-01-01` (UTC midnight), an ISO date-time (`2024-01-01T12:00`,
 * UTC unless it carries an offset), or epoch milliseconds. `name` goes into the error (e.g. "--since").
 */
export function parseTimeInput(input: string | number, name: string): UnixMs {
  if (typeof input === 'number') return epochMs(input, name, String(input));
  const text = input.trim();
  if (DIGITS.test(text)) return epochMs(Number(text), name, text);
  const date = DATE.exec(text);
  if (date !== null) return calendar(name, text, Number(date[1]), Number(date[2]), Number(date[3]), 0, 0, 0, 0, 0);
  const dateTime = DATE_TIME.exec(text);
  if (dateTime !== null) {
    const [, year, month, day, hour, minute, second, fraction, zone] = dateTime;
    const offsetMinutes = zoneOffsetMinutes(zone);
    const ms = fraction === undefined ? 0 : Number(fraction.padEnd(3, '0'));
    return calendar(name, text, Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second ?? 0), ms, offsetMinutes);
  }
  throw new FixRequestError(
    'invalid_time',
    `${name} "${input}" is not a time; use YYYY-MM-DD (UTC), an ISO date-time like 2024-01-01T12:00:00Z, or epoch milliseconds`,
  );
}

function epochMs(value: number, name: string, text: string): UnixMs {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new FixRequestError('invalid_time', `${name} ${text} is not a whole, non-negative number of epoch milliseconds`);
  }
  if (value < SMALLEST_PLAUSIBLE_MS) {
    throw new FixRequestError('invalid_time', `${name} ${text} looks like epoch seconds; give milliseconds (${value * 1000}) or a date`);
  }
  return value as UnixMs;
}

function zoneOffsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
}

function calendar(
  name: string,
  text: string,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
  offsetMinutes: number,
): UnixMs {
  const ts = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(ts);
  // Date.UTC rolls 2024-02-30 over to March: refuse instead of guessing.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new FixRequestError('invalid_time', `${name} "${text}" is not a real date or time`);
  }
  return (ts - offsetMinutes * 60_000) as UnixMs;
}
