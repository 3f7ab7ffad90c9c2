/**
 * Loads a candle file (CSV, freqtrade JSON, feather; optionally gzipped) into a bar series, through the binary
 * columnar cache: the first load parses the file and writes `<cacheDir>/<entry>.bars`; later loads of the same
 * file version with the same options read that instead. An entry is named `<hash of absolute path + options>-
 * <hash of size, modification and change times, inode>.bars`; writing a new version of a file's entry deletes the older versions, and an entry
 * that does not validate (stale, truncated, corrupt) is ignored and rewritten.
 *
 * Strict loading (the default, for backtests) refuses out-of-order, duplicate and impossible bars with an error
 * naming the first one; `strict: false` returns the bars as they are in the file (for the data check).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, unlink } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FixRequestError } from '../../core/errors.js';
import { instrumentId as toInstrumentId, type InstrumentId } from '../../core/ids.js';
import type { BarSeries } from '../../data/bar-series.js';
import { assertBarsUsable } from '../../data/check.js';
import { normalizeColumnName, type CsvColumnMapping, type CsvOptionNames } from '../../data/csv/layout.js';
import { parseBarsCsv, type EpochUnit } from '../../data/csv/parse-bars-csv.js';
import { parseDataFileName } from '../../data/freqtrade/file-name.js';
import { parseFreqtradeJson } from '../../data/freqtrade/json-candles.js';
import { inferTimeframe } from '../../data/infer-timeframe.js';
import type { SourcedBars } from '../../data/sourced-bars.js';
import { formatTimeframe } from '../../data/timeframe.js';
import { cacheSupported, decodeBarsCache, encodeBarsCache, readWholeFile, writeCacheFile } from './bars-cache.js';

export type BarFileFormat = 'csv' | 'json' | 'feather';
const FORMATS: readonly BarFileFormat[] = ['csv', 'json', 'feather'];

export interface LoadBarsOptions {
  /** Default: from a freqtrade-style file name (`ETH_BTC-5m.csv` -> `FILE:ETH/BTC`); required otherwise. */
  readonly instrumentId?: InstrumentId | string;
  /** Bar length in ms. Default: from the file name (`-5m`), else inferred from the timestamps. */
  readonly timeframeMs?: number;
  /** Default: by extension (`.csv`/`.txt`/`.tsv`, `.json`, `.feather`/`.arrow`/`.ipc`, each optionally `.gz`), else by content. */
  readonly format?: BarFileFormat;
  /** CSV: explicit columns (roles left out are detected from the header). */
  readonly columns?: CsvColumnMapping;
  /** CSV: prices from Adj Close (open/high/low scaled by Adj Close / Close). */
  readonly useAdjClose?: boolean;
  /** CSV: whether the first line is a header (default: detected). */
  readonly header?: boolean;
  /** CSV: the delimiter (default: detected from the first line). */
  readonly delimiter?: string;
  /** CSV: the unit of numeric timestamps (default: by magnitude). */
  readonly epochUnit?: EpochUnit;
  /** CSV: how layout errors name the options above (the CLI passes its flags); not part of what a file yields. */
  readonly optionNames?: CsvOptionNames;
  /** Refuse out-of-order, duplicate and impossible bars (default true). */
  readonly strict?: boolean;
  /** Use the binary cache (default true). */
  readonly cache?: boolean;
  /** Default: `.conclave/cache` under the current working directory. */
  readonly cacheDir?: string;
}

export interface LoadedBars extends SourcedBars {
  /** The absolute path of the file. */
  readonly path: string;
  readonly format: BarFileFormat;
  /** `hit`: read from the cache; `written`: parsed and cached; `off`: not cached; `unwritable`: parsed, cache not writable. */
  readonly cache: 'hit' | 'written' | 'off' | 'unwritable';
  /** Where the bar length came from: the `timeframeMs` option, the file name (`-5m`), or the spacing of the bars. */
  readonly timeframeFrom: 'option' | 'name' | 'bars';
}

/** Bump when parsing changes what a file yields, so old cache entries stop matching. */
const PARSER_VERSION = 4;
const FEATHER_MAGIC = 'ARROW1';

