import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fixed, fx } from '../../core/fixed.js';
import { defineInstrument } from '../../domain/instrument.js';
import { applySlippage, feeFor, toPrice, toQuantity } from './pricing.js';
import { CurrencyScales } from '../../domain/instrument.js';
import { clientOrderId } from '../../core/ids.js';
import type { OrderSpec } from '../../domain/order.js';

const CENT = defineInstrument({ id: 'SIM:BTC/USDT', tickSize: '0.01', lotSize: '0.001', takerFee: '0.001', makerFee: '0.0002' });
const HALF = defineInstrument({ id: 'SIM:ETH/USDT', tickSize: '0.5', lotSize: '0.1' });

describe('market-data floats to exact prices and quantities', () => {
  it('rounds to the nearest tick', () => {
    expect(toPrice(CENT, 30000.12).toPlainString()).toBe('30000.12');
    expect(toPrice(CENT, 0.1 + 0.2).toPlainString()).toBe('0.3');
    expect(toPrice(CENT, 100.123).toPlainString()).toBe('100.12');
    expect(toPrice(HALF, 100.3).toPlainString()).toBe('100.5');
    expect(toPrice(HALF, 100.2).toPlainString()).toBe('100');
  });

  it('takes ties to even through the exact path', () => {
    expect(toPrice(CENT, 100.125).toPlainString()).toBe('100.12');
    expect(toPrice(CENT, 100.135).toPlainString()).toBe('100.14');
  });

  it('agrees with the exact decimal conversion on random prices (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e9, noNaN: true }), (value) => {
        const exact = Fixed.parse(String(value)).quantize(CENT.tickSize, 'half-even');
        expect(toPrice(CENT, value).eq(exact)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('rounds quantities down to the lot; non-positive is zero', () => {
    expect(toQuantity(CENT, 1.23456).toPlainString()).toBe('1.234');
    expect(toQuantity(CENT, 0).isZero()).toBe(true);
    expect(toQuantity(CENT, -1).isZero()).toBe(true);
  });
});

describe('fees and slippage', () => {
  const order = (side: 'buy' | 'sell', price?: string): OrderSpec => ({
    clientOrderId: clientOrderId('x'),
    instrumentId: CENT.id,
    side,
    type: price === undefined ? 'market' : 'limit',
    quantity: fx('1'),
    ...(price === undefined ? {} : { price: fx(price) }),
    timeInForce: 'GTC',
    postOnly: false,
    reduceOnly: false,
    owner: 'desk',
  });

  it('fee = qty x price x rate, half-even at the settlement scale', () => {
    const scales = new CurrencyScales({ USDT: 2 });
    expect(feeFor(CENT, fx('1').mul(fx('1002.5')), 'taker', scales).part.toPlainString()).toBe('1'); // 1.0025 -> 1.00
    expect(feeFor(CENT, fx('1').mul(fx('1007.5')), 'taker', scales).part.toPlainString()).toBe('1.01'); // 1.0075 -> 1.01
  });

  it('charges the parts of an order its running total, rounded once, less the earlier parts', () => {
    const scales = new CurrencyScales({ USDT: 2 });
    // Three parts of 0.005 at 1000 owe 0.005 each, which alone would each round to 0.00; as a running total the
    // order pays 0.00, 0.01 and 0.01, the 0.015 of the whole rounded once.
    const first = feeFor(CENT, fx('0.005').mul(fx('1000')), 'taker', scales);
    const second = feeFor(CENT, fx('0.005').mul(fx('1000')), 'taker', scales, first.total);
    const third = feeFor(CENT, fx('0.005').mul(fx('1000')), 'taker', scales, second.total);
    expect([first.part, second.part, third.part].map((fee) => fee.toString())).toEqual(['0.00', '0.01', '0.01']);
    const alone = feeFor(CENT, fx('0.005').mul(fx('1001')), 'taker', scales);
    expect(alone.part.toString()).toBe('0.01');
    const whole = feeFor(CENT, fx('0.005').mul(fx('1001')), 'taker', scales, feeFor(CENT, fx('0.01').mul(fx('1001')), 'taker', scales).total);
    // A part after 0.01001 (charged 0.01) brings the total to 0.015015 -> 0.02: 0.01 more.
    expect(whole.part.toString()).toBe('0.01');
  });

  it('never slips a limit order past its limit', () => {
    const slip = { kind: 'fixed-bps', bps: fx('50') } as const;
    expect(applySlippage(CENT, order('buy', '100.2'), fx('100'), fx('1'), undefined, slip).toPlainString()).toBe('100.2');
    expect(applySlippage(CENT, order('buy'), fx('100'), fx('1'), undefined, slip).toPlainString()).toBe('100.5');
    expect(applySlippage(CENT, order('sell'), fx('100'), fx('1'), undefined, slip).toPlainString()).toBe('99.5');
  });

  it("keeps a slipped price within the bar's range, and a sell above zero however thin the volume", () => {
    const range = { low: fx('99'), high: fx('101') };
    const impact = { kind: 'volume-share', impact: fx('0.1') } as const;
    // 50 of a 0.4 volume: 12.5 x the price against the order, without bounds a sell at -1150.
    expect(applySlippage(CENT, order('sell'), fx('100'), fx('50'), 0.4, impact, range).toPlainString()).toBe('99');
    expect(applySlippage(CENT, order('buy'), fx('100'), fx('50'), 0.4, impact, range).toPlainString()).toBe('101');
    expect(applySlippage(CENT, order('sell'), fx('100'), fx('50'), 0.4, impact).toPlainString()).toBe('0.01');
    const bps = { kind: 'fixed-bps', bps: fx('500') } as const;
    expect(applySlippage(CENT, order('buy'), fx('100'), fx('1'), undefined, bps, range).toPlainString()).toBe('101');
    expect(applySlippage(CENT, order('sell'), fx('100'), fx('1'), undefined, bps, range).toPlainString()).toBe('99');
    // A move that stays inside the range is unchanged; a price at the edge is never moved in the order's favour.
    expect(applySlippage(CENT, order('buy'), fx('100'), fx('1'), undefined, { kind: 'fixed-bps', bps: fx('50') }, range).toPlainString()).toBe('100.5');
    expect(applySlippage(CENT, order('buy'), fx('101'), fx('1'), undefined, bps, range).toPlainString()).toBe('101');
    expect(applySlippage(CENT, order('sell'), fx('99'), fx('1'), undefined, bps, range).toPlainString()).toBe('99');
  });

  it('never gives a slipped price outside the range, at or below zero, or better than the price before it (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 0.001, max: 1e6, noNaN: true }),
        fc.constantFrom('buy' as const, 'sell' as const),
        (priceCents, below, above, lots, volume, side) => {
          const price = Fixed.fromUnits(BigInt(priceCents), 2);
          const range = { low: price.sub(Fixed.fromUnits(BigInt(Math.min(below, priceCents - 1)), 2)), high: price.add(Fixed.fromUnits(BigInt(above), 2)) };
          const slipped = applySlippage(CENT, order(side), price, Fixed.fromUnits(BigInt(lots), 3), volume, { kind: 'volume-share', impact: fx('0.5') }, range);
          expect(slipped.gte(range.low) && slipped.lte(range.high) && slipped.isPositive()).toBe(true);
          expect(side === 'buy' ? slipped.gte(price) : slipped.lte(price)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
