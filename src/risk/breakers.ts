import { Fixed } from '../core/fixed.js';
import { utcDayStart, type UnixMs } from '../core/time.js';
import type { StateChangeTrigger, TradingState } from '../domain/events.js';
import type { RiskLimits } from './limits.js';
import { breakerActs, isEscalation } from './trading-state.js';

/** Reference points the breakers measure losses from. */
export interface BreakerMarks {
  readonly day: UnixMs | undefined;
  readonly dayStartEquity: Fixed | undefined;
  readonly peakEquity: Fixed | undefined;
}

export const NO_MARKS: BreakerMarks = { day: undefined, dayStartEquity: undefined, peakEquity: undefined };

export interface BreakerTrip {
  readonly to: Exclude<TradingState, 'ACTIVE'>;
  readonly trigger: StateChangeTrigger;
  readonly reason: string;
}

/** Rolls the day (UTC) and the equity peak forward with a new equity observation. Pure. */
export function advanceMarks(marks: BreakerMarks, ts: UnixMs, equity: Fixed): BreakerMarks {
  const day = utcDayStart(ts);
  const newDay = marks.day === undefined || day > marks.day;
  return {
    day,
    dayStartEquity: newDay ? equity : marks.dayStartEquity,
    peakEquity: marks.peakEquity === undefined || equity.gt(marks.peakEquity) ? equity : marks.peakEquity,
  };
}

/** Moves the reference points by a capital flow (deposit > 0, withdrawal < 0). */
export function shiftMarks(marks: BreakerMarks, amount: Fixed): BreakerMarks {
  return {
    day: marks.day,
    dayStartEquity: marks.dayStartEquity?.add(amount),
    peakEquity: marks.peakEquity?.add(amount),
  };
}

/**
 * The strictest breaker the equity trips that acts on the current state (see `breakerActs`), or undefined.
 * `trigger` is what set the current state.
 * Loss fractions are measured from the start-of-day equity (daily loss) and the running peak (drawdown).
 */
export function evaluateBreakers(marks: BreakerMarks, equity: Fixed, state: TradingState, limits: RiskLimits, trigger?: StateChangeTrigger): BreakerTrip | undefined {
  const trips: BreakerTrip[] = [];
  const check = (base: Fixed | undefined, limit: RiskLimits['dailyLoss'], trigger: StateChangeTrigger, label: string): void => {
    if (limit === undefined || base === undefined || !base.isPositive()) return;
    const loss = base.sub(equity).div(base, 8, 'down');
    if (loss.gte(limit.fraction)) {
      trips.push({
        to: limit.action,
        trigger,
        reason: `${label} of ${pct(loss)} (equity ${equity.toPlainString()} from ${base.toPlainString()}) reached the ${pct(limit.fraction)} limit; ${limit.action === state ? `the desk, ${state} under the risk watch, stays ${state} until resumed` : `the desk moves to ${limit.action}`}.`,
      });
    }
  };
  check(marks.dayStartEquity, limits.dailyLoss, 'daily-loss', 'Daily loss');
  check(marks.peakEquity, limits.maxDrawdown, 'drawdown', 'Drawdown');
  let strictest: BreakerTrip | undefined;
  for (const trip of trips) {
    if (!breakerActs(state, trigger, trip.to)) continue;
    if (strictest === undefined || isEscalation(strictest.to, trip.to)) strictest = trip;
  }
  return strictest;
}

function pct(fraction: Fixed): string {
  return `${fraction.mul(Fixed.fromInt(100)).rescale(2, 'half-even').toPlainString()}%`;
}
