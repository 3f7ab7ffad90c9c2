/**
 * The data sources on real exchange data (../shared/data, see its README): every candle CSV parsed exactly and
 * checked, 1m resampled to 5m against the exchange's own 5m candles, freqtrade's feather files against the same
 * data as CSV, freqtrade JSON against its own expectations, and the loader's cache on real files.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeatherBars } from '../../src/adapters/files/feather-bars.js';
import { loadBars } from '../../src/adapters/files/load-bars.js';
import { instrumentId } from '../../src/core/ids.js';
import type { BarSeries } from '../../src/data/bar-series.js';
import { checkBars, type BarIssueKind } from '../../src/data/check.js';
import { parseBarsCsv } from '../../src/data/csv/parse-bars-csv.js';
import { DataFileError } from '../../src/data/data-file-error.js';
import { parseDataFileName } from '../../src/data/freqtrade/file-name.js';
import { parseFreqtradeJson } from '../../src/data/freqtrade/json-candles.js';
import { resampleBars } from '../../src/data/resample.js';
import type { SourcedBars } from '../../src/data/sourced-bars.js';

const here = dirname(fileURLToPath(import.meta.url));
const DATA = resolve(here, '../../../shared/data');
const dataExists = existsSync(join(DATA, 'candles')) && existsSync(join(DATA, 'freqtrade'));
const dataRequired = process.env['REQUIRE_SHARED_DATA'] === '1';

if (!dataExists) {
  console.warn(`data-shared: skipping the real-data tests, ${DATA} is absent (set REQUIRE_SHARED_DATA=1 to fail instead)`);
}

describe('shared market data', () => {
  it('is present when REQUIRE_SHARED_DATA=1', () => {
    if (dataRequired) expect(dataExists, `${DATA} is required but absent`).toBe(true);
  });
});

const COLUMNS = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;

function candles(file: string): SourcedBars {
  const named = parseDataFileName(file);
  if (named === undefined) throw new Error(`unexpected file name ${file}`);
  return parseBarsCsv(readFileSync(join(DATA, 'candles', file), 'utf8'), { instrumentId: named.instrumentId, source: file, timeframeMs: named.timeframeMs });
}

function row(series: BarSeries, index: number): number[] {
  return COLUMNS.map((column) => series[column][index] as number);
}

/** Fields (row, column) where two series differ, compared with Object.is. */
function differingFields(a: BarSeries, b: BarSeries): number {
  let count = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    for (const column of COLUMNS) if (!Object.is(a[column][i], b[column][i])) count++;
  }
  return count;
}

describe.skipIf(!dataExists)('real candle CSVs', () => {
  const files = dataExists ? readdirSync(join(DATA, 'candles')).filter((name) => name.endsWith('.csv')).sort() : [];

  it('parses every file with every field exactly equal to Number(text)', () => {
    let fields = 0;
    for (const file of files) {
      const text = readFileSync(join(DATA, 'candles', file), 'utf8');
      const { series, origins } = candles(file);
      const lines = text.trimEnd().split('\n');
      expect(series.length, file).toBe(lines.length - 1);
      for (let i = 0; i < series.length; i++) {
        const parts = (lines[i + 1] as string).split(',');
        // Mark-price files leave volume empty: a missing volume reads as 0.
        const expected = parts.map((part, k) => (k === 5 && part === '' ? 0 : Number(part)));
        expect(row(series, i), `${file} line ${i + 2}`).toEqual(expected);
        fields += 6;
      }
      expect([origins[0], origins[series.length - 1]], file).toEqual([2, series.length + 1]);
    }
    expect(fields).toBe(472_818);
  });

  it('finds the gaps the files have, and nothing else, except in the funding-rate file', () => {
    const summary = Object.fromEntries(
      files.map((file) => {
        const report = checkBars(candles(file));
        const nonZero = Object.entries(report.counts).filter(([, count]) => count > 0);
        return [file, { bars: report.bars, missingBars: report.missingBars, ...Object.fromEntries(nonZero) }];
      }),
    );
    expect(summary).toEqual({
      'ADA_BTC-5m.csv': { bars: 5720, missingBars: 40, gap: 5 },
      'DASH_BTC-5m.csv': { bars: 5758, missingBars: 2, gap: 2 },
      'ETC_BTC-5m.csv': { bars: 5759, missingBars: 0 },
      'ETH_BTC-5m.csv': { bars: 5760, missingBars: 0 },
      'LTC_BTC-5m.csv': { bars: 5760, missingBars: 0 },
      'NXT_BTC-5m.csv': { bars: 5760, missingBars: 0 },
      'TRX_BTC-5m.csv': { bars: 5754, missingBars: 6, gap: 6 },
      'UNITTEST_BTC-1m.csv': { bars: 13681, missingBars: 717, gap: 538 },
      'UNITTEST_BTC-30m.csv': { bars: 1920, missingBars: 0 },
      'UNITTEST_USDT_USDT-1h-mark.csv': { bars: 100, missingBars: 0 },
      'XLM_BTC-5m.csv': { bars: 5760, missingBars: 0 },
      'XMR_BTC-5m.csv': { bars: 5758, missingBars: 2, gap: 2 },
      'XRP_ETH-1m.csv': { bars: 2469, missingBars: 1091, gap: 676 },
      'XRP_ETH-5m.csv': { bars: 706, missingBars: 6, gap: 6 },
      'XRP_USDT_USDT-1h-futures.csv': { bars: 100, missingBars: 0 },
      'XRP_USDT_USDT-1h-mark.csv': { bars: 100, missingBars: 0 },
      'XRP_USDT_USDT-5m-futures.csv': { bars: 1999, missingBars: 0 },
      // The funding rate sits in `open` with zeros elsewhere, at funding times a few ms past the 8h mark.
      'XRP_USDT_USDT-8h-funding_rate.csv': { bars: 91, missingBars: 0, impossible: 91, misaligned: 59 },
      'XRP_USDT_USDT-8h-mark.csv': { bars: 91, missingBars: 0 },
      'ZEC_BTC-5m.csv': { bars: 5757, missingBars: 2, gap: 2 },
    });
  });

  it('points at the first gap of ADA_BTC-5m by line', () => {
    const [first] = checkBars(candles('ADA_BTC-5m.csv')).issues;
    expect(first).toMatchObject({ kind: 'gap' satisfies BarIssueKind, source: 'ADA_BTC-5m.csv', line: 1505, missingBars: 1 });
    expect(first?.message).toBe('gap: 1 bar missing between 2018-01-15T10:05:00.000Z and 2018-01-15T10:15:00.000Z');
  });
});

