import { Fixed } from '../../core/fixed.js';
import { childIntentId, clientOrderIdFor, type ClientOrderId, type InstrumentId, type IntentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { DeskEvent } from '../../domain/events.js';
import type { Instrument } from '../../domain/instrument.js';
import type { OrderIntent } from '../../domain/intent.js';
import { isOpen } from '../../domain/order-lifecycle.js';
import { PostOnlyChase, touchAround, type ChaseAction, type LegEnd } from '../../execution/algorithms/post-only-chase.js';
import { planTwap, TwapState } from '../../execution/algorithms/twap.js';
import type { TradingCore } from '../trading-core.js';
import type { ExitPlanner } from './exit-planner.js';

interface Working {
  readonly parent: OrderIntent;
  readonly instrument: Instrument;
  readonly twap?: TwapState;
  readonly chase?: PostOnlyChase;
  /** Child client order id -> leg. */
  readonly legs: Map<ClientOrderId, number>;
  /** What the legs filled, and its value (quantity x price), for the exits once the algorithm is done. */
  filled: Fixed;
  filledValue: Fixed;
}

/**
 * The execution algorithms at work (TWAPs, post-only chases), by parent intent: each is stepped once a bar (due
 * slices go out, a chase follows the touch), follows its children's venue reports, and stops when its book leaves
 * ACTIVE. Every child is an intent of its own (id `<parent>.<leg>`, caused by the parent), so the gate checks each one
 * and replays repeat them. When an opening algorithm is done, what its children filled gets the protective exits a
 * market entry would get.
 */
export class WorkingAlgorithms {
  private readonly working = new Map<IntentId, Working>();
  private readonly byChild = new Map<ClientOrderId, Working>();

  constructor(
    private readonly core: TradingCore,
    private readonly exits: ExitPlanner,
  ) {}

  get size(): number {
    return this.working.size;
  }

  /** Starts a TWAP of `intent` over `overMs` in `slices` (fewer when they would fall below the minimums). */
  startTwap(intent: OrderIntent, instrument: Instrument, reference: Fixed, now: UnixMs, algorithm: { readonly slices: number; readonly overMs: number }): void {
    const schedule = planTwap({ quantity: intent.quantity, start: now, duration: algorithm.overMs, slices: algorithm.slices, instrument, price: reference });
    const twap = new TwapState({ intentId: intent.id, side: intent.side, instrument, schedule, style: { kind: 'market' } });
    const work: Working = { parent: intent, instrument, twap, legs: new Map(), filled: Fixed.zero(), filledValue: Fixed.zero() };
    this.working.set(intent.id, work);
    this.sendTwap(work, now, reference);
  }

  /** Starts a post-only chase of `intent`, resting at the touch around `reference`. */
  startChase(intent: OrderIntent, instrument: Instrument, reference: Fixed, algorithm: { readonly maxReprices: number; readonly fallback: 'market' | 'cancel' }): void {
    const chase = new PostOnlyChase({ intentId: intent.id, side: intent.side, quantity: intent.quantity, instrument, maxReprices: algorithm.maxReprices, fallback: algorithm.fallback });
    const work: Working = { parent: intent, instrument, chase, legs: new Map(), filled: Fixed.zero(), filledValue: Fixed.zero() };
    this.working.set(intent.id, work);
    this.perform(work, chase.start(touchAround(reference, instrument)));
  }

  /** True while an algorithm works an order of this book (only a reducing one, with `reducing`). */
  works(owner: string, instrumentId: InstrumentId, reducing = false): boolean {
    if (this.working.size === 0) return false;
    for (const work of this.working.values()) {
      if (work.parent.owner === owner && work.parent.instrumentId === instrumentId && (!reducing || work.parent.reduceOnly === true)) return true;
    }
    return false;
  }

  /** Ends the book's opening algorithms (what their legs filled gets its exits) and hands each one's legs to `cancel`. */
  stopOpening(owner: string, instrumentId: InstrumentId, cancel: (id: ClientOrderId) => void): void {
    for (const work of [...this.working.values()]) {
      if (work.parent.owner !== owner || work.parent.instrumentId !== instrumentId || work.parent.reduceOnly === true) continue;
      // Ended before its legs are canceled: a canceled leg must not drive the algorithm on (a chase would re-place it).
      const legs = [...work.legs.keys()];
      this.finish(work);
      for (const leg of legs) cancel(leg);
    }
  }

  /** Each bar: due TWAP slices go out, chases follow the touch; an opening one whose book left ACTIVE stops. */
  onTick(now: UnixMs, priceOf: (id: InstrumentId) => Fixed | undefined): void {
    for (const work of [...this.working.values()]) {
      if (work.parent.reduceOnly !== true && this.core.risk.stateFor(work.parent.owner) !== 'ACTIVE') {
        this.stop(work);
        continue;
      }
      const reference = priceOf(work.instrument.id);
      if (reference === undefined) continue;
      if (work.twap !== undefined) this.sendTwap(work, now, reference);
      else if (work.chase !== undefined) this.follow(work, work.chase, reference);
    }
  }

  /** Follows fills and order ends of the children. */
  onEvent(event: DeskEvent): void {
    if (this.byChild.size === 0) return;
    let id: ClientOrderId;
    if (event.type === 'OrderFilled') id = event.fill.clientOrderId;
    else if (event.type === 'OrderCanceled' || event.type === 'OrderRejected' || event.type === 'OrderExpired' || event.type === 'OrderCancelRejected') id = event.clientOrderId;
    else return;
    const work = this.byChild.get(id);
    if (work === undefined) return;
    const leg = work.legs.get(id) ?? 0;
    if (event.type === 'OrderFilled') {
      work.filled = work.filled.add(event.fill.quantity);
      work.filledValue = work.filledValue.add(event.fill.quantity.mul(event.fill.price));
    }
    const ended = event.type === 'OrderFilled' ? this.core.oms.get(id)?.status === 'filled' : event.type !== 'OrderCancelRejected';
    if (work.twap !== undefined) {
      if (event.type === 'OrderFilled') work.twap.onSliceFilled(leg, event.fill.quantity);
      if (ended) work.twap.onSliceClosed(leg);
      if (work.twap.isComplete) this.finish(work);
    } else if (work.chase !== undefined) {
      const chase = work.chase;
      if (event.type === 'OrderFilled') chase.onFill(event.fill.quantity);
      if (event.type === 'OrderCancelRejected') chase.onCancelRejected(leg);
      if (ended) this.perform(work, chase.onLegEnded(leg, legEnd(event.type)));
    }
  }

  private sendTwap(work: Working, now: UnixMs, reference: Fixed): void {
    const twap = work.twap;
    if (twap === undefined) return;
    for (const child of twap.due(now, reference)) {
      if (!this.submitChild(work, child.leg, { type: 'market', quantity: child.quantity })) twap.onSliceDenied(child.leg);
    }
    if (twap.isComplete) this.finish(work);
  }

  /**
   * An opening algorithm whose owner (or the desk) left ACTIVE takes no more: no new child goes out, the live ones are
   * canceled, and once they are over what the algorithm filled gets its exits, as when it ends by itself.
   */
  private stop(work: Working): void {
    if (work.chase !== undefined) {
      this.perform(work, work.chase.stop());
      return;
    }
    const twap = work.twap;
    if (twap === undefined) return;
    twap.stop();
    for (const id of work.legs.keys()) {
      const order = this.core.oms.get(id);
      if (order !== undefined && isOpen(order.status) && order.status !== 'pending-cancel') this.core.cancelOrder(id, work.parent.id);
    }
    if (twap.isComplete) this.finish(work);
  }

  /**
   * Each bar: a chase cancels a leg the touch moved away from, and re-places one whose cancel was confirmed (or that
   * the venue refused as a taker). A bar gives only its close, so the touch is a tick either side of it.
   */
  private follow(work: Working, chase: PostOnlyChase, reference: Fixed): void {
    const touch = touchAround(reference, work.instrument);
    this.perform(work, chase.onTouch(touch));
    // A cancel the venue confirmed at once: the next leg goes out at this touch, not a bar later.
    if (chase.awaitingTouch && this.working.get(work.parent.id) === work) this.perform(work, chase.onTouch(touch));
  }

  /**
   * Carries out a chase's actions. Each list holds at most one new leg, last; its venue reports may come back while
   * it is submitted (and drive the chase further), so nothing is read from the chase after a submit.
   */
  private perform(work: Working, actions: readonly ChaseAction[]): void {
    for (const action of actions) {
      if (action.type === 'done') {
        this.finish(work);
        return;
      }
      if (action.type === 'cancel') {
        const order = this.core.oms.get(action.clientOrderId);
        if (order !== undefined && isOpen(order.status)) this.core.cancelOrder(action.clientOrderId, work.parent.id);
        continue;
      }
      const submitted =
        action.type === 'place'
          ? this.submitChild(work, action.leg, { type: 'limit', quantity: action.quantity, price: action.price, postOnly: true })
          : this.submitChild(work, action.leg, { type: 'market', quantity: action.quantity });
      // The gate refused a leg: the chase cannot go on; what was filled stays filled.
      if (!submitted) this.finish(work);
      return;
    }
  }

  /**
   * Sends leg `leg` of an algorithm through the gate; false when the gate denied it. The leg is known before it is
   * submitted, so venue reports that come back at once (no latency) reach the algorithm like later ones.
   */
  private submitChild(work: Working, leg: number, order: Pick<OrderIntent, 'type' | 'quantity' | 'price' | 'postOnly'>): boolean {
    const parent = work.parent;
    const child: OrderIntent = {
      id: childIntentId(parent.id, leg),
      agentId: parent.agentId,
      owner: parent.owner,
      instrumentId: parent.instrumentId,
      side: parent.side,
      quantity: order.quantity,
      type: order.type,
      ...(order.price === undefined ? {} : { price: order.price }),
      ...(order.postOnly === true ? { postOnly: true } : {}),
      ...(parent.reduceOnly === true ? { reduceOnly: true } : {}),
      causationId: parent.causationId ?? parent.id,
      tsEvent: parent.tsEvent,
    };
    const id = clientOrderIdFor(child.id);
    work.legs.set(id, leg);
    this.byChild.set(id, work);
    const outcome = this.core.submitIntent(child);
    if (outcome.status === 'submitted') return true;
    work.legs.delete(id);
    this.byChild.delete(id);
    return false;
  }

  /** The algorithm is done (every leg over, or stopped): what its legs filled gets its protective exits. */
  private finish(work: Working): void {
    if (this.working.get(work.parent.id) !== work) return;
    this.working.delete(work.parent.id);
    for (const child of work.legs.keys()) this.byChild.delete(child);
    this.protectFilled(work);
  }

  /**
   * An opening algorithm's legs are protected as one position: a stop-loss and take-profit for the quantity they
   * filled in all, at the configured fractions of their volume-weighted average fill price (or at the brain's own
   * exit prices), rounded on the tick away from it, one-cancels-the-other. A gate that refuses them journals why.
   */
  private protectFilled(work: Working): void {
    const { parent, instrument } = work;
    if (parent.reduceOnly === true || !work.filled.isPositive()) return;
    const average = work.filledValue.div(work.filled, instrument.tickSize.scale + 8, 'half-even');
    const exits = this.exits.protect(parent, instrument, average);
    if (exits.stopLoss === undefined && exits.takeProfit === undefined) return;
    this.core.submitExits(parent, work.filled, {
      ...(exits.stopLoss === undefined ? {} : { stopLoss: exits.stopLoss }),
      ...(exits.takeProfit === undefined ? {} : { takeProfit: exits.takeProfit }),
    });
  }
}

function legEnd(type: 'OrderFilled' | 'OrderCanceled' | 'OrderRejected' | 'OrderExpired' | 'OrderCancelRejected'): LegEnd {
  return type === 'OrderFilled' ? 'filled' : type === 'OrderRejected' ? 'rejected' : type === 'OrderExpired' ? 'expired' : 'canceled';
}
