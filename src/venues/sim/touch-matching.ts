import type { Fixed } from '../../core/fixed.js';
import type { InstrumentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { Instrument } from '../../domain/instrument.js';
import type { TradeTick } from '../../domain/market-data.js';
import { trailingLevel } from './bar-matching.js';
import { onQueueTrade } from './book/queue-position.js';
import type { OrderBook } from './book/order-book.js';
import type { ExecutionOptions } from './options.js';
import { toPrice, toQuantity } from './pricing.js';
import type { WorkingOrder } from './working-order.js';

/** The best bid and ask the venue last saw, exact, with their sizes. */
export interface Touch {
  bid: Fixed | undefined;
  ask: Fixed | undefined;
  bidSize: number;
  askSize: number;
}

/** What matching at the touch needs from the venue: its market view and its way of filling and ending orders. */
export interface TouchVenue {
  optionsOf(instrumentId: InstrumentId): ExecutionOptions;
  touch(id: InstrumentId): Touch | undefined;
  book(id: InstrumentId): OrderBook | undefined;
  /** True while a crossed L2 book is set aside (nothing trades against it). */
  bookSetAside(id: InstrumentId): boolean;
  openOrders(id: InstrumentId): readonly WorkingOrder[];
  referencePrice(instrument: Instrument): Fixed | undefined;
  fill(order: WorkingOrder, quantity: Fixed, price: Fixed, liquidity: 'maker' | 'taker', ts: UnixMs, volume: number | undefined): Fixed;
  finish(order: WorkingOrder, status: 'canceled' | 'rejected' | 'expired', reason: string, ts: UnixMs): void;
  trigger(order: WorkingOrder, ts: UnixMs): void;
}

/**
 * Matching on quotes, trades and books (the L1 and L2 fill models): takers fill at the touch or walk the book,
 * resting limits fill at their own price when the market moves through them (L1) or when trades have eaten the
 * queue ahead of them (L2), and stops trigger on the touch or the last trade.
 */
export class TouchMatcher {
  constructor(private readonly venue: TouchVenue) {}

  matchAtTouch(instrument: Instrument, ts: UnixMs, trade: TradeTick | undefined, only?: WorkingOrder): void {
    const touch = this.venue.touch(instrument.id);
    const orders = only === undefined ? [...this.venue.openOrders(instrument.id)] : [only];
    const last = this.venue.referencePrice(instrument);
    const options = this.venue.optionsOf(instrument.id);
    for (const order of orders) {
      if (order.status !== 'open') continue;
      const spec = order.spec;
      const buy = spec.side === 'buy';
      const take = buy ? touch?.ask : touch?.bid;
      if (!order.triggered) {
        const probe = trade === undefined ? (buy ? touch?.ask : touch?.bid) : last;
        if (probe === undefined || !this.triggerHit(order, probe, instrument.tickSize)) {
          this.trailFollow(order, probe);
          continue;
        }
        this.venue.trigger(order, ts);
      }
      const fresh = only !== undefined;
      if (spec.price === undefined) {
        if (take === undefined) continue;
        this.takeLiquidity(order, instrument, take, ts);
      } else if (take !== undefined && (buy ? take.lte(spec.price) : take.gte(spec.price))) {
        // An arriving limit takes the touch (or walks the book); a resting one the market moved through fills at its
        // own price as maker, for as much as the other side shows up to its limit.
        if (fresh) this.takeLiquidity(order, instrument, take, ts);
        else this.fillResting(order, instrument, ts);
      } else if (trade !== undefined && options.fillModel === 'l1') {
        const through = buy ? trade.price < spec.price.toNumber() : trade.price > spec.price.toNumber();
        if (through) {
          const cap = options.volumeShare === undefined ? undefined : toQuantity(instrument, trade.size * options.volumeShare.toNumber());
          const leaves = spec.quantity.sub(order.filled);
          this.venue.fill(order, cap === undefined ? leaves : leaves.min(cap), spec.price, 'maker', ts, trade.size);
        }
      }
      if (order.status === 'open' && (spec.timeInForce === 'IOC' || spec.timeInForce === 'FOK') && fresh) {
        this.venue.finish(order, 'canceled', `${spec.timeInForce} remainder canceled`, ts);
      }
    }
  }

  /** A taker fill at the touch (L1) or by walking the book (L2), up to the order's limit. */
  private takeLiquidity(order: WorkingOrder, instrument: Instrument, price: Fixed, ts: UnixMs): void {
    const leaves = order.spec.quantity.sub(order.filled);
    const options = this.venue.optionsOf(instrument.id);
    const book = options.fillModel === 'l2' ? this.venue.book(instrument.id) : undefined;
    if (this.venue.bookSetAside(instrument.id)) return;
    if (book !== undefined) {
      const walk = book.walk(order.spec.side, leaves.toNumber(), order.spec.price?.toNumber());
      const quantity = toQuantity(instrument, walk.filled);
      if (order.spec.timeInForce === 'FOK' && quantity.lt(leaves)) {
        this.venue.finish(order, 'canceled', 'FOK order could not be filled in full', ts);
        return;
      }
      if (!quantity.isPositive() || walk.averagePrice === undefined) return;
      this.venue.fill(order, quantity, toPrice(instrument, walk.averagePrice), 'taker', ts, undefined);
      return;
    }
    const touch = this.venue.touch(instrument.id);
    const shown = order.spec.side === 'buy' ? touch?.askSize ?? 0 : touch?.bidSize ?? 0;
    const cap = options.volumeShare === undefined ? undefined : toQuantity(instrument, shown * options.volumeShare.toNumber());
    const quantity = cap === undefined ? leaves : leaves.min(cap);
    if (order.spec.timeInForce === 'FOK' && quantity.lt(leaves)) {
      this.venue.finish(order, 'canceled', 'FOK order could not be filled in full', ts);
      return;
    }
    if (quantity.isPositive()) this.venue.fill(order, quantity, price, 'taker', ts, shown);
  }

  private fillResting(order: WorkingOrder, instrument: Instrument, ts: UnixMs): void {
    const spec = order.spec;
    const leaves = spec.quantity.sub(order.filled);
    const touch = this.venue.touch(instrument.id);
    const shown = spec.side === 'buy' ? touch?.askSize ?? 0 : touch?.bidSize ?? 0;
    const options = this.venue.optionsOf(instrument.id);
    const book = options.fillModel === 'l2' ? this.venue.book(instrument.id) : undefined;
    let available: Fixed | undefined;
    if (book !== undefined) available = toQuantity(instrument, book.walk(spec.side, leaves.toNumber(), spec.price?.toNumber()).filled);
    else if (options.volumeShare !== undefined) available = toQuantity(instrument, shown * options.volumeShare.toNumber());
    const quantity = available === undefined ? leaves : leaves.min(available);
    if (quantity.isPositive()) this.venue.fill(order, quantity, spec.price as Fixed, 'maker', ts, shown);
  }

  /** L2: trades at (or through) a resting limit's price eat the queue ahead of it, then fill it. */
  matchQueue(instrument: Instrument, trade: TradeTick): void {
    if (this.venue.bookSetAside(instrument.id)) return;
    for (const order of [...this.venue.openOrders(instrument.id)]) {
      if (order.status !== 'open' || order.queue === undefined) continue;
      const aggressor = trade.aggressor === 'unknown' ? (trade.price <= order.queue.price ? 'sell' : 'buy') : trade.aggressor;
      const { queue, filledNow } = onQueueTrade(order.queue, { price: trade.price, size: trade.size, aggressor });
      order.queue = queue;
      // Never more than the order has left: a modify may have shrunk it below the size it queued for.
      const quantity = toQuantity(instrument, order.queue.filled).sub(order.filled.sub(order.filledBeforeQueue)).min(order.spec.quantity.sub(order.filled));
      if (filledNow > 0 && quantity.isPositive()) this.venue.fill(order, quantity, order.spec.price as Fixed, 'maker', trade.ts, trade.size);
    }
  }

  private triggerHit(order: WorkingOrder, price: Fixed, tick: Fixed): boolean {
    const spec = order.spec;
    const stopLike = spec.type === 'stop-market' || spec.type === 'stop-limit' || spec.type === 'trailing-stop';
    const level = spec.type === 'trailing-stop' ? trailingLevel(order, tick) : spec.triggerPrice;
    if (level === undefined) return false;
    const rising = spec.side === 'buy' ? stopLike : !stopLike;
    return rising ? price.gte(level) : price.lte(level);
  }

  private trailFollow(order: WorkingOrder, price: Fixed | undefined): void {
    if (order.spec.type !== 'trailing-stop' || price === undefined) return;
    if (order.trailAnchor === undefined) order.trailAnchor = price;
    else order.trailAnchor = order.spec.side === 'sell' ? order.trailAnchor.max(price) : order.trailAnchor.min(price);
  }
}
