import { FixRequestError } from '../../core/errors.js';
import { Fixed } from '../../core/fixed.js';
import type { InstrumentId } from '../../core/ids.js';
import type { Instrument } from '../../domain/instrument.js';
import type { BookDelta, BookSnapshot, MarketData } from '../../domain/market-data.js';
import type { OrderSpec } from '../../domain/order.js';
import { OrderBook } from './book/order-book.js';
import { onQueueLevelUpdate } from './book/queue-position.js';
import { marketDataProblem } from './data-checks.js';
import { newInstrumentState, type InstrumentState } from './instrument-state.js';
import { toPrice } from './pricing.js';
import type { Touch } from './touch-matching.js';

/**
 * What the simulated venue knows of the market it was fed: its instruments, the state it keeps per instrument, the
 * latest prices and marks, the touch and the L2 books. Data is checked here before anything changes, and the data
 * problems the venue worked around are kept here.
 */
export class VenueMarket {
  private readonly instruments: ReadonlyMap<InstrumentId, Instrument>;
  private readonly states = new Map<InstrumentId, InstrumentState>();
  /** The prices margin is measured at: mark data when the feed has it, else trades, the touch and (perpetuals) bars. */
  readonly marks = new Map<InstrumentId, Fixed>();
  /** Instruments fed mark data: from the first mark on, only marks move their mark. */
  readonly hasMarkData = new Set<InstrumentId>();
  private readonly touches = new Map<InstrumentId, Touch>();
  private readonly books = new Map<InstrumentId, OrderBook>();
  private readonly crossedBooks = new Set<InstrumentId>();
  private readonly problems: string[] = [];

  constructor(instruments: readonly Instrument[]) {
    this.instruments = new Map(instruments.map((i) => [i.id, i]));
  }

  /** The instrument market data is for; data for an instrument the venue does not list is refused. */
  instrument(id: InstrumentId): Instrument {
    const instrument = this.instruments.get(id);
    if (instrument === undefined) throw new FixRequestError('unknown_instrument', `market data for unknown instrument ${id}`);
    return instrument;
  }

  /** The instrument an order names, if the venue lists it. */
  listed(id: InstrumentId): Instrument | undefined {
    return this.instruments.get(id);
  }

  stateOf(id: InstrumentId): InstrumentState {
    let st = this.states.get(id);
    if (st === undefined) {
      st = newInstrumentState();
      this.states.set(id, st);
    }
    return st;
  }

  /** The state kept for an instrument, without starting one for an instrument no data or order has named yet. */
  existingState(id: InstrumentId): InstrumentState | undefined {
    return this.states.get(id);
  }

  allStates(): IterableIterator<InstrumentState> {
    return this.states.values();
  }

  /** Refuses unusable or out-of-order data before anything changes, naming the instrument, time and sequence. */
  check(data: MarketData, st: InstrumentState = this.stateOf(data.instrumentId)): void {
    const problem = marketDataProblem(data);
    const previous = st.lastTs[data.type];
    if (problem === undefined && Number.isSafeInteger(data.ts) && data.ts >= previous) {
      st.lastTs[data.type] = data.ts;
      return;
    }
    const where = `${data.type} for ${data.instrumentId} at ${data.ts}${'sequence' in data ? ` (sequence ${data.sequence})` : ''}`;
    if (problem !== undefined) throw new FixRequestError('invalid_market_data', `${where}: ${problem}`);
    if (!Number.isSafeInteger(data.ts)) throw new FixRequestError('invalid_market_data', `${where}: the time is not integer milliseconds`);
    throw new FixRequestError('out_of_order', `${where}: comes after ${data.type} at ${previous}; data must be in time order`);
  }

  /** Data problems the venue worked around (e.g. a book that crossed and was set aside until a snapshot). */
  dataProblems(): readonly string[] {
    return this.problems;
  }

  setPrice(id: InstrumentId, price: Fixed): void {
    const st = this.stateOf(id);
    st.lastPrice = price;
    st.lastRaw = undefined;
  }

