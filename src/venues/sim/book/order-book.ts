import { FixRequestError } from '../../../core/errors.js';
import type { BookLevel } from '../../../domain/market-data.js';

/**
 * An L2 order book for one instrument. Prices and sizes are float64 market data (DESIGN §3), compared exactly:
 * a venue sends the same decimal string for the same level, which parses to the same double every time.
 *
 * Each side is a pair of parallel Float64Arrays kept sorted from the worst price to the best, so the best level
 * is the last element: inserting or removing near the top (where the book moves) shifts only a few elements,
 * and every lookup is a plain binary search. Asks are stored under the key `-price`, which lets both sides
 * share one ascending ladder whose maximum key is the best price.
 *
 * Measured on the Binance BTCUSDT capture (443k level updates, ~5,000 levels a side): this layout beats a
 * Map plus a best-first sorted array (10.3M vs 6.7M updates/s). Most updates there are over 64 ticks from the
 * top, so a "check the top slots first" shortcut before the bisection lost time (8.0M) and was dropped.
 */

export type BookSide = 'bid' | 'ask';
export type TakerSide = 'buy' | 'sell';

export interface PriceLevel {
  readonly price: number;
  readonly size: number;
}

/** What a taker order would take (walk) or took (consume), level by level, best price first. */
export interface WalkResult {
  readonly fills: readonly PriceLevel[];
  readonly filled: number;
  /** Quantity the book could not supply within the limit price. */
  readonly remaining: number;
  readonly notional: number;
  /** Volume-weighted average fill price; undefined when nothing filled. */
  readonly averagePrice: number | undefined;
}

/** The read side of a book: what a strategy or a fill model may look at. */
export interface OrderBookView {
  bestBid(): PriceLevel | undefined;
  bestAsk(): PriceLevel | undefined;
  /** The best price of a side, or NaN when the side is empty (no allocation: for hot loops). */
  bestPrice(side: BookSide): number;
  /** The size at the best price of a side, or 0 when the side is empty. */
  bestSize(side: BookSide): number;
  sizeAt(side: BookSide, price: number): number;
  /** Up to `depth` levels, best first. */
  levels(side: BookSide, depth: number): PriceLevel[];
  /** How many price levels a side holds. */
  depth(side: BookSide): number;
  /** True when the best bid is at or above the best ask: no real venue book looks like that. */
  isCrossed(): boolean;
  walk(side: TakerSide, quantity: number, limitPrice?: number): WalkResult;
}

class Ladder {
  keys: Float64Array;
  sizes: Float64Array;
  count = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.sizes = new Float64Array(capacity);
  }

  /** The first index whose key is >= `key` (count when none). */
  lowerBound(key: number): number {
    const keys = this.keys;
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (keys[middle]! < key) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  indexOf(key: number): number {
    const index = this.lowerBound(key);
    return index < this.count && this.keys[index] === key ? index : -1;
  }

  set(key: number, size: number): void {
    const index = this.lowerBound(key);
    const count = this.count;
    if (index < count && this.keys[index] === key) {
      if (size === 0) this.removeAt(index);
      else this.sizes[index] = size;
      return;
    }
    if (size === 0) return;
    if (count === this.keys.length) this.grow(count * 2);
    if (index < count) {
      this.keys.copyWithin(index + 1, index, count);
      this.sizes.copyWithin(index + 1, index, count);
    }
    this.keys[index] = key;
    this.sizes[index] = size;
    this.count = count + 1;
  }

  removeAt(index: number): void {
    const count = this.count;
    if (index < count - 1) {
      this.keys.copyWithin(index, index + 1, count);
      this.sizes.copyWithin(index, index + 1, count);
    }
    this.count = count - 1;
  }

  /** Replaces the content with already sorted, distinct keys. */
  load(keys: Float64Array, sizes: Float64Array, count: number): void {
    if (count > this.keys.length) this.grow(count * 2);
    this.keys.set(keys.subarray(0, count));
    this.sizes.set(sizes.subarray(0, count));
    this.count = count;
  }

  private grow(capacity: number): void {
    const keys = new Float64Array(Math.max(capacity, 16));
    const sizes = new Float64Array(keys.length);
    keys.set(this.keys.subarray(0, this.count));
    sizes.set(this.sizes.subarray(0, this.count));
    this.keys = keys;
    this.sizes = sizes;
  }
}

function invalidLevel(side: BookSide, price: number, size: number): FixRequestError | undefined {
  if (!(price > 0 && price < Number.POSITIVE_INFINITY)) {
    return new FixRequestError('invalid_book_level', `${side} price ${price} is not a positive finite number`);
  }
  if (!(size >= 0 && size < Number.POSITIVE_INFINITY)) {
    return new FixRequestError('invalid_book_level', `${side} size ${size} at price ${price} is not a finite number >= 0`);
  }
  return undefined;
}

/** Relative size below which a leftover is float residue, not liquidity. */
const DUST = 1e-9;

/** The sign that turns a price into a ladder key: bids keep the price, asks negate it. */
const signOf = (side: BookSide): number => (side === 'bid' ? 1 : -1);

export class OrderBook implements OrderBookView {
  private readonly bids: Ladder;
  private readonly asks: Ladder;

  constructor(initialCapacity = 1024) {
    this.bids = new Ladder(initialCapacity);
    this.asks = new Ladder(initialCapacity);
  }

  /** Replaces the whole book. Levels may come in any order; zero sizes are skipped; a repeated price is an error. */
  applySnapshot(bids: readonly BookLevel[], asks: readonly BookLevel[]): void {
    const bidLadder = sortedLevels('bid', bids);
    const askLadder = sortedLevels('ask', asks);
    this.bids.load(bidLadder.keys, bidLadder.sizes, bidLadder.count);
    this.asks.load(askLadder.keys, askLadder.sizes, askLadder.count);
  }

  /** Sets the size at a price; size 0 removes the level. An invalid price or size throws and changes nothing. */
  setLevel(side: BookSide, price: number, size: number): void {
    if (!(price > 0 && price < Number.POSITIVE_INFINITY && size >= 0 && size < Number.POSITIVE_INFINITY)) {
      throw invalidLevel(side, price, size);
    }
    if (side === 'bid') this.bids.set(price, size);
    else this.asks.set(-price, size);
  }

  clear(): void {
    this.bids.count = 0;
    this.asks.count = 0;
  }

  bestBid(): PriceLevel | undefined {
    return this.best('bid');
  }

  bestAsk(): PriceLevel | undefined {
    return this.best('ask');
  }

  bestPrice(side: BookSide): number {
    const ladder = this.ladder(side);
    return ladder.count === 0 ? Number.NaN : signOf(side) * ladder.keys[ladder.count - 1]!;
  }

  bestSize(side: BookSide): number {
    const ladder = this.ladder(side);
    return ladder.count === 0 ? 0 : ladder.sizes[ladder.count - 1]!;
  }

  sizeAt(side: BookSide, price: number): number {
    const ladder = this.ladder(side);
    const index = ladder.indexOf(signOf(side) * price);
    return index < 0 ? 0 : ladder.sizes[index]!;
  }

  levels(side: BookSide, depth: number): PriceLevel[] {
    const ladder = this.ladder(side);
    const sign = signOf(side);
    const result: PriceLevel[] = [];
    const last = Math.max(0, ladder.count - Math.max(0, Math.floor(depth)));
    for (let index = ladder.count - 1; index >= last; index--) {
      result.push({ price: sign * ladder.keys[index]!, size: ladder.sizes[index]! });
    }
    return result;
  }

  depth(side: BookSide): number {
    return this.ladder(side).count;
  }

