import type { Fixed } from '../core/fixed.js';
import type { Currency } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import type { DeskEvent, StateChangeTrigger, TradingState } from '../domain/events.js';
import { advanceMarks, evaluateBreakers, NO_MARKS, shiftMarks, type BreakerMarks, type BreakerTrip } from './breakers.js';
import type { RiskLimits } from './limits.js';

/**
 * The risk manager's state, derived from events and equity observations only, so a replayed journal rebuilds it
 * exactly: trading state, recent submit times (for the order-rate limit) and the breakers' reference points.
 */
export class RiskState {
  private state: TradingState = 'ACTIVE';
  /** What moved the desk to its current state (undefined while it has never left ACTIVE). */
  private trigger: StateChangeTrigger | undefined;
  private readonly submitTimes: UnixMs[] = [];
  private marks: BreakerMarks = NO_MARKS;
  /** Sleeves with a state of their own (absent: ACTIVE). */
  private readonly owners = new Map<string, TradingState>();

  constructor(
    private readonly limits: RiskLimits,
    private readonly valuationCurrency: Currency,
  ) {}

  get tradingState(): TradingState {
    return this.state;
  }

  get stateTrigger(): StateChangeTrigger | undefined {
    return this.trigger;
  }

  get breakerMarks(): BreakerMarks {
    return this.marks;
  }

  /** A sleeve's own state. */
  ownerState(owner: string): TradingState {
    return this.owners.get(owner) ?? 'ACTIVE';
  }

  /** The state an intent for this owner is gated under: the stricter of the desk's and the sleeve's. */
  stateFor(owner: string): TradingState {
    const own = this.owners.get(owner);
    if (own === undefined) return this.state;
    return SEVERITY[own] > SEVERITY[this.state] ? own : this.state;
  }

  recentOrderTimes(): readonly UnixMs[] {
    return this.submitTimes;
  }

  apply(event: DeskEvent): void {
    if (event.type === 'TradingStateChanged') {
      this.state = event.to;
      this.trigger = event.trigger;
    }
    else if (event.type === 'SleeveStateChanged') {
      if (event.to === 'ACTIVE') this.owners.delete(event.sleeve);
      else this.owners.set(event.sleeve, event.to);
    }
    else if ((event.type === 'FundsDeposited' || event.type === 'FundsWithdrawn') && event.currency === this.valuationCurrency) {
      // Capital flows are not gains or losses: move the breakers' reference points with them.
      this.marks = shiftMarks(this.marks, event.type === 'FundsDeposited' ? event.amount : event.amount.neg());
    }
    else if (event.type === 'OrderSubmitted') {
      this.submitTimes.push(event.tsEvent);
      this.pruneSubmitTimes(event.tsEvent);
    }
  }

  /** Records an equity reading; returns the breaker it trips, if any (the caller records the state change). */
  observeEquity(ts: UnixMs, equity: Fixed): BreakerTrip | undefined {
    this.marks = advanceMarks(this.marks, ts, equity);
    return evaluateBreakers(this.marks, equity, this.state, this.limits, this.trigger);
  }

  snapshot(): unknown {
    return {
      state: this.state,
      sleeves: [...this.owners.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      submitTimes: [...this.submitTimes],
      day: this.marks.day,
      dayStartEquity: this.marks.dayStartEquity?.toString(),
      peakEquity: this.marks.peakEquity?.toString(),
    };
  }

  private pruneSubmitTimes(now: UnixMs): void {
    const window = this.limits.orderRate?.windowMs ?? 0;
    let drop = 0;
    while (drop < this.submitTimes.length && (this.submitTimes[drop] ?? now) <= now - window) drop += 1;
    if (drop > 0) this.submitTimes.splice(0, drop);
  }
}

const SEVERITY: Readonly<Record<TradingState, number>> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };
