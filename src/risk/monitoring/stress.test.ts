import { describe, expect, it } from 'vitest';
import { instrumentId } from '../../core/ids.js';
import { priceShockScenarios, runStress, volatilitySpikeScenarios, type StressPosition } from './stress.js';

const BTC_PERP = instrumentId('BYBIT:BTC/USDT:USDT');
const ETH = instrumentId('BINANCE:ETH/USDT');

// Long perpetual worth 10 000 and long spot worth 2 000 in one account with equity 2 000, maintenance 5%.
const positions: StressPosition[] = [
  { instrumentId: BTC_PERP, value: 10_000, kind: 'perpetual' },
  { instrumentId: ETH, value: 2_000, kind: 'spot' },
];
const margin = { equity: 2_000, maintenanceRate: 0.05 };

describe('price shocks', () => {
  const report = runStress({ positions, margin, scenarios: [...priceShockScenarios([-0.1, -0.2, 0.15]), { name: 'BTC −10% only', priceShocks: [{ instrumentId: BTC_PERP, change: -0.1 }] }] });

  it('gives P&L = value × shock per instrument and in total', () => {
    expect(report.results.map((r) => r.name)).toEqual(['all prices −10%', 'all prices −20%', 'all prices +15%', 'BTC −10% only']);
    expect(report.results.map((r) => Math.round(r.pnl * 1e6) / 1e6)).toEqual([-1200, -2400, 1800, -1000]);
    expect(report.results[3]!.pnlByInstrument.map((entry) => [entry.instrumentId, entry.pnl + 0])).toEqual([
      [BTC_PERP, -1000],
      [ETH, 0],
    ]);
  });

  it('picks the scenario that loses most as the worst', () => {
    expect(report.worst?.name).toBe('all prices −20%');
  });

  it('reports whether a shock pushes equity below the perpetual’s maintenance margin', () => {
    // −10%: equity 2000 − 1200 = 800, maintenance 9000 × 5% = 450: safe.
    expect(report.results[0]!.margin).toMatchObject({ equityAfter: 800, maintenanceBefore: 500, breached: false });
    expect(report.results[0]!.margin!.maintenanceAfter).toBeCloseTo(450, 9);
    // −20%: equity 2000 − 2400 = −400, maintenance 8000 × 5% = 400: breached by 800.
    const crash = report.results[1]!;
    expect(crash.margin!.breached).toBe(true);
    expect(crash.margin!.bufferAfter).toBeCloseTo(-800, 9);
    expect(report.marginBreaches.map((r) => r.name)).toEqual(['all prices −20%']);
    expect(crash.summary).toBe('Scenario "all prices −20%": P&L -2400; equity -400 falls below maintenance margin 400.');
  });

  it('lets an instrument’s own shock override the all-instrument shock', () => {
    const mixed = runStress({ positions, scenarios: [{ name: 'mixed', priceShocks: [{ change: -0.1 }, { instrumentId: ETH, change: 0.05 }] }] });
    expect(mixed.results[0]!.pnl).toBeCloseTo(-1000 + 100, 9);
    expect(mixed.results[0]!.margin).toBeUndefined();
  });

  it('has no worst scenario and no margin effect when nothing loses and nothing is perpetual', () => {
    const spotOnly = runStress({ positions: [positions[1]!], margin, scenarios: priceShockScenarios([0.1]) });
    expect(spotOnly.worst).toBeUndefined();
    expect(spotOnly.results[0]!.margin).toBeUndefined();
  });

  it('rejects impossible shocks and duplicate entries', () => {
    expect(() => runStress({ positions, scenarios: priceShockScenarios([-1.5]) })).toThrow(/at least −100%/);
    expect(() => runStress({ positions, scenarios: [{ name: 'twice', priceShocks: [{ change: -0.1 }, { change: -0.2 }] }] })).toThrow(
      'Scenario "twice" has two price shocks for all instruments.',
    );
  });
});