  isCrossed(): boolean {
    const bids = this.bids;
    const asks = this.asks;
    if (bids.count === 0 || asks.count === 0) return false;
    return bids.keys[bids.count - 1]! >= -asks.keys[asks.count - 1]!;
  }

  /** What a taker order of `quantity` would fill against the book, best level first; the book is not changed. */
  walk(side: TakerSide, quantity: number, limitPrice?: number): WalkResult {
    return this.take(side, quantity, limitPrice, false);
  }

  /** Like `walk`, and removes the liquidity taken (for a simulator that lets our taker orders move the book). */
  consume(side: TakerSide, quantity: number, limitPrice?: number): WalkResult {
    return this.take(side, quantity, limitPrice, true);
  }

  private take(side: TakerSide, quantity: number, limitPrice: number | undefined, remove: boolean): WalkResult {
    if (!(quantity > 0 && quantity < Number.POSITIVE_INFINITY)) {
      throw new FixRequestError('invalid_quantity', `a taker quantity must be a positive finite number, got ${quantity}`);
    }
    if (limitPrice !== undefined && !(limitPrice > 0 && limitPrice < Number.POSITIVE_INFINITY)) {
      throw new FixRequestError('invalid_price', `a limit price must be a positive finite number, got ${limitPrice}`);
    }
    // A buy takes asks (key -price), a sell takes bids (key price); the limit becomes a floor on the key.
    const bookSide: BookSide = side === 'buy' ? 'ask' : 'bid';
    const ladder = this.ladder(bookSide);
    const sign = signOf(bookSide);
    const keyFloor = limitPrice === undefined ? Number.NEGATIVE_INFINITY : sign * limitPrice;
    const fills: PriceLevel[] = [];
    let remaining = quantity;
    let notional = 0;
    let index = ladder.count - 1;
    while (index >= 0 && remaining > 0) {
      const key = ladder.keys[index]!;
      if (key < keyFloor) break;
      const available = ladder.sizes[index]!;
      const price = sign * key;
      // Float sums leave crumbs (0.3 - 0.1 is not 0.2): a remainder within dust of the level takes all of it.
      if (available - remaining <= available * DUST) {
        fills.push({ price, size: available });
        notional += price * available;
        remaining = Math.max(0, remaining - available);
        if (remove) ladder.count = index;
      } else {
        fills.push({ price, size: remaining });
        notional += price * remaining;
        if (remove) ladder.sizes[index] = available - remaining;
        remaining = 0;
      }
      index -= 1;
    }
    const filled = quantity - remaining;
    return { fills, filled, remaining, notional, averagePrice: fills.length === 0 ? undefined : notional / filled };
  }

  private best(side: BookSide): PriceLevel | undefined {
    const ladder = this.ladder(side);
    if (ladder.count === 0) return undefined;
    return { price: signOf(side) * ladder.keys[ladder.count - 1]!, size: ladder.sizes[ladder.count - 1]! };
  }

  private ladder(side: BookSide): Ladder {
    return side === 'bid' ? this.bids : this.asks;
  }
}

function sortedLevels(side: BookSide, levels: readonly BookLevel[]): { keys: Float64Array; sizes: Float64Array; count: number } {
  const sign = signOf(side);
  const pairs: [key: number, size: number][] = [];
  for (const [price, size] of levels) {
    const problem = invalidLevel(side, price, size);
    if (problem !== undefined) throw problem;
    if (size > 0) pairs.push([sign * price, size]);
  }
  pairs.sort((left, right) => left[0] - right[0]);
  const keys = new Float64Array(pairs.length);
  const sizes = new Float64Array(pairs.length);
  for (let index = 0; index < pairs.length; index++) {
    const [key, size] = pairs[index]!;
    if (index > 0 && keys[index - 1] === key) {
      throw new FixRequestError('invalid_book_level', `${side} price ${sign * key} appears twice in the snapshot`);
    }
    keys[index] = key;
    sizes[index] = size;
  }
  return { keys, sizes, count: pairs.length };
}
