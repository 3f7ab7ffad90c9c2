import type { Fixed } from '../core/fixed.js';
import { clientOrderIdFor, intentId } from '../core/ids.js';
import type { OrderIntent } from '../domain/intent.js';
import type { ChildPlan } from './contingent-orders.js';

/**
 * The protective exits for a position an execution algorithm built from several orders (TWAP slices, chase legs): a
 * reduce-only stop-market and/or take-profit-market for `quantity` on the exit side, one-cancels-the-other. They are
 * named as a bracket's children would be (intents `<parent>.sl` / `<parent>.tp`, caused by the parent intent), so
 * submitting them again sends nothing.
 */
export function algorithmExitPlans(parent: OrderIntent, quantity: Fixed, exits: { readonly stopLoss?: Fixed; readonly takeProfit?: Fixed }): ChildPlan[] {
  const stopId = clientOrderIdFor(parent.id, 1);
  const takeId = clientOrderIdFor(parent.id, 2);
  const both = exits.stopLoss !== undefined && exits.takeProfit !== undefined;
  const legs = [
    { trigger: exits.stopLoss, id: stopId, other: takeId, role: 'stop-loss', type: 'stop-market', suffix: 'sl' },
    { trigger: exits.takeProfit, id: takeId, other: stopId, role: 'take-profit', type: 'take-profit-market', suffix: 'tp' },
  ] as const;
  const plans: ChildPlan[] = [];
  for (const leg of legs) {
    if (leg.trigger === undefined) continue;
    const intent: OrderIntent = {
      id: intentId(`${parent.id}.${leg.suffix}`),
      agentId: parent.agentId,
      owner: parent.owner,
      instrumentId: parent.instrumentId,
      side: parent.side === 'buy' ? 'sell' : 'buy',
      type: leg.type,
      quantity,
      triggerPrice: leg.trigger,
      reduceOnly: true,
      causationId: parent.id,
      tsEvent: parent.tsEvent,
    };
    plans.push({ clientOrderId: leg.id, role: leg.role, intent, linkage: { listId: parent.id, role: leg.role, ocoWith: both ? [leg.other] : [] } });
  }
  return plans;
}
