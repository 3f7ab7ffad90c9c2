/**
 * Candle data: CSV parsing and loading, the binary cache, and resampling, on a deterministic 1,000,000-row
 * canonical CSV (1m bars, a seeded random walk priced like an exchange writes it: 2-decimal prices, 5-decimal
 * volumes) generated in the OS temp directory. A second file of the same bars with every price perturbed by a
 * float product (17 significant digits, as in freqtrade-converted data) shows the exact slow path of the parser.
 *
 * data.csv_parse: parse only, from a string already in memory.
 * data.csv_load: loadBars without cache: read the file, decode UTF-8, parse, strict check.
 * data.cache_load: loadBars from a warm .bars cache entry: one read, views, strict check.
 * data.resample: 1m -> 5m.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBars } from '../src/adapters/files/load-bars.js';
import { monotonicNs } from '../src/core/clock.js';
import { instrumentId } from '../src/core/ids.js';
import { SeededRandom } from '../src/core/random.js';
import { CANONICAL_CSV_HEADER } from '../src/data/csv/format-bars-csv.js';
import { parseBarsCsv } from '../src/data/csv/parse-bars-csv.js';
import { resampleBars } from '../src/data/resample.js';
import { bestOf, report } from './harness.js';

const ROWS = 1_000_000;
const ROUNDS = 5;
const ID = instrumentId('BENCH:BTC/USDT');
const directory = join(tmpdir(), 'conclave-bench-data');
const cacheDir = join(directory, 'cache');

/** Writes the bench CSV in chunks (no million-string array left on the heap); `longDigits` perturbs every price. */
function writeCsv(path: string, longDigits: boolean): void {
  const random = new SeededRandom(20_240_102);
  const file = openSync(path, 'w');
  writeSync(file, `${CANONICAL_CSV_HEADER}\n`);
  let cents = 4_200_000;
  let ts = Date.UTC(2024, 0, 1);
  const price = (value: number): string => String(longDigits ? (value / 100) * 1.0000001 : value / 100);
  let chunk = '';
  for (let i = 0; i < ROWS; i++) {
    const open = cents;
    const close = Math.max(100, open + random.int(-2_000, 2_000));
    const high = Math.max(open, close) + random.int(0, 800);
    const low = Math.max(1, Math.min(open, close) - random.int(0, 800));
    const volume = random.int(0, 5_000_000_000) / 100_000;
    chunk += `${ts},${price(open)},${price(high)},${price(low)},${price(close)},${volume}\n`;
    if (i % 65_536 === 65_535) {
      writeSync(file, chunk);
      chunk = '';
    }
    cents = close;
    ts += 60_000;
  }
  writeSync(file, chunk);
  closeSync(file);
}

async function bestOfAsync(rounds: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rounds; i++) {
    const start = monotonicNs();
    await fn();
    best = Math.min(best, Number(monotonicNs() - start) / 1e9);
  }
  return best;
}

rmSync(directory, { recursive: true, force: true });
mkdirSync(directory, { recursive: true });
const path = join(directory, 'BENCH_USDT-1m.csv');
const longPath = join(directory, 'BENCH_USDT-1m-long-digits.csv');
writeCsv(path, false);
writeCsv(longPath, true);

try {
  const text = readFileSync(path, 'utf8');
  let parsedRows = 0;
  const parseSeconds = bestOf(ROUNDS, () => {
    parsedRows = parseBarsCsv(text, { instrumentId: ID, source: path }).series.length;
  });
  if (parsedRows !== ROWS) throw new Error(`parsed ${parsedRows} rows, expected ${ROWS}`);
  report('data.csv_parse', ROWS / parseSeconds, 'rows/s', `${(text.length / 1e6).toFixed(1)} MB, ${(parseSeconds * 1000).toFixed(0)} ms`);

  const longText = readFileSync(longPath, 'utf8');
  const longSeconds = bestOf(ROUNDS, () => parseBarsCsv(longText, { instrumentId: ID, source: longPath }));
  report('data.csv_parse_long_digits', ROWS / longSeconds, 'rows/s', `17-digit prices, ${(longSeconds * 1000).toFixed(0)} ms`);

  const loadSeconds = await bestOfAsync(ROUNDS, () => loadBars(path, { cache: false }));
  report('data.csv_load', ROWS / loadSeconds, 'rows/s', `read + parse + strict check, ${(loadSeconds * 1000).toFixed(0)} ms`);

  const warm = await loadBars(path, { cacheDir });
  if (warm.cache !== 'written' && warm.cache !== 'hit') throw new Error(`cache not written: ${warm.cache}`);
  let lastCache = '';
  const cacheSeconds = await bestOfAsync(ROUNDS, async () => {
    lastCache = (await loadBars(path, { cacheDir })).cache;
  });
  if (lastCache !== 'hit') throw new Error(`expected cache hits, got ${lastCache}`);
  report('data.cache_load', ROWS / cacheSeconds, 'rows/s', `${(cacheSeconds * 1000).toFixed(1)} ms`);

  const series = warm.series;
  let buckets = 0;
  const resampleSeconds = bestOf(ROUNDS, () => {
    buckets = resampleBars(series, 300_000).length;
  });
  report('data.resample', ROWS / resampleSeconds, 'bars/s', `1m -> 5m, ${buckets} bars out, ${(resampleSeconds * 1000).toFixed(1)} ms`);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
