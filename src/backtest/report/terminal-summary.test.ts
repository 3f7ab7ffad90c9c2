import { describe, expect, it } from 'vitest';
import type { BacktestMetrics, BacktestResult } from '../result.js';
import { renderTerminalSummary } from './terminal-summary.js';

const metrics: BacktestMetrics = {
  totalReturn: 0.1234,
  annualisedReturn: 0.2611,
  volatility: 0.345,
  sharpe: 1.2345,
  sortino: 1.8,
  calmar: 2.9,
  maxDrawdown: 0.0823,
  maxDrawdownDurationMs: (12 * 24 + 4) * 3_600_000,
  winRate: 0.545,
  profitFactor: Number.POSITIVE_INFINITY,
  expectancy: 12.3,
  averageWin: 40.5,
  averageLoss: -21.25,
  exposure: 0.456,
  turnover: 12.34,
  feesPaid: 123.45,
  fundingPaid: -6.5,
  trades: 123,
  buyAndHoldReturn: 0.0821,
  sharpeConfidence: { low: 0.45, high: 2.01, level: 0.9 },
  deflatedSharpe: 0.8765,
  trials: 50,
};

const result: BacktestResult = {
  schema: 'conclave.backtest/1',
  strategy: 'sma-cross',
  params: { slow: 30, fast: 10 },
  instruments: ['BINANCE:BTC/USDT'],
  timeframeMs: 60_000,
  startTs: Date.UTC(2024, 0, 1),
  endTs: Date.UTC(2024, 5, 30, 23, 59),
  bars: 260_640,
  barsByInstrument: [{ instrument: 'BINANCE:BTC/USDT', timeframeMs: 60_000, bars: 260_640 }],
  initialCash: 10_000,
  finalCash: 11_234,
  finalEquity: 11_234,
  fills: [],
  trades: [],
  metrics,
  fingerprint: '0123456789abcdef'.repeat(4),
  timing: { loadMs: 210, engineMs: 1450 },
  denials: { total: 0, reasons: [] },
  rejections: { total: 0, reasons: [] },
  warnings: [],
  equityCurve: { ts: [], equity: [], points: 0 },
};

/** The value printed after a label on its line (metric rows may sit two abreast). */
function valueAfter(text: string, label: string): string {
  const line = text.split('\n').find((l) => l.includes(`  ${label}  `)) ?? '';
  const rest = line.slice(line.indexOf(label) + label.length);
  return rest.trimStart().split(/\s{2,}/)[0] ?? '';
}

