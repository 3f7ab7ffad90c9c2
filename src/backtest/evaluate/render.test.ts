import { describe, expect, it } from 'vitest';
import { renderEvaluation } from './render.js';
import type { EvaluationReport, RunMetrics } from './report.js';

const point = (mean: number, low: number | null = mean, high: number | null = mean) => ({ mean, low, high, units: 2 });
const summary = (r: number) => ({ totalReturn: point(r, r - 0.01, r + 0.02), sharpe: point(1.5, -0.25, 3), maxDrawdown: point(0.05), trades: point(12, 10, 14), fees: point(1234.5), turnover: point(r === 0 ? 250_400 : 240_000, 200_000, 300_000.4) });
const metrics: RunMetrics = { totalReturn: 0.01, sharpe: 1, maxDrawdown: 0.02, trades: 12, fees: 10, turnover: 20_000 };

const REPORT: EvaluationReport = {
  schema: 'conclave.evaluate/2',
  desk: 'demo',
  seeds: [1, 2],
  periods: 1,
  marketVariesBySeed: true,
  intervals: { method: 'student-t', level: 0.9, unit: 'run', units: 2 },
  baselines: { 'buy-and-hold': 'bh', random: 'random' },
  contenders: { desk: summary(0.03), 'buy-and-hold': summary(-0.02), random: summary(0) },
  comparisons: [
    { baseline: 'buy-and-hold', returnDifference: point(0.05, 0.01, 0.09), deskWins: 2, runs: 2, unit: 'run', deskWinShare: 1 },
    { baseline: 'random', returnDifference: point(0.03, -0.01, 0.07), deskWins: 1, runs: 2, unit: 'run', deskWinShare: 0.5 },
  ],
  runs: [
    { seed: 1, period: 1, startTs: Date.UTC(2024, 0, 1), endTs: Date.UTC(2024, 1, 1), bars: 100, desk: metrics, 'buy-and-hold': metrics, random: { ...metrics, turnover: 20_600, calibration: [{ book: 'trend', analysts: ['sma'], switchProbability: 0.02, deskTurnover: 12_000, turnover: 12_400 }, { book: 'meanrev', analysts: ['bb'], switchProbability: 0.004, deskTurnover: 8_000, turnover: 8_200 }], convictions: { bb: 0.625, sma: 1 }, shorting: [] } },
    { seed: 2, period: 1, startTs: Date.UTC(2024, 0, 1), endTs: Date.UTC(2024, 1, 1), bars: 100, desk: metrics, 'buy-and-hold': metrics, random: { ...metrics, turnover: 26_000, calibration: [{ book: 'trend', analysts: ['sma'], switchProbability: 0.035, deskTurnover: 12_000, turnover: 16_000 }, { book: 'meanrev', analysts: ['bb'], switchProbability: 0.004, deskTurnover: 8_000, turnover: 10_000 }], convictions: { bb: 0.7, sma: 1 }, shorting: [] } },
  ],
};

describe('renderEvaluation', () => {
  it('prints one aligned row per contender with means and intervals (turnover too), then the desk against each baseline and how closely the random agent matched its turnover', () => {
    expect(renderEvaluation(REPORT).split('\n')).toEqual([
      'Evaluation: demo',
      '  2 seeds (1-2) x 1 period = 2 runs, a new synthetic market per seed, 2024-01-01 to 2024-02-01',
      '  means over the runs, with 90% Student-t intervals [low, high] over 2 independent runs',
      '  Note: only 2 independent units: the intervals are wide, and rest on their means being near normal; more seeds or periods narrow them',
      '',
      '                 total return              Sharpe               max drawdown           trades              fees                            turnover',
      '  desk           +3.00% [+2.00%, +5.00%]   1.50 [-0.25, 3.00]   5.00% [5.00%, 5.00%]   12.0 [10.0, 14.0]   1,234.50 [1,234.50, 1,234.50]   240,000.00 [200,000.00, 300,000.40]',
      '  buy-and-hold   -2.00% [-3.00%, 0.00%]    1.50 [-0.25, 3.00]   5.00% [5.00%, 5.00%]   12.0 [10.0, 14.0]   1,234.50 [1,234.50, 1,234.50]   240,000.00 [200,000.00, 300,000.40]',
      '  random         0.00% [-1.00%, +2.00%]    1.50 [-0.25, 3.00]   5.00% [5.00%, 5.00%]   12.0 [10.0, 14.0]   1,234.50 [1,234.50, 1,234.50]   250,400.00 [200,000.00, 300,000.40]',
      '',
      '  desk vs buy-and-hold: return difference +5.00% [+1.00%, +9.00%], desk ahead in 2 of 2 runs (100%)',
      '  desk vs random:       return difference +3.00% [-1.00%, +7.00%], desk ahead in 1 of 2 runs (50%)',
      '',
      "  random agent: switching probability per bar, calibrated per run to the desk's traded notional in each book: trend (sma) 0.0200 to 0.0350; meanrev (bb) 0.0040",
      "  random agent's turnover per run: 1.03x to 1.30x the desk's",
      "  Warning: the random agent's turnover is more than 10% off the desk's in 1 of 2 runs (1.30x), so its fees and exposure there are not the desk's: read the comparison with the random agent with care",
      "  conviction per analyst (its mean over the views that opened positions on the desk's run): bb 0.63 to 0.70, sma 1.00",
    ]);
  });

  it('prints n/a for the intervals of a single period of file data, and says why', () => {
    const one = point(0.03, null, null);
    const single: EvaluationReport = {
      ...REPORT,
      periods: 1,
      marketVariesBySeed: false,
      intervals: { method: 'student-t', level: 0.95, unit: 'period', units: 1 },
      contenders: { ...REPORT.contenders, desk: { ...REPORT.contenders.desk, totalReturn: one } },
      comparisons: [{ baseline: 'random', returnDifference: one, deskWins: 1, runs: 2, unit: 'run', deskWinShare: 0.5 }],
    };
    const lines = renderEvaluation(single).split('\n');
    expect(lines[2]).toBe('  means over the runs; no intervals: the runs are 1 period (the seeds of a period share its market and count once), one observation of the market says nothing of its spread (use more periods)');
    expect(lines.find((line) => line.startsWith('  desk '))).toMatch(/^ {2}desk {11}\+3\.00% \[n\/a\] /);
    expect(lines).toContain('  desk vs random:       return difference +3.00% [n/a], desk ahead in 1 of 2 runs (50%)');
  });

  it('prints a turnover under one unit of the quote currency (a desk valued in BTC) to three significant digits, not as 0', () => {
    const small = { ...REPORT.contenders.desk, turnover: point(0.234, 0.22, 0.248) };
    const lines = renderEvaluation({ ...REPORT, contenders: { ...REPORT.contenders, desk: small } }).split('\n');
    expect(lines.find((line) => line.startsWith('  desk '))?.endsWith('0.234 [0.220, 0.248]')).toBe(true);
  });
});
