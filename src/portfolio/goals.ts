import { FixRequestError } from '../core/errors.js';
import { Fixed } from '../core/fixed.js';
import { DAY_MS, formatUnixMs, type UnixMs } from '../core/time.js';

export interface DeskGoals {
  /** Fractional return wanted by the deadline, e.g. 0.2 for +20%. */
  readonly targetReturn: Fixed;
  /** Maximum drawdown from peak equity allowed, as a fraction, e.g. 0.1. */
  readonly drawdownCeiling: Fixed;
  readonly startTs: UnixMs;
  readonly deadline: UnixMs;
}

export interface EquityPoint {
  readonly ts: UnixMs;
  readonly equity: Fixed;
}

export type GoalStatus = 'on-track' | 'behind' | 'breached' | 'achieved' | 'expired';

export interface GoalProgress {
  readonly status: GoalStatus;
  /** Ratios at RATIO_SCALE, rounded half-even. */
  readonly returnSoFar: Fixed;
  readonly currentDrawdown: Fixed;
  readonly maxDrawdown: Fixed;
  /** The compound daily return needed from now to reach the target by the deadline (analytics: a float). */
  readonly requiredDailyReturn: number | undefined;
  readonly daysLeft: number;
  readonly sentences: readonly string[];
}

export const RATIO_SCALE = 8;

/**
 * Progress toward the desk goals from an equity series (oldest first) at `nowTs`. Only the points from the goals'
 * start to their deadline count: the first of them is the baseline, and after the deadline the outcome is frozen at
 * the last point before it. Status, by precedence: breached (max drawdown above the ceiling), achieved (target
 * reached), expired (deadline passed short of the target), on-track (return at least the compound pace that
 * reaches the target on time), behind.
 */
export function goalProgress(goals: DeskGoals, equity: readonly EquityPoint[], nowTs: UnixMs): GoalProgress {
  if (goals.deadline <= goals.startTs) throw new FixRequestError('invalid_goals', 'goals.deadline must be after goals.startTs');
  if (!goals.drawdownCeiling.isPositive()) throw new FixRequestError('invalid_goals', 'goals.drawdownCeiling must be positive');
  const series = equity.filter((point) => point.ts >= goals.startTs && point.ts <= goals.deadline);
  const first = series[0];
  const last = series[series.length - 1];
  if (first === undefined || last === undefined) throw new FixRequestError('no_equity', 'goal progress needs at least one equity point between the start and the deadline');
  if (!first.equity.isPositive()) throw new FixRequestError('invalid_equity', 'the baseline equity must be positive');

  const returnSoFar = last.equity.sub(first.equity).div(first.equity, RATIO_SCALE, 'half-even');
  let peak = first.equity;
  let maxDrawdown = Fixed.zero(RATIO_SCALE);
  let currentDrawdown = Fixed.zero(RATIO_SCALE);
  for (const point of series) {
    peak = peak.max(point.equity);
    currentDrawdown = peak.sub(point.equity).div(peak, RATIO_SCALE, 'half-even');
    maxDrawdown = maxDrawdown.max(currentDrawdown);
  }

  const daysLeft = Math.max(0, (goals.deadline - nowTs) / DAY_MS);
  const growthNeeded = (1 + goals.targetReturn.toNumber()) / (1 + returnSoFar.toNumber());
  const requiredDailyReturn = daysLeft > 0 && growthNeeded > 0 ? growthNeeded ** (1 / daysLeft) - 1 : undefined;
  const elapsed = Math.min(1, Math.max(0, (nowTs - goals.startTs) / (goals.deadline - goals.startTs)));
  const pace = (1 + goals.targetReturn.toNumber()) ** elapsed - 1;

  const percent = (value: Fixed | number) => `${((typeof value === 'number' ? value : value.toNumber()) * 100).toFixed(2)}%`;
  const sentences = [
    `Return so far ${percent(returnSoFar)} against a target of ${percent(goals.targetReturn)} by ${formatUnixMs(goals.deadline)}.`,
    `Drawdown now ${percent(currentDrawdown)}, worst ${percent(maxDrawdown)} (equity read at each review), ceiling ${percent(goals.drawdownCeiling)}.`,
  ];
  let status: GoalStatus;
  if (maxDrawdown.gt(goals.drawdownCeiling)) {
    status = 'breached';
    sentences.push(`The drawdown ceiling is breached: the worst drawdown ${percent(maxDrawdown)} exceeds ${percent(goals.drawdownCeiling)}.`);
  } else if (returnSoFar.gte(goals.targetReturn)) {
    status = 'achieved';
    sentences.push('The target return is achieved.');
  } else if (nowTs >= goals.deadline) {
    status = 'expired';
    sentences.push('The deadline has passed short of the target.');
  } else {
    status = returnSoFar.toNumber() >= pace ? 'on-track' : 'behind';
    sentences.push(
      `${status === 'on-track' ? 'On track' : 'Behind'}: the pace to the target is ${percent(pace)} by now; ` +
        `${daysLeft.toFixed(1)} days left need ${percent(requiredDailyReturn ?? 0)} a day compounded.`,
    );
  }
  return { status, returnSoFar, currentDrawdown, maxDrawdown, requiredDailyReturn, daysLeft, sentences };
}
