import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fixed, fx } from '../core/fixed.js';
import { defineInstrument } from '../domain/instrument.js';
import { fundingShares, splitFunding } from './funding-split.js';

const shares = (amount: string, positions: [string, string][]) =>
  splitFunding(fx(amount), positions.map(([owner, quantity]) => ({ owner, quantity: fx(quantity) })), 6)?.map((s) => [s.owner, s.amount.toPlainString()]);

describe('splitting funding settled on a netted position across owners', () => {
  it('gives one owner the whole amount', () => {
    expect(shares('0.123457', [['a', '2']])).toEqual([['a', '0.123457']]);
  });

  it('splits by position size, the remainder of the rounding to the largest position', () => {
    // 0.01 over 1 : 1 : 1 is 0.003333... each: the largest (the first of equals) takes the 0.000001 left.
    expect(shares('0.01', [['a', '1'], ['b', '1'], ['c', '1']])).toEqual([
      ['a', '0.003334'],
      ['b', '0.003333'],
      ['c', '0.003333'],
    ]);
  });

  it('gives an owner on the other side of the net a share of the opposite sign', () => {
    // Net long 0.884 pays 0.0884: the long of 1.037 pays 0.1037, the short of 0.153 receives 0.0153.
    expect(shares('0.0884', [['a', '1.037'], ['b', '-0.153']])).toEqual([
      ['a', '0.1037'],
      ['b', '-0.0153'],
    ]);
  });

  it('has nothing to split by when the positions net to zero: each owner then pays what it owes on its own', () => {
    expect(shares('0.5', [['a', '1'], ['b', '-1']])).toBeUndefined();
    const perp = defineInstrument({ id: 'SIM:BTC/USDT:USDT', tickSize: '0.01', lotSize: '0.001' });
    const owed = fundingShares(perp, [{ owner: 'a', quantity: fx('1') }, { owner: 'b', quantity: fx('-1') }], { amount: fx('0'), markPrice: fx('100'), rate: fx('0.0001') }, 6);
    expect(owed.map((s) => [s.owner, s.amount.toPlainString()])).toEqual([
      ['a', '0.01'],
      ['b', '-0.01'],
    ]);
  });

  it('always adds up to the amount exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000_000, max: 10_000_000 }),
        fc.array(fc.integer({ min: -5000, max: 5000 }).filter((q) => q !== 0), { minLength: 1, maxLength: 5 }),
        (amountUnits, lots) => {
          const positions = lots.map((q, i) => ({ owner: `o${i}`, quantity: Fixed.fromUnits(BigInt(q), 3) }));
          const amount = Fixed.fromUnits(BigInt(amountUnits), 6);
          const split = splitFunding(amount, positions, 6);
          if (split === undefined) return;
          expect(split.reduce((sum, s) => sum.add(s.amount), Fixed.zero(6)).eq(amount)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
