import { describe, expect, it } from 'vitest';
import { fx } from '../../core/fixed.js';
import { instrumentId } from '../../core/ids.js';
import { defineInstrument } from '../../domain/instrument.js';
import { empiricalTail, exposureOf, historicalPnl, historicalVar, parametricVar, alignPortfolio, sampleCovariance } from './var.js';

const BTC = instrumentId('BINANCE:BTC/USDT');
const ETH = instrumentId('BINANCE:ETH/USDT');

// Long 1000 of BTC, short 500 of ETH. Scenario P&L = 1000·r_BTC − 500·r_ETH:
//   t:    0    1    2    3    4    5    6    7    8    9
//   P&L:  0  −15  +25  −10  +10  +15  −35   −5  −30  +15
// Losses sorted ascending: −25 −15 −15 −10 0 5 10 15 30 35.
const btcReturns = [0.01, -0.02, 0.03, -0.01, 0.0, 0.02, -0.04, 0.01, -0.03, 0.02];
const ethReturns = [0.02, -0.01, 0.01, 0.0, -0.02, 0.01, -0.01, 0.03, 0.0, 0.01];
const longShort = {
  exposures: [
    { instrumentId: BTC, value: 1000 },
    { instrumentId: ETH, value: -500 },
  ],
  histories: [
    { instrumentId: BTC, returns: btcReturns },
    { instrumentId: ETH, returns: ethReturns },
  ],
  minObservations: 10,
};

describe('historical VaR', () => {
  it('reports a loss, never a negative VaR: a long through a window that only rose has VaR and CVaR 0', () => {
    const rising = { exposures: [{ instrumentId: BTC, value: 1000 }], histories: [{ instrumentId: BTC, returns: [0.01, 0.02, 0.03, 0.01] }], confidence: 0.5, minObservations: 4 };
    const result = historicalVar(rising);
    expect(result.valueAtRisk).toBe(0);
    expect(result.conditionalValueAtRisk).toBe(0);
  });

  it('prices each historical period on today’s positions', () => {
    const pnl = historicalPnl(alignPortfolio(longShort.exposures, longShort.histories, 10));
    expect(pnl.map((value) => Math.round(value * 1e9) / 1e9)).toEqual([0, -15, 25, -10, 10, 15, -35, -5, -30, 15]);
  });

  it('takes the ⌈n·α⌉-th smallest loss as VaR and the mean of the losses beyond it as CVaR', () => {
    // α = 0.9: k = 9 → VaR = 30; one loss beyond (35) fills the 10% tail exactly.
    const at90 = historicalVar({ ...longShort, confidence: 0.9 });
    expect(at90.valueAtRisk).toBeCloseTo(30, 9);
    expect(at90.conditionalValueAtRisk).toBeCloseTo(35, 9);
    expect(at90.observations).toBe(10);
    expect(at90.grossExposure).toBe(1500);
    expect(at90.netExposure).toBe(500);
    // α = 0.8: k = 8 → VaR = 15; CVaR = (30 + 35) / 2.
    const at80 = historicalVar({ ...longShort, confidence: 0.8 });
    expect(at80.valueAtRisk).toBeCloseTo(15, 9);
    expect(at80.conditionalValueAtRisk).toBeCloseTo(32.5, 9);
  });

  it('weights VaR into CVaR when the tail is not a whole number of scenarios', () => {
    // α = 0.85: n·α = 8.5 → k = 9 → VaR = 30; tail weight 1.5 = 35 (weight 1) + VaR (weight 0.5).
    const at85 = historicalVar({ ...longShort, confidence: 0.85 });
    expect(at85.valueAtRisk).toBeCloseTo(30, 9);
    expect(at85.conditionalValueAtRisk).toBeCloseTo((35 + 30 * 0.5) / 1.5, 9);
    // α = 0.95 on 10 scenarios: only the worst loss is left, so VaR = CVaR = 35.
    const at95 = historicalVar({ ...longShort, confidence: 0.95 });
    expect(at95.valueAtRisk).toBeCloseTo(35, 9);
    expect(at95.conditionalValueAtRisk).toBeCloseTo(35, 9);
  });

  it('does not round n·α up past a whole number', () => {
    const losses = Array.from({ length: 100 }, (_, i) => i + 1);
    // 100 × 0.95 is 95.00000000000001 in floats; the 95th loss is VaR, the mean of 96..100 is CVaR.
    expect(empiricalTail(losses, 0.95)).toEqual({ valueAtRisk: 95, conditionalValueAtRisk: 98 });
  });

  it('scales by √horizon', () => {
    const fourPeriods = historicalVar({ ...longShort, confidence: 0.9, horizonPeriods: 4 });
    expect(fourPeriods.valueAtRisk).toBeCloseTo(60, 9);
    expect(fourPeriods.conditionalValueAtRisk).toBeCloseTo(70, 9);
    expect(fourPeriods.horizonPeriods).toBe(4);
  });

  it('uses the common most-recent tail when histories differ in length', () => {
    const longer = { ...longShort, histories: [{ instrumentId: BTC, returns: [0.5, -0.5, ...btcReturns] }, longShort.histories[1]!] };
    const result = historicalVar({ ...longer, confidence: 0.9 });
    expect(result.observations).toBe(10);
    expect(result.valueAtRisk).toBeCloseTo(30, 9);
  });
});