describe.skipIf(!dataExists)('resampling XRP_ETH 1m to 5m against the exchange 5m candles', () => {
  it('gives exactly the exchange candle for every complete bucket, and for every bucket', () => {
    const minute = candles('XRP_ETH-1m.csv').series;
    const exchange = candles('XRP_ETH-5m.csv').series;
    const resampled = resampleBars(minute, 300_000, { incomplete: 'keep' });
    const barsPerBucket = new Map<number, number>();
    for (const t of minute.ts) {
      const bucket = Math.floor(t / 300_000) * 300_000;
      barsPerBucket.set(bucket, (barsPerBucket.get(bucket) ?? 0) + 1);
    }
    const exchangeIndex = new Map<number, number>();
    exchange.ts.forEach((t, i) => exchangeIndex.set(t, i));

    let complete = 0;
    let completeEqual = 0;
    let overlapping = 0;
    let equal = 0;
    for (let i = 0; i < resampled.length; i++) {
      const t = resampled.ts[i] as number;
      const j = exchangeIndex.get(t);
      if (j === undefined) continue;
      overlapping++;
      const same = row(resampled, i).every((value, k) => value === row(exchange, j)[k]);
      if (same) equal++;
      if (barsPerBucket.get(t) === 5) {
        complete++;
        expect(row(resampled, i), `bucket ${new Date(t).toISOString()}`).toEqual(row(exchange, j));
        if (same) completeEqual++;
      }
    }
    console.info(
      `data-shared: XRP_ETH 1m (${minute.length} bars) -> 5m: ${resampled.length} buckets, ${overlapping} also in the 5m file ` +
        `(${exchange.length} bars); ${complete} complete buckets, ${completeEqual} equal; ${equal} of ${overlapping} equal in all`,
    );
    expect([minute.length, exchange.length, resampled.length, overlapping, complete, completeEqual]).toEqual([2469, 706, 706, 706, 151, 151]);
    // The 1m file only lacks minutes without trades, so even the partial buckets match the exchange's 5m candles.
    expect(equal).toBe(706);
  });

  it('drops the cut edge buckets by default: the data starts and ends on a bucket boundary here', () => {
    const minute = candles('XRP_ETH-1m.csv').series;
    const dropped = resampleBars(minute, 300_000);
    expect([dropped.ts[0], dropped.ts[dropped.length - 1]]).toEqual([1570752000000, 1570965300000]);
    expect(dropped.length).toBe(706);
  });
});

