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

  it('refuses an update that needs more than the available cash, or a total not above the filled quantity', () => {
    const books = new Books();
    books.deposit('50000');
    books.submit({ id: 'c-1', quantity: '1', price: '40000' });
    books.fill({ order: 'c-1', quantity: '0.4', price: '40000', fee: '16' });
    expect(books.refusal({ type: 'OrderUpdated', clientOrderId: clientOrderId('c-1'), quantity: fx('2') })).toBe(
      'insufficient funds to update c-1',
    );
    expect(books.refusal({ type: 'OrderUpdated', clientOrderId: clientOrderId('c-1'), quantity: fx('0.4') })).toBe(
      'updated quantity 0.4 of c-1 is not above the 0.4 already filled',
    );
    expect(books.refusal({ type: 'OrderUpdated', clientOrderId: clientOrderId('c-9'), price: fx('1') })).toBe(
      'update for unknown order c-9',
    );
  });
});
