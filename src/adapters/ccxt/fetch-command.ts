import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Clock } from '../../core/clock.js';
import { FixRequestError } from '../../core/errors.js';
import type { UnixMs } from '../../core/time.js';
import type { BarSeries } from '../../data/bar-series.js';
import { parseTimeInput } from '../../data/ccxt/time-input.js';
import { fetchOhlcvDetailed, type OhlcvFetchProgress } from './ohlcv-fetcher.js';
import type { RetryNotice, Sleep } from './retry.js';

export interface FetchToFileOptions {
  /** ccxt exchange id, e.g. binance. */
  readonly exchange: string;
  /** Unified symbol, e.g. BTC/USDT or BTC/USDT:USDT. */
  readonly symbol: string;
  /** ccxt timeframe, e.g. 1m, 5m, 1h, 1d. */
  readonly timeframe: string;
  /** `YYYY-MM-DD` (UTC), an ISO date-time, or epoch ms: the first bar's open time (inclusive). */
  readonly since: string | number;
  /** Same forms; bars opening at or after it are left out. Default: now (only closed bars are written). */
  readonly until?: string | number;
  /** The CSV file to write (directories are created). */
  readonly out: string;
  /** Point ccxt at another host, e.g. a local fake exchange: http://127.0.0.1:8080. */
  readonly baseUrl?: string;
  /** Bars per request (default: the exchange's maximum). */
  readonly limit?: number;
  readonly onProgress?: (progress: OhlcvFetchProgress) => void;
  readonly onRetry?: (notice: RetryNotice) => void;
  /** For tests: time source, retry sleep, ccxt's request spacing, attempts per request. */
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  readonly rateLimitMs?: number;
  readonly maxAttempts?: number;
}

export interface FetchToFileResult {
  readonly bars: number;
  /** Open time of the first and last bar written. */
  readonly first: UnixMs;
  readonly last: UnixMs;
  /** Absolute path of the file written. */
  readonly path: string;
  readonly pages: number;
  /** Impossible candles the exchange sent that were left out. */
  readonly dropped: number;
}

/**
 * `conclave data fetch`: fetches closed OHLCV bars with ccxt and writes the canonical CSV
 * `timestamp,open,high,low,close,volume` (timestamp = bar open, epoch ms; numbers in their shortest exact form).
 * The file is written beside its final name and renamed into place, so a failed fetch never leaves half a file.
 * No bars in the range is a FixRequestError, and nothing is written.
 */
export async function fetchToFile(options: FetchToFileOptions): Promise<FetchToFileResult> {
  const since = parseTimeInput(options.since, '--since');
  const until = options.until === undefined ? undefined : parseTimeInput(options.until, '--until');
  const path = resolve(options.out);
  const result = await fetchOhlcvDetailed({
    exchange: options.exchange,
    symbol: options.symbol,
    timeframe: options.timeframe,
    since,
    until,
    baseUrl: options.baseUrl,
    limit: options.limit,
    onProgress: options.onProgress,
    onRetry: options.onRetry,
    clock: options.clock,
    sleep: options.sleep,
    rateLimitMs: options.rateLimitMs,
    maxAttempts: options.maxAttempts,
  });
  const { series } = result;
  if (series.length === 0) {
    const range = `${new Date(since).toISOString()} .. ${until === undefined ? 'now' : new Date(until).toISOString()}`;
    throw new FixRequestError('no_data', `${options.exchange} returned no closed ${options.symbol} ${options.timeframe} bars in ${range}`);
  }
  await writeBarsCsv(series, path);
  return {
    bars: series.length,
    first: series.ts[0] as UnixMs,
    last: series.ts[series.length - 1] as UnixMs,
    path,
    pages: result.pages,
    dropped: result.dropped,
  };
}

const ROWS_PER_CHUNK = 10_000;

async function writeBarsCsv(series: BarSeries, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  const file = createWriteStream(partial, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => file.once('error', reject));
  // Observed here so an error between awaits is not an unhandled rejection; still rejects the races below.
  failed.catch(() => undefined);
  try {
    const write = async (text: string): Promise<void> => {
      if (!file.write(text)) await Promise.race([once(file, 'drain'), failed]);
    };
    await write('timestamp,open,high,low,close,volume\n');
    for (let from = 0; from < series.length; from += ROWS_PER_CHUNK) {
      const to = Math.min(series.length, from + ROWS_PER_CHUNK);
      let chunk = '';
      for (let i = from; i < to; i++) {
        chunk += `${series.ts[i]},${series.open[i]},${series.high[i]},${series.low[i]},${series.close[i]},${series.volume[i]}\n`;
      }
      await write(chunk);
    }
    file.end();
    await Promise.race([once(file, 'finish'), failed]);
    await rename(partial, path);
  } catch (error) {
    file.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}
