import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FixRequestError } from '../../core/errors.js';
import { instrumentId } from '../../core/ids.js';
import type { BarSeries } from '../../data/bar-series.js';
import { DataFileError } from '../../data/data-file-error.js';
import { formatByContent, formatByName, loadBars } from './load-bars.js';
import { writeBarsCsv } from './write-bars-csv.js';

const T0 = Date.UTC(2024, 0, 2);
const M = 60_000;
const CSV = `timestamp,open,high,low,close,volume\n${T0},1,2,0.5,1.5,3\n${T0 + M},1.5,2.5,1,2,4\n\n${T0 + 2 * M},2,3,1.5,2.5,5\n`;

let dir = '';
let cacheDir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'conclave-load-bars-'));
  cacheDir = join(dir, 'cache');
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<FixRequestError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FixRequestError) return error;
    throw error;
  }
  throw new Error('expected a FixRequestError');
}

const closes = (series: BarSeries): number[] => [...series.close];

describe('loadBars', () => {
  it('parses a CSV, writes the cache, then reads the cache with the same bars and lines', async () => {
    const path = join(dir, 'BTC_USDT-1m.csv');
    await writeFile(path, CSV);
    const first = await loadBars(path, { cacheDir });
    expect(first.cache).toBe('written');
    expect(first.format).toBe('csv');
    expect(first.series.instrumentId).toBe('FILE:BTC/USDT');
    expect(first.series.timeframeMs).toBe(M);
    expect(closes(first.series)).toEqual([1.5, 2, 2.5]);
    expect([...first.origins]).toEqual([2, 3, 5]);
    const entries = (await readdir(cacheDir)).filter((name) => name.endsWith('.bars'));
    expect(entries).toHaveLength(1);

    const second = await loadBars(path, { cacheDir });
    expect(second.cache).toBe('hit');
    expect(second.series).toEqual(first.series);
    expect([...second.origins]).toEqual([2, 3, 5]);
    expect([second.source, second.format, second.originKind]).toEqual([path, 'csv', 'line']);
  });

  it('keys the cache on the options too', async () => {
    const path = join(dir, 'BTC_USDT-1m.csv');
    await writeFile(path, CSV);
    await loadBars(path, { cacheDir });
    const other = await loadBars(path, { cacheDir, instrumentId: 'BINANCE:BTC/USDT' });
    expect(other.cache).toBe('written');
    expect(other.series.instrumentId).toBe('BINANCE:BTC/USDT');
    expect((await readdir(cacheDir)).filter((name) => name.endsWith('.bars'))).toHaveLength(2);
  });

  it('serves a column mapping only the entry built with that mapping, however it is written', async () => {
    const path = join(dir, 'BTC_USDT-1m.csv');
    await writeFile(path, CSV);
    const byClose = await loadBars(path, { cacheDir, columns: { timestamp: 'timestamp', close: 'close' } });
    const byOpen = await loadBars(path, { cacheDir, columns: { timestamp: 'timestamp', close: 'open', open: 'close' } });
    expect([byClose.cache, byOpen.cache]).toEqual(['written', 'written']);
    expect(closes(byOpen.series)).toEqual([1, 1.5, 2]);
    // The first mapping again, its roles in another order and its names in another case: the same columns.
    const again = await loadBars(path, { cacheDir, columns: { close: 'CLOSE', timestamp: 'Timestamp' } });
    expect(again.cache).toBe('hit');
    expect(closes(again.series)).toEqual([1.5, 2, 2.5]);
  });

  it('ignores a stale entry when the file changes, and removes it', async () => {
    const path = join(dir, 'BTC_USDT-1m.csv');
    await writeFile(path, CSV);
    await loadBars(path, { cacheDir });
    await writeFile(path, CSV.replace(',2.5,5', ',2.75,5'));
    await utimes(path, new Date(T0), new Date(T0));
    const changed = await loadBars(path, { cacheDir });
    expect(changed.cache).toBe('written');
    expect(closes(changed.series)).toEqual([1.5, 2, 2.75]);
    expect((await readdir(cacheDir)).filter((name) => name.endsWith('.bars'))).toHaveLength(1);
    expect((await loadBars(path, { cacheDir })).cache).toBe('hit');
  });

  it('sees a file rewritten with its old size and modification time (cp -p, touch -r) as changed', async () => {
    const path = join(dir, 'BTC_USDT-1m.csv');
    await writeFile(path, CSV);
    await utimes(path, new Date(T0), new Date(T0));
    await loadBars(path, { cacheDir });
    await writeFile(path, CSV.replace(',2.5,5', ',2.7,5'));
    await utimes(path, new Date(T0), new Date(T0));
    const changed = await loadBars(path, { cacheDir });
    expect(changed.cache).toBe('written');
    expect(closes(changed.series)).toEqual([1.5, 2, 2.7]);
  });

  it('ignores and rewrites a corrupt entry', async () => {
    const path = join(dir, 'BTC_USDT-1m.csv');
    await writeFile(path, CSV);
    await loadBars(path, { cacheDir });
    const [entry] = await readdir(cacheDir);
    const entryPath = join(cacheDir, entry as string);
    const bytes = await readFile(entryPath);
    await writeFile(entryPath, bytes.subarray(0, bytes.length - 5));
    const reloaded = await loadBars(path, { cacheDir });
    expect(reloaded.cache).toBe('written');
    expect(closes(reloaded.series)).toEqual([1.5, 2, 2.5]);
    expect((await readFile(entryPath)).length).toBe(bytes.length);
    expect((await loadBars(path, { cacheDir })).cache).toBe('hit');
  });

  it('caches under .conclave/cache in the working directory by default, and not at all when told', async () => {
    vi.spyOn(process, 'cwd').mockReturnValue(dir);
    const path = join(dir, 'BTC_USDT-1m.csv');
    await writeFile(path, CSV);
    expect((await loadBars(path, { cache: false })).cache).toBe('off');
    expect(existsSync(join(dir, '.conclave'))).toBe(false);
    expect((await loadBars(path)).cache).toBe('written');
    expect((await readdir(join(dir, '.conclave', 'cache'))).length).toBe(1);
  });

  it('still loads when the cache cannot be written', async () => {
    const path = join(dir, 'BTC_USDT-1m.csv');
    await writeFile(path, CSV);
    const loaded = await loadBars(path, { cacheDir: join(path, 'not-a-directory') });
    expect(loaded.cache).toBe('unwritable');
    expect(loaded.series.length).toBe(3);
  });

  it('reads freqtrade JSON, a gzipped CSV, and a file without a known extension by its content', async () => {
    const json = join(dir, 'ETH_BTC-1m.json');
    await writeFile(json, `[[${T0}, 1, 2, 0.5, 1.5, 3], [${T0 + M}, 1.5, 2.5, 1, 2, 4]]`);
    const fromJson = await loadBars(json, { cacheDir });
    expect([fromJson.format, fromJson.originKind, fromJson.series.length]).toEqual(['json', 'record', 2]);
    expect((await loadBars(json, { cacheDir })).format).toBe('json');

    const gz = join(dir, 'ETH_BTC-1m.csv.gz');
    await writeFile(gz, gzipSync(CSV));
    expect(closes((await loadBars(gz, { cacheDir })).series)).toEqual([1.5, 2, 2.5]);

    const unknown = join(dir, 'candles.dat');
    await writeFile(unknown, `  [[${T0}, 1, 2, 0.5, 1.5, 3]]`);
    const sniffed = await loadBars(unknown, { cacheDir, instrumentId: 'TEST:ETH/BTC' });
    expect(sniffed.format).toBe('json');
    expect((await loadBars(unknown, { cacheDir, instrumentId: 'TEST:ETH/BTC' })).format).toBe('json');
  });

  it('passes CSV options through: an explicit mapping and Adj Close', async () => {
    const path = join(dir, 'prices.csv');
    await writeFile(path, 'Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,100,110,90,105,52.5,1000\n');
    const adjusted = await loadBars(path, { cacheDir, instrumentId: 'TEST:SPY/USD', useAdjClose: true });
    expect(closes(adjusted.series)).toEqual([52.5]);
    const plain = await loadBars(path, { cacheDir, instrumentId: 'TEST:SPY/USD' });
    expect(plain.cache).toBe('written');
    expect(closes(plain.series)).toEqual([105]);
    const mapped = await loadBars(path, { cacheDir, instrumentId: 'TEST:SPY/USD', columns: { close: 'Adj Close', volume: 6 }, strict: false });
    expect([mapped.series.low[0], mapped.series.close[0], mapped.series.volume[0]]).toEqual([90, 52.5, 1000]);
  });

  it('refuses bad bars when strict (the default), naming the file and line, and returns them when not', async () => {
    const path = join(dir, 'BTC_USDT-1m.csv');
    await writeFile(path, `timestamp,open,high,low,close,volume\n${T0 + M},1,2,0.5,1.5,3\n${T0},1,2,0.5,1.5,3\n`);
    const error = await rejection(loadBars(path, { cacheDir }));
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as DataFileError).line).toBe(3);
    expect(error.message).toContain(`${path}: line 3: out of order`);
    const loose = await loadBars(path, { cacheDir, strict: false });
    expect([loose.cache, loose.series.length]).toEqual(['hit', 2]);
  });

  it('refuses bars that contradict the timeframe of the file name or the option, from the file and from the cache', async () => {
    /** `count` rows `gap` apart from T0. */
    const spaced = (count: number, gap: number) =>
      ['timestamp,open,high,low,close,volume', ...Array.from({ length: count }, (_, k) => `${T0 + k * gap},1,2,0.5,1.5,3`)].join('\n');
    const finer = join(dir, 'ETH_BTC-1h.csv');
    await writeFile(finer, spaced(24, 5 * M));
    const message = `${finer}: the file name says 1h bars, but the bars are 5m apart, finer than 1h; rename the file to say 5m, or check its bars`;
    expect((await rejection(loadBars(finer, { cacheDir, cache: false }))).message).toBe(message);
    // The same refusal when the bars come from the cache, written by a load that did not check them.
    expect((await loadBars(finer, { cacheDir, strict: false })).series.timeframeMs).toBe(60 * M);
    const cached = await rejection(loadBars(finer, { cacheDir }));
    expect([cached.code, cached.message]).toEqual(['timeframe_contradicted', message]);
    const uneven = join(dir, 'ETH_BTC-1h.json');
    await writeFile(uneven, JSON.stringify(Array.from({ length: 10 }, (_, k) => [T0 + k * 90 * M, 1, 2, 0.5, 1.5, 3])));
    expect((await rejection(loadBars(uneven, { cacheDir }))).message).toBe(
      `${uneven}: the file name says 1h bars, but the bars are 90m apart, not a multiple of 1h; rename the file to say 90m, or check its bars`,
    );
    const given = join(dir, 'prices.csv');
    await writeFile(given, spaced(24, 5 * M));
    expect((await rejection(loadBars(given, { cacheDir, instrumentId: 'TEST:A/B', timeframeMs: 60 * M }))).message).toBe(
      `${given}: the timeframe given says 1h bars, but the bars are 5m apart, finer than 1h; give 5m, or check the bars`,
    );
    // Sparse bars of the stated length, and a few rows off its grid, are not a contradiction.
    const sparse = join(dir, 'ETH_BTC-5m.csv');
    await writeFile(sparse, spaced(200, 15 * M).replace(`\n${T0 + 100 * 15 * M},`, `\n${T0 + 100 * 15 * M + M},`));
    expect((await loadBars(sparse, { cacheDir, strict: false })).series.ts[100]).toBe(T0 + 100 * 15 * M + M);
    expect((await loadBars(sparse, { cacheDir })).series.timeframeMs).toBe(5 * M);
  });

  it('asks for an instrument when the name does not tell it, and names a missing file', async () => {
    const path = join(dir, 'prices.csv');
    await writeFile(path, CSV);
    expect((await rejection(loadBars(path, { cacheDir }))).code).toBe('instrument_unknown');
    expect((await rejection(loadBars(join(dir, 'absent.csv'), { cacheDir, instrumentId: 'TEST:A/B' }))).code).toBe('file_unreadable');
  });

  it('reports a header that does not fit its rows with the path as the source', async () => {
    const path = join(dir, 'BTC_USDT-1m.csv');
    await writeFile(path, `timestamp,open,high,low,close,volume\n${T0},1,2,x,1.5,3\n`);
    const error = await rejection(loadBars(path, { cacheDir }));
    expect(error.message).toBe(`${path}: line 2, column 4 (low): "x" is not a number; the header "timestamp,open,high,low,close,volume" does not fit this row`);
  });
});