  /** A trade's price becomes the last price (and the mark, without mark data). */
  traded(id: InstrumentId, price: Fixed): void {
    this.setPrice(id, price);
    if (!this.hasMarkData.has(id)) this.marks.set(id, price);
  }

  /** The latest price: exact when known, else the latest bar close converted (and kept) on demand. */
  referencePrice(instrument: Instrument): Fixed | undefined {
    const st = this.states.get(instrument.id);
    if (st === undefined) return undefined;
    if (st.lastPrice === undefined && st.lastRaw !== undefined) st.lastPrice = toPrice(instrument, st.lastRaw);
    return st.lastPrice;
  }

  /** Records the best bid and ask; the mid becomes the last price (and the mark, without mark data). */
  setTouch(instrument: Instrument, bidPrice: number, bidSize: number, askPrice: number, askSize: number): Fixed {
    const touch = this.touchOf(instrument.id);
    touch.bid = toPrice(instrument, bidPrice);
    touch.ask = toPrice(instrument, askPrice);
    touch.bidSize = bidSize;
    touch.askSize = askSize;
    const mid = touch.bid.add(touch.ask).div(Fixed.fromInt(2), instrument.tickSize.scale + 1, 'half-even');
    this.setPrice(instrument.id, mid);
    if (!this.hasMarkData.has(instrument.id)) this.marks.set(instrument.id, mid);
    return mid;
  }

  /**
   * Applies a book snapshot or delta and moves resting orders' queue places with their levels. Returns true when the
   * book gave a new touch to match at: false while the book is set aside as crossed, or while a side is empty.
   */
  applyBook(instrument: Instrument, data: BookSnapshot | BookDelta): boolean {
    let book = this.books.get(instrument.id);
    if (book === undefined) {
      book = new OrderBook();
      this.books.set(instrument.id, book);
    }
    if (data.type === 'book-snapshot') {
      book.applySnapshot(data.bids, data.asks);
      this.crossedBooks.delete(instrument.id);
    } else {
      for (const [price, size] of data.bids) book.setLevel('bid', price, size);
      for (const [price, size] of data.asks) book.setLevel('ask', price, size);
      if (book.isCrossed()) {
        // A crossed book is a wrong book: nothing trades against it until a snapshot replaces it.
        if (!this.crossedBooks.has(instrument.id)) this.problems.push(`book for ${instrument.id} crossed after sequence ${data.sequence}; waiting for a snapshot`);
        this.crossedBooks.add(instrument.id);
      }
    }
    if (this.crossedBooks.has(instrument.id)) return false;
    for (const order of this.stateOf(instrument.id).open) {
      if (order.queue !== undefined) {
        order.queue = onQueueLevelUpdate(order.queue, book.sizeAt(order.queue.side, order.queue.price));
      }
    }
    const bid = book.bestBid();
    const ask = book.bestAsk();
    if (bid === undefined || ask === undefined) return false;
    this.setTouch(instrument, bid.price, bid.size, ask.price, ask.size);
    return true;
  }

  marketable(instrument: Instrument, spec: OrderSpec): boolean {
    const touch = this.touches.get(instrument.id);
    if (spec.price === undefined) return true;
    if (spec.side === 'buy') return touch?.ask !== undefined && touch.ask.lte(spec.price);
    return touch?.bid !== undefined && touch.bid.gte(spec.price);
  }

  touch(id: InstrumentId): Touch | undefined {
    return this.touches.get(id);
  }

  book(id: InstrumentId): OrderBook | undefined {
    return this.books.get(id);
  }

  /** True while a crossed L2 book is set aside (nothing trades against it). */
  bookSetAside(id: InstrumentId): boolean {
    return this.crossedBooks.has(id);
  }

  private touchOf(id: InstrumentId): Touch {
    let touch = this.touches.get(id);
    if (touch === undefined) {
      touch = { bid: undefined, ask: undefined, bidSize: 0, askSize: 0 };
      this.touches.set(id, touch);
    }
    return touch;
  }
}
