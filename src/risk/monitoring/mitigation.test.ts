import { describe, expect, it } from 'vitest';
import { instrumentId } from '../../core/ids.js';
import { decideMitigation, decideRelease, type MitigationLimits } from './mitigation.js';
import { priceShockScenarios, runStress } from './stress.js';
import type { VarResult } from './var.js';

const equity = 10_000;
const varOf = (valueAtRisk: number, conditionalValueAtRisk = valueAtRisk * 1.2): VarResult => ({
  method: 'historical',
  confidence: 0.99,
  horizonPeriods: 1,
  valueAtRisk,
  conditionalValueAtRisk,
  observations: 250,
  grossExposure: 50_000,
  netExposure: 50_000,
});
const limits: MitigationLimits = { maxVarFraction: 0.1, haltVarFraction: 0.25, maxStressLossFraction: 0.2 };

describe('mitigation policy', () => {
  it('does nothing while VaR is within the limit, including exactly at it', () => {
    expect(decideMitigation({ state: 'ACTIVE', equity, limits, valueAtRisk: varOf(999) })).toEqual({ action: 'none', reason: 'Risk within limits (state ACTIVE).' });
    expect(decideMitigation({ state: 'ACTIVE', equity, limits, valueAtRisk: varOf(1000) }).action).toBe('none');
  });

  it('reduces proportionally to bring VaR back under the limit, quoting the numbers', () => {
    const decision = decideMitigation({ state: 'ACTIVE', equity, limits, valueAtRisk: varOf(1240), periodUnit: 'day' });
    expect(decision).toMatchObject({ action: 'reduce', to: 'REDUCING', trigger: 'var' });
    expect(decision.action === 'reduce' && decision.reduceGrossFraction).toBeCloseTo(1 - 0.1 / 0.124, 12);
    expect(decision.reason).toBe('99% 1-day VaR 1240 (12.4% of equity 10000) exceeds the 10% limit (1000): reduce gross exposure by 19.4%.');
  });

  it('prints a measure and its limit with the decimals that tell them apart, and the amounts', () => {
    const on = (valueAtRisk: number, maxVarFraction: number): string => decideMitigation({ state: 'ACTIVE', equity: 100_000, limits: { maxVarFraction }, valueAtRisk: varOf(valueAtRisk) }).reason;
    expect(on(204.9, 0.002)).toBe('99% 1-period VaR 204.9 (0.205% of equity 100000) exceeds the 0.2% limit (200): reduce gross exposure by 2.4%.');
    expect(on(167, 0.0001)).toBe('99% 1-period VaR 167 (0.17% of equity 100000) exceeds the 0.01% limit (10): reduce gross exposure by 94%.');
    expect(on(150.3, 0.0015)).toBe('99% 1-period VaR 150.3 (0.1503% of equity 100000) exceeds the 0.15% limit (150): reduce gross exposure by 0.2%.');
  });

  it('names the stress loss and its limit in amounts too', () => {
    const stress = runStress({ positions: [{ instrumentId: instrumentId('BYBIT:BTC/USDT:USDT'), value: 12_000, kind: 'perpetual' }], scenarios: priceShockScenarios([-0.2]) });
    expect(decideMitigation({ state: 'ACTIVE', equity, limits, stress }).reason).toBe(
      'Stress scenario "all prices −20%" loses 2400 (24% of equity 10000), beyond the 20% limit (2000): reduce gross exposure by 16.7%.',
    );
  });

  it('halts at the halt level', () => {
    const decision = decideMitigation({ state: 'ACTIVE', equity, limits, valueAtRisk: varOf(2500), periodUnit: 'day' });
    expect(decision).toEqual({ action: 'halt', to: 'HALTED', trigger: 'var', reason: '99% 1-day VaR 2500 (25% of equity 10000) reaches the 25% halt level (2500): halt trading.' });
  });

  it('takes the largest cut when several measures are breached', () => {
    const decision = decideMitigation({
      state: 'ACTIVE',
      equity,
      limits: { ...limits, maxCvarFraction: 0.12 },
      valueAtRisk: varOf(1100, 2000),
    });
    expect(decision.action).toBe('reduce');
    expect(decision.action === 'reduce' && decision.reduceGrossFraction).toBeCloseTo(1 - 0.12 / 0.2, 12);
    expect(decision.reason).toBe(
      '99% 1-period VaR 1100 (11% of equity 10000) exceeds the 10% limit (1000); 99% 1-period CVaR 2000 (20% of equity 10000) exceeds the 12% limit (1200): reduce gross exposure by 40%.',
    );
  });

  it('never loosens a stricter current state', () => {
    const halted = decideMitigation({ state: 'HALTED', equity, limits, valueAtRisk: varOf(1240) });
    expect(halted.action).toBe('none');
    expect(halted.reason).toMatch(/already HALTED/);
    const lenient = decideMitigation({ state: 'HALTED', equity, limits: { ...limits, breachAction: { HALTED: 'reduce' } }, valueAtRisk: varOf(1240) });
    expect(lenient.action).toBe('none');
    expect(lenient.reason).toMatch(/stays HALTED, which is stricter than reducing/);
    expect(decideMitigation({ state: 'HALTED', equity, limits, valueAtRisk: varOf(3000) }).reason).toMatch(/already HALTED/);
    const reducing = decideMitigation({ state: 'REDUCING', equity, limits, valueAtRisk: varOf(1240) });
    expect(reducing).toMatchObject({ action: 'reduce', to: 'REDUCING' });
  });

  it('follows the per-state action: a breach that persists while REDUCING halts', () => {
    const ladder = { ...limits, breachAction: { ACTIVE: 'reduce', REDUCING: 'halt' } } as const;
    expect(decideMitigation({ state: 'ACTIVE', equity, limits: ladder, valueAtRisk: varOf(1240) }).action).toBe('reduce');
    expect(decideMitigation({ state: 'REDUCING', equity, limits: ladder, valueAtRisk: varOf(1240) })).toMatchObject({ action: 'halt', trigger: 'var' });
  });

  it('reduces on a stress loss beyond the limit and on a maintenance-margin breach', () => {
    const perp = instrumentId('BYBIT:BTC/USDT:USDT');
    const stress = runStress({
      positions: [{ instrumentId: perp, value: 12_000, kind: 'perpetual' }],
      margin: { equity: 2_000, maintenanceRate: 0.05 },
      scenarios: priceShockScenarios([-0.1, -0.2]),
    });
    // −20%: loss 2400 = 24% of 10 000 equity > 20% → cut 1 − 0.2/0.24 = 16.7% (no margin account: spot-like check).
    const withoutMargin = runStress({ positions: [{ instrumentId: perp, value: 12_000, kind: 'perpetual' }], scenarios: priceShockScenarios([-0.1, -0.2]) });
    const byLoss = decideMitigation({ state: 'ACTIVE', equity, limits, stress: withoutMargin });
    expect(byLoss).toMatchObject({ action: 'reduce', trigger: 'stress-loss' });
    expect(byLoss.action === 'reduce' && byLoss.reduceGrossFraction).toBeCloseTo(1 - 0.2 / 0.24, 12);
    // On 2 000 equity the −20% shock leaves −400 against maintenance 480: cut f = 1 − E/(M − P) = 1 − 2000/2880.
    const byMargin = decideMitigation({ state: 'ACTIVE', equity: 2_000, limits: {}, stress });
    expect(byMargin).toMatchObject({ action: 'reduce', trigger: 'margin' });
    expect(byMargin.action === 'reduce' && byMargin.reduceGrossFraction).toBeCloseTo(1 - 2000 / 2880, 12);
    expect(byMargin.reason).toBe(
      'Stress scenario "all prices −20%" leaves equity -400 below maintenance margin 480: reduce gross exposure by 30.6%.',
    );
  });

  it('halts when equity is gone with positions open, and rejects nonsense limits', () => {
    expect(decideMitigation({ state: 'ACTIVE', equity: 0, limits, valueAtRisk: varOf(10) })).toMatchObject({ action: 'halt', trigger: 'equity' });
    expect(() => decideMitigation({ state: 'ACTIVE', equity, limits: { maxVarFraction: -1 } })).toThrow(/maxVarFraction must be a positive fraction/);
  });
});

