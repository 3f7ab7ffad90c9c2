import type { Fixed } from '../../core/fixed.js';
import type { ClientOrderId, InstrumentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { DeskEvent } from '../../domain/events.js';
import type { Instrument } from '../../domain/instrument.js';
import type { OrderIntent } from '../../domain/intent.js';
import { isOpen } from '../../domain/order-lifecycle.js';
import type { TradingCore } from '../trading-core.js';
import { RefusedCancels } from './refused-cancels.js';

/** A reduction waiting for the cancels of the protective orders that hold its position. */
export interface PendingReduction {
  readonly intent: OrderIntent;
  readonly instrument: Instrument;
  readonly reference: Fixed;
  readonly waitingFor: Set<ClientOrderId>;
  /** A reached take-profit or a risk cut: it goes out as a market order, not by the configured algorithm. */
  readonly atMarket?: boolean;
}

/**
 * Reductions that wait for a position's protective orders to be canceled first (on spot they hold the coins; on any
 * market they would outlive the position), keyed by `owner|instrument`. A reduction at market goes out the moment its
 * cancels are confirmed; the others are released to the executor's next tick, priced at that bar's close rather than
 * at the price they were decided at. A cancel the venue refuses is asked again once on the next bar, then the
 * reduction is given up with a journaled denial and the protective order stays.
 */
export class PendingReductions {
  private readonly waiting = new Map<string, PendingReduction>();
  private readonly released = new Map<string, PendingReduction>();
  private readonly refusedCancels = new RefusedCancels();
  /** The venue's latest refusal of a cancel: one refused at once comes back before its reduction waits on it. */
  private lastCancelRefusal: { readonly clientOrderId: ClientOrderId; readonly reason: string; readonly tsEvent: UnixMs } | undefined;

  constructor(private readonly core: TradingCore) {}

  /** Work is due on the clock: released reductions to send, refused cancels to ask again. */
  get pending(): boolean {
    return this.released.size > 0 || this.refusedCancels.pending;
  }

  /** A reduction of this book waits for its cancels (not yet released). */
  isWaiting(key: string): boolean {
    return this.waiting.size > 0 && this.waiting.has(key);
  }

  /** A reduction of this book waits, or is released and about to go out. */
  has(key: string): boolean {
    return this.isWaiting(key) || (this.released.size > 0 && this.released.has(key));
  }

  /**
   * Cancels the book's resting protective orders (stop-losses and take-profits); returns those whose cancel is still
   * to be confirmed.
   */
  cancelProtection(owner: string, instrumentId: InstrumentId, causationId: string): Set<ClientOrderId> {
    const pending = new Set<ClientOrderId>();
    for (const order of this.core.oms.openOrders({ owner, instrumentId })) {
      const role = order.spec.linkage?.role;
      if (role !== 'stop-loss' && role !== 'take-profit') continue;
      if (order.status !== 'pending-cancel') this.core.cancelOrder(order.spec.clientOrderId, causationId);
      if (this.core.oms.get(order.spec.clientOrderId)?.status !== 'canceled') pending.add(order.spec.clientOrderId);
    }
    return pending;
  }

  /** The reduction waits for its cancels; one the venue refused at once is handled as a refusal now. */
  wait(key: string, reduction: PendingReduction): void {
    this.waiting.set(key, reduction);
    for (const id of reduction.waitingFor) {
      const status = this.core.oms.get(id)?.status;
      // Open with no cancel on its way: the venue refused the cancel at once, before the reduction waited on it.
      if (status !== undefined && isOpen(status) && status !== 'pending-cancel') {
        const refusal = this.lastCancelRefusal?.clientOrderId === id ? this.lastCancelRefusal : undefined;
        this.cancelRefused(key, reduction, id, refusal?.reason ?? 'refused', refusal?.tsEvent ?? reduction.intent.tsEvent);
      }
    }
  }

  /** Follows the cancels (and fills) of the orders reductions wait on. */
  onEvent(event: DeskEvent): void {
    if (event.type === 'OrderCancelRejected') this.lastCancelRefusal = event;
    if (this.waiting.size === 0) return;
    let id: ClientOrderId;
    if (event.type === 'OrderCanceled' || event.type === 'OrderRejected' || event.type === 'OrderExpired') id = event.clientOrderId;
    else if (event.type === 'OrderFilled') id = event.fill.clientOrderId;
    else if (event.type === 'OrderCancelRejected') {
      const status = this.core.oms.get(event.clientOrderId)?.status;
      // Refused while the order still works (one that filled meanwhile is released by its fill).
      if (status === undefined || !isOpen(status)) return;
      for (const [key, reduction] of [...this.waiting]) if (reduction.waitingFor.has(event.clientOrderId)) this.cancelRefused(key, reduction, event.clientOrderId, event.reason, event.tsEvent);
      return;
    } else return;
    for (const [key, reduction] of this.waiting) {
      if (!reduction.waitingFor.has(id)) continue;
      if (event.type === 'OrderFilled' && this.core.oms.get(id)?.status !== 'filled') continue;
      reduction.waitingFor.delete(id);
      this.refusedCancels.settled(id);
      if (reduction.waitingFor.size > 0) continue;
      this.waiting.delete(key);
      if (reduction.atMarket !== true) {
        this.released.set(key, reduction);
        continue;
      }
      const quantity = heldUpTo(this.core, reduction.intent);
      if (quantity !== undefined) this.core.submitIntent({ ...reduction.intent, quantity });
    }
  }

  /** Asks again for the cancels the venue refused on the last bar. */
  retryCancels(now: UnixMs): void {
    if (!this.refusedCancels.pending) return;
    for (const { key, id } of this.refusedCancels.takeDue(now)) {
      const reduction = this.waiting.get(key);
      const status = this.core.oms.get(id)?.status;
      if (reduction === undefined || !reduction.waitingFor.has(id) || status === undefined || !isOpen(status)) this.refusedCancels.settled(id);
      else if (status !== 'pending-cancel') this.core.cancelOrder(id, reduction.intent.id);
    }
  }

  /** The reductions released since the last tick, each cut to what is still held (none when nothing is). */
  takeReleased(): PendingReduction[] {
    if (this.released.size === 0) return [];
    const out: PendingReduction[] = [];
    for (const [key, reduction] of [...this.released]) {
      this.released.delete(key);
      const quantity = heldUpTo(this.core, reduction.intent);
      if (quantity !== undefined) out.push({ ...reduction, intent: { ...reduction.intent, quantity } });
    }
    return out;
  }

  /** The first refusal is retried on the next bar; a second gives the reduction up, journaled (the order keeps the position). */
  private cancelRefused(key: string, reduction: PendingReduction, id: ClientOrderId, reason: string, at: UnixMs): void {
    if (this.waiting.get(key) !== reduction || this.refusedCancels.refused(key, id, at) === 'retry') return;
    this.waiting.delete(key);
    for (const order of reduction.waitingFor) this.refusedCancels.settled(order);
    const role = this.core.oms.get(id)?.spec.linkage?.role ?? 'protective order';
    this.core.denyIntent(reduction.intent, 'cancel_refused', `the venue refused twice to cancel the ${role} ${id} that holds the position (${reason}); the reduction is given up and the ${role} stays`);
  }
}

/** What a reduction may still take: the position may have changed meanwhile (a stop filled), never more than is held. */
export function heldUpTo(core: TradingCore, intent: OrderIntent): Fixed | undefined {
  const held = core.ledger.position(intent.owner, intent.instrumentId)?.quantity.abs();
  if (held === undefined || held.isZero()) return undefined;
  return intent.quantity.gt(held) ? held : intent.quantity;
}
