import { childIntentId, clientOrderIdFor, type ClientOrderId } from '../../core/ids.js';
import type { DeskEvent } from '../../domain/events.js';
import type { OrderIntent } from '../../domain/intent.js';
import type { OrderRecord } from '../../execution/oms.js';

/**
 * Limit orders that reduce a position. The position's stop-loss was canceled for such an order (it held the coins, or
 * would outlive the position), so the order must not rest for ever beside a naked position: it goes out
 * good-till-date, and what it left unfilled when it expired goes out at market, reduce-only, as its leg 1
 * (`<intent>.1`). One that fills, is canceled or is refused is forgotten.
 */
export class LimitExits {
  private readonly resting = new Map<ClientOrderId, OrderIntent>();

  constructor(private readonly orderOf: (id: ClientOrderId) => Readonly<OrderRecord> | undefined) {}

  get size(): number {
    return this.resting.size;
  }

  track(intent: OrderIntent): void {
    this.resting.set(clientOrderIdFor(intent.id), intent);
  }

  /** The market order for what an exit left when it expired, once it has; undefined for any other event. */
  onEvent(event: DeskEvent): OrderIntent | undefined {
    let id: ClientOrderId;
    if (event.type === 'OrderExpired' || event.type === 'OrderCanceled' || event.type === 'OrderRejected') id = event.clientOrderId;
    else if (event.type === 'OrderFilled') id = event.fill.clientOrderId;
    else return undefined;
    const intent = this.resting.get(id);
    const order = this.orderOf(id);
    if (intent === undefined || (event.type === 'OrderFilled' && order?.status !== 'filled')) return undefined;
    this.resting.delete(id);
    if (event.type !== 'OrderExpired' || order === undefined) return undefined;
    const rest = order.spec.quantity.sub(order.filledQuantity);
    if (!rest.isPositive()) return undefined;
    const { price: _price, timeInForce: _timeInForce, expireAt: _expireAt, ...market } = intent;
    return { ...market, id: childIntentId(intent.id, 1), type: 'market', quantity: rest, causationId: intent.causationId ?? intent.id, tsEvent: event.tsEvent };
  }
}
