import { FixRequestError } from '../core/errors.js';
import { DAY_MS, HOUR_MS, utcDayStart, type UnixMs } from '../core/time.js';

/** When sleeves are rebalanced. Hours and weekdays are UTC; weekday 0 is Sunday. */
export type RebalanceSchedule =
  | { readonly kind: 'daily'; readonly hourUtc?: number }
  | { readonly kind: 'weekly'; readonly weekday: number; readonly hourUtc?: number }
  | { readonly kind: 'every'; readonly hours: number };

/** 1970-01-01 was a Thursday. */
const EPOCH_WEEKDAY = 4;

/** The first scheduled time strictly after `lastTs`. */
export function nextRebalanceAt(lastTs: UnixMs, schedule: RebalanceSchedule): UnixMs {
  switch (schedule.kind) {
    case 'every':
      if (!(schedule.hours > 0) || !Number.isFinite(schedule.hours)) {
        throw new FixRequestError('invalid_schedule', `schedule.hours must be positive, got ${schedule.hours}`);
      }
      return (lastTs + Math.round(schedule.hours * HOUR_MS)) as UnixMs;
    case 'daily': {
      const at = utcDayStart(lastTs) + hourOffset(schedule.hourUtc);
      return (at > lastTs ? at : at + DAY_MS) as UnixMs;
    }
    case 'weekly': {
      if (!Number.isInteger(schedule.weekday) || schedule.weekday < 0 || schedule.weekday > 6) {
        throw new FixRequestError('invalid_schedule', `schedule.weekday must be 0 (Sunday) to 6, got ${schedule.weekday}`);
      }
      const dayStart = utcDayStart(lastTs);
      const weekday = (((Math.floor(dayStart / DAY_MS) + EPOCH_WEEKDAY) % 7) + 7) % 7;
      const at = dayStart + ((schedule.weekday - weekday + 7) % 7) * DAY_MS + hourOffset(schedule.hourUtc);
      return (at > lastTs ? at : at + 7 * DAY_MS) as UnixMs;
    }
  }
}

/** True when a scheduled time has passed since the last rebalance (always, when there has been none). */
export function isRebalanceDue(lastTs: UnixMs | undefined, nowTs: UnixMs, schedule: RebalanceSchedule): boolean {
  return lastTs === undefined || nowTs >= nextRebalanceAt(lastTs, schedule);
}

function hourOffset(hourUtc = 0): number {
  if (!Number.isInteger(hourUtc) || hourUtc < 0 || hourUtc > 23) {
    throw new FixRequestError('invalid_schedule', `schedule.hourUtc must be an integer 0..23, got ${hourUtc}`);
  }
  return hourUtc * HOUR_MS;
}
