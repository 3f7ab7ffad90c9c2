import { describe, expect, it } from 'vitest';
import { dataSection } from './data-section.js';

const BTC = { source: 'synthetic', startPrice: 30000, start: '2024-01-01', timeframe: '1h', bars: 500 };
const ETH = { ...BTC, startPrice: 2000 };
const SOL = { ...BTC, startPrice: 100 };

/** Each issue as `path: message`. */
function issues(data: object): string[] {
  const parsed = dataSection.safeParse(data);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('the data section of a desk file', () => {
  it('takes a spot and its perpetual of one market, and correlations between the price paths of one market', () => {
    const data = {
      'SYNTH:BTC/USDT': { ...BTC, correlation: { 'SYNTH:ETH/USDT': 0.8 } },
      'SYNTH:BTC/USDT:USDT': { ...BTC, correlation: { 'SYNTH:ETH/USDT': 0.8 } },
      'SYNTH:ETH/USDT': { ...ETH, correlation: { 'SYNTH:SOL/USDT': 0.6 } },
      'SYNTH:SOL/USDT': { ...SOL, correlation: { 'SYNTH:BTC/USDT:USDT': 0.5 } },
    };
    expect(issues(data)).toEqual([]);
    // With BTC~SOL left at 0, BTC~ETH 0.8 and ETH~SOL 0.6 cannot hold.
    expect(issues({ ...data, 'SYNTH:SOL/USDT': SOL })).toHaveLength(1);
  });

  it('refuses a perpetual generated apart from its spot or from another start price', () => {
    expect(issues({ 'SYNTH:BTC/USDT': BTC, 'SYNTH:BTC/USDT:USDT': { ...BTC, timeframe: '4h', startPrice: 31000 } })).toEqual([
      "SYNTH:BTC/USDT:USDT: shares SYNTH:BTC/USDT's price path, so it needs the same start, timeframe, bars, regimes and garch",
      "SYNTH:BTC/USDT:USDT.startPrice: must be SYNTH:BTC/USDT's (30000): the two share one price path",
    ]);
  });

  it('refuses correlations outside one market, on one path, given twice differently or out of range', () => {
    const file = { source: 'file', path: 'eth.csv' };
    expect(
      issues({
        'SYNTH:BTC/USDT': { ...BTC, correlation: { 'SYNTH:BTC/USDT:USDT': 0.9, 'BINANCE:ETH/USDT': 0.5, 'SYNTH:SOL/USDT': 0.3, 'SYNTH:ETH/USDT': 0.7 } },
        'SYNTH:BTC/USDT:USDT': BTC,
        'SYNTH:ETH/USDT': { ...ETH, correlation: { 'SYNTH:BTC/USDT:USDT': 0.6 } },
        'SYNTH:SOL/USDT': { ...SOL, bars: 400 },
        'BINANCE:ETH/USDT': file,
      }),
    ).toEqual([
      'SYNTH:BTC/USDT.correlation.SYNTH:BTC/USDT:USDT: SYNTH:BTC/USDT:USDT trades on SYNTH:BTC/USDT\'s price path; their correlation is 1',
      'SYNTH:BTC/USDT.correlation.BINANCE:ETH/USDT: BINANCE:ETH/USDT is not a synthetic instrument of the data section',
      'SYNTH:BTC/USDT.correlation.SYNTH:SOL/USDT: SYNTH:SOL/USDT is generated as another market (another venue, start, timeframe, bars, regimes or garch); correlations hold within one market',
      'SYNTH:ETH/USDT.correlation.SYNTH:BTC/USDT:USDT: contradicts data.SYNTH:BTC/USDT.correlation.SYNTH:ETH/USDT (0.7)',
    ]);
    expect(issues({ 'SYNTH:BTC/USDT': { ...BTC, correlation: { 'SYNTH:ETH/USDT': 1.5 } }, 'SYNTH:ETH/USDT': ETH })).toEqual([
      'SYNTH:BTC/USDT.correlation.SYNTH:ETH/USDT: must be between -1 and 1',
    ]);
  });

  it('refuses correlations no market can have at once', () => {
    const data = {
      'SYNTH:BTC/USDT': { ...BTC, correlation: { 'SYNTH:ETH/USDT': 0.9, 'SYNTH:SOL/USDT': -0.9 } },
      'SYNTH:ETH/USDT': { ...ETH, correlation: { 'SYNTH:SOL/USDT': 0.9 } },
      'SYNTH:SOL/USDT': SOL,
    };
    expect(issues(data)).toEqual([
      'SYNTH:BTC/USDT.correlation: the correlations among SYNTH:BTC/USDT, SYNTH:ETH/USDT, SYNTH:SOL/USDT cannot all hold at once (pairs not given are 0; ±1 between two price paths, or values that contradict each other like A~B 0.9, B~C 0.9, A~C -0.9, are impossible)',
    ]);
    expect(issues({ 'SYNTH:BTC/USDT': { ...BTC, correlation: { 'SYNTH:ETH/USDT': 1 } }, 'SYNTH:ETH/USDT': ETH })).toHaveLength(1);
  });
});
