import { describe, expect, it } from 'vitest';
import { clientOrderId } from '../core/ids.js';
import { BTC, Books, SPOT, USDT } from '../../test/support/ledger-books.js';

describe('Ledger: spot buy reservation and fills', () => {
  it('reserves notional x (1 + taker fee), pays each partial fill from it, and frees the rest on the last fill', () => {
    const books = new Books();
    books.deposit('50000');
    books.submit({ id: 'c-1', quantity: '0.5', price: '40000' });
    // 0.5 x 40000 x 1.001
    expect(books.bal('reserved')).toBe('20020.00');
    expect(books.bal('cash')).toBe('29980.00');
    expect(books.open('c-1')).toBe('0.5');

    // The fill at a better price costs 7998.00 + 8.00 fee, paid from the reservation. What the rest needs stays
    // held (0.3 x 40000 x 1.001 = 12012.00, and 0.02 for the rounding of the order's running total); the 1.98 the
    // better price saved comes back to cash.
    books.fill({ order: 'c-1', quantity: '0.2', price: '39990', fee: '8.00' });
    expect(books.bal('reserved')).toBe('12012.02');
    expect(books.bal('cash')).toBe('29981.98');
    expect(books.bal('asset', BTC)).toBe('0.20000000');
    expect(books.bal('conversion', USDT)).toBe('7998.00');
    expect(books.bal('conversion', BTC)).toBe('-0.20000000');
    expect(books.bal('fees')).toBe('8.00');
    expect(books.open('c-1')).toBe('0.3');

    books.fill({ order: 'c-1', quantity: '0.3', price: '40000', fee: '12.00' });
    expect(books.bal('reserved')).toBe('0.00');
    expect(books.bal('cash')).toBe('29982.00');
    expect(books.bal('asset', BTC)).toBe('0.50000000');
    expect(books.bal('conversion', USDT)).toBe('19998.00');
    expect(books.bal('fees')).toBe('20.00');
    expect(books.open('c-1')).toBeUndefined();
    const position = books.ledger.position('desk', SPOT.id);
    expect([position?.quantity.toString(), position?.costBasis.toString(), position?.realisedPnl.toString()]).toEqual([
      '0.5000',
      '19998.00',
      '0.00',
    ]);

    // The order is done: a late cancel releases nothing and posts nothing.
    const before = JSON.stringify(books.ledger.snapshot());
    books.cancel('c-1');
    expect(JSON.stringify(books.ledger.snapshot())).toBe(before);
    expect(books.equity()).toBe('49980.00');
  });

  it('rounds the reservation up to the cent and a cancel after a partial fill releases the remainder', () => {
    const books = new Books();
    books.deposit('100');
    // 0.0007 x 40123.45 x 1.001 = 28.114501415
    books.submit({ id: 'c-1', quantity: '0.0007', price: '40123.45' });
    expect(books.bal('reserved')).toBe('28.12');
    expect(books.bal('cash')).toBe('71.88');

    // floor(28.12 x 3/7) = 12.05 released; the fill costs 12.04 (12.037035 rounded) + 0.01 fee.
    books.fill({ order: 'c-1', quantity: '0.0003', price: '40123.45', fee: '0.01' });
    expect(books.bal('reserved')).toBe('16.07');
    expect(books.bal('cash')).toBe('71.88');
    expect(books.bal('conversion')).toBe('12.04');

    books.cancel('c-1');
    expect(books.bal('reserved')).toBe('0.00');
    expect(books.bal('cash')).toBe('87.95');
    expect(books.open('c-1')).toBeUndefined();
    expect(books.ledger.journal.allEntries().map((e) => e.memo)).toEqual([
      'deposit',
      'reserve c-1',
      'fill c-1 buy 0.0003@40123.45',
      'release c-1 (OrderCanceled)',
    ]);
  });

  it('a fill costing more than its rounded-down share is paid from the reservation, not from free cash', () => {
    const books = new Books();
    books.deposit('5413.41');
    // Everything committed: 0.1352 x 40000 x 1.001 = 5413.408 -> 5413.41.
    books.submit({ id: 'c-1', quantity: '0.1352', price: '40000' });
    expect(books.bal('cash')).toBe('0.00');
    // The share is floor(5413.41 x 2/1352) = 8.00, but the fill costs 8.00 + 0.01 fee (0.008 rounded).
    books.fill({ order: 'c-1', quantity: '0.0002', price: '40000', fee: '0.01' });
    expect(books.bal('cash')).toBe('0.00');
    expect(books.bal('reserved')).toBe('5405.40');
    books.fill({ order: 'c-1', quantity: '0.1350', price: '40000', fee: '5.40' });
    expect(books.bal('cash')).toBe('0.00');
    expect(books.bal('reserved')).toBe('0.00');
    expect(books.bal('conversion')).toBe('5408.00');
  });

  it('a rejected or expired order releases its whole reservation', () => {
    const books = new Books();
    books.deposit('1000');
    books.submit({ id: 'c-1', quantity: '0.01', price: '40000' });
    books.submit({ id: 'c-2', quantity: '0.01', price: '30000' });
    expect(books.bal('reserved')).toBe('700.70');
    books.record({ type: 'OrderRejected', clientOrderId: clientOrderId('c-1'), reason: 'post-only would cross' });
    expect(books.bal('reserved')).toBe('300.30');
    books.record({ type: 'OrderExpired', clientOrderId: clientOrderId('c-2') });
    expect(books.bal('reserved')).toBe('0.00');
    expect(books.bal('cash')).toBe('1000.00');
  });
});

