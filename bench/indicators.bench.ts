/**
 * Streaming indicators: 1,000,000 updates each over a seeded random-walk OHLCV series, one figure per indicator
 * (updates/s, best of 3 runs, a fresh indicator each run). Each run folds its outputs into a checksum so the work
 * cannot be optimised away, and the SMA's last value is checked against an independent fsum of its window.
 */
import { SeededRandom } from '../src/core/random.js';
import {
  ATR,
  BollingerBands,
  CCI,
  CrossDetector,
  DMI,
  DonchianChannels,
  EMA,
  fsum,
  Highest,
  Lowest,
  MACD,
  RMA,
  ROC,
  RollingBeta,
  RollingCorrelation,
  RSI,
  SMA,
  StandardDeviation,
  Stochastic,
  TrueRange,
  VWAP,
  WMA,
  ZScore,
  createIndicatorSet,
} from '../src/indicators/index.js';
import { bestOf, report } from './harness.js';

const N = 1_000_000;
const random = new SeededRandom(42);
const open = new Float64Array(N);
const high = new Float64Array(N);
const low = new Float64Array(N);
const close = new Float64Array(N);
const volume = new Float64Array(N);
const other = new Float64Array(N);
let price = 30_000;
let otherPrice = 2_000;
for (let i = 0; i < N; i++) {
  const move = random.normal() * 0.002;
  open[i] = price;
  price *= Math.exp(move);
  otherPrice *= Math.exp(0.6 * move + random.normal() * 0.001);
  close[i] = price;
  high[i] = Math.max(open[i] as number, price) * (1 + random.next() * 0.001);
  low[i] = Math.min(open[i] as number, price) * (1 - random.next() * 0.001);
  volume[i] = 1 + random.next() * 10;
  other[i] = otherPrice;
}

let checksum = 0;
const fold = (x: number | undefined): void => {
  if (x !== undefined && x === x) checksum += x;
};

function bench(name: string, note: string, run: () => void): void {
  const seconds = bestOf(3, run);
  report(`indicators.${name}`, N / seconds, 'updates/s', note);
}

bench('sma', 'SMA(30), exact rolling sum', () => {
  const x = new SMA(30);
  for (let i = 0; i < N; i++) fold(x.update(close[i] as number));
});
bench('ema', 'EMA(30)', () => {
  const x = new EMA(30);
  for (let i = 0; i < N; i++) fold(x.update(close[i] as number));
});
bench('wma', 'WMA(30), exact weighted sum', () => {
  const x = new WMA(30);
  for (let i = 0; i < N; i++) fold(x.update(close[i] as number));
});
bench('rma', 'RMA(14)', () => {
  const x = new RMA(14);
  for (let i = 0; i < N; i++) fold(x.update(close[i] as number));
});
bench('rsi', 'RSI(14)', () => {
  const x = new RSI(14);
  for (let i = 0; i < N; i++) fold(x.update(close[i] as number));
});
bench('tr', 'true range', () => {
  const x = new TrueRange();
  for (let i = 0; i < N; i++) fold(x.update(high[i] as number, low[i] as number, close[i] as number));
});
bench('atr', 'ATR(14)', () => {
  const x = new ATR(14);
  for (let i = 0; i < N; i++) fold(x.update(high[i] as number, low[i] as number, close[i] as number));
});
bench('bollinger', 'BB(20, 2), exact moments', () => {
  const x = new BollingerBands(20, 2);
  for (let i = 0; i < N; i++) fold(x.update(close[i] as number)?.upper);
});
bench('macd', 'MACD(12, 26, 9)', () => {
  const x = new MACD(12, 26, 9);
  for (let i = 0; i < N; i++) fold(x.update(close[i] as number)?.histogram);
});
bench('stochastic', 'Stochastic(14, 3, 3)', () => {
  const x = new Stochastic(14, 3, 3);
  for (let i = 0; i < N; i++) fold(x.update(high[i] as number, low[i] as number, close[i] as number)?.d);
});
bench('adx', 'DMI/ADX(14)', () => {
  const x = new DMI(14);
  for (let i = 0; i < N; i++) fold(x.update(high[i] as number, low[i] as number, close[i] as number)?.adx);
});
bench('cci', 'CCI(20), O(period) mean deviation', () => {
  const x = new CCI(20);
  for (let i = 0; i < N; i++) fold(x.update(high[i] as number, low[i] as number, close[i] as number));
});
bench('roc', 'ROC(10)', () => {
  const x = new ROC(10);
  for (let i = 0; i < N; i++) fold(x.update(close[i] as number));
});
bench('highest', 'Highest(20)', () => {
  const x = new Highest(20);
  for (let i = 0; i < N; i++) fold(x.update(high[i] as number));
});
bench('lowest', 'Lowest(20)', () => {
  const x = new Lowest(20);
  for (let i = 0; i < N; i++) fold(x.update(low[i] as number));
});
bench('donchian', 'Donchian(20)', () => {
  const x = new DonchianChannels(20);
  for (let i = 0; i < N; i++) fold(x.update(high[i] as number, low[i] as number)?.middle);
});
bench('vwap', 'VWAP, exact sums', () => {
  const x = new VWAP();
  for (let i = 0; i < N; i++) fold(x.update(high[i] as number, low[i] as number, close[i] as number, volume[i] as number));
});
bench('stddev', 'StandardDeviation(20), exact moments', () => {
  const x = new StandardDeviation(20);
  for (let i = 0; i < N; i++) fold(x.update(close[i] as number));
});
bench('zscore', 'ZScore(20)', () => {
  const x = new ZScore(20);
  for (let i = 0; i < N; i++) fold(x.update(close[i] as number));
});
bench('correlation', 'RollingCorrelation(50)', () => {
  const x = new RollingCorrelation(50);
  for (let i = 0; i < N; i++) fold(x.update(close[i] as number, other[i] as number));
});
bench('beta', 'RollingBeta(50)', () => {
  const x = new RollingBeta(50);
  for (let i = 0; i < N; i++) fold(x.update(other[i] as number, close[i] as number));
});
bench('cross', 'CrossDetector on two EMAs (EMA cost included)', () => {
  const fast = new EMA(10);
  const slow = new EMA(30);
  const x = new CrossDetector();
  let crosses = 0;
  for (let i = 0; i < N; i++) if (x.update(fast.update(close[i] as number), slow.update(close[i] as number)) !== 'none') crosses += 1;
  checksum += crosses;
});
bench('registry_set', 'sma:30 + rsi:14 + bb:20 + macd through createIndicatorSet', () => {
  const set = createIndicatorSet(['sma:30', 'rsi:14', 'bb:20', 'macd:12:26:9']);
  const bar = { open: 0, high: 0, low: 0, close: 0, volume: 0 };
  for (let i = 0; i < N; i++) {
    bar.open = open[i] as number;
    bar.high = high[i] as number;
    bar.low = low[i] as number;
    bar.close = close[i] as number;
    bar.volume = volume[i] as number;
    fold(set.update(bar)[0]);
  }
});

const sma = new SMA(30);
let last: number | undefined;
for (let i = 0; i < N; i++) last = sma.update(close[i] as number);
const expected = fsum(close.subarray(N - 30)) / 30;
const ok = last === expected;
console.log(`  SMA(30) last value ${last} vs fsum(window) / 30 = ${expected}: ${ok ? 'ok' : 'MISMATCH'}`);
console.log(`  checksum ${checksum.toExponential(6)}`);
if (!ok) process.exitCode = 1;
