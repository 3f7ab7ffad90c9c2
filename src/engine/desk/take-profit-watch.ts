import type { Fixed } from '../../core/fixed.js';
import { agentId, clientOrderIdFor, intentId, type AgentId, type ClientOrderId, type InstrumentId } from '../../core/ids.js';
import type { DeskEvent } from '../../domain/events.js';
import type { Instrument } from '../../domain/instrument.js';
import type { OrderSide } from '../../domain/order.js';
import type { OrderRecord } from '../../execution/oms.js';
import { exitAtFraction } from '../bracket-release.js';

/** The take-profit an opening order on spot was given, kept here instead of going to the venue. */
export interface PlannedTarget {
  /** The target price (at the reference the entry was decided on, or a brain's own target). */
  readonly price: Fixed;
  /** Set when the target is a fraction of the entry: it moves to that fraction of the entry's average fill. */
  readonly fraction?: Fixed;
  readonly instrument: Instrument;
}

/** A target being watched, beside the stop-loss that holds the coins. */
export interface WatchedTarget {
  readonly stop: ClientOrderId;
  /** The bracket's list id (the entry's intent id, or the algorithm's parent): the exit goes out as `<listId>.tp`. */
  readonly listId: string;
  readonly owner: string;
  readonly agentId: AgentId;
  readonly instrumentId: InstrumentId;
  /** The side the exit trades (sell after a long). */
  readonly exitSide: OrderSide;
  readonly trigger: Fixed;
}

/**
 * Spot take-profits the desk watches itself. On spot, a bracket's stop-loss and take-profit would each need the coins
 * held for them, and the account holds them once; the stop-loss rests at the venue (it must work even when the desk
 * is not looking), and the target is a price the closes are checked against. A target is planned with its entry,
 * armed when the entry's stop-loss goes out (at its fraction of the entry's average fill, when given as one), and
 * dropped when that stop ends — filled, canceled by a decision or the kill switch, expired — or when the target is
 * reached (and watched again should its exit be given up while the stop stays: see `watchAgain`).
 */
export class TakeProfitWatch {
  private readonly planned = new Map<string, PlannedTarget>();
  /** Entry client order id -> list id, to forget a plan whose entry ends unfilled. */
  private readonly entries = new Map<ClientOrderId, string>();
  private readonly armed = new Map<ClientOrderId, WatchedTarget>();

  constructor(private readonly orderOf: (id: ClientOrderId) => Readonly<OrderRecord> | undefined) {}

  get watching(): boolean {
    return this.armed.size > 0;
  }

  /** The targets being watched (oldest first), for views and tests. */
  targets(): readonly WatchedTarget[] {
    return [...this.armed.values()];
  }

  /** The target watched beside the stop-loss `stop`, if any. */
  targetOf(stop: ClientOrderId): WatchedTarget | undefined {
    return this.armed.get(stop);
  }

  plan(listId: string, target: PlannedTarget): void {
    this.planned.set(listId, target);
    this.entries.set(clientOrderIdFor(intentId(listId)), listId);
  }

  onEvent(event: DeskEvent): void {
    if (this.planned.size === 0 && this.armed.size === 0) return;
    switch (event.type) {
      case 'OrderSubmitted':
        this.arm(event.order);
        return;
      case 'IntentDenied':
        // A stop-loss the gate refused leaves nothing to stand beside; an entry denied never fills.
        this.forget(event.intentId.endsWith('.sl') ? event.intentId.slice(0, -3) : event.intentId);
        return;
      case 'OrderFilled': {
        const stop = this.armed.get(event.fill.clientOrderId);
        if (stop !== undefined && this.orderOf(event.fill.clientOrderId)?.status === 'filled') this.armed.delete(event.fill.clientOrderId);
        return;
      }
      case 'OrderCanceled':
      case 'OrderExpired':
      case 'OrderRejected': {
        const id = event.clientOrderId;
        this.armed.delete(id);
        const listId = this.entries.get(id);
        if (listId !== undefined && this.orderOf(id)?.filledQuantity.isPositive() !== true) this.forget(listId);
        return;
      }
      default:
        return;
    }
  }

  /**
   * Targets on `instrumentId` that `price` (a close) has reached; they are no longer watched. A target whose owner
   * cannot trade now (`canExit` false: a halted book, whose exit the gate would refuse after its stop was canceled)
   * stays watched beside its stop.
   */
  reached(instrumentId: InstrumentId, price: Fixed, canExit: (owner: string) => boolean): WatchedTarget[] {
    const due: WatchedTarget[] = [];
    for (const target of this.armed.values()) {
      if (target.instrumentId !== instrumentId || !canExit(target.owner)) continue;
      if (target.exitSide === 'sell' ? price.gte(target.trigger) : price.lte(target.trigger)) due.push(target);
    }
    for (const target of due) this.armed.delete(target.stop);
    return due;
  }

  /**
   * Watches `trigger` again beside `stop`, a stop-loss that stays: the exit it was reached for was given up (the venue
   * refused the stop's cancel), so the position would otherwise keep its stop but lose its target for good. The next
   * exit goes out as `<listId>.tp`.
   */
  watchAgain(stop: Readonly<OrderRecord>, listId: string, agentId: AgentId, trigger: Fixed): void {
    const spec = stop.spec;
    this.armed.set(spec.clientOrderId, { stop: spec.clientOrderId, listId, owner: spec.owner, agentId, instrumentId: spec.instrumentId, exitSide: spec.side, trigger });
  }

  private arm(order: Extract<DeskEvent, { type: 'OrderSubmitted' }>['order']): void {
    const linkage = order.linkage;
    if (linkage?.role !== 'stop-loss') return;
    const plan = this.planned.get(linkage.listId);
    if (plan === undefined) return;
    this.forget(linkage.listId);
    const entry = linkage.parent === undefined ? undefined : this.orderOf(linkage.parent);
    const above = order.side === 'sell';
    const trigger =
      plan.fraction !== undefined && entry !== undefined && entry.filledQuantity.isPositive()
        ? exitAtFraction(plan.instrument, entry.filledValue.div(entry.filledQuantity, plan.instrument.tickSize.scale + 8, 'half-even'), plan.fraction, above)
        : plan.price;
    this.armed.set(order.clientOrderId, {
      stop: order.clientOrderId,
      listId: linkage.listId,
      owner: order.owner,
      agentId: order.agentId ?? agentId('executor'),
      instrumentId: order.instrumentId,
      exitSide: order.side,
      trigger,
    });
  }

  private forget(listId: string): void {
    if (!this.planned.delete(listId)) return;
    this.entries.delete(clientOrderIdFor(intentId(listId)));
  }
}