describe('Ledger: spot sells and a round trip', () => {
  it('a spot sell reserves the base asset, not cash', () => {
    const books = new Books();
    books.deposit('50000');
    books.submit({ id: 'c-1', quantity: '0.5', price: '40000' });
    books.fill({ order: 'c-1', quantity: '0.5', price: '40000', fee: '20.00' });
    books.submit({ id: 'c-2', side: 'sell', quantity: '0.2', price: '41000' });
    expect(books.bal('reserved', BTC)).toBe('0.20000000');
    expect(books.bal('asset', BTC)).toBe('0.30000000');
    expect(books.bal('reserved', USDT)).toBe('0.00');
    expect(books.bal('cash')).toBe('29980.00');
    books.cancel('c-2');
    expect(books.bal('reserved', BTC)).toBe('0.00000000');
    expect(books.bal('asset', BTC)).toBe('0.50000000');
  });

  it('buy 1 BTC @ 40000, sell @ 42000, 0.1% fees: realised 2000, fees 82, conversion accounts back to zero', () => {
    const books = new Books();
    books.deposit('100000');
    books.submit({ id: 'c-1', quantity: '1', price: '40000' });
    books.fill({ order: 'c-1', quantity: '1', price: '40000', fee: '40' });
    books.submit({ id: 'c-2', side: 'sell', quantity: '1', price: '42000' });
    books.fill({ order: 'c-2', side: 'sell', quantity: '1', price: '42000', fee: '42' });

    expect(books.bal('realised-pnl')).toBe('2000.00');
    expect(books.bal('fees')).toBe('82.00');
    expect(books.bal('cash')).toBe('101918.00'); // 100000 + 2000 - 82
    expect(books.bal('conversion', USDT)).toBe('0.00');
    expect(books.bal('conversion', BTC)).toBe('0.00000000');
    expect(books.bal('asset', BTC)).toBe('0.00000000');
    expect(books.bal('reserved', USDT)).toBe('0.00');
    expect(books.bal('reserved', BTC)).toBe('0.00000000');
    expect(books.bal('capital')).toBe('100000.00');
    expect(books.equity()).toBe('101918.00');
    expect(books.ledger.position('desk', SPOT.id)?.realisedPnl.toString()).toBe('2000.00');
    expect(books.ledger.position('desk', SPOT.id)?.quantity.isZero()).toBe(true);
    expect(books.ledger.journal.recomputeBalances()).toEqual(books.ledger.journal.snapshot());
  });

  it('a partial sell realises PnL on the released share of the cost basis', () => {
    const books = new Books();
    books.deposit('50000');
    books.submit({ id: 'c-1', quantity: '0.3', price: '40000' });
    books.fill({ order: 'c-1', quantity: '0.3', price: '40000', fee: '12' });
    books.submit({ id: 'c-2', side: 'sell', quantity: '0.1', price: '43000' });
    books.fill({ order: 'c-2', side: 'sell', quantity: '0.1', price: '43000', fee: '4.30' });
    expect(books.bal('realised-pnl')).toBe('300.00');
    expect(books.bal('conversion')).toBe('8000.00');
    expect(books.bal('asset', BTC)).toBe('0.20000000');
    expect(books.bal('cash')).toBe('42283.70'); // 50000 - 12000 - 12 + 4300 - 4.30
  });

  it('a fee charged in the base asset comes out of the asset account', () => {
    const books = new Books();
    books.deposit('50000');
    books.submit({ id: 'c-1', quantity: '0.5', price: '40000' });
    books.fill({ order: 'c-1', quantity: '0.5', price: '40000', fee: '0.0005', feeCurrency: BTC });
    expect(books.bal('asset', BTC)).toBe('0.49950000');
    expect(books.bal('fees', BTC)).toBe('0.00050000');
    expect(books.bal('cash')).toBe('30000.00');
  });
});
