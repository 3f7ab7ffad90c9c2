/**
 * Synthetic market generation: bars per second for 1M bars × 2 correlated spot instruments (all regimes, GARCH,
 * 4 intrabar steps), and for a perpetual with its mark and 8h funding. Each run is checked: every bar must pass
 * `barProblem`, and a second generation with the same seed must match the first exactly.
 */
import type { UnixMs } from '../src/core/time.js';
import type { BarSeries } from '../src/data/bar-series.js';
import { generateMarket, type SyntheticMarket, type SyntheticMarketOptions } from '../src/data/synthetic/index.js';
import { barProblem } from '../src/domain/market-data.js';
import { bestOf, report } from './harness.js';

function check(label: string, got: number, expected: number): void {
  const ok = got === expected;
  console.log(`  ${label}: ${got} (expected ${expected}) ${ok ? 'ok' : 'MISMATCH'}`);
  if (!ok) process.exitCode = 1;
}

function impossibleBars(series: BarSeries): number {
  let bad = 0;
  for (let i = 0; i < series.length; i++) {
    const problem = barProblem({
      ts: series.ts[i] as UnixMs,
      open: series.open[i]!,
      high: series.high[i]!,
      low: series.low[i]!,
      close: series.close[i]!,
      volume: series.volume[i]!,
    });
    if (problem !== undefined) bad++;
  }
  return bad;
}

function differingCloses(a: SyntheticMarket, b: SyntheticMarket): number {
  let differing = 0;
  a.instruments.forEach((instrument, k) => {
    const other = b.instruments[k]!.bars.close;
    for (let i = 0; i < instrument.bars.length; i++) if (!Object.is(instrument.bars.close[i], other[i])) differing++;
  });
  return differing;
}

function bench(name: string, options: SyntheticMarketOptions): void {
  let market: SyntheticMarket | undefined;
  const seconds = bestOf(3, () => {
    market = generateMarket(options);
  });
  const instrumentBars = options.bars * options.instruments.length;
  report(`${name}.bars`, options.bars / seconds, 'bars/s', `${options.bars.toLocaleString('en-US')} bars × ${options.instruments.length}`);
  report(`${name}.instrument-bars`, instrumentBars / seconds, 'instrument-bars/s');
  const generated = market!;
  check(`${name} impossible bars`, generated.instruments.reduce((sum, instrument) => sum + impossibleBars(instrument.bars), 0), 0);
  check(`${name} same seed differs`, differingCloses(generated, generateMarket(options)), 0);
}

const START = Date.UTC(2024, 0, 1);

bench('synthetic.spot2', {
  seed: 1,
  start: START,
  timeframeMs: 60_000,
  bars: 1_000_000,
  instruments: [
    { symbol: 'BTC/USDT', startPrice: 42_000 },
    { symbol: 'ETH/USDT', startPrice: 2_300, annualVol: 0.75 },
  ],
  correlation: [
    [1, 0.8],
    [0.8, 1],
  ],
});

bench('synthetic.perp1', {
  seed: 2,
  start: START,
  timeframeMs: 60_000,
  bars: 1_000_000,
  instruments: [{ symbol: 'BTC/USDT:USDT', startPrice: 42_000, tickSize: 0.1 }],
});