describe('the release level', () => {
  const banded: MitigationLimits = { ...limits, releaseFraction: 0.9 };

  it('is where a cut aims: the cut brings the measure to the release fraction of its limit, not to the limit', () => {
    const decision = decideMitigation({ state: 'ACTIVE', equity, limits: banded, valueAtRisk: varOf(1240), periodUnit: 'day' });
    expect(decision.action === 'reduce' && decision.reduceGrossFraction).toBeCloseTo(1 - (0.9 * 0.1) / 0.124, 12);
    expect(decision.reason).toBe('99% 1-day VaR 1240 (12.4% of equity 10000) exceeds the 10% limit (1000): reduce gross exposure by 27.4% (to 90% of the limit, its release level).');
  });

  it('lifts only once every limited measure is at or below it, saying how far below', () => {
    const stress = runStress({ positions: [{ instrumentId: instrumentId('BYBIT:BTC/USDT:USDT'), value: 8_000, kind: 'perpetual' }], scenarios: priceShockScenarios([-0.2]) });
    // VaR 950 is within its 1000 limit but above its 900 release level: REDUCING holds.
    expect(decideRelease({ state: 'REDUCING', equity, limits: banded, valueAtRisk: varOf(950), stress })).toEqual({
      released: false,
      reason: 'VaR 950 is above its release level 900 (90% of the 10% limit)',
    });
    expect(decideRelease({ state: 'REDUCING', equity, limits: banded, valueAtRisk: varOf(880, 1000), stress })).toEqual({
      released: true,
      reason:
        'every measure is at or below its release level: VaR 880, 20 below its release level 900 (90% of the 10% limit); CVaR 1000; worst stress loss 1600, 200 below its release level 1800 (90% of the 20% limit) on equity 10000',
    });
    // At the limit itself when no fraction is given.
    expect(decideRelease({ state: 'REDUCING', equity, limits, valueAtRisk: varOf(1000) }).released).toBe(true);
  });

  it('is never assumed while VaR is not measured and a VaR limit is set', () => {
    expect(decideRelease({ state: 'REDUCING', equity, limits: banded, varNotMeasured: 'X has 3 bar returns; 30 are needed' })).toEqual({
      released: false,
      reason: 'VaR and CVaR are not measured, so nothing says their limits are met (X has 3 bar returns; 30 are needed)',
    });
  });

  it('refuses a release fraction outside (0, 1]', () => {
    expect(() => decideRelease({ state: 'REDUCING', equity, limits: { releaseFraction: 0 } })).toThrow(/releaseFraction must be above 0 and at most 1, got 0/);
    expect(() => decideMitigation({ state: 'ACTIVE', equity, limits: { releaseFraction: 1.2 } })).toThrow(/releaseFraction must be above 0 and at most 1, got 1.2/);
  });
});
