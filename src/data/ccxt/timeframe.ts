import { FixRequestError } from '../../core/errors.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** A bar length in ccxt's notation ('1m', '4h', '1d', '1w', '1M'). Months and years vary in length. */
export interface CcxtTimeframe {
  readonly text: string;
  /** Exact length for s/m/h/d/w; for months (30 days) and years (365 days) only an estimate. */
  readonly approximateMs: number;
  /** True for months and years: bar boundaries follow the calendar, not a fixed step. */
  readonly calendar: boolean;
  readonly count: number;
  readonly unit: string;
}

const TIMEFRAME = /^([1-9][0-9]*)([smhdwMy])$/;

export function parseCcxtTimeframe(text: string): CcxtTimeframe {
  const match = TIMEFRAME.exec(text);
  if (match === null) {
    throw new FixRequestError('invalid_timeframe', `"${text}" is not a timeframe; use a count and a unit, like 1m, 5m, 1h, 4h, 1d, 1w or 1M`);
  }
  const count = Number(match[1]);
  const unit = match[2] as string;
  const fixed = UNIT_MS[unit];
  if (fixed !== undefined) return { text, approximateMs: count * fixed, calendar: false, count, unit };
  const approximate = unit === 'M' ? 30 * 86_400_000 : 365 * 86_400_000;
  return { text, approximateMs: count * approximate, calendar: true, count, unit };
}

/** When the bar that opens at `ts` closes: ts + length, or the same day `count` months or years on. */
export function barEnd(ts: number, timeframe: CcxtTimeframe): number {
  if (!timeframe.calendar) return ts + timeframe.approximateMs;
  const date = new Date(ts);
  const year = date.getUTCFullYear() + (timeframe.unit === 'y' ? timeframe.count : 0);
  const month = date.getUTCMonth() + (timeframe.unit === 'M' ? timeframe.count : 0);
  return Date.UTC(year, month, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds());
}
