import type { Fixed } from '../../core/fixed.js';
import type { VenueOrderId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { OrderSpec } from '../../domain/order.js';
import type { QueuePosition } from './book/queue-position.js';
import type { RunningTotal } from './pricing.js';

export type VenueOrderStatus = 'open' | 'filled' | 'canceled' | 'rejected' | 'expired';

/** The venue's record of an order it has accepted (or refused). */
export interface WorkingOrder {
  spec: OrderSpec;
  readonly venueOrderId: VenueOrderId;
  status: VenueOrderStatus;
  filled: Fixed;
  /** Its fills' value and fees so far: each part is booked as the rounded running total less the earlier parts. */
  value: RunningTotal;
  fees: RunningTotal;
  /** Trigger orders: the trigger was hit (a stop-limit then works as a limit). */
  triggered: boolean;
  trailAnchor: Fixed | undefined;
  /** Bar mode: only bars that open after this time may fill the order (no look-ahead into the bar it was placed on). */
  afterBarTs: number;
  /**
   * When the order reached the venue. Bar mode: a bar that opened before it cannot fill it (with several
   * instruments, or with latency, the instrument's last bar is not the only one that began before the order).
   */
  arrival: UnixMs;
  /** Bar mode: the order has not yet met a bar it could trade on. */
  firstBar: boolean;
  /** L2 mode: where a resting limit stands in the queue at its price. */
  queue: QueuePosition | undefined;
  /** L2 mode: what had filled when the order (last) joined its queue; the queue is sized for the rest. */
  filledBeforeQueue: Fixed;
  reason: string | undefined;
  /** Bar mode pre-check: the price level (as a float) the bar must reach, and in which direction. */
  levelHint: number | undefined;
  hintRising: boolean;
}

/** Sets the bar pre-check for the order as it now works (undefined: always evaluate). */
export function refreshHint(order: WorkingOrder): void {
  const { spec } = order;
  const buy = spec.side === 'buy';
  const limitLike = spec.type === 'limit' || (order.triggered && (spec.type === 'stop-limit' || spec.type === 'take-profit-limit'));
  if (limitLike && spec.price !== undefined) {
    order.levelHint = spec.price.toNumber();
    order.hintRising = !buy;
    return;
  }
  if (!order.triggered && spec.triggerPrice !== undefined && spec.type !== 'trailing-stop') {
    const stopLike = spec.type === 'stop-market' || spec.type === 'stop-limit';
    order.levelHint = spec.triggerPrice.toNumber();
    order.hintRising = buy ? stopLike : !stopLike;
    return;
  }
  order.levelHint = undefined;
}

/** What a status query returns (the contract every venue answers). */
export interface VenueOrderView {
  readonly clientOrderId: OrderSpec['clientOrderId'];
  readonly venueOrderId: VenueOrderId;
  readonly status: VenueOrderStatus;
  readonly quantity: Fixed;
  readonly filled: Fixed;
  readonly reason: string | undefined;
}

export function viewOf(order: WorkingOrder): VenueOrderView {
  return {
    clientOrderId: order.spec.clientOrderId,
    venueOrderId: order.venueOrderId,
    status: order.status,
    quantity: order.spec.quantity,
    filled: order.filled,
    reason: order.reason,
  };
}