describe.skipIf(!dataExists)('freqtrade feather files against the same data as CSV', () => {
  const feather = (file: string): BarSeries =>
    parseFeatherBars(readFileSync(join(DATA, 'freqtrade', file)), { instrumentId: instrumentId('FILE:X/Y'), source: file }).series;

  it.each([
    ['ETH_BTC-5m.feather', 'ETH_BTC-5m.csv', 5760],
    ['XRP_USDT_USDT-1h-futures.feather', 'XRP_USDT_USDT-1h-futures.csv', 100],
    ['XRP_USDT_USDT-1h-mark.feather', 'XRP_USDT_USDT-1h-mark.csv', 100],
    ['XRP_USDT_USDT-8h-funding_rate.feather', 'XRP_USDT_USDT-8h-funding_rate.csv', 91],
  ])('%s equals %s in every field', (featherFile, csvFile, rows) => {
    const fromFeather = feather(featherFile);
    const fromCsv = candles(csvFile).series;
    expect([fromFeather.length, fromCsv.length]).toEqual([rows, rows]);
    expect(differingFields(fromFeather, fromCsv)).toBe(0);
    expect(fromFeather.timeframeMs).toBe(fromCsv.timeframeMs);
  });
});

describe.skipIf(!dataExists)('freqtrade JSON', () => {
  const json = (): SourcedBars =>
    parseFreqtradeJson(readFileSync(join(DATA, 'freqtrade', 'UNITTEST_BTC-1m.json')), { instrumentId: instrumentId('FILE:UNITTEST/BTC'), source: 'UNITTEST_BTC-1m.json' });

  it('reads UNITTEST_BTC-1m.json: its row count, first and last candles, timeframe and gaps', () => {
    const bars = json();
    expect(bars.series.length).toBe(13681);
    expect(row(bars.series, 0)).toEqual([1509836520000, 0.00162008, 0.00162008, 0.00162008, 0.00162008, 108.14853839]);
    expect(row(bars.series, 13680)).toEqual([1510700340000, 0.00270001, 0.00270002, 0.00270001, 0.00270002, 1.94577668]);
    expect(bars.series.timeframeMs).toBe(60_000);
    const report = checkBars(bars);
    expect([report.counts.gap, report.missingBars, report.counts.impossible, report.counts.duplicate, report.counts['out-of-order']]).toEqual([538, 717, 0, 0, 0]);
  });

  it('differs from the CSV of the same candles only in last digits, on about 5,600 rows (as the README warns)', () => {
    const fromJson = json().series;
    const fromCsv = candles('UNITTEST_BTC-1m.csv').series;
    let rowsDiffering = 0;
    let worstRelative = 0;
    for (let i = 0; i < fromJson.length; i++) {
      expect(fromJson.ts[i]).toBe(fromCsv.ts[i]);
      let differs = false;
      for (const column of COLUMNS) {
        const a = fromJson[column][i] as number;
        const b = fromCsv[column][i] as number;
        if (a !== b) {
          differs = true;
          worstRelative = Math.max(worstRelative, Math.abs(a - b) / Math.abs(b));
        }
      }
      if (differs) rowsDiffering++;
    }
    console.info(`data-shared: UNITTEST_BTC-1m JSON vs CSV: ${rowsDiffering} of ${fromJson.length} rows differ, worst relative difference ${worstRelative.toExponential(2)}`);
    expect(rowsDiffering).toBe(5655);
    expect(worstRelative).toBeLessThan(1e-14);
  });
});

describe.skipIf(!dataExists)('loadBars on real files', () => {
  let cacheDir = '';
  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'conclave-data-shared-'));
  });
  afterAll(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('loads CSV, JSON and feather by name, caches them, and reads the cache back identically', async () => {
    for (const path of [join(DATA, 'candles', 'UNITTEST_BTC-1m.csv'), join(DATA, 'freqtrade', 'UNITTEST_BTC-1m.json'), join(DATA, 'freqtrade', 'ETH_BTC-5m.feather')]) {
      const first = await loadBars(path, { cacheDir });
      const second = await loadBars(path, { cacheDir });
      expect([first.cache, second.cache], path).toEqual(['written', 'hit']);
      expect(second.series, path).toEqual(first.series);
      expect(second.format).toBe(first.format);
    }
    const eth = await loadBars(join(DATA, 'freqtrade', 'ETH_BTC-5m.feather'), { cacheDir });
    expect([eth.format, eth.series.instrumentId, eth.series.timeframeMs, eth.series.length]).toEqual(['feather', 'FILE:ETH/BTC', 300_000, 5760]);
  });

  it('refuses the funding-rate file as candles when strict, naming its first line', async () => {
    const path = join(DATA, 'candles', 'XRP_USDT_USDT-8h-funding_rate.csv');
    await expect(loadBars(path, { cacheDir })).rejects.toThrow(DataFileError);
    await expect(loadBars(path, { cacheDir })).rejects.toThrow(
      `${path}: line 2: impossible candle: a price is zero or negative; and 90 more problems (91 impossible in all)`,
    );
    expect((await loadBars(path, { cacheDir, strict: false })).series.length).toBe(91);
  });
});
