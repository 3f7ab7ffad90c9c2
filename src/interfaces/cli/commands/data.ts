import type { Command } from 'commander';
import { loadBars, type LoadedBars } from '../../../adapters/files/load-bars.js';
import { writeBarsCsv } from '../../../adapters/files/write-bars-csv.js';
import { CANONICAL_CSV_HEADER, formatBarsCsvRows } from '../../../data/csv/format-bars-csv.js';
import type { BarSeries } from '../../../data/bar-series.js';
import { FixRequestError } from '../../../core/errors.js';
import { formatUnixMs, type UnixMs } from '../../../core/time.js';
import { checkBars } from '../../../data/check.js';
import { resampleBars } from '../../../data/resample.js';
import { parseCcxtTimeframe } from '../../../data/ccxt/timeframe.js';
import { formatTimeframe } from '../../../data/timeframe.js';
import { addBarFileOptions, barFileLoadOptions, type BarFileOptions } from '../bar-file-options.js';
import { instrumentForFile } from '../instrument-for-file.js';
import { positiveInteger, timeframeOption } from '../options.js';
import { assertOutputFiles, assertOutputPath } from '../output-files.js';
import { asOutputFileError } from '../system-errors.js';
import { progressBar } from '../progress.js';

export function registerData(program: Command): void {
  const data = program.command('data').description('Fetch, check and resample market data');

  data
    .command('fetch')
    .description('Download OHLCV bars from an exchange through ccxt (paginated, rate limited) into a canonical CSV')
    .requiredOption('--exchange <id>', 'ccxt exchange id, e.g. binance')
    .requiredOption('--symbol <symbol>', 'market symbol, e.g. BTC/USDT')
    .requiredOption('--timeframe <tf>', 'bar length, e.g. 1m, 5m, 1h, 1d')
    .requiredOption('--since <date>', 'first bar: YYYY-MM-DD, ISO 8601 or epoch ms')
    .option('--until <date>', 'stop before this time (default: now)')
    .option('--out <file>', 'output CSV (default: <exchange>_<BASE>_<QUOTE>[_<SETTLE>]-<tf>.csv, a name backtest reads the instrument from)')
    .option('--limit <bars>', 'bars per request', positiveInteger('--limit'))
    .option('--base-url <url>', 'send requests to this base URL instead of the exchange (testing, proxies)')
    .option('--json', 'print the outcome as JSON')
    .action(async (options: { exchange: string; symbol: string; timeframe: string; since: string; until?: string; out?: string; limit?: number; baseUrl?: string; json?: boolean }) => {
      // ccxt takes most of a second to import: only this command loads it.
      const { fetchToFile } = await import('../../../adapters/ccxt/fetch-command.js');
      const out = options.out ?? `${options.exchange}_${options.symbol.replace(/[/:]/g, '_')}-${options.timeframe}.csv`;
      assertOutputPath('--out', out);
      let bar: ReturnType<typeof progressBar> | undefined;
      const result = await fetchToFile({
        exchange: options.exchange,
        symbol: options.symbol,
        timeframe: options.timeframe,
        since: options.since,
        ...(options.until === undefined ? {} : { until: options.until }),
        out,
        ...(options.limit === undefined ? {} : { limit: options.limit }),
        ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
        onProgress: (p) => {
          const total = expectedBars(options.timeframe, p.since, p.until);
          bar ??= options.json === true ? undefined : progressBar('fetch', total);
          bar?.update(Math.min(total, p.bars));
        },
      });
      bar?.stop();
      if (options.json === true) console.log(JSON.stringify(result));
      else {
        console.log(
          `${result.bars} bars of ${options.symbol} ${options.timeframe} from ${options.exchange} (${formatUnixMs(result.first)} .. ${formatUnixMs(result.last)}) in ${result.pages} requests -> ${result.path}` +
            (result.dropped > 0 ? `; ${result.dropped} impossible candles dropped` : ''),
        );
      }
    });

  const check = data
    .command('check')
    .description('Report gaps, duplicates, out-of-order rows and impossible candles by file and line')
    .argument('<file>', 'bar file (CSV, freqtrade JSON or feather)')
    .option('--timeframe <tf>', 'expected bar length (default: from the file)')
    .option('--max <n>', 'issues to print', positiveInteger('--max'), 50)
    .option('--json', 'print the full report as JSON');
  addBarFileOptions(check)
    .action(async (file: string, options: BarFileOptions & { timeframe?: string; max: number; json?: boolean }) => {
      const timeframeMs = options.timeframe === undefined ? undefined : timeframeOption('--timeframe', options.timeframe);
      const instrument = instrumentForFile(file);
      const loaded = await loadBars(file, { ...barFileLoadOptions(options), strict: false, cache: false, ...(instrument === undefined ? {} : { instrumentId: instrument }), ...(timeframeMs === undefined ? {} : { timeframeMs }) });
      const report = checkBars(loaded, timeframeMs === undefined ? {} : { timeframeMs });
      if (options.json === true) {
        console.log(JSON.stringify(report));
      } else {
        const span = report.bars > 0 ? `${formatUnixMs(report.firstTs as UnixMs)} .. ${formatUnixMs(report.lastTs as UnixMs)}` : 'no bars';
        console.log(`${report.source}: ${report.bars} bars of ${formatTimeframe(report.timeframeMs)}, ${span}`);
        const counts = Object.entries(report.counts).filter(([, n]) => n > 0).map(([kind, n]) => `${n} ${kind}`);
        // A file without bars is refused by every command that reads bars: the check says so too.
        if (report.bars === 0) console.log('issues: the file has no bars; a backtest would refuse it');
        else console.log(counts.length === 0 ? 'no issues' : `issues: ${counts.join(', ')}${report.missingBars > 0 ? ` (${report.missingBars} bar${report.missingBars === 1 ? '' : 's'} missing)` : ''}`);
        // Each message names its kind ("gap: ...", "duplicate of ...").
        for (const issue of report.issues.slice(0, options.max)) console.log(`  ${issue.source}:${issue.line} ${issue.message}`);
        if (report.issues.length > options.max) console.log(`  ... and ${report.issues.length - options.max} more (--max, --json)`);
      }
      const refused = report.counts['out-of-order'] + report.counts.duplicate + report.counts.impossible;
      if (refused > 0 || report.bars === 0) process.exitCode = 1;
    });

  const resample = data
    .command('resample')
    .description('Resample bars to a longer timeframe (e.g. 1m -> 5m, 1h, 1d, 1w) into a canonical CSV; weeks start on Monday 00:00 UTC')
    .argument('<file>', 'bar file')
    .requiredOption('--to <tf>', 'target bar length, e.g. 5m, 1h, 1d, 1w')
    .requiredOption('--out <file>', 'output CSV ("-" for standard output)')
    .option('--from <tf>', 'source bar length, for a file whose bars do not tell it (a single bar, or sparse bars); default: from the file')
    .option('--keep-incomplete', 'keep partial buckets at the edges (default: drop them)');
  addBarFileOptions(resample)
    .action(async (file: string, options: BarFileOptions & { to: string; out: string; from?: string; keepIncomplete?: boolean }) => {
      assertOutputFiles([{ flag: '--out', path: options.out, stdout: true }], [{ flag: 'the input file', path: file }]);
      const targetMs = timeframeOption('--to', options.to);
      const fromMs = options.from === undefined ? undefined : timeframeOption('--from', options.from);
      const instrument = instrumentForFile(file);
      const loaded = await loadBars(file, { ...barFileLoadOptions(options), ...(instrument === undefined ? {} : { instrumentId: instrument }) });
      const sourceMs = sourceTimeframe(file, loaded, options.from, fromMs);
      const resampled = resampleBars(loaded.series, targetMs, { sourceTimeframeMs: sourceMs, incomplete: options.keepIncomplete === true ? 'keep' : 'drop' });
      if (resampled.length === 0 && loaded.series.length > 0) {
        throw new FixRequestError('no_bars', `${file}: its ${loaded.series.length} bars fill no whole ${options.to} bar; use a shorter --to, or --keep-incomplete to keep partial bars`);
      }
      if (options.out === '-') {
        writeCsvToStdout(resampled);
        // Standard output holds the bars: the outcome goes to standard error.
        console.error(`${loaded.series.length} bars -> ${resampled.length} bars of ${options.to} -> standard output`);
        return;
      }
      await writeBarsCsv(options.out, resampled).catch((error: unknown) => {
        throw asOutputFileError('--out', options.out, error);
      });
      console.log(`${loaded.series.length} bars -> ${resampled.length} bars of ${options.to} -> ${options.out}`);
    });
}

