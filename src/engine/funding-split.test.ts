import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fixed, fx } from '../core/fixed.js';
import { defineInstrument } from '../domain/instrument.js';
import { fundingOwed, fundingShares } from './funding-split.js';

const perp = defineInstrument({ id: 'SIM:BTC/USDT:USDT', tickSize: '0.01', lotSize: '0.001' });
const shares = (amount: string, positions: [string, string][], mark = '100', rate = '0.0001') =>
  fundingShares(perp, positions.map(([owner, quantity]) => ({ owner, quantity: fx(quantity) })), { amount: fx(amount), markPrice: fx(mark), rate: fx(rate) }, 6).map((s) => [
    s.owner,
    s.amount.toPlainString(),
  ]);

describe('funding of owners netted in one venue account', () => {
  it('gives one owner the whole amount the venue settled', () => {
    expect(shares('0.02', [['a', '2']])).toEqual([['a', '0.02']]);
  });

  it('charges each owner on its own position, the difference rounding leaves going to the largest', () => {
    // 0.333 at 100 x 0.0001 is 0.00333 each; the venue took 0.00999 on the net of 0.999 (the same, here, to the unit).
    expect(shares('0.00999', [['a', '0.333'], ['b', '0.333'], ['c', '0.333']], '100', '0.0001')).toEqual([
      ['a', '0.00333'],
      ['b', '0.00333'],
      ['c', '0.00333'],
    ]);
    // At a rate of 0.00001234 each owes 0.000411 (0.00041092 rounded) and the net 0.001233 (0.00123277): the largest,
    // the first of equals, takes the unit rounding left.
    expect(shares('0.001233', [['a', '0.333'], ['b', '0.333'], ['c', '0.333']], '100', '0.00001234')).toEqual([
      ['a', '0.000411'],
      ['b', '0.000411'],
      ['c', '0.000411'],
    ]);
  });

  it('gives an owner on the other side of the net what its own position receives', () => {
    // Net long 0.884 pays 0.00884: the long of 1.037 pays 0.01037, the short of 0.153 receives 0.00153.
    expect(shares('0.00884', [['a', '1.037'], ['b', '-0.153']])).toEqual([
      ['a', '0.01037'],
      ['b', '-0.00153'],
    ]);
  });

  it('moves funding between owners whose positions net to zero, the venue having settled nothing', () => {
    // A long of 0.337 at 70,000 and 0.0001 pays 2.359; the short of 0.337 receives it.
    expect(shares('0', [['a', '0.337'], ['b', '-0.337']], '70000', '0.0001')).toEqual([
      ['a', '2.359'],
      ['b', '-2.359'],
    ]);
  });

  it('always adds up to what the venue settled exactly, each owner within rounding of its own (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1000, max: 1000 }),
        fc.array(fc.integer({ min: -5000, max: 5000 }).filter((q) => q !== 0), { minLength: 1, maxLength: 5 }),
        (rateUnits, lots) => {
          const positions = lots.map((q, i) => ({ owner: `o${i}`, quantity: Fixed.fromUnits(BigInt(q), 3) }));
          const rate = Fixed.fromUnits(BigInt(rateUnits), 7);
          const net = positions.reduce((sum, p) => sum.add(p.quantity), Fixed.zero(3));
          const amount = fundingOwed(perp, net, fx('123.45'), rate, 6);
          const split = fundingShares(perp, positions, { amount, markPrice: fx('123.45'), rate }, 6);
          expect(split.reduce((sum, s) => sum.add(s.amount), Fixed.zero(6)).eq(amount)).toBe(true);
          for (const [index, share] of split.entries()) {
            const own = fundingOwed(perp, (positions[index] as (typeof positions)[number]).quantity, fx('123.45'), rate, 6);
            expect(share.amount.sub(own).abs().lte(Fixed.fromUnits(BigInt(positions.length), 6))).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
