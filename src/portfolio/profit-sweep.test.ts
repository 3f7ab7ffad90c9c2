import { describe, expect, it } from 'vitest';
import { fx } from '../core/fixed.js';
import { currency } from '../core/ids.js';
import { planProfitSweep } from './profit-sweep.js';

const USDT = currency('USDT');
const input = (realisedPnl: string, sweptMark: string, availableCash = '100000') => ({
  sleeveId: 's',
  currency: USDT,
  realisedPnl: fx(realisedPnl),
  sweptMark: fx(sweptMark),
  availableCash: fx(availableCash),
});

describe('profit sweep', () => {
  it('sweeps the share of new realised profit above the mark, rounded down', () => {
    const [decision] = planProfitSweep([input('1234.567891', '1000')], fx('0.3'), 2);
    expect(decision?.amount.toPlainString()).toBe('70.37'); // 234.567891 x 0.3 = 70.3703673
    expect(decision?.newMark.toPlainString()).toBe('1234.567891');
    expect(decision?.reason).toBe(
      's: sweeping 70.37 USDT, 0.3 of the new realised profit 234.567891 (realised 1234.567891 above the mark 1000) into its reserve.',
    );
  });

  it('sweeps nothing from losses or from profit still below the mark', () => {
    const [loss, below] = planProfitSweep([input('-50', '0'), input('800', '1000')], fx('0.5'), 6);
    expect(loss?.amount.isZero()).toBe(true);
    expect(loss?.newMark.toPlainString()).toBe('0');
    expect(below?.amount.isZero()).toBe(true);
    expect(below?.newMark.toPlainString()).toBe('1000');
    expect(below?.reason).toBe('s: realised PnL 800 is not above the swept mark 1000; nothing to sweep');
  });

  it('is limited by available cash and advances the mark only over what it covers', () => {
    const [decision] = planProfitSweep([input('1000', '0', '100')], fx('0.25'), 6);
    expect(decision?.amount.toPlainString()).toBe('100');
    expect(decision?.newMark.toPlainString()).toBe('400');
    const [next] = planProfitSweep([input('1000', '400', '1000')], fx('0.25'), 6);
    expect(next?.amount.toPlainString()).toBe('150');
    expect(next?.newMark.toPlainString()).toBe('1000');
  });

  it('keeps the mark when the amount rounds to nothing, so small profits accumulate', () => {
    const [decision] = planProfitSweep([input('0.03', '0')], fx('0.1'), 2);
    expect(decision?.amount.isZero()).toBe(true);
    expect(decision?.newMark.toPlainString()).toBe('0');
    expect(() => planProfitSweep([], fx('1.1'), 2)).toThrow('a sweep share must be within [0, 1], got 1.1');
  });
});
