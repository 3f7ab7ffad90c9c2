import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../venues/sim/book/order-book.js';
import { BookTickerAgreement } from './book-ticker-agreement.js';
import type { BookTicker, DepthDiff } from './messages.js';

const diff = (previousFinalUpdateId: number, finalUpdateId: number): DepthDiff => ({
  kind: 'depth-diff',
  eventTime: 0,
  transactionTime: 0,
  firstUpdateId: previousFinalUpdateId + 1,
  finalUpdateId,
  previousFinalUpdateId,
  bids: [],
  asks: [],
});

const ticker = (updateId: number, bidPrice: number, askPrice: number, bidSize = 1, askSize = 1): BookTicker => ({
  kind: 'book-ticker',
  updateId,
  eventTime: 0,
  transactionTime: 0,
  bidPrice,
  bidSize,
  askPrice,
  askSize,
});

function bookAt(bid: number, ask: number, bidSize = 1, askSize = 1): OrderBook {
  const book = new OrderBook();
  book.applySnapshot([[bid, bidSize]], [[ask, askSize]]);
  return book;
}

describe('BookTickerAgreement', () => {
  it('compares each book state with the last ticker at or before its update id', () => {
    const agreement = new BookTickerAgreement();
    agreement.recordTicker(ticker(5, 100, 101));
    agreement.recordTicker(ticker(12, 100.5, 101));
    agreement.recordTicker(ticker(18, 100, 101, 3));
    agreement.recordBook(diff(0, 10), bookAt(100, 101));
    agreement.recordBook(diff(10, 20), bookAt(100, 101, 2));
    const result = agreement.result();
    expect(result).toMatchObject({ bookStates: 2, statesCompared: 2, statesPricesAgree: 2, statesPricesAndSizesAgree: 1 });
    expect(result.firstMismatch).toBe('book at u=20: 2 @ 100 / 1 @ 101; bookTicker u=18: 3 @ 100 / 1 @ 101');
  });

  it('skips book states that come before any ticker', () => {
    const agreement = new BookTickerAgreement();
    agreement.recordBook(diff(0, 10), bookAt(100, 101));
    agreement.recordTicker(ticker(11, 100, 101));
    expect(agreement.result()).toMatchObject({ statesCompared: 0, tickers: 1, tickersCompared: 1, tickersPricesAgree: 1 });
  });

  it('per ticker, compares with the latest chained book state and skips tickers across a chain gap', () => {
    const agreement = new BookTickerAgreement();
    agreement.recordBook(diff(0, 10), bookAt(100, 101));
    agreement.recordBook(diff(30, 40), bookAt(100, 102));
    agreement.recordTicker(ticker(10, 100, 101));
    agreement.recordTicker(ticker(15, 100.5, 101));
    agreement.recordTicker(ticker(45, 100, 102));
    expect(agreement.result()).toMatchObject({ tickers: 3, tickersCompared: 2, tickersPricesAgree: 2 });
  });
});
