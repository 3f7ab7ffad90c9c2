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
  /** Set when the exit is a fraction of the entry's fill price: the trigger is moved to it on release. */
  readonly fraction?: Fixed;
}

interface Bracket {
  readonly entry: ClientOrderId;
  readonly children: readonly ChildPlan[];
  /** The entry has filled at least in part: its children are due when it ends, whatever ends it. */
  filled: boolean;
}

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

/**
 * Brackets and OCO groups, derived from events: an approved intent with a stop-loss or take-profit becomes an
 * entry with children that are released (submitted, reduce-only) once the entry is done — filled, or ended
 * (canceled, expired, its rest cut or rejected by the venue) after filling part of it, for what filled — and the
 * children are one-cancels-the-other. This projection only says what is due; the trading core acts on it. A bracket
 * is forgotten once released or once its entry ends unfilled, a group once a leg ends, so a long run keeps only
 * live ones.
 */
export class ContingentOrders {
  private readonly brackets = new Map<ClientOrderId, Bracket>();
  private readonly siblings = new Map<ClientOrderId, readonly ClientOrderId[]>();
  private readonly triggered = new Set<ClientOrderId>();

  /** Children to release now that `entry` is done (completely filled, or ended after a fill); once. */
  releasable(entry: ClientOrderId): readonly ChildPlan[] {
    const bracket = this.brackets.get(entry);
    return bracket === undefined ? [] : bracket.children;
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
          ...(intent.exitFractions?.stopLoss === undefined ? {} : { fraction: intent.exitFractions.stopLoss }),
        });
      }
      if (intent.takeProfit !== undefined) {
        children.push({
          clientOrderId: takeId,
          role: 'take-profit',
          intent: childIntent(event, exitSide, `${intent.id}.tp`, 'take-profit-market', intent.takeProfit),
          linkage: { listId: intent.id, role: 'take-profit', parent: event.clientOrderId, ocoWith: both ? [stopId] : [] },
          ...(intent.exitFractions?.takeProfit === undefined ? {} : { fraction: intent.exitFractions.takeProfit }),
        });
      }
      this.brackets.set(event.clientOrderId, { entry: event.clientOrderId, children, filled: false });
      if (both) {
        this.siblings.set(stopId, [takeId]);
        this.siblings.set(takeId, [stopId]);
      }
      return;
    }
    if (event.type === 'OrderSubmitted') {
      // A child going out is the bracket's release: nothing more is due from it (the core already holds the children
      // it is submitting), so it is forgotten rather than kept for the rest of the run.
      const linkage = event.order.linkage;
      if (linkage === undefined) return;
      if (linkage.parent !== undefined) this.brackets.delete(linkage.parent);
      // Exits submitted without an entry order (for what an algorithm filled): their group is known from their linkage.
      else if (linkage.ocoWith.length > 0 && !this.siblings.has(event.order.clientOrderId)) this.siblings.set(event.order.clientOrderId, linkage.ocoWith);
      return;
    }
    if (event.type === 'OrderPendingCancel') {
      // Siblings are recorded both ways, so the legs that name the canceled one are its own siblings (a look-up,
      // not a scan of every group the desk has ever made).
      const legs = this.siblings.get(event.clientOrderId);
      if (legs !== undefined) for (const leg of legs) this.triggered.add(leg);
      return;
    }
    if (event.type === 'OrderFilled') {
      const bracket = this.brackets.get(event.fill.clientOrderId);
      if (bracket !== undefined) bracket.filled = true;
      return;
    }
    if (event.type === 'OrderCanceled' || event.type === 'OrderRejected' || event.type === 'OrderExpired') {
      // An entry that ends unfilled never releases its children; one that filled part keeps them until they go out,
      // for the position it opened. A leg that ends leaves its partners nothing to cancel (the core cancels only
      // open orders), so its group is forgotten too.
      const id = event.clientOrderId;
      if (this.brackets.get(id)?.filled !== true) this.brackets.delete(id);
      const legs = this.siblings.get(id);
      if (legs === undefined) return;
      for (const leg of legs) {
        this.siblings.delete(leg);
        this.triggered.delete(leg);
      }
      this.siblings.delete(id);
      this.triggered.delete(id);
    }
  }

  snapshot(): unknown {
    return {
      brackets: [...this.brackets.values()].map((b) => ({ entry: b.entry, children: b.children.map((c) => c.clientOrderId) })),
      triggered: [...this.triggered].sort(),
    };
  }
}