export async function loadBars(path: string, options: LoadBarsOptions = {}): Promise<LoadedBars> {
  const absolute = resolve(path);
  const fileName = basename(absolute);
  const named = parseDataFileName(fileName.replace(/\.gz$/i, ''));
  const instrumentId =
    options.instrumentId !== undefined ? toInstrumentId(options.instrumentId) : named?.instrumentId;
  if (instrumentId === undefined) {
    throw new FixRequestError(
      'instrument_unknown',
      `${path}: cannot tell the instrument from the file name; pass an instrument id (e.g. BINANCE:BTC/USDT)`,
    );
  }
  const timeframeMs = options.timeframeMs ?? named?.timeframeMs;
  let info;
  try {
    info = await stat(absolute, { bigint: true });
  } catch (error) {
    throw new FixRequestError('file_unreadable', `${path}: cannot read the file (${(error as Error).message})`, { cause: error });
  }
  if (!info.isFile()) throw new FixRequestError('not_a_file', `${path}: is ${info.isDirectory() ? 'a directory' : 'not a regular file'}; give a bar file`);
  const useCache = (options.cache ?? true) && cacheSupported;
  const cacheDir = resolve(options.cacheDir ?? join(process.cwd(), '.conclave', 'cache'));
  const parseOptions = {
    format: options.format ?? null,
    instrumentId,
    timeframeMs: timeframeMs ?? null,
    columns: options.columns === undefined ? null : mappingKey(options.columns),
    useAdjClose: options.useAdjClose ?? false,
    header: options.header ?? null,
    delimiter: options.delimiter ?? null,
    epochUnit: options.epochUnit ?? null,
  };
  const entryPrefix = hash(JSON.stringify([absolute, parseOptions]));
  // The change time and inode too: a file rewritten with its old size and modification time (`cp -p`, `touch -r`,
  // an unpacked archive) still gets a new change time, which no tool can set back.
  const version = { size: info.size.toString(), mtimeNs: info.mtimeNs.toString(), ctimeNs: info.ctimeNs.toString(), ino: info.ino.toString(), parser: PARSER_VERSION };
  const entryName = `${entryPrefix}-${hash(JSON.stringify(version))}.bars`;
  const entryPath = join(cacheDir, entryName);
  const key = JSON.stringify({ path: absolute, options: parseOptions, ...version });

  let bars: SourcedBars | undefined;
  let format: BarFileFormat | undefined;
  let cache: LoadedBars['cache'] = 'off';
  if (useCache) {
    const buffer = await readWholeFile(entryPath);
    const cached = buffer === undefined ? undefined : decodeBarsCache(buffer, key, path, instrumentId);
    if (cached !== undefined) {
      bars = cached.bars;
      format = FORMATS[cached.tag];
      cache = 'hit';
    }
  }
  if (bars === undefined) {
    let bytes: Uint8Array = await readFile(absolute);
    if (/\.gz$/i.test(fileName)) bytes = gunzipSync(bytes);
    format = options.format ?? formatByName(fileName) ?? formatByContent(bytes);
    bars = await parse(format, bytes, { instrumentId, source: path, timeframeMs, options });
    if (useCache) {
      try {
        await writeCacheFile(entryPath, cacheDir, encodeBarsCache(bars, key, FORMATS.indexOf(format)));
        await removeOlderVersions(cacheDir, entryPrefix, entryName);
        cache = 'written';
      } catch {
        cache = 'unwritable';
      }
    }
  }
  const timeframeFrom = options.timeframeMs !== undefined ? 'option' : named?.timeframeMs !== undefined ? 'name' : 'bars';
  if (options.strict ?? true) {
    assertBarsUsable(bars);
    if (timeframeFrom !== 'bars') assertSpacingFits(path, bars.series, timeframeFrom);
  }
  return { ...bars, path: absolute, format: format ?? 'csv', cache, timeframeFrom };
}

/**
 * Refuses bars whose spacing contradicts the bar length the file name or the caller states (an `ETH_BTC-1h.csv`
 * of 5m bars): finer than it, or no multiple of it. Trusted, it would label every bar wrongly and scale every
 * annualised figure by the wrong number of bars a year. Bars of the stated length with gaps are fine.
 */
