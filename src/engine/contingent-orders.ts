import { clientOrderIdFor, type ClientOrderId } from '../core/ids.js';
import type { Fixed } from '../core/fixed.js';
import type { DeskEvent, IntentApproved } from '../domain/events.js';
import type { OrderIntent } from '../domain/intent.js';
import type { OrderLinkage, OrderSide } from '../domain/order.js';

/** A protective child waiting for its entry to fill. */
export interface ChildPlan {
  readonly clientOrderId: ClientOrderId;
  readonly role: 'stop-loss' | 'take-profit';
  readonly intent: OrderIntent;
  readonly linkage: OrderLinkage;
}

interface Bracket {
  readonly entry: ClientOrderId;
  readonly children: readonly ChildPlan[];
  released: boolean;
}

/**
 * Brackets and OCO groups, derived from events: an approved intent with a stop-loss or take-profit becomes an
 * entry with children that are released (submitted, reduce-only) once the entry has filled, and the children are
 * one-cancels-the-other. This projection only says what is due; the trading core acts on it.
 */
/**
 * A protective child's intent: reduce-only, on the exit side, for the approved quantity. Written as one literal in
 * a fixed key order (a spread of shared fields cost more than the rest of the bracket).
 */
function childIntent(event: IntentApproved, side: OrderSide, id: string, type: 'stop-market' | 'take-profit-market', triggerPrice: Fixed): OrderIntent {
  const intent = event.intent;
  return {
    agentId: intent.agentId,
    owner: intent.owner,
    instrumentId: intent.instrumentId,
    side,
    quantity: event.approvedQuantity,
    reduceOnly: true,
    tsEvent: intent.tsEvent,
    causationId: event.id,
    id: id as OrderIntent['id'],
    type,
    triggerPrice,
  };
}

export class ContingentOrders {
  private readonly brackets = new Map<ClientOrderId, Bracket>();
  private readonly siblings = new Map<ClientOrderId, readonly ClientOrderId[]>();
  private readonly triggered = new Set<ClientOrderId>();

  /** Children to release now that `entry` is completely filled (once). */
  releasable(entry: ClientOrderId): readonly ChildPlan[] {
    const bracket = this.brackets.get(entry);
    if (bracket === undefined || bracket.released) return [];
    return bracket.children;
  }

  /** Siblings to cancel because `leg` filled (once per group). */
  toCancel(leg: ClientOrderId): readonly ClientOrderId[] {
    if (this.triggered.has(leg)) return [];
    return this.siblings.get(leg) ?? [];
  }

  apply(event: DeskEvent): void {
    if (event.type === 'IntentApproved') {
      const intent = event.intent;
      if (intent.stopLoss === undefined && intent.takeProfit === undefined) return;
      const children: ChildPlan[] = [];
      const exitSide = intent.side === 'buy' ? 'sell' : 'buy';
      const stopId = clientOrderIdFor(intent.id, 1);
      const takeId = clientOrderIdFor(intent.id, 2);
      const both = intent.stopLoss !== undefined && intent.takeProfit !== undefined;
      if (intent.stopLoss !== undefined) {
        children.push({
          clientOrderId: stopId,
          role: 'stop-loss',
          intent: childIntent(event, exitSide, `${intent.id}.sl`, 'stop-market', intent.stopLoss),
          linkage: { listId: intent.id, role: 'stop-loss', parent: event.clientOrderId, ocoWith: both ? [takeId] : [] },
        });
      }
      if (intent.takeProfit !== undefined) {
        children.push({
          clientOrderId: takeId,
          role: 'take-profit',
          intent: childIntent(event, exitSide, `${intent.id}.tp`, 'take-profit-market', intent.takeProfit),
          linkage: { listId: intent.id, role: 'take-profit', parent: event.clientOrderId, ocoWith: both ? [stopId] : [] },
        });
      }
      this.brackets.set(event.clientOrderId, { entry: event.clientOrderId, children, released: false });
      if (both) {
        this.siblings.set(stopId, [takeId]);
        this.siblings.set(takeId, [stopId]);
      }
      return;
    }
    if (event.type === 'OrderSubmitted') {
      const parent = event.order.linkage?.parent;
      if (parent !== undefined) {
        const bracket = this.brackets.get(parent);
        if (bracket !== undefined) bracket.released = true;
      }
      return;
    }
    if (event.type === 'OrderPendingCancel' || event.type === 'OrderCanceled') {
      // Siblings are recorded both ways, so the legs that name the canceled one are its own siblings (a look-up,
      // not a scan of every group the desk has ever made).
      const legs = this.siblings.get(event.clientOrderId);
      if (legs !== undefined) for (const leg of legs) this.triggered.add(leg);
      return;
    }
  }

  snapshot(): unknown {
    return {
      brackets: [...this.brackets.values()].map((b) => ({ entry: b.entry, released: b.released, children: b.children.map((c) => c.clientOrderId) })),
      triggered: [...this.triggered].sort(),
    };
  }
}