describe('parametric VaR', () => {
  // r_BTC = [0.01, −0.01, 0.01, −0.01], r_ETH = [0.02, 0, 0, −0.02], both mean 0.
  // var_BTC = 4·0.0001/3, var_ETH = 2·0.0004/3, cov = (0.0002 + 0.0002)/3.
  // With v = (1000, 500): σ_p² = (1000²·0.0004 + 500²·0.0008 + 2·1000·500·0.0004)/3 = (400 + 200 + 400)/3 = 1000/3.
  const request = {
    exposures: [
      { instrumentId: BTC, value: 1000 },
      { instrumentId: ETH, value: 500 },
    ],
    histories: [
      { instrumentId: BTC, returns: [0.01, -0.01, 0.01, -0.01] },
      { instrumentId: ETH, returns: [0.02, 0, 0, -0.02] },
    ],
    minObservations: 4,
  };
  const sigma = Math.sqrt(1000 / 3);

  it('computes the sample covariance with an n − 1 denominator', () => {
    const covariance = sampleCovariance(request.histories.map((h) => h.returns));
    expect(covariance[0]![0]).toBeCloseTo(0.0004 / 3, 15);
    expect(covariance[1]![1]).toBeCloseTo(0.0008 / 3, 15);
    expect(covariance[0]![1]).toBeCloseTo(0.0004 / 3, 15);
  });

  it('gives VaR = z·σ_p and CVaR = φ(z)/(1 − α)·σ_p', () => {
    const at99 = parametricVar({ ...request, confidence: 0.99 });
    expect(at99.portfolioSigma).toBeCloseTo(18.257418583505537, 10);
    expect(at99.valueAtRisk).toBeCloseTo(2.3263478740408408 * sigma, 9);
    expect(at99.conditionalValueAtRisk).toBeCloseTo(48.659931635564774, 8);
    const at95 = parametricVar({ ...request, confidence: 0.95 });
    expect(at95.valueAtRisk).toBeCloseTo(30.030781175850294, 9);
    expect(at95.conditionalValueAtRisk).toBeCloseTo(37.65981114422099, 8);
  });

  it('scales σ_p by √horizon', () => {
    const tenDays = parametricVar({ ...request, confidence: 0.99, horizonPeriods: 10 });
    expect(tenDays.valueAtRisk).toBeCloseTo(2.3263478740408408 * sigma * Math.sqrt(10), 8);
  });
});

describe('VaR inputs', () => {
  it('reports zero risk for a flat book without needing histories', () => {
    const flat = parametricVar({ exposures: [{ instrumentId: BTC, value: 0 }], histories: [], confidence: 0.99 });
    expect(flat).toMatchObject({ valueAtRisk: 0, conditionalValueAtRisk: 0, observations: 0, grossExposure: 0 });
    expect(historicalVar({ exposures: [], histories: [], confidence: 0.99 }).valueAtRisk).toBe(0);
  });

  it('names the instrument and the lengths when history is too short', () => {
    expect(() => historicalVar({ ...longShort, minObservations: 30, confidence: 0.99 })).toThrow(
      'Return history of BINANCE:BTC/USDT has 10 observations; at least 30 are needed.',
    );
  });

  it('names an exposed instrument with no history', () => {
    expect(() => parametricVar({ ...longShort, histories: [longShort.histories[0]!], confidence: 0.99 })).toThrow(
      /No return history for BINANCE:ETH\/USDT/,
    );
  });

  it('rejects confidence outside (0, 1) and non-finite returns', () => {
    expect(() => historicalVar({ ...longShort, confidence: 99 })).toThrow(/strictly between 0 and 1/);
    const broken = [{ instrumentId: BTC, returns: [...btcReturns.slice(0, 9), Number.NaN] }, longShort.histories[1]!];
    expect(() => historicalVar({ ...longShort, histories: broken, confidence: 0.9 })).toThrow(/Return 9 of BINANCE:BTC\/USDT/);
  });

  it('values a position from fixed-point quantity and mark', () => {
    const perp = defineInstrument({ id: 'BYBIT:BTC/USDT:USDT', kind: 'perpetual', tickSize: '0.1', lotSize: '0.001', contractSize: '0.01' });
    expect(exposureOf(perp, fx('-3'), fx('60000')).value).toBe(-1800);
  });
});
