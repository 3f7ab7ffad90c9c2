import { describe, expect, it } from 'vitest';
import { fx } from '../core/fixed.js';
import { instrumentId } from '../core/ids.js';
import { Books, PERP, SPOT, USDT } from '../../test/support/ledger-books.js';

describe('Ledger: validate names the problem and changes nothing', () => {
  function funded(): Books {
    const books = new Books();
    books.deposit('1000');
    books.submit({ id: 'c-1', quantity: '0.01', price: '40000' }); // reserves 400.40
    return books;
  }

  it('a withdrawal beyond available cash', () => {
    const books = funded();
    expect(books.refusal({ type: 'FundsWithdrawn', owner: 'desk', currency: USDT, amount: fx('600') })).toBe(
      'withdrawal of 600 USDT exceeds available cash 599.6',
    );
    expect(books.refusal({ type: 'FundsWithdrawn', owner: 'desk', currency: USDT, amount: fx('599.60') })).toBeUndefined();
  });

  it('a profit sweep beyond available cash', () => {
    const books = funded();
    expect(books.refusal({ type: 'ProfitSwept', owner: 'desk', currency: USDT, amount: fx('1000'), reason: 'sweep' })).toBe(
      'profit sweep of 1000 USDT exceeds available cash 599.6',
    );
  });

  it('a fill for an unknown order', () => {
    const books = funded();
    expect(books.refusal(books.fillEvent({ order: 'c-404', quantity: '0.01', price: '40000', fee: '0.4' }))).toBe(
      'fill for unknown order c-404',
    );
  });

  it('a fill exceeding the open quantity', () => {
    const books = funded();
    books.fill({ order: 'c-1', quantity: '0.004', price: '40000', fee: '0.16' });
    expect(books.refusal(books.fillEvent({ order: 'c-1', quantity: '0.0061', price: '40000', fee: '0.24' }))).toBe(
      'fill of 0.0061 exceeds the 0.006 still open on c-1',
    );
  });

  it('a fill whose side or instrument differs from the order', () => {
    const books = funded();
    expect(books.refusal(books.fillEvent({ order: 'c-1', side: 'sell', quantity: '0.01', price: '40000', fee: '0' }))).toBe(
      'fill side sell differs from order\'s buy',
    );
    expect(books.refusal(books.fillEvent({ order: 'c-1', instrument: PERP, quantity: '0.01', price: '40000', fee: '0' }))).toBe(
      "fill instrument BYBIT:BTC/USDT:USDT differs from order's BINANCE:BTC/USDT",
    );
  });

  it('an order reserving more than is available', () => {
    const books = funded();
    expect(books.refusal(books.submitEvent({ id: 'c-2', quantity: '1', price: '40000' }))).toBe(
      'insufficient funds for c-2: needs 40040 USDT, cash available 599.6',
    );
    expect(books.refusal(books.submitEvent({ id: 'c-3', side: 'sell', quantity: '0.1', price: '40000' }))).toBe(
      'insufficient funds for c-3: needs 0.1 BTC, asset available 0',
    );
    expect(books.refusal(books.submitEvent({ id: 'c-1', quantity: '0.001', price: '40000' }))).toBe('order c-1 is already tracked');
  });

  it('a deposit with more decimals than the currency scale', () => {
    const books = funded();
    expect(books.refusal({ type: 'FundsDeposited', owner: 'desk', currency: USDT, amount: fx('100.001') })).toBe(
      'deposit amount 100.001 has more than 2 decimals for USDT',
    );
    expect(books.refusal({ type: 'FundsDeposited', owner: 'desk', currency: USDT, amount: fx('100.010') })).toBeUndefined();
    expect(books.refusal({ type: 'FundsDeposited', owner: 'desk', currency: USDT, amount: fx('0') })).toBe(
      'deposit amount must be positive, got 0',
    );
  });

  it('a mark for an unknown instrument, or a non-positive mark', () => {
    const books = funded();
    expect(
      books.refusal({ type: 'MarksUpdated', marks: [{ instrumentId: instrumentId('KRAKEN:ETH/USD'), price: fx('2000') }] }),
    ).toBe('mark for unknown instrument KRAKEN:ETH/USD');
    expect(books.refusal({ type: 'MarksUpdated', marks: [{ instrumentId: SPOT.id, price: fx('-1') }] })).toBe(
      'mark price for BINANCE:BTC/USDT must be positive, got -1',
    );
  });

  it('funding for a spot instrument', () => {
    const books = funded();
    expect(
      books.refusal({ type: 'FundingApplied', owner: 'desk', instrumentId: SPOT.id, rate: fx('0'), markPrice: fx('1'), amount: fx('1') }),
    ).toBe('funding applies to perpetuals, not BINANCE:BTC/USDT');
  });
});