function assertSpacingFits(path: string, series: BarSeries, from: 'option' | 'name'): void {
  const stated = series.timeframeMs;
  const spacing = inferTimeframe(series.ts, series.length);
  if (spacing === 0 || spacing % stated === 0) return;
  const how = `${spacing < stated ? 'finer than' : 'not a multiple of'} ${formatTimeframe(stated)}`;
  const fix = from === 'name' ? `rename the file to say ${formatTimeframe(spacing)}, or check its bars` : `give ${formatTimeframe(spacing)}, or check the bars`;
  const stating = from === 'name' ? 'the file name says' : 'the timeframe given says';
  throw new FixRequestError(
    'timeframe_contradicted',
    `${path}: ${stating} ${formatTimeframe(stated)} bars, but the bars are ${formatTimeframe(spacing)} apart, ${how}; ${fix}`,
  );
}

/**
 * A mapping as the cache key holds it: roles in one order and names matched as the layout matches them, so one
 * mapping written two ways shares an entry, and any two mappings that pick different columns never do.
 */
function mappingKey(columns: CsvColumnMapping): [string, string | number][] {
  return Object.entries(columns)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([role, column]): [string, string | number] => [role, typeof column === 'number' ? column : normalizeColumnName(column)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

async function parse(
  format: BarFileFormat,
  bytes: Uint8Array,
  context: { instrumentId: InstrumentId; source: string; timeframeMs: number | undefined; options: LoadBarsOptions },
): Promise<SourcedBars> {
  const { instrumentId, source, timeframeMs, options } = context;
  const common = timeframeMs === undefined ? { instrumentId, source } : { instrumentId, source, timeframeMs };
  switch (format) {
    case 'json':
      return parseFreqtradeJson(bytes, common);
    case 'feather': {
      // apache-arrow is loaded only for feather files: CSV and JSON loads stay fast to start.
      const { parseFeatherBars } = await import('./feather-bars.js');
      return parseFeatherBars(bytes, common);
    }
    case 'csv': {
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
      return parseBarsCsv(text, {
        ...common,
        ...(options.columns === undefined ? {} : { columns: options.columns }),
        ...(options.useAdjClose === undefined ? {} : { useAdjClose: options.useAdjClose }),
        ...(options.header === undefined ? {} : { header: options.header }),
        ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
        ...(options.epochUnit === undefined ? {} : { epochUnit: options.epochUnit }),
        ...(options.optionNames === undefined ? {} : { optionNames: options.optionNames }),
      });
    }
  }
}

/** The format a file name says (ignoring a final `.gz`), or undefined. */
export function formatByName(fileName: string): BarFileFormat | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName.replace(/\.gz$/i, ''))?.[1]?.toLowerCase();
  if (extension === 'csv' || extension === 'txt' || extension === 'tsv') return 'csv';
  if (extension === 'json') return 'json';
  if (extension === 'feather' || extension === 'arrow' || extension === 'ipc') return 'feather';
  return undefined;
}

/** The format the bytes look like: Arrow's magic, a JSON array, else CSV. */
export function formatByContent(bytes: Uint8Array): BarFileFormat {
  let magic = '';
  for (let k = 0; k < FEATHER_MAGIC.length && k < bytes.length; k++) magic += String.fromCharCode(bytes[k] as number);
  // Feather v2 / the Arrow file format starts with ARROW1; the stream format with a 0xFFFFFFFF continuation.
  if (magic === FEATHER_MAGIC || (bytes[0] === 0xff && bytes[1] === 0xff && bytes[2] === 0xff && bytes[3] === 0xff)) return 'feather';
  for (const byte of bytes.subarray(0, 64)) {
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0xef || byte === 0xbb || byte === 0xbf) continue;
    return byte === 0x5b ? 'json' : 'csv';
  }
  return 'csv';
}

/** Deletes cache entries of the same file and options for other file versions. */
async function removeOlderVersions(cacheDir: string, entryPrefix: string, keep: string): Promise<void> {
  const names = await readdir(cacheDir);
  await Promise.all(
    names
      .filter((name) => name.startsWith(`${entryPrefix}-`) && name.endsWith('.bars') && name !== keep)
      .map((name) => unlink(join(cacheDir, name)).catch(() => undefined)),
  );
}
