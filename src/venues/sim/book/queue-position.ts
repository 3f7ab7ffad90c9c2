import { FixRequestError } from '../../../core/errors.js';
import type { BookSide, TakerSide } from './order-book.js';

/**
 * Where a simulated resting limit order stands in the queue at its price, estimated from L2 data and trades.
 * Our order is not in the market's book, so every level size here is the market's size without us.
 *
 * - On placement, everything already resting at the price is ahead of us (price-time priority).
 * - A trade at our price whose aggressor takes our side (a sell hitting bids, a buy lifting asks) eats the queue
 *   from the front: it reduces the queue ahead first and only the excess fills our order.
 * - A trade strictly through our price (a sell below our bid) means the venue emptied our price level first, so
 *   our whole remainder fills.
 * - A level size drop that trades do not explain is cancellation. L2 data cannot say where in the queue the
 *   cancelled orders were, so we assume they are spread evenly over the level: the queue ahead shrinks by the
 *   same fraction as the level (queueAhead * newSize / expectedSize). A growth is new orders joining behind us.
 *
 * The functions are pure: each returns a new state and never mutates its argument.
 */
export interface QueuePosition {
  /** 'bid' for our resting buy, 'ask' for our resting sell. */
  readonly side: BookSide;
  readonly price: number;
  readonly quantity: number;
  readonly filled: number;
  /** Market size resting in front of us. */
  readonly queueAhead: number;
  /** The market's size at our price when we last saw the level. */
  readonly levelSize: number;
  /** Volume traded at our price since the last level update: it explains that much of the next size drop. */
  readonly tradedSinceLevelUpdate: number;
}

export interface QueueTrade {
  readonly price: number;
  readonly size: number;
  /** The side of the taker; Binance `m: true` (buyer is maker) means the aggressor sold. */
  readonly aggressor: TakerSide;
}

export interface QueueFill {
  readonly queue: QueuePosition;
  /** Quantity of our order this trade filled (0 when it only advanced the queue). */
  readonly filledNow: number;
}

function positive(name: string, value: number): void {
  if (!(value > 0 && value < Number.POSITIVE_INFINITY)) {
    throw new FixRequestError('invalid_queue_input', `${name} must be a positive finite number, got ${value}`);
  }
}

function nonNegative(name: string, value: number): void {
  if (!(value >= 0 && value < Number.POSITIVE_INFINITY)) {
    throw new FixRequestError('invalid_queue_input', `${name} must be a finite number >= 0, got ${value}`);
  }
}

/** Joins the back of the queue at `price`, behind the `levelSize` already resting there. */
export function placeInQueue(side: BookSide, price: number, quantity: number, levelSize: number): QueuePosition {
  positive('price', price);
  positive('quantity', quantity);
  nonNegative('level size', levelSize);
  return { side, price, quantity, filled: 0, queueAhead: levelSize, levelSize, tradedSinceLevelUpdate: 0 };
}

export function remainingQuantity(queue: QueuePosition): number {
  return queue.quantity - queue.filled;
}

export function isFilled(queue: QueuePosition): boolean {
  return queue.filled >= queue.quantity;
}

/** Applies one market trade. Only trades whose aggressor takes our side at or through our price matter. */
export function onQueueTrade(queue: QueuePosition, trade: QueueTrade): QueueFill {
  positive('trade price', trade.price);
  nonNegative('trade size', trade.size);
  const remaining = remainingQuantity(queue);
  const hitsOurSide = queue.side === 'bid' ? trade.aggressor === 'sell' : trade.aggressor === 'buy';
  if (!hitsOurSide || remaining <= 0) return { queue, filledNow: 0 };
  const through = queue.side === 'bid' ? trade.price < queue.price : trade.price > queue.price;
  if (through) {
    return { queue: { ...queue, filled: queue.quantity, queueAhead: 0 }, filledNow: remaining };
  }
  if (trade.price !== queue.price) return { queue, filledNow: 0 };
  const excess = trade.size - queue.queueAhead;
  const filledNow = excess > 0 ? Math.min(excess, remaining) : 0;
  return {
    queue: {
      ...queue,
      queueAhead: Math.max(0, -excess),
      filled: queue.filled + filledNow,
      tradedSinceLevelUpdate: queue.tradedSinceLevelUpdate + trade.size,
    },
    filledNow,
  };
}

/**
 * Applies a new market size at our price (0 when the level disappeared). The drop beyond the trades seen since
 * the last update is cancellation spread evenly over the level, so the queue ahead keeps its share of the level.
 */
export function onQueueLevelUpdate(queue: QueuePosition, levelSize: number): QueuePosition {
  nonNegative('level size', levelSize);
  const expected = Math.max(0, queue.levelSize - queue.tradedSinceLevelUpdate);
  let queueAhead = queue.queueAhead;
  if (levelSize < expected) queueAhead = queueAhead * (levelSize / expected);
  return { ...queue, queueAhead: Math.min(queueAhead, levelSize), levelSize, tradedSinceLevelUpdate: 0 };
}
