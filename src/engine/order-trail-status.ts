import { Fixed } from '../core/fixed.js';
import type { Currency } from '../core/ids.js';
import type { OrderEvent, OrderFilled, OrderSubmitted } from '../domain/events.js';
import { canTransition, EVENT_TRANSITIONS, nextLifecycle, type LifecyclePosition, type OrderStatus, type OrderTransition } from '../domain/order-lifecycle.js';

/** What an order's fills came to. */
export interface FillSummary {
  readonly filledQuantity: Fixed;
  /** Sum of quantity x price over the fills (exact). */
  readonly notional: Fixed;
  /** Volume-weighted, rounded half-even to the finest fill price scale; absent without fills. */
  readonly averagePrice?: Fixed;
  readonly fees: readonly { readonly currency: Currency; readonly amount: Fixed }[];
}

/** The status the lifecycle table gives the order's events; a step the table refuses is skipped, not fatal. */
export function statusOf(submitted: OrderSubmitted | undefined, events: readonly Exclude<OrderEvent, OrderSubmitted>[]): OrderStatus | undefined {
  if (submitted === undefined) return undefined;
  let position: LifecyclePosition = nextLifecycle({ status: 'initialized', resumeStatus: undefined }, 'submitted');
  let quantity = submitted.order.quantity;
  let filled = Fixed.zero();
  for (const event of events) {
    let transition: OrderTransition;
    if (event.type === 'OrderFilled') {
      filled = filled.add(event.fill.quantity);
      transition = filled.gte(quantity) ? 'filled' : 'partially-filled';
    } else {
      if (event.type === 'OrderUpdated' && event.quantity !== undefined) quantity = event.quantity;
      transition = EVENT_TRANSITIONS[event.type];
    }
    if (canTransition(position.status, transition)) position = nextLifecycle(position, transition);
  }
  return position.status;
}

export function summarize(fills: readonly OrderFilled[]): FillSummary {
  let filledQuantity = Fixed.zero();
  let notional = Fixed.zero();
  let priceScale = 0;
  const fees = new Map<Currency, Fixed>();
  for (const { fill } of fills) {
    filledQuantity = filledQuantity.add(fill.quantity);
    notional = notional.add(fill.quantity.mul(fill.price));
    priceScale = Math.max(priceScale, fill.price.scale);
    fees.set(fill.feeCurrency, (fees.get(fill.feeCurrency) ?? Fixed.zero()).add(fill.fee));
  }
  return {
    filledQuantity,
    notional,
    ...(filledQuantity.isZero() ? {} : { averagePrice: notional.div(filledQuantity, priceScale, 'half-even') }),
    fees: [...fees].map(([currency, amount]) => ({ currency, amount })),
  };
}