describe('renderTerminalSummary', () => {
  const text = renderTerminalSummary(result);

  it('shows the run: strategy, params, period, bars, equity and the fingerprint', () => {
    expect(text).toContain('Backtest: sma-cross');
    expect(text).toMatch(/Parameters\s+fast=10 slow=30/);
    expect(text).toMatch(/Instruments\s+BINANCE:BTC\/USDT/);
    expect(text).toContain('2024-01-01 00:00 → 2024-06-30 23:59 UTC (181d 23h)');
    expect(text).toMatch(/Bars\s+260,640 × 1m/);
    expect(text).toMatch(/Equity\s+10,000\.00 → 11,234\.00 \(\+12\.34%\)/);
    expect(text).toMatch(/Fingerprint\s+0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef/);
  });

  it('counts the bars per instrument: one timeframe and count times the instruments, or each on its own', () => {
    const pair = renderTerminalSummary({
      ...result,
      instruments: ['FILE:ETH/BTC', 'FILE:LTC/BTC'],
      bars: 11_520,
      barsByInstrument: ['FILE:ETH/BTC', 'FILE:LTC/BTC'].map((instrument) => ({ instrument, timeframeMs: 300_000, bars: 5_760 })),
    });
    expect(pair).toMatch(/Bars\s+5,760 × 5m × 2 instruments\n/);
    // Buy and hold is the first instrument's move, and says so when there are several.
    expect(pair).toMatch(/Buy and hold\s+\+8\.21% on FILE:ETH\/BTC \(strategy ahead by 4\.13 pp\)/);
    const mixed = renderTerminalSummary({
      ...result,
      bars: 3_175,
      barsByInstrument: [
        { instrument: 'FILE:XRP/ETH', timeframeMs: 60_000, bars: 2_469 },
        { instrument: 'FILE:XRP5/ETH', timeframeMs: 300_000, bars: 706 },
      ],
    });
    expect(mixed).toMatch(/Bars\s+FILE:XRP\/ETH 2,469 × 1m, FILE:XRP5\/ETH 706 × 5m\n/);
  });

  it('compares with buy and hold and shows trades and costs', () => {
    expect(text).toMatch(/Buy and hold\s+\+8\.21% \(strategy ahead by 4\.13 pp\)/);
    expect(text).toMatch(/Trades\s+123 trades, 0 fills, fees 123\.45, funding -6\.50/);
  });

  it('says how many trades were still open at the end', () => {
    const trade = { instrument: 'BINANCE:BTC/USDT', direction: 'long' as const, entryTs: 0, exitTs: 60_000, qty: 1, entryPrice: 100, exitPrice: 101, pnl: 1, fees: 0, returnPct: 0.01, bars: 1 };
    const open = renderTerminalSummary({ ...result, trades: [trade, { ...trade, open: true }] });
    expect(open).toMatch(/Trades\s+123 trades \(1 still open at the end, valued at the last close\), 0\s+fills/);
  });

  it('lists the key metrics', () => {
    expect(valueAfter(text, 'Total return')).toBe('+12.34%');
    expect(valueAfter(text, 'Annualised return')).toBe('+26.11%');
    expect(valueAfter(text, 'Volatility')).toBe('34.50%');
    expect(valueAfter(text, 'Max drawdown')).toBe('-8.23%');
    expect(valueAfter(text, 'Drawdown duration')).toBe('12d 4h');
    expect(valueAfter(text, 'Sharpe')).toBe('1.23');
    expect(valueAfter(text, 'Sharpe 90% CI')).toBe('[0.45, 2.01]');
    expect(valueAfter(text, 'Deflated Sharpe')).toBe('0.877');
    expect(valueAfter(text, 'Trials')).toBe('50');
    expect(valueAfter(text, 'Win rate')).toBe('54.5%');
    expect(valueAfter(text, 'Profit factor')).toBe('∞');
    expect(valueAfter(text, 'Average loss')).toBe('-21.25');
    expect(valueAfter(text, 'Turnover')).toBe('12.34×');
  });

  it('right-aligns the values of a block in one column', () => {
    const lines = text.split('\n');
    const ends = ['Total return', 'Annualised return', 'Volatility', 'Max drawdown'].map((label) => {
      const line = lines.find((l) => l.startsWith(`  ${label}`)) ?? '';
      const value = valueAfter(text, label);
      return line.indexOf(value) + value.length;
    });
    expect(new Set(ends).size).toBe(1);
  });

  it('fits the width: two blocks abreast at 80 columns, one at 50', () => {
    for (const width of [80, 50]) {
      const summary = renderTerminalSummary(result, { width });
      for (const line of summary.split('\n')) expect(line.length).toBeLessThanOrEqual(width);
    }
    expect(text).toMatch(/^Returns\s+Risk-adjusted$/m);
    expect(renderTerminalSummary(result, { width: 50 })).toMatch(/^Risk-adjusted$/m);
  });

  it('uses ANSI colour only when asked', () => {
    expect(text).not.toContain('\u001b[');
    const coloured = renderTerminalSummary(result, { color: true });
    expect(coloured).toContain('\u001b[32m'); // positive values in green
    expect(coloured).toContain('\u001b[31m'); // the drawdown in red
    const stripped = coloured
      .split('\u001b[')
      .map((part, i) => (i === 0 ? part : part.replace(/^\d+m/, '')))
      .join('');
    expect(stripped).toBe(text);
  });

  it('says why orders were refused when there were denials, and nothing when there were none', () => {
    expect(text).not.toContain('Denied');
    const denied = renderTerminalSummary({
      ...result,
      denials: {
        total: 12,
        reasons: [
          { code: 'insufficient_funds', count: 10, example: 'The books refuse the order: cash 5 < 100.' },
          { code: 'below_min_quantity', count: 2, example: 'Quantity 0 is below the minimum 0.01.' },
        ],
      },
    });
    // Long values wrap onto indented lines under their label: compare with the white space folded.
    expect(denied.replace(/\s+/g, ' ')).toContain('Denied 12 orders: insufficient_funds 10 (e.g. The books refuse the order: cash 5 < 100.); below_min_quantity 2 ');
    const rejected = renderTerminalSummary({ ...result, rejections: { total: 1, reasons: [{ code: 'insufficient balance', count: 1, example: 'insufficient balance: needs 2 BTC, 1 free' }] } });
    expect(rejected.replace(/\s+/g, ' ')).toContain('Rejected 1 order: insufficient balance 1 (e.g. insufficient balance: needs 2 BTC, 1 free)');
  });

  it('shows each warning about the books, and none when there were none', () => {
    expect(text).not.toContain('Warning');
    const warned = renderTerminalSummary({ ...result, warnings: ['2 reports the books could not apply, so the books may differ from the venue from then on; the first: fill price must be positive, got -1150'] });
    expect(warned.replace(/\s+/g, ' ')).toContain('Warning 2 reports the books could not apply, so the books may differ from the venue from then on; the first: fill price must be positive, got -1150');
  });
});
