import { FixRequestError } from '../../core/errors.js';
import { Fixed } from '../../core/fixed.js';
import { childIntentId, clientOrderIdFor, type ClientOrderId, type IntentId } from '../../core/ids.js';
import { quantizePrice, quantizeQuantity, type Instrument } from '../../domain/instrument.js';
import type { OrderSide } from '../../domain/order.js';

export interface Touch {
  readonly bid: Fixed;
  readonly ask: Fixed;
}

/**
 * The touch a last price implies when only the last price is known (bars): a bid one tick under it and an ask one tick
 * over, so a leg placed there sits on its own side of the market and rests instead of being refused as a taker each
 * time the next price comes through the last one.
 */
export function touchAround(last: Fixed, instrument: Instrument): Touch {
  return { bid: quantizePrice(instrument, last.sub(instrument.tickSize), 'floor'), ask: quantizePrice(instrument, last.add(instrument.tickSize), 'ceil') };
}

export type ChaseFallback = 'market' | 'cancel';

export interface ChaseConfig {
  readonly intentId: IntentId;
  readonly side: OrderSide;
  readonly quantity: Fixed;
  readonly instrument: Instrument;
  /** How many times the order may be repriced (after touch moves or post-only rejections) before the fallback. */
  readonly maxReprices: number;
  readonly fallback: ChaseFallback;
  /** Leg number of the first child (default 1; leg 0 is the parent's own id). */
  readonly firstLeg?: number;
}

export type ChaseDoneReason = 'filled' | 'unfilled' | 'below-minimum';

export type ChaseAction =
  | { readonly type: 'place'; readonly price: Fixed; readonly quantity: Fixed; readonly leg: number; readonly clientOrderId: ClientOrderId }
  | { readonly type: 'cancel'; readonly leg: number; readonly clientOrderId: ClientOrderId }
  | { readonly type: 'market'; readonly quantity: Fixed; readonly leg: number; readonly clientOrderId: ClientOrderId }
  | { readonly type: 'done'; readonly reason: ChaseDoneReason; readonly filled: Fixed; readonly unfilled: Fixed };

/** How a leg ended: filled, canceled (on request or by the venue), rejected (post-only that would take) or expired. */
export type LegEnd = 'filled' | 'canceled' | 'rejected' | 'expired';

/**
 * resting: a post-only leg works at `price`. canceling: its cancel was asked for, and `afterCancel` says what
 * follows once the venue confirms the leg is over. repricing: the leg is over and the next one goes out at the
 * next touch. taking: the market fallback works the rest.
 */
type Phase = 'idle' | 'resting' | 'canceling' | 'repricing' | 'taking' | 'done';

/**
 * A post-only limit that chases the touch: it rests at the best bid (buy) or best ask (sell); when the touch moves
 * away by at least one tick it cancels the leg and, once the venue has confirmed the leg is over (canceled, or
 * filled or rejected before the cancel reached it), places the quantity still unfilled at the touch as a new leg.
 * Only one leg is ever live, so a late fill on a leg being canceled can never add to a new leg's fill. After
 * `maxReprices` reprices the fallback either takes the rest at market or reports it unfilled (again once the
 * last leg is confirmed over). A post-only rejection (the order would have taken) is re-placed at the next touch
 * and counts as a reprice. A pure state machine: the runtime performs the actions it returns, in order, and tells
 * it about fills (`onFill`) and the end of each leg (`onLegEnded`).
 */
export class PostOnlyChase {
  private phase: Phase = 'idle';
  private leg: number;
  private price: Fixed | undefined;
  private afterCancel: 'reprice' | 'fallback' | 'stop' = 'reprice';
  private remainingQuantity: Fixed;
  private filledQuantity: Fixed;
  private reprices = 0;

  constructor(private readonly config: ChaseConfig) {
    if (!Number.isSafeInteger(config.maxReprices) || config.maxReprices < 0) {
      throw new FixRequestError('invalid_chase', `maxReprices must be a whole number >= 0, got ${config.maxReprices}`);
    }
    this.leg = (config.firstLeg ?? 1) - 1;
    this.remainingQuantity = quantizeQuantity(config.instrument, config.quantity);
    this.filledQuantity = Fixed.zero(this.remainingQuantity.scale);
  }

  start(touch: Touch): ChaseAction[] {
    if (this.phase !== 'idle') throw new FixRequestError('chase_started', 'the chase was already started');
    return this.placeAt(this.touchPrice(touch), []);
  }

  /** The touch now: a resting leg the market moved away from is canceled; a confirmed cancel is re-placed here. */
  onTouch(touch: Touch): ChaseAction[] {
    if (this.phase === 'repricing') {
      this.reprices += 1;
      return this.placeAt(this.touchPrice(touch), []);
    }
    if (this.phase !== 'resting' || this.price === undefined) return [];
    const target = this.touchPrice(touch);
    const tick = this.config.instrument.tickSize;
    const movedAway = this.config.side === 'buy' ? target.gte(this.price.add(tick)) : target.lte(this.price.sub(tick));
    if (!movedAway) return [];
    this.phase = 'canceling';
    this.afterCancel = this.reprices >= this.config.maxReprices ? 'fallback' : 'reprice';
    return [this.cancelAction()];
  }

