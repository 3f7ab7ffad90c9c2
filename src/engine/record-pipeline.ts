import type { Clock } from '../core/clock.js';
import { FixRequestError, InvariantViolation } from '../core/errors.js';
import type { Fixed } from '../core/fixed.js';
import type { IdGenerator } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import type { DeskEvent, EventBase } from '../domain/events.js';
import type { OrderManager } from '../execution/oms.js';
import type { EventStore } from '../kernel/event-store.js';
import type { Topic } from '../kernel/message-bus.js';
import type { Ledger } from '../ledger/ledger.js';
import type { BreakerTrip } from '../risk/breakers.js';
import type { RiskState } from '../risk/risk-state.js';
import type { ContingentOrders } from './contingent-orders.js';
import type { NewEvent } from './trading-core-types.js';

/** The journal and the projections an event goes through, in the order it is applied to them. */
interface RecordTargets {
  readonly store: EventStore<DeskEvent>;
  readonly oms: OrderManager;
  readonly ledger: Ledger;
  readonly risk: RiskState;
  readonly contingent: ContingentOrders;
  readonly events: Topic<DeskEvent>;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  /** Equity is measured (and the breakers observe it) only when a breaker needs it. */
  readonly breakersOn: boolean;
  readonly deskEquity: () => Fixed;
}

/** What the core does after a live event is applied: the breaker trip it caused, if any, and the event's follow-ups. */
type Reaction = (event: DeskEvent, trip: BreakerTrip | undefined) => void;

/**
 * How every change reaches the books: an event is stamped, every projection is asked whether it can apply it
 * (`validate`), and only then is it journaled and applied to all of them (`commit`), so a bad input changes nothing.
 * A live event is then reacted to (`Reaction`); a replay does not react, since the journal holds the reactions.
 */
export class RecordPipeline {
  private replaying = false;
  /** The trip the last equity observation found, until the next live reaction takes it. */
  private pendingTrip: BreakerTrip | undefined;

  constructor(
    private readonly targets: RecordTargets,
    private readonly react: Reaction,
  ) {}

  /** Applies a journal's events in order, without reacting; an event that does not apply is a broken journal. */
  replay(events: Iterable<DeskEvent>): void {
    this.replaying = true;
    for (const event of events) {
      const problem = this.validate(event);
      if (problem !== undefined) throw new InvariantViolation(`journal event ${event.id} (${event.type}) does not apply: ${problem}`);
      this.commit(event);
    }
    this.replaying = false;
  }

  /** Completes a new event in place (the caller hands it over): id, when it happened, when we recorded it. */
  stamp(event: NewEvent, tsEvent: UnixMs = this.targets.clock.now()): DeskEvent {
    const stamped = event as Partial<EventBase> & NewEvent;
    (stamped as { id: EventBase['id'] }).id = this.targets.ids.nextEventId();
    (stamped as { tsEvent: UnixMs }).tsEvent = tsEvent;
    (stamped as { tsInit: UnixMs }).tsInit = this.targets.clock.now();
    return stamped as DeskEvent;
  }

  /** Stamps, validates and commits an event; one the books cannot take is refused as a bad request. */
  record(event: NewEvent, tsEvent?: UnixMs): DeskEvent {
    const stamped = this.stamp(event, tsEvent);
    const problem = this.validate(stamped);
    if (problem !== undefined) throw new FixRequestError('invalid_request', problem);
    this.commit(stamped);
    return stamped;
  }

  /** Why the books cannot apply the event, or undefined when they can. */
  validate(event: DeskEvent): string | undefined {
    const { oms, ledger } = this.targets;
    return oms.validate(event) ?? ledger.validate(event);
  }

  /** Appends and applies a validated event, then reacts to it (live only: replays contain the reactions). */
  commit(event: DeskEvent): void {
    const { store, oms, ledger, risk, contingent } = this.targets;
    store.append(event);
    oms.apply(event);
    ledger.apply(event);
    risk.apply(event);
    contingent.apply(event);
    if (this.targets.breakersOn && (event.type === 'MarksUpdated' || event.type === 'OrderFilled' || event.type === 'FundingApplied' || event.type === 'PositionLiquidated')) {
      this.pendingTrip = risk.observeEquity(event.tsEvent, this.targets.deskEquity());
    }
    this.targets.events.publish(event);
    if (this.replaying) {
      // The journal holds what the trip led to; kept, it would be acted on again by the first live event. (A journal
      // cut short before that reaction loses nothing: the next equity reading trips the breaker again.)
      this.pendingTrip = undefined;
      return;
    }
    const trip = this.pendingTrip;
    this.pendingTrip = undefined;
    this.react(event, trip);
  }
}
