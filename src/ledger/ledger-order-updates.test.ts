import { describe, expect, it } from 'vitest';
import { fx } from '../core/fixed.js';
import { clientOrderId } from '../core/ids.js';
import { Books } from '../../test/support/ledger-books.js';

describe('Ledger: order updates', () => {
  it('a new limit re-sizes the reservation', () => {
    const books = new Books();
    books.deposit('50000');
    books.submit({ id: 'c-1', quantity: '0.5', price: '40000' });
    books.record({ type: 'OrderUpdated', clientOrderId: clientOrderId('c-1'), price: fx('39000') });
    expect(books.bal('reserved')).toBe('19519.50');
    expect(books.bal('cash')).toBe('30480.50');
  });

  it("an updated quantity is the order's new total, so a partly filled order completes at that total", () => {
    const books = new Books();
    books.deposit('50000');
    books.submit({ id: 'c-1', quantity: '1', price: '40000' });
    books.fill({ order: 'c-1', quantity: '0.4', price: '40000', fee: '16' });
    expect(books.bal('reserved')).toBe('24024.00');
    // Total 0.8 with 0.4 filled: 0.4 left, reserved at 0.4 x 40000 x 1.001, and the two units a partly filled
    // order keeps for the rounding of its running total.
    books.record({ type: 'OrderUpdated', clientOrderId: clientOrderId('c-1'), quantity: fx('0.8') });
    expect(books.open('c-1')).toBe('0.4');
    expect(books.bal('reserved')).toBe('16016.02');
    books.fill({ order: 'c-1', quantity: '0.4', price: '40000', fee: '16' });
    expect(books.open('c-1')).toBeUndefined();
    expect(books.bal('reserved')).toBe('0.00');
    expect(books.bal('cash')).toBe('17968.00'); // 50000 - 32000 - 32
  });

  it('refuses a change on its way that needs more than the available cash, or a total not above the filled quantity', () => {
    const books = new Books();
    books.deposit('50000');
    books.submit({ id: 'c-1', quantity: '1', price: '40000' });
    books.fill({ order: 'c-1', quantity: '0.4', price: '40000', fee: '16' });
    expect(books.refusal({ type: 'OrderPendingUpdate', clientOrderId: clientOrderId('c-1'), quantity: fx('2') })).toBe('insufficient funds to update c-1');
    for (const type of ['OrderPendingUpdate', 'OrderUpdated'] as const) {
      expect(books.refusal({ type, clientOrderId: clientOrderId('c-1'), quantity: fx('0.4') })).toBe('updated quantity 0.4 of c-1 is not above the 0.4 already filled');
      expect(books.refusal({ type, clientOrderId: clientOrderId('c-9'), price: fx('1') })).toBe('update for unknown order c-9');
    }
  });

  it('holds what a change on its way needs until the venue answers: a confirmed change keeps it, a refused one frees it', () => {
    const books = new Books();
    books.deposit('50000');
    books.submit({ id: 'c-1', quantity: '0.1', price: '40000' });
    expect(books.bal('reserved')).toBe('4004.00');
    books.record({ type: 'OrderPendingUpdate', clientOrderId: clientOrderId('c-1'), quantity: fx('1') });
    // The order may become 1 at the venue at any moment: 1 x 40000 x 1.001 (and two units of running-total slack).
    expect(books.bal('reserved')).toBe('40040.02');
    // What is sent meanwhile sees the cash the change may take: 10000 more cannot be held.
    expect(books.refusal(books.submitEvent({ id: 'c-2', quantity: '0.25', price: '40000' }))).toBe(
      'insufficient funds for c-2: needs 10010 USDT, cash available 9959.98',
    );
    books.record({ type: 'OrderModifyRejected', clientOrderId: clientOrderId('c-1'), reason: 'insufficient balance' });
    expect(books.bal('reserved')).toBe('4004.00');
    books.record({ type: 'OrderPendingUpdate', clientOrderId: clientOrderId('c-1'), quantity: fx('1') });
    books.record({ type: 'OrderUpdated', clientOrderId: clientOrderId('c-1'), quantity: fx('1') });
    expect(books.bal('reserved')).toBe('40040.00');
    expect(books.bal('cash')).toBe('9960.00');
    books.fill({ order: 'c-1', quantity: '1', price: '40000', fee: '40' });
    expect(books.bal('reserved')).toBe('0.00');
    expect(books.bal('cash')).toBe('9960.00');
  });

  it('books a change the venue confirmed even when the cash it needs is no longer there (the venue made it)', () => {
    const books = new Books();
    books.deposit('5000');
    books.submit({ id: 'c-1', quantity: '0.1', price: '40000' });
    const update = { type: 'OrderUpdated', clientOrderId: clientOrderId('c-1'), quantity: fx('0.2') } as const;
    expect(books.refusal(update)).toBeUndefined();
    books.record(update);
    expect(books.bal('reserved')).toBe('8008.00');
    expect(books.open('c-1')).toBe('0.2');
  });

  it('keeps holding for a change on its way across a fill of the order, and frees all of it on the last fill', () => {
    const books = new Books();
    books.deposit('50000');
    books.submit({ id: 'c-1', quantity: '0.5', price: '40000' });
    books.record({ type: 'OrderPendingUpdate', clientOrderId: clientOrderId('c-1'), quantity: fx('1') });
    expect(books.bal('reserved')).toBe('40040.02');
    books.fill({ order: 'c-1', quantity: '0.2', price: '40000', fee: '8' });
    // The change would leave 0.8 to fill: 0.8 x 40000 x 1.001 + 2 units.
    expect(books.bal('reserved')).toBe('32032.02');
    books.fill({ order: 'c-1', quantity: '0.3', price: '40000', fee: '12' });
    expect(books.open('c-1')).toBeUndefined();
    expect(books.bal('reserved')).toBe('0.00');
    expect(books.bal('cash')).toBe('29980.00'); // 50000 - 20000 - 20
  });
});