/** Canonical CSV on standard output, in chunks as writeBarsCsv writes a file. */
function writeCsvToStdout(series: BarSeries): void {
  const rowsPerWrite = 65_536;
  process.stdout.write(`${CANONICAL_CSV_HEADER}\n`);
  for (let from = 0; from < series.length; from += rowsPerWrite) process.stdout.write(formatBarsCsvRows(series, from, Math.min(series.length, from + rowsPerWrite)));
}

/**
 * The bar length to resample a file from: what the file says (its name, or the spacing of its bars), or `--from`
 * where the file cannot say (a single bar) or where its bars' spacing only bounds it (bars 2m apart may be 1m bars
 * with every other one missing). A file without bars has nothing to resample, and a `--from` the file name or the
 * bars contradict would label them wrongly: both are refused.
 */
function sourceTimeframe(file: string, loaded: LoadedBars, fromText: string | undefined, fromMs: number | undefined): number {
  const { length, timeframeMs: fileMs } = loaded.series;
  if (length === 0) throw new FixRequestError('empty_data', `${file} has no bars to resample`);
  if (fromMs === undefined) {
    if (fileMs > 0) return fileMs;
    throw new FixRequestError('unknown_timeframe', `${file}: a single bar does not tell its timeframe; give it with --from (e.g. --from 1m)`);
  }
  if (fileMs === 0 || fileMs === fromMs) return fromMs;
  if (loaded.timeframeFrom === 'bars') {
    if (fileMs % fromMs === 0) return fromMs;
    throw new FixRequestError('invalid_option', `--from ${fromText}: the bars of ${file} are ${formatTimeframe(fileMs)} apart, which ${fromText} bars cannot be`);
  }
  throw new FixRequestError('invalid_option', `--from ${fromText}: the bars of ${file} are ${formatTimeframe(fileMs)} bars`);
}

/** About how many bars of an exchange timeframe (a calendar month `1M` included) fit in [since, until): the fetch's progress total. */
export function expectedBars(timeframe: string, since: number, until: number): number {
  return Math.max(1, Math.ceil((until - since) / parseCcxtTimeframe(timeframe).approximateMs));
}
