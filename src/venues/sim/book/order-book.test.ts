import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../../../core/errors.js';
import { OrderBook, type BookSide } from './order-book.js';

function sampleBook(): OrderBook {
  const book = new OrderBook(4);
  book.applySnapshot(
    [
      [99.5, 2],
      [100, 1],
      [99, 3],
    ],
    [
      [101, 1.5],
      [102, 2],
      [101.5, 0.5],
    ],
  );
  return book;
}

describe('OrderBook', () => {
  it('sorts a snapshot given in any order: bids descending, asks ascending', () => {
    const book = sampleBook();
    expect(book.levels('bid', 10)).toEqual([
      { price: 100, size: 1 },
      { price: 99.5, size: 2 },
      { price: 99, size: 3 },
    ]);
    expect(book.levels('ask', 2)).toEqual([
      { price: 101, size: 1.5 },
      { price: 101.5, size: 0.5 },
    ]);
    expect(book.bestBid()).toEqual({ price: 100, size: 1 });
    expect(book.bestAsk()).toEqual({ price: 101, size: 1.5 });
    expect(book.depth('bid')).toBe(3);
  });

  it('replaces the whole book on a new snapshot and skips zero-size levels', () => {
    const book = sampleBook();
    book.applySnapshot([[50, 1], [49, 0]], [[51, 2]]);
    expect(book.levels('bid', 10)).toEqual([{ price: 50, size: 1 }]);
    expect(book.levels('ask', 10)).toEqual([{ price: 51, size: 2 }]);
  });

  it('inserts, updates and removes levels with setLevel', () => {
    const book = sampleBook();
    book.setLevel('bid', 100.5, 4);
    book.setLevel('bid', 99.5, 7);
    book.setLevel('bid', 100, 0);
    book.setLevel('ask', 100.8, 1);
    book.setLevel('ask', 150, 0);
    expect(book.levels('bid', 10)).toEqual([
      { price: 100.5, size: 4 },
      { price: 99.5, size: 7 },
      { price: 99, size: 3 },
    ]);
    expect(book.bestAsk()).toEqual({ price: 100.8, size: 1 });
    expect(book.sizeAt('bid', 100)).toBe(0);
    expect(book.sizeAt('ask', 101.5)).toBe(0.5);
  });

  it('reports an empty side as undefined, NaN best price and zero best size', () => {
    const book = new OrderBook();
    expect(book.bestBid()).toBeUndefined();
    expect(book.bestPrice('ask')).toBeNaN();
    expect(book.bestSize('ask')).toBe(0);
    expect(book.isCrossed()).toBe(false);
    expect(book.levels('bid', 5)).toEqual([]);
  });

  it('detects a crossed or locked book', () => {
    const book = sampleBook();
    expect(book.isCrossed()).toBe(false);
    book.setLevel('bid', 101, 1);
    expect(book.isCrossed()).toBe(true);
    book.setLevel('bid', 101, 0);
    book.setLevel('ask', 99.5, 1);
    expect(book.isCrossed()).toBe(true);
  });

  it.each([
    ['NaN price', 'bid', Number.NaN, 1, 'bid price NaN'],
    ['infinite price', 'ask', Number.POSITIVE_INFINITY, 1, 'ask price Infinity'],
    ['negative price', 'bid', -1, 1, 'bid price -1'],
    ['negative size', 'ask', 101, -0.5, 'ask size -0.5 at price 101'],
    ['NaN size', 'bid', 100, Number.NaN, 'bid size NaN at price 100'],
  ] as const)('rejects a %s and leaves the book unchanged', (_name, side, price, size, message) => {
    const book = sampleBook();
    const before = [book.levels('bid', 10), book.levels('ask', 10)];
    let caught: unknown;
    try {
      book.setLevel(side as BookSide, price, size);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FixRequestError);
    expect((caught as FixRequestError).code).toBe('invalid_book_level');
    expect((caught as Error).message).toContain(message);
    expect([book.levels('bid', 10), book.levels('ask', 10)]).toEqual(before);
  });

  it('rejects an invalid or duplicated snapshot without touching the current book', () => {
    const book = sampleBook();
    const before = book.levels('bid', 10);
    expect(() => book.applySnapshot([[100, 1]], [[101, Number.NaN]])).toThrow('ask size NaN at price 101');
    expect(() => book.applySnapshot([[100, 1], [100, 2]], [])).toThrow('bid price 100 appears twice');
    expect(book.levels('bid', 10)).toEqual(before);
  });

  it('walks a buy across asks with a volume-weighted average and leaves the book as it was', () => {
    const book = sampleBook();
    const result = book.walk('buy', 2.5);
    expect(result.fills).toEqual([
      { price: 101, size: 1.5 },
      { price: 101.5, size: 0.5 },
      { price: 102, size: 0.5 },
    ]);
    expect(result.filled).toBe(2.5);
    expect(result.remaining).toBe(0);
    expect(result.notional).toBe(101 * 1.5 + 101.5 * 0.5 + 102 * 0.5);
    expect(result.averagePrice).toBeCloseTo(101.3, 12);
    expect(book.levels('ask', 10)).toHaveLength(3);
  });

  it('stops a sell walk at its limit price and reports what is left', () => {
    const book = sampleBook();
    const result = book.walk('sell', 10, 99.5);
    expect(result.fills).toEqual([
      { price: 100, size: 1 },
      { price: 99.5, size: 2 },
    ]);
    expect(result.filled).toBe(3);
    expect(result.remaining).toBe(7);
    expect(book.walk('sell', 1, 100.5).averagePrice).toBeUndefined();
  });

  it('consume removes the liquidity taken, leaving a partly taken level with the rest', () => {
    const book = sampleBook();
    const result = book.consume('buy', 1.75);
    expect(result.filled).toBe(1.75);
    expect(book.levels('ask', 10)).toEqual([
      { price: 101.5, size: 0.25 },
      { price: 102, size: 2 },
    ]);
  });

  it('consume does not leave float crumbs behind when the sizes add up in decimal', () => {
    const book = new OrderBook();
    book.applySnapshot([], [[10, 0.1], [11, 0.2]]);
    const result = book.consume('buy', 0.3);
    expect(result.remaining).toBe(0);
    expect(book.depth('ask')).toBe(0);
  });

  it('rejects a non-positive walk quantity and a bad limit', () => {
    const book = sampleBook();
    expect(() => book.walk('buy', 0)).toThrow(FixRequestError);
    expect(() => book.walk('buy', 1, Number.NaN)).toThrow('limit price');
  });

  it('clear empties both sides', () => {
    const book = sampleBook();
    book.clear();
    expect(book.depth('bid') + book.depth('ask')).toBe(0);
  });

  it('agrees with a naive map-and-sort model on random update sequences', () => {
    const update = fc.record({
      side: fc.constantFrom<BookSide>('bid', 'ask'),
      tick: fc.integer({ min: 1, max: 60 }),
      size: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50 }).map((lots) => lots / 10)),
    });
    fc.assert(
      fc.property(fc.array(update, { maxLength: 300 }), (updates) => {
        const book = new OrderBook(2);
        const model = { bid: new Map<number, number>(), ask: new Map<number, number>() };
        for (const { side, tick, size } of updates) {
          const price = tick / 2;
          book.setLevel(side, price, size);
          if (size === 0) model[side].delete(price);
          else model[side].set(price, size);
        }
        for (const side of ['bid', 'ask'] as const) {
          const expected = [...model[side].entries()]
            .sort((left, right) => (side === 'bid' ? right[0] - left[0] : left[0] - right[0]))
            .map(([price, size]) => ({ price, size }));
          expect(book.levels(side, 1000)).toEqual(expected);
          for (let tick = 1; tick <= 60; tick++) expect(book.sizeAt(side, tick / 2)).toBe(model[side].get(tick / 2) ?? 0);
        }
      }),
    );
  });
});
