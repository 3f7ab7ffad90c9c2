import { describe, expect, it } from 'vitest';
import { fx } from '../core/fixed.js';
import { Books, PERP, SPOT, USDT } from '../../test/support/ledger-books.js';

describe('Ledger: funds', () => {
  it('a deposit credits cash against capital', () => {
    const books = new Books();
    books.deposit('10000');
    expect(books.bal('cash')).toBe('10000.00');
    expect(books.bal('capital')).toBe('10000.00');
    expect(books.ledger.journal.raw('desk', 'capital', USDT)).toBe(-1_000_000n);
    expect(books.equity()).toBe('10000.00');
    expect(books.ledger.journal.allEntries().map((e) => e.memo)).toEqual(['deposit']);
  });

  it('a withdrawal debits capital and cash', () => {
    const books = new Books();
    books.deposit('10000');
    books.record({ type: 'FundsWithdrawn', owner: 'desk', currency: USDT, amount: fx('2500.25') });
    expect(books.bal('cash')).toBe('7499.75');
    expect(books.bal('capital')).toBe('7499.75');
    expect(books.equity()).toBe('7499.75');
  });

  it('a profit sweep moves cash to the reserve and leaves equity unchanged', () => {
    const books = new Books();
    books.deposit('10000');
    books.record({ type: 'ProfitSwept', owner: 'desk', currency: USDT, amount: fx('1200'), reason: 'sweep' });
    expect(books.bal('cash')).toBe('8800.00');
    expect(books.bal('reserve')).toBe('1200.00');
    expect(books.bal('capital')).toBe('10000.00');
    expect(books.equity()).toBe('10000.00');
  });

  it('keeps owners apart', () => {
    const books = new Books();
    books.deposit('100');
    books.deposit('40', 'sleeve-a');
    expect(books.bal('cash', USDT, 'desk')).toBe('100.00');
    expect(books.bal('cash', USDT, 'sleeve-a')).toBe('40.00');
    expect(books.ledger.equity('sleeve-a', USDT).toString()).toBe('40.00');
  });
});

describe('Ledger: marks, equity and exposure', () => {
  it('marks spot holdings at the mark price, at cost when unmarked', () => {
    const books = new Books();
    books.deposit('50000');
    books.submit({ id: 'c-1', quantity: '0.5', price: '40000' });
    books.fill({ order: 'c-1', quantity: '0.5', price: '40000', fee: '20' });
    expect(books.equity()).toBe('49980.00');
    expect(books.ledger.grossExposure('desk', USDT).toString()).toBe('20000.00');
    books.mark('41000.01');
    // 0.5 x 41000.01 = 20500.005, rounded half-even to 20500.00; plus 29980 cash.
    expect(books.equity()).toBe('50480.00');
    expect(books.ledger.grossExposure('desk', USDT).toString()).toBe('20500.00');
    books.mark('41000.03');
    expect(books.equity()).toBe('50480.02'); // 20500.015 rounds half-even up to 20500.02
    expect(books.ledger.mark(SPOT.id)?.toString()).toBe('41000.03');
  });
});

describe('Ledger: replay', () => {
  it('applying the same events to a fresh ledger gives an identical snapshot', () => {
    const books = new Books();
    books.deposit('100000');
    books.submit({ id: 'c-1', quantity: '1', price: '40000' });
    books.fill({ order: 'c-1', quantity: '0.25', price: '39950.5', fee: '9.99' });
    books.fill({ order: 'c-1', quantity: '0.75', price: '40000', fee: '30' });
    books.submit({ id: 'c-2', side: 'sell', quantity: '0.6', price: '42000' });
    books.fill({ order: 'c-2', side: 'sell', quantity: '0.1', price: '42000', fee: '4.2' });
    books.submit({ id: 'p-1', instrument: PERP, side: 'sell', quantity: '0.5', price: '41000' });
    books.fill({ order: 'p-1', instrument: PERP, side: 'sell', quantity: '0.2', price: '41000.5', fee: '4.1' });
    books.funding('1.23');
    books.mark('41500', SPOT);
    books.mark('41600', PERP);
    books.record({ type: 'ProfitSwept', owner: 'desk', currency: USDT, amount: fx('100'), reason: 'sweep' });

    const replayed = new Books().ledger;
    for (const event of books.events) replayed.apply(event);
    expect(JSON.stringify(replayed.snapshot())).toBe(JSON.stringify(books.ledger.snapshot()));
    expect(replayed.equity('desk', USDT).toString()).toBe(books.equity());
    expect(books.ledger.snapshot()).toMatchObject({
      entries: books.ledger.journal.length,
      openOrders: [
        { id: 'c-2', reserved: '50000000', leaves: '0.5' },
        // 4110.25 reserved; the fill took 1640.02 margin + 4.10 fee, more than its 2/5 share (1644.10).
        { id: 'p-1', reserved: '246613', leaves: '0.3' },
      ],
    });
  });
});
