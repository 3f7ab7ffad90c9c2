import { FixRequestError } from '../../core/errors.js';
import { Fixed } from '../../core/fixed.js';
import { clientOrderIdFor, type ClientOrderId, type IntentId } from '../../core/ids.js';
import { quantizePrice, quantizeQuantity, type Instrument } from '../../domain/instrument.js';
import type { OrderSide } from '../../domain/order.js';

export interface Touch {
  readonly bid: Fixed;
  readonly ask: Fixed;
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

type Phase = 'idle' | 'resting' | 'taking' | 'done';

/**
 * A post-only limit that chases the touch: it rests at the best bid (buy) or best ask (sell); when the touch moves
 * away by at least one tick it cancels and re-places at the new touch, each time as a new child leg. After
 * `maxReprices` reprices the fallback either takes the rest at market or cancels and reports it unfilled.
 * A post-only rejection (the order would have taken) re-places one tick more passive and counts as a reprice.
 * A pure state machine: the runtime performs the actions it returns, in order.
 */
export class PostOnlyChase {
  private phase: Phase = 'idle';
  private leg: number;
  private price: Fixed | undefined;
  /** Quantity of the live child not yet filled. */
  private open: Fixed;
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
    this.open = this.filledQuantity;
  }

  start(touch: Touch): ChaseAction[] {
    if (this.phase !== 'idle') throw new FixRequestError('chase_started', 'the chase was already started');
    return this.placeAt(this.touchPrice(touch), []);
  }

  onTouch(touch: Touch): ChaseAction[] {
    if (this.phase !== 'resting' || this.price === undefined) return [];
    const target = this.touchPrice(touch);
    const tick = this.config.instrument.tickSize;
    const movedAway = this.config.side === 'buy' ? target.gte(this.price.add(tick)) : target.lte(this.price.sub(tick));
    if (!movedAway) return [];
    return this.reprice(target, [this.cancelAction()]);
  }

  /** A fill of `quantity`; on `leg` when given, else on the live child. */
  onFill(quantity: Fixed, leg: number = this.leg): ChaseAction[] {
    if (this.phase === 'done' || this.phase === 'idle') return [];
    if (quantity.gt(this.remainingQuantity)) {
      throw new FixRequestError(
        'overfill',
        `chase fill of ${quantity.toPlainString()} exceeds the remaining ${this.remainingQuantity.toPlainString()}`,
      );
    }
    this.remainingQuantity = this.remainingQuantity.sub(quantity);
    this.filledQuantity = this.filledQuantity.add(quantity);
    if (leg === this.leg) this.open = this.open.sub(quantity).max(Fixed.zero());
    if (this.remainingQuantity.isZero()) {
      // A late fill on a canceled leg can complete the order while the live child still rests.
      const actions: ChaseAction[] = this.open.isPositive() ? [this.cancelAction()] : [];
      return this.finish('filled', actions);
    }
    if (this.open.gt(this.remainingQuantity) && this.phase === 'resting' && this.price !== undefined) {
      // A late fill on a canceled leg: shrink the live child to what is left, at the same price (not a reprice).
      return this.placeAt(this.price, [this.cancelAction()]);
    }
    return [];
  }

  /** The live post-only child was rejected because it would have taken liquidity. */
  onRejected(): ChaseAction[] {
    if (this.phase !== 'resting' || this.price === undefined) return [];
    const tick = this.config.instrument.tickSize;
    this.open = Fixed.zero(this.open.scale);
    return this.reprice(this.config.side === 'buy' ? this.price.sub(tick) : this.price.add(tick), []);
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

  private reprice(price: Fixed, actions: ChaseAction[]): ChaseAction[] {
    if (this.reprices >= this.config.maxReprices) return this.fallBack(actions);
    this.reprices += 1;
    return this.placeAt(price, actions);
  }

  private fallBack(actions: ChaseAction[]): ChaseAction[] {
    if (this.config.fallback === 'cancel') return this.finish('unfilled', actions);
    if (this.remainingQuantity.lt(this.config.instrument.minQuantity)) return this.finish('below-minimum', actions);
    this.phase = 'taking';
    this.leg += 1;
    this.price = undefined;
    this.open = this.remainingQuantity;
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
    this.open = this.remainingQuantity;
    actions.push({ type: 'place', price, quantity: this.remainingQuantity, leg: this.leg, clientOrderId: this.idOf(this.leg) });
    return actions;
  }

  private finish(reason: ChaseDoneReason, actions: ChaseAction[]): ChaseAction[] {
    this.phase = 'done';
    this.price = undefined;
    this.open = Fixed.zero(this.open.scale);
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
    return clientOrderIdFor(this.config.intentId, leg);
  }
}
