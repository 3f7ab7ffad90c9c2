import { FixRequestError } from '../../core/errors.js';
import { Fixed } from '../../core/fixed.js';
import { childIntentId, clientOrderIdFor, type ClientOrderId, type IntentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import { quantizePrice, quantizeQuantity, type Instrument } from '../../domain/instrument.js';
import type { OrderSide } from '../../domain/order.js';

export interface TwapPlanInput {
  readonly quantity: Fixed;
  readonly start: UnixMs;
  /** Milliseconds from the first slice to the end of the schedule; slice i of n is due at start + floor(i x duration / n). */
  readonly duration: number;
  readonly slices: number;
  readonly instrument: Instrument;
  /** The price slices are expected to trade at: with it, a slice must also reach the instrument's minimum notional. */
  readonly price?: Fixed;
}

export interface TwapSlice {
  readonly at: UnixMs;
  readonly quantity: Fixed;
}

export interface TwapSchedule {
  readonly slices: readonly TwapSlice[];
  /** The quantity the schedule trades: the requested quantity rounded down to the lot. */
  readonly total: Fixed;
  /** What rounding to the lot left out (requested minus total). */
  readonly dust: Fixed;
}

/**
 * The smallest slice the instrument takes: its minimum quantity (at least one lot) and, at `price`, the quantity whose
 * notional reaches its minimum notional, rounded up to the lot.
 */
export function minimumSlice(instrument: Instrument, price?: Fixed): Fixed {
  const byQuantity = instrument.minQuantity.max(instrument.lotSize);
  const unit = price?.mul(instrument.contractSize);
  if (unit === undefined || !unit.isPositive() || !instrument.minNotional.isPositive()) return byQuantity;
  return byQuantity.max(instrument.minNotional.div(unit, instrument.lotSize.scale + 8, 'up').quantize(instrument.lotSize, 'up'));
}

/**
 * Splits `quantity` into equal parts rounded down to the lot, the remainder going to the last one, spread evenly over
 * the window: part i of n is due at start + floor(i x duration / n). There are `slices` parts, or fewer when that many
 * would not each reach the instrument's minimum (quantity in whole lots, and notional at `price` when given): then as
 * many as do, so a small order still goes out from the start and in parts rather than at the end of its window; one
 * part, at the start, when only one fits.
 */
export function planTwap(input: TwapPlanInput): TwapSchedule {
  const { quantity, start, duration, slices, instrument, price } = input;
  if (!Number.isSafeInteger(slices) || slices < 1) {
    throw new FixRequestError('invalid_twap', `a TWAP needs a whole number of slices of at least 1, got ${slices}`);
  }
  if (!Number.isSafeInteger(duration) || duration < 0) {
    throw new FixRequestError('invalid_twap', `a TWAP duration must be a whole number of milliseconds >= 0, got ${duration}`);
  }
  const total = quantizeQuantity(instrument, quantity);
  const minimum = minimumSlice(instrument, price);
  if (total.lt(minimum)) {
    throw new FixRequestError(
      'twap_below_minimum',
      `TWAP quantity ${quantity.toPlainString()} (${total.toPlainString()} in whole lots of ${instrument.lotSize.toPlainString()}) ` +
        `is below the minimum ${price === undefined ? 'quantity' : 'slice'} ${minimum.toPlainString()} of ${instrument.id}`,
    );
  }
  // The minimum is in whole lots (see minimumSlice), so a part rounded down to the lot still reaches it.
  const parts = Math.min(slices, total.div(minimum, 0, 'down').toNumber());
  const each = total.div(Fixed.fromInt(parts), total.scale, 'down').quantize(instrument.lotSize, 'down');
  const last = total.sub(each.mul(Fixed.fromInt(parts - 1), total.scale));
  const planned: TwapSlice[] = [];
  for (let i = 0; i < parts; i++) planned.push({ at: (start + Math.floor((i * duration) / parts)) as UnixMs, quantity: i === parts - 1 ? last : each });
  return { slices: planned, total, dust: quantity.sub(total) };
}

/** How each slice trades: at market, or as a limit `offset` from a reference price (positive = passive). */
export type TwapStyle = { readonly kind: 'market' } | { readonly kind: 'limit'; readonly offset: Fixed };

export interface TwapConfig {
  readonly intentId: IntentId;
  readonly side: OrderSide;
  readonly instrument: Instrument;
  readonly schedule: TwapSchedule;
  readonly style: TwapStyle;
  /** Leg number of the first child (default 1; leg 0 is the parent's own id). */
  readonly firstLeg?: number;
}

export interface TwapChild {
  readonly leg: number;
  readonly clientOrderId: ClientOrderId;
  readonly type: 'market' | 'limit';
  readonly quantity: Fixed;
  /** Limit price, on the tick; absent for market children. */
  readonly price?: Fixed;
  /** When the slice was due. */
  readonly at: UnixMs;
}

interface SliceState {
  readonly at: UnixMs;
  quantity: Fixed;
  filled: Fixed;
  leg?: number;
  closed: boolean;
}

/**
 * A TWAP being worked. The runtime calls `due(now)` on each timer or tick and sends what it returns, reports fills
 * with `onSliceFilled` and the end of a child (filled, canceled or expired) with `onSliceClosed`. What a closed
 * slice left unfilled is added to the next slice not yet sent; after the last slice it stays unfilled.
 */
export class TwapState {
  private readonly slices: SliceState[];
  private readonly firstLeg: number;
  private nextIndex = 0;
  private carried: Fixed;

  constructor(private readonly config: TwapConfig) {
    this.firstLeg = config.firstLeg ?? 1;
    this.slices = config.schedule.slices.map((slice) => ({
      at: slice.at,
      quantity: slice.quantity,
      filled: Fixed.zero(slice.quantity.scale),
      closed: false,
    }));
    this.carried = Fixed.zero(config.schedule.total.scale);
  }

  /**
   * The child to send now: the unsent slices due at or before `now`, as one order (the leg of the first of them). The
   * runtime calls this once a bar, so slices closer together than a bar would otherwise all go out at once, as
   * separate orders, against the open-order and order-rate limits. A limit style needs `reference`.
   */
  due(now: UnixMs, reference?: Fixed): TwapChild[] {
    const first = this.slices[this.nextIndex];
    if (first === undefined || first.at > now) return [];
    const leg = this.firstLeg + this.nextIndex;
    first.leg = leg;
    first.quantity = first.quantity.add(this.carried);
    this.carried = Fixed.zero(this.carried.scale);
    this.nextIndex += 1;
    for (let slice = this.slices[this.nextIndex]; slice !== undefined && slice.at <= now; slice = this.slices[this.nextIndex]) {
      // Merged into the first: its leg is never sent, and it is over as it is counted there.
      first.quantity = first.quantity.add(slice.quantity);
      slice.quantity = Fixed.zero(slice.quantity.scale);
      slice.closed = true;
      this.nextIndex += 1;
    }
    return [this.child(first, leg, reference)];
  }

  onSliceFilled(leg: number, quantity: Fixed): void {
    const slice = this.sliceOf(leg);
    const filled = slice.filled.add(quantity);
    if (filled.gt(slice.quantity)) {
      throw new FixRequestError(
        'overfill',
        `TWAP leg ${leg} filled ${filled.toPlainString()}, more than its ${slice.quantity.toPlainString()}`,
      );
    }
    slice.filled = filled;
    if (filled.eq(slice.quantity)) slice.closed = true;
  }

  /**
   * The gate denied the child of `leg`: its quantity is dropped, not carried, so a run of denials (a halt, a state that
   * takes no new exposure, a limit) cannot pile up into one catch-up slice once orders go through again.
   */
  onSliceDenied(leg: number): void {
    this.sliceOf(leg).closed = true;
  }

  /** No slice goes out any more (its owner stopped taking new exposure); the children already sent end as they end. */
  stop(): void {
    for (let i = this.nextIndex; i < this.slices.length; i++) (this.slices[i] as SliceState).closed = true;
    this.nextIndex = this.slices.length;
    this.carried = Fixed.zero(this.carried.scale);
  }

  /** The child of `leg` ended (canceled, expired or filled); its unfilled rest moves to the next unsent slice. */
  onSliceClosed(leg: number): void {
    const slice = this.sliceOf(leg);
    if (slice.closed) return;
    slice.closed = true;
    if (this.nextIndex < this.slices.length) this.carried = this.carried.add(slice.quantity.sub(slice.filled));
  }

  /** The time the next unsent slice is due, or undefined when all were sent. */
  get nextDueAt(): UnixMs | undefined {
    return this.slices[this.nextIndex]?.at;
  }

  get filled(): Fixed {
    return this.slices.reduce((sum, slice) => sum.add(slice.filled), Fixed.zero(this.config.schedule.total.scale));
  }

  /** The scheduled total not yet filled. */
  get remaining(): Fixed {
    return this.config.schedule.total.sub(this.filled);
  }

  /** True once every slice was sent and every child closed. */
  get isComplete(): boolean {
    return this.nextIndex === this.slices.length && this.slices.every((slice) => slice.closed);
  }

  private child(slice: SliceState, leg: number, reference: Fixed | undefined): TwapChild {
    const base = { leg, clientOrderId: clientOrderIdFor(childIntentId(this.config.intentId, leg)), quantity: slice.quantity, at: slice.at };
    const { style, side, instrument } = this.config;
    if (style.kind === 'market') return { ...base, type: 'market' };
    if (reference === undefined) throw new FixRequestError('missing_reference', 'a limit-style TWAP needs a reference price');
    // Rounded toward the passive side so the tick never makes a child more aggressive than configured.
    const price =
      side === 'buy'
        ? quantizePrice(instrument, reference.sub(style.offset), 'floor')
        : quantizePrice(instrument, reference.add(style.offset), 'ceil');
    if (!price.isPositive()) {
      throw new FixRequestError('invalid_price', `TWAP leg ${leg} price ${price.toPlainString()} is not positive`);
    }
    return { ...base, type: 'limit', price };
  }

  private sliceOf(leg: number): SliceState {
    const slice = this.slices[leg - this.firstLeg];
    if (slice === undefined || slice.leg !== leg) throw new FixRequestError('unknown_leg', `TWAP leg ${leg} was not sent`);
    return slice;
  }
}
