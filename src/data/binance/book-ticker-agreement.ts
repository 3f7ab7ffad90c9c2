import type { OrderBookView } from '../../venues/sim/book/order-book.js';
import type { BookTicker, DepthDiff } from './messages.js';

/**
 * How well a rebuilt book agrees with Binance's bookTicker stream. Both streams number their events on the same
 * update-id sequence, so we compare by update id, not by clock.
 *
 * Primary measure, per book state: after applying the diff that ends at update id `u`, the true top of the book
 * is the one announced by the LAST bookTicker with update id <= `u` (bookTicker is pushed on every change of
 * the best price or size, so nothing changed the top between that ticker and `u`). We compare best bid and ask
 * prices, and prices with sizes.
 *
 * Secondary measure, per ticker: the latest book state with `u` <= the ticker's id. The depth stream batches
 * many updates into one diff (about 50 ms on USD-M futures), so a ticker inside a batch describes a moment the
 * book never shows; this rate measures sampling, not correctness, and is reported for context only.
 * A ticker is compared only when a book state has its exact id, or the book states around it are consecutive
 * links of one chain (a ticker inside a resync gap has no book to compare with).
 */
export interface AgreementResult {
  readonly bookStates: number;
  /** Book states with a ticker at or before them, i.e. compared. */
  readonly statesCompared: number;
  readonly statesPricesAgree: number;
  readonly statesPricesAndSizesAgree: number;
  readonly tickers: number;
  readonly tickersCompared: number;
  readonly tickersPricesAgree: number;
  /** The first disagreeing book state, described with both tops. */
  readonly firstMismatch: string | undefined;
}

class Column {
  values = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  at(index: number): number {
    return this.values[index]!;
  }
}

interface Tops {
  readonly id: Column;
  readonly bid: Column;
  readonly bidSize: Column;
  readonly ask: Column;
  readonly askSize: Column;
}

const newTops = (): Tops => ({ id: new Column(), bid: new Column(), bidSize: new Column(), ask: new Column(), askSize: new Column() });

export class BookTickerAgreement {
  private readonly states = newTops();
  private readonly previousIds = new Column();
  private readonly tickers = newTops();

  /** Records the top of the book after `diff` was applied (call only while the book is in sync). */
  recordBook(diff: DepthDiff, book: OrderBookView): void {
    const states = this.states;
    states.id.push(diff.finalUpdateId);
    this.previousIds.push(diff.previousFinalUpdateId);
    states.bid.push(book.bestPrice('bid'));
    states.bidSize.push(book.bestSize('bid'));
    states.ask.push(book.bestPrice('ask'));
    states.askSize.push(book.bestSize('ask'));
  }

  recordTicker(ticker: BookTicker): void {
    const tickers = this.tickers;
    tickers.id.push(ticker.updateId);
    tickers.bid.push(ticker.bidPrice);
    tickers.bidSize.push(ticker.bidSize);
    tickers.ask.push(ticker.askPrice);
    tickers.askSize.push(ticker.askSize);
  }

  /** Both series must be in update-id order (they are: diffs chain, and bookTicker ids only grow). */
  result(): AgreementResult {
    const states = this.states;
    const tickers = this.tickers;
    const stateCount = states.id.length;
    const tickerCount = tickers.id.length;
    let statesCompared = 0;
    let statesPricesAgree = 0;
    let statesPricesAndSizesAgree = 0;
    let firstMismatch: string | undefined;
    let ticker = -1;
    for (let state = 0; state < stateCount; state++) {
      const id = states.id.at(state);
      while (ticker + 1 < tickerCount && tickers.id.at(ticker + 1) <= id) ticker++;
      if (ticker < 0) continue;
      statesCompared++;
      const prices = states.bid.at(state) === tickers.bid.at(ticker) && states.ask.at(state) === tickers.ask.at(ticker);
      const sizes = states.bidSize.at(state) === tickers.bidSize.at(ticker) && states.askSize.at(state) === tickers.askSize.at(ticker);
      if (prices) statesPricesAgree++;
      if (prices && sizes) statesPricesAndSizesAgree++;
      else if (firstMismatch === undefined) firstMismatch = describe(states, state, tickers, ticker);
    }
    let tickersCompared = 0;
    let tickersPricesAgree = 0;
    let state = -1;
    for (let index = 0; index < tickerCount; index++) {
      const id = tickers.id.at(index);
      while (state + 1 < stateCount && states.id.at(state + 1) <= id) state++;
      if (state < 0) continue;
      const exact = states.id.at(state) === id;
      const chained = exact || state + 1 >= stateCount || this.previousIds.at(state + 1) === states.id.at(state);
      if (!chained) continue;
      tickersCompared++;
      if (states.bid.at(state) === tickers.bid.at(index) && states.ask.at(state) === tickers.ask.at(index)) tickersPricesAgree++;
    }
    return {
      bookStates: stateCount,
      statesCompared,
      statesPricesAgree,
      statesPricesAndSizesAgree,
      tickers: tickerCount,
      tickersCompared,
      tickersPricesAgree,
      firstMismatch,
    };
  }
}

function describe(states: Tops, state: number, tickers: Tops, ticker: number): string {
  const top = (tops: Tops, index: number): string =>
    `${tops.bidSize.at(index)} @ ${tops.bid.at(index)} / ${tops.askSize.at(index)} @ ${tops.ask.at(index)}`;
  return `book at u=${states.id.at(state)}: ${top(states, state)}; bookTicker u=${tickers.id.at(ticker)}: ${top(tickers, ticker)}`;
}