describe('volatility spikes', () => {
  // Same book as the parametric VaR example: σ_p² = (1000²·0.0004 + 500²·0.0008 + 2·1000·500·0.0004)/3 = 1000/3.
  const book: StressPosition[] = [
    { instrumentId: BTC_PERP, value: 1000, kind: 'perpetual' },
    { instrumentId: ETH, value: 500, kind: 'spot' },
  ];
  const volatility = {
    confidence: 0.99,
    minObservations: 4,
    histories: [
      { instrumentId: BTC_PERP, returns: [0.01, -0.01, 0.01, -0.01] },
      { instrumentId: ETH, returns: [0.02, 0, 0, -0.02] },
    ],
  };
  const z99 = 2.3263478740408408;
  const sigma = Math.sqrt(1000 / 3);

  it('scales σ by k and recomputes parametric VaR', () => {
    const report = runStress({ positions: book, volatility, scenarios: volatilitySpikeScenarios([2, 3]) });
    expect(report.baselineVar!.valueAtRisk).toBeCloseTo(z99 * sigma, 9);
    expect(report.results[0]!.name).toBe('volatility ×2');
    expect(report.results[0]!.pnl).toBe(0);
    expect(report.results[0]!.stressedVar!.valueAtRisk).toBeCloseTo(2 * z99 * sigma, 9);
    expect(report.results[1]!.stressedVar!.portfolioSigma).toBeCloseTo(3 * sigma, 9);
  });

  it('spikes one instrument keeping correlations: σ² = (4·400 + 200 + 2·2·400)/3', () => {
    const report = runStress({ positions: book, volatility, scenarios: [{ name: 'BTC vol ×2', volatilitySpikes: [{ instrumentId: BTC_PERP, multiplier: 2 }] }] });
    expect(report.results[0]!.stressedVar!.portfolioSigma).toBeCloseTo(Math.sqrt(2600 / 3), 9);
  });

  it('combines a price shock with a spike: VaR on shocked values with spiked σ', () => {
    const report = runStress({
      positions: book,
      volatility,
      scenarios: [{ name: 'crash', priceShocks: [{ change: -0.1 }], volatilitySpikes: [{ multiplier: 2 }] }],
    });
    const crash = report.results[0]!;
    expect(crash.pnl).toBeCloseTo(-150, 9);
    expect(crash.stressedVar!.valueAtRisk).toBeCloseTo(z99 * 0.9 * 2 * sigma, 9);
    expect(crash.summary).toBe('Scenario "crash": P&L -150; stressed 99% VaR 76.45.');
  });

  it('follows the VaR method: historical, the spiked returns replayed on the shocked positions', () => {
    const historical = { ...volatility, method: 'historical' as const, confidence: 0.75 };
    const report = runStress({ positions: book, volatility: historical, scenarios: [...volatilitySpikeScenarios([2]), { name: 'crash', priceShocks: [{ change: -0.1 }], volatilitySpikes: [{ multiplier: 2 }] }] });
    // P&L per period 1000·r_BTC + 500·r_ETH = 20, −10, 10, −20: the 75% historical VaR is the 3rd of 4 losses, 10.
    expect(report.baselineVar).toMatchObject({ method: 'historical', valueAtRisk: 10, conditionalValueAtRisk: 20 });
    expect(report.results[0]!.stressedVar).toMatchObject({ method: 'historical', valueAtRisk: 20, conditionalValueAtRisk: 40 });
    expect(report.results[1]!.stressedVar!.valueAtRisk).toBeCloseTo(18, 9);
    expect(report.results[0]!.summary).toBe('Scenario "volatility ×2": P&L 0; stressed 75% historical VaR 20.');
  });

  it('refuses a spike without return histories', () => {
    expect(() => runStress({ positions: book, scenarios: volatilitySpikeScenarios([2]) })).toThrow(/spikes volatility but no return histories/);
  });
});
