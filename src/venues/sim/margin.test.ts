import { describe, expect, it } from 'vitest';
import { fx } from '../../core/fixed.js';
import { defineInstrument } from '../../domain/instrument.js';
import { fundingPayment, initialMargin, liquidationPrice, maintenanceMargin, maintenanceTier } from './margin.js';

const TIERED = defineInstrument({
  id: 'SIM:BTC/USDT:USDT',
  tickSize: '0.1',
  lotSize: '0.001',
  maxLeverage: '125',
  marginTiers: [
    { maxNotional: '50000', maintenanceRate: '0.004', maxLeverage: '125' },
    { maxNotional: '250000', maintenanceRate: '0.005', maxLeverage: '100' },
    { maxNotional: null, maintenanceRate: '0.01', maxLeverage: '50' },
  ],
});
const PLAIN = defineInstrument({ id: 'SIM:ETH/USDT:USDT', tickSize: '0.01', lotSize: '0.01', maxLeverage: '20' });

describe('perpetual margin', () => {
  it('initial margin is notional / leverage, rounded up', () => {
    expect(initialMargin(fx('1000.005'), fx('10'), 2).toPlainString()).toBe('100.01');
  });

  it('maintenance margin is tiered and continuous at the tier boundaries (N x rate - cum)', () => {
    expect(maintenanceMargin(TIERED, fx('50000'), 2).toPlainString()).toBe('200');
    // 50,000 at 0.4% + 10,000 at 0.5% = 200 + 50
    expect(maintenanceMargin(TIERED, fx('60000'), 2).toPlainString()).toBe('250');
    expect(maintenanceTier(TIERED, fx('60000')).cum.toPlainString()).toBe('50');
    // 200 + 200,000 x 0.5% + 50,000 x 1% = 200 + 1000 + 500
    expect(maintenanceMargin(TIERED, fx('300000'), 2).toPlainString()).toBe('1700');
    expect(maintenanceTier(TIERED, fx('300000')).maxLeverage.toPlainString()).toBe('50');
    const justBelow = maintenanceMargin(TIERED, fx('250000'), 2);
    const justAbove = maintenanceMargin(TIERED, fx('250000.01'), 2);
    expect(justAbove.sub(justBelow).lte(fx('0.01'))).toBe(true);
  });

  it('uses 0.5% without tiers', () => {
    expect(maintenanceMargin(PLAIN, fx('1000'), 2).toPlainString()).toBe('5');
  });

  it('liquidation price, worked: long 10 @ 100 at 10x isolated', () => {
    // P = (basis - margin - cum) / (q (1 - rate)) = (1000 - 100) / (10 x 0.995) = 90.4522...
    expect(liquidationPrice(PLAIN, fx('10'), fx('1000'), fx('100'), 2)?.toPlainString()).toBe('90.46');
  });

  it('liquidation price, worked: short 10 @ 100 at 10x isolated', () => {
    // P = (basis + margin + cum) / (q (1 + rate)) = 1100 / 10.05 = 109.4527...
    expect(liquidationPrice(PLAIN, fx('-10'), fx('1000'), fx('100'), 2)?.toPlainString()).toBe('109.45');
  });

  it("uses the tier that holds the notional at the liquidation price, not the entry's", () => {
    const TWO_TIERS = defineInstrument({
      id: 'SIM:XRP/USDT:USDT',
      tickSize: '0.01',
      lotSize: '0.001',
      maxLeverage: '20',
      marginTiers: [
        { maxNotional: '1000', maintenanceRate: '0.01', maxLeverage: '20' },
        { maxNotional: null, maintenanceRate: '0.1', maxLeverage: '10' },
      ],
    });
    // Short 10 @ 99 at 10x (basis 990 in the first tier): at 107.82 (the first tier's answer) the notional is 1078.2,
    // in the second tier (rate 10%, cum 1000 x 9% = 90): (990 + 99 + 90) / (10 x 1.1) = 107.1818 -> 107.18.
    expect(liquidationPrice(TWO_TIERS, fx('-10'), fx('990'), fx('99'), 2)?.toPlainString()).toBe('107.18');
    // Long 10 @ 105 (basis 1050 in the second tier): the second tier's answer, 95, is a notional of 950, in the first:
    // (1050 - 105) / (10 x 0.99) = 95.4545 -> 95.46.
    expect(liquidationPrice(TWO_TIERS, fx('10'), fx('1050'), fx('105'), 2)?.toPlainString()).toBe('95.46');
    // At the liquidation price the margin balance meets the maintenance margin of the notional there.
    for (const [quantity, basis, collateral] of [['-10', '990', '99'], ['10', '1050', '105']] as const) {
      const price = liquidationPrice(TWO_TIERS, fx(quantity), fx(basis), fx(collateral), 8) ?? fx('0');
      const notional = fx(quantity).abs().mul(price);
      const balance = fx(collateral).add(fx(quantity).isPositive() ? notional.sub(fx(basis)) : fx(basis).sub(notional));
      expect(balance.sub(maintenanceMargin(TWO_TIERS, notional, 8)).abs().lte(fx('0.0001'))).toBe(true);
    }
  });

  it('a fully collateralised long cannot be liquidated', () => {
    expect(liquidationPrice(PLAIN, fx('10'), fx('1000'), fx('1000'), 2)).toBeUndefined();
  });

  it('funding: longs pay a positive rate, shorts receive it', () => {
    expect(fundingPayment(PLAIN, fx('2'), fx('2000'), fx('0.0001'), 6).toPlainString()).toBe('0.4');
    expect(fundingPayment(PLAIN, fx('-2'), fx('2000'), fx('0.0001'), 6).toPlainString()).toBe('-0.4');
    expect(fundingPayment(PLAIN, fx('2'), fx('2000'), fx('-0.0003'), 6).toPlainString()).toBe('-1.2');
  });
});
