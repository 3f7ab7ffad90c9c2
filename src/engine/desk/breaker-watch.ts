import { utcDayStart, type UnixMs } from '../../core/time.js';
import type { BreakerMarks } from '../../risk/breakers.js';
import type { RiskLimits } from '../../risk/limits.js';
import { breakerActs } from '../../risk/trading-state.js';
import type { TradingCore } from '../trading-core.js';

/** Float equity this close to a level (relative) may be across it on the exact books. */
const NEAR = 1e-4;
/** A new peak is journaled once equity rises this part of the drawdown limit above the last one. */
const PEAK_STEP = 0.1;

/**
 * Between the desk's daily marks, the breakers would see equity only at fills. The desk hands this watch the float
 * equity it already computes after every close time; when a breaker level may be crossed, a UTC day starts (the
 * daily-loss breaker's reference), or equity climbs a tenth of the drawdown limit above its last peak, the watch
 * says so and the desk journals an exact mark, on which the core's breakers decide. A mark every bar would cost a
 * journal event per bar; this costs a few comparisons.
 */
export class BreakerWatch {
  private seen: BreakerMarks | undefined;
  private dailyLevel = Number.NEGATIVE_INFINITY;
  private drawdownLevel = Number.NEGATIVE_INFINITY;
  private nextPeak = Number.POSITIVE_INFINITY;

  constructor(
    private readonly core: TradingCore,
    private readonly limits: Pick<RiskLimits, 'dailyLoss' | 'maxDrawdown'>,
  ) {}

  /** True when the books should be marked now. */
  due(closeTs: UnixMs, equity: number): boolean {
    const marks = this.core.risk.breakerMarks;
    if (marks !== this.seen) this.refresh(marks);
    const state = this.core.tradingState;
    const trigger = this.core.risk.stateTrigger;
    const daily = this.limits.dailyLoss;
    if (daily !== undefined && breakerActs(state, trigger, daily.action)) {
      if (marks.day !== undefined && utcDayStart(closeTs) > marks.day) return true;
      if (equity <= this.dailyLevel) return true;
    }
    const drawdown = this.limits.maxDrawdown;
    if (drawdown !== undefined && breakerActs(state, trigger, drawdown.action)) return equity <= this.drawdownLevel || equity >= this.nextPeak;
    return false;
  }

  private refresh(marks: BreakerMarks): void {
    this.seen = marks;
    const { dailyLoss, maxDrawdown } = this.limits;
    const start = marks.dayStartEquity?.toNumber();
    const peak = marks.peakEquity?.toNumber();
    this.dailyLevel = dailyLoss === undefined || start === undefined ? Number.NEGATIVE_INFINITY : levelOf(start, dailyLoss.fraction.toNumber());
    this.drawdownLevel = maxDrawdown === undefined || peak === undefined ? Number.NEGATIVE_INFINITY : levelOf(peak, maxDrawdown.fraction.toNumber());
    this.nextPeak = maxDrawdown === undefined || peak === undefined ? Number.POSITIVE_INFINITY : peak * (1 + PEAK_STEP * maxDrawdown.fraction.toNumber());
  }
}

/** The equity at which a loss of `fraction` from `base` is reached, raised by the float tolerance. */
function levelOf(base: number, fraction: number): number {
  const level = base * (1 - fraction);
  return level + Math.abs(level) * NEAR;
}
