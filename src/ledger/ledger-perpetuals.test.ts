import { describe, expect, it } from 'vitest';
import { fx } from '../core/fixed.js';
import { BTC, Books, PERP, USDT } from '../../test/support/ledger-books.js';

describe('Ledger: perpetuals', () => {
  it('a 5x long posts margin, a partial close realises PnL into cash and releases margin, a full close leaves none', () => {
    const books = new Books();
    books.deposit('10000');
    books.submit({ id: 'p-1', instrument: PERP, quantity: '1', price: '40000' });
    // Initial margin 40000 / 5 plus the taker fee 20.
    expect(books.bal('reserved')).toBe('8020.00');
    expect(books.bal('cash')).toBe('1980.00');

    books.fill({ order: 'p-1', instrument: PERP, quantity: '1', price: '40000', fee: '20' });
    expect(books.bal('reserved')).toBe('0.00');
    expect(books.bal('margin')).toBe('8000.00');
    expect(books.bal('cash')).toBe('1980.00');
    expect(books.bal('fees')).toBe('20.00');
    expect(books.bal('asset', BTC)).toBe('0.00000000');
    expect(books.equity()).toBe('9980.00');
    books.mark('41000', PERP);
    expect(books.equity()).toBe('10980.00');
    expect(books.ledger.grossExposure('desk', USDT).toString()).toBe('41000.00');

    // Close 0.4 @ 42000 reduce-only: nothing reserved; PnL 800 to cash; margin falls to 24000 / 5.
    books.submit({ id: 'p-2', instrument: PERP, side: 'sell', quantity: '0.4', price: '42000', reduceOnly: true });
    expect(books.bal('reserved')).toBe('0.00');
    books.fill({ order: 'p-2', instrument: PERP, side: 'sell', quantity: '0.4', price: '42000', fee: '8.40' });
    expect(books.bal('realised-pnl')).toBe('800.00');
    expect(books.bal('margin')).toBe('4800.00');
    expect(books.bal('cash')).toBe('5971.60'); // 1980 + 800 + 3200 - 8.40
    expect(books.ledger.position('desk', PERP.id)?.costBasis.toString()).toBe('24000.00');

    books.submit({ id: 'p-3', instrument: PERP, side: 'sell', quantity: '0.6', price: '39000', reduceOnly: true });
    books.fill({ order: 'p-3', instrument: PERP, side: 'sell', quantity: '0.6', price: '39000', fee: '11.70' });
    expect(books.bal('realised-pnl')).toBe('200.00'); // 800 - 600
    expect(books.bal('margin')).toBe('0.00');
    expect(books.bal('fees')).toBe('40.10');
    expect(books.bal('cash')).toBe('10159.90'); // 10000 + 200 - 40.10
    expect(books.equity()).toBe('10159.90');
    expect(books.ledger.position('desk', PERP.id)?.quantity.isZero()).toBe(true);
    expect(books.bal('conversion')).toBe('0.00');
  });

  it('a short realises PnL when bought back, and margin is rounded up to the cent', () => {
    const books = new Books();
    books.deposit('1000');
    // 0.003 x 33333.3 = 99.9999; / 5 = 19.99998 -> margin 20.00
    books.submit({ id: 'p-1', instrument: PERP, side: 'sell', quantity: '0.003', price: '33333.3' });
    books.fill({ order: 'p-1', instrument: PERP, side: 'sell', quantity: '0.003', price: '33333.3', fee: '0.05' });
    expect(books.bal('margin')).toBe('20.00');
    expect(books.bal('cash')).toBe('979.95');
    books.mark('30000', PERP);
    expect(books.equity()).toBe('1009.95'); // 1000 - 0.05 + (99.9999 -> 100.00) - 90.00
    books.submit({ id: 'p-2', instrument: PERP, quantity: '0.003', price: '30000', reduceOnly: true });
    books.fill({ order: 'p-2', instrument: PERP, quantity: '0.003', price: '30000', fee: '0.05' });
    expect(books.bal('realised-pnl')).toBe('10.00');
    expect(books.bal('margin')).toBe('0.00');
    expect(books.bal('cash')).toBe('1009.90');
  });

  it('funding paid (amount > 0) debits cash, funding received (amount < 0) credits it', () => {
    const books = new Books();
    books.deposit('10000');
    books.submit({ id: 'p-1', instrument: PERP, quantity: '1', price: '40000' });
    books.fill({ order: 'p-1', instrument: PERP, quantity: '1', price: '40000', fee: '20' });
    books.funding('4.00');
    expect(books.bal('funding')).toBe('4.00');
    expect(books.bal('cash')).toBe('1976.00');
    books.funding('-6.50');
    expect(books.bal('funding')).toBe('-2.50');
    expect(books.bal('cash')).toBe('1982.50');
    expect(books.equity()).toBe('9982.50');
    expect(books.ledger.journal.allEntries().slice(-2).map((e) => e.memo)).toEqual([
      'funding BYBIT:BTC/USDT:USDT',
      'funding BYBIT:BTC/USDT:USDT',
    ]);
  });

  it('a liquidation of the net position closes every sleeve, each on its own side, and splits the fee by size', () => {
    const books = new Books();
    books.deposit('10000', 'trend');
    books.deposit('10000', 'carry');
    books.submit({ id: 'a-1', owner: 'trend', instrument: PERP, quantity: '10', price: '100' });
    books.fill({ order: 'a-1', instrument: PERP, quantity: '10', price: '100', fee: '0' });
    books.submit({ id: 'b-1', owner: 'carry', instrument: PERP, side: 'sell', quantity: '3', price: '100' });
    books.fill({ order: 'b-1', instrument: PERP, side: 'sell', quantity: '3', price: '100', fee: '0' });
    // The venue holds the net long 7 and liquidates it at 90 with a fee of 3.15.
    books.record({ type: 'PositionLiquidated', instrumentId: PERP.id, side: 'sell', quantity: fx('7'), price: fx('90'), fee: fx('3.15'), reason: 'margin balance below maintenance' });
    expect(books.ledger.position('trend', PERP.id)?.quantity.isZero()).toBe(true);
    expect(books.ledger.position('carry', PERP.id)?.quantity.isZero()).toBe(true);
    expect([books.bal('margin', USDT, 'trend'), books.bal('margin', USDT, 'carry')]).toEqual(['0.00', '0.00']);
    // Trend loses (90 - 100) x 10 and pays 10/13 of the fee; carry gains (100 - 90) x 3 and pays the rest.
    expect(books.bal('realised-pnl', USDT, 'trend')).toBe('-100.00');
    expect(books.bal('realised-pnl', USDT, 'carry')).toBe('30.00');
    expect([books.bal('fees', USDT, 'trend'), books.bal('fees', USDT, 'carry')]).toEqual(['2.42', '0.73']);
    expect([books.equity('trend'), books.equity('carry')]).toEqual(['9897.58', '10029.27']);
  });
});