  /** A fill of `quantity` on the live leg. */
  onFill(quantity: Fixed): void {
    if (this.phase === 'done' || this.phase === 'idle') return;
    if (quantity.gt(this.remainingQuantity)) {
      throw new FixRequestError(
        'overfill',
        `chase fill of ${quantity.toPlainString()} exceeds the remaining ${this.remainingQuantity.toPlainString()}`,
      );
    }
    this.remainingQuantity = this.remainingQuantity.sub(quantity);
    this.filledQuantity = this.filledQuantity.add(quantity);
  }

  /**
   * The venue says leg `leg` is over; what comes next depends on why and on what the chase was doing. A leg to be
   * placed again waits for the next touch (`awaitingTouch`).
   */
  onLegEnded(leg: number, end: LegEnd): ChaseAction[] {
    if (leg !== this.leg || this.phase === 'done' || this.phase === 'idle' || this.phase === 'repricing') return [];
    if (this.remainingQuantity.isZero()) return this.finish('filled', []);
    switch (this.phase) {
      case 'taking':
        return this.finish('unfilled', []);
      case 'canceling':
        if (this.afterCancel === 'stop') return this.finish('unfilled', []);
        if (this.afterCancel === 'fallback') return this.fallBack([]);
        if (this.remainingQuantity.lt(this.config.instrument.minQuantity)) return this.finish('below-minimum', []);
        this.phase = 'repricing';
        this.price = undefined;
        return [];
      case 'resting':
        // Ended without our asking: a post-only rejection (the market came through the leg's price) goes out again at
        // the next touch, since the old price is now on the wrong side of the market; anything else ends the chase.
        if (end !== 'rejected') return this.finish('unfilled', []);
        if (this.reprices >= this.config.maxReprices) return this.fallBack([]);
        this.phase = 'repricing';
        this.price = undefined;
        return [];
    }
  }

  /**
   * The chase ends where it is, taking nothing more (its owner stopped taking new exposure): a resting leg is canceled
   * and the chase is done once the venue confirms it over; a market fallback already sent ends as it ends.
   */
  stop(): ChaseAction[] {
    switch (this.phase) {
      case 'resting':
        this.phase = 'canceling';
        this.afterCancel = 'stop';
        return [this.cancelAction()];
      case 'canceling':
        this.afterCancel = 'stop';
        return [];
      case 'idle':
      case 'repricing':
        return this.finish('unfilled', []);
      default:
        return [];
    }
  }

  /** The venue refused to cancel the live leg, which still works: it rests again at its price. */
  onCancelRejected(leg: number): void {
    if (leg === this.leg && this.phase === 'canceling') this.phase = 'resting';
  }

  get remaining(): Fixed {
    return this.remainingQuantity;
  }

  get filled(): Fixed {
    return this.filledQuantity;
  }

  get repriceCount(): number {
    return this.reprices;
  }

  get isDone(): boolean {
    return this.phase === 'done';
  }

  /** The last leg is over and the next one waits for a touch to be placed at. */
  get awaitingTouch(): boolean {
    return this.phase === 'repricing';
  }

  private fallBack(actions: ChaseAction[]): ChaseAction[] {
    if (this.config.fallback === 'cancel') return this.finish('unfilled', actions);
    if (this.remainingQuantity.lt(this.config.instrument.minQuantity)) return this.finish('below-minimum', actions);
    this.phase = 'taking';
    this.leg += 1;
    this.price = undefined;
    actions.push({ type: 'market', quantity: this.remainingQuantity, leg: this.leg, clientOrderId: this.idOf(this.leg) });
    return actions;
  }

  private placeAt(price: Fixed, actions: ChaseAction[]): ChaseAction[] {
    const { instrument } = this.config;
    if (this.remainingQuantity.isZero() || this.remainingQuantity.lt(instrument.minQuantity)) {
      return this.finish('below-minimum', actions);
    }
    if (!price.isPositive()) throw new FixRequestError('invalid_price', `chase price ${price.toPlainString()} is not positive`);
    this.phase = 'resting';
    this.leg += 1;
    this.price = price;
    actions.push({ type: 'place', price, quantity: this.remainingQuantity, leg: this.leg, clientOrderId: this.idOf(this.leg) });
    return actions;
  }

  private finish(reason: ChaseDoneReason, actions: ChaseAction[]): ChaseAction[] {
    this.phase = 'done';
    this.price = undefined;
    actions.push({ type: 'done', reason, filled: this.filledQuantity, unfilled: this.remainingQuantity });
    return actions;
  }

  private cancelAction(): ChaseAction {
    return { type: 'cancel', leg: this.leg, clientOrderId: this.idOf(this.leg) };
  }

  /** The touch on our side, on the tick, rounded passive. */
  private touchPrice(touch: Touch): Fixed {
    const { side, instrument } = this.config;
    return side === 'buy' ? quantizePrice(instrument, touch.bid, 'floor') : quantizePrice(instrument, touch.ask, 'ceil');
  }

  private idOf(leg: number): ClientOrderId {
    return clientOrderIdFor(childIntentId(this.config.intentId, leg));
  }
}