describe('writeBarsCsv', () => {
  it('writes the canonical layout that loads back to the same bars', async () => {
    const source = join(dir, 'BTC_USDT-1m.csv');
    await writeFile(source, CSV);
    const loaded = await loadBars(source, { cache: false });
    const target = join(dir, 'out', 'BTC_USDT-1m.csv');
    await writeBarsCsv(target, loaded.series);
    const text = await readFile(target, 'utf8');
    expect(text).toBe(`timestamp,open,high,low,close,volume\n${T0},1,2,0.5,1.5,3\n${T0 + M},1.5,2.5,1,2,4\n${T0 + 2 * M},2,3,1.5,2.5,5\n`);
    expect((await loadBars(target, { cache: false })).series).toEqual(loaded.series);
    expect(await readdir(join(dir, 'out'))).toEqual(['BTC_USDT-1m.csv']);
  });
});

describe('format detection', () => {
  it('goes by extension, then by content', () => {
    expect(['a.csv', 'a.TXT', 'a.json', 'a.feather', 'a.arrow', 'a.csv.gz', 'a.bin'].map(formatByName)).toEqual(['csv', 'csv', 'json', 'feather', 'feather', 'csv', undefined]);
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(formatByContent(bytes('ARROW1\0\0'))).toBe('feather');
    expect(formatByContent(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 1]))).toBe('feather');
    expect(formatByContent(bytes('\n [[1,2]]'))).toBe('json');
    expect(formatByContent(bytes('timestamp,open'))).toBe('csv');
    expect(instrumentId('TEST:A/B')).toBe('TEST:A/B');
  });
});
