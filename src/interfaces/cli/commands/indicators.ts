import type { Command } from 'commander';
import { loadBars } from '../../../adapters/files/load-bars.js';
import { FixRequestError } from '../../../core/errors.js';
import { computeIndicatorColumns } from '../../../indicators/registry.js';
import { instrumentForFile } from '../instrument-for-file.js';
import { addBarFileOptions, barFileLoadOptions, type BarFileOptions } from '../bar-file-options.js';
import { collect } from '../options.js';

export function registerIndicators(program: Command): void {
  const command = program
    .command('indicators')
    .description('Compute streaming indicators over a bar file and print their series per bar (empty before warm-up)')
    .requiredOption('--data <file>', 'bar file (CSV, freqtrade JSON or feather)')
    .requiredOption('--ind <spec>', 'indicator, repeatable: sma:30, ema:12, rsi:14, bb:20:2, macd:12:26:9, stoch:14:3:3, atr:14, adx:14, cci:20, roc:10, donchian:20, vwap, stddev:20, zscore:20, wma:10, rma:14, tr', collect)
    .option('--csv', 'CSV output (the default)')
    .option('--json', 'JSON output: { columns, rows }, the same columns as the CSV (null before warm-up); not with --csv')
    .option('--no-cache', 'do not use the binary bar cache');
  addBarFileOptions(command, 'CSV --data file')
    .action(async (options: BarFileOptions & { data: string; ind: string[]; csv?: boolean; json?: boolean; cache: boolean }) => {
      if (options.csv === true && options.json === true) {
        throw new FixRequestError('invalid_option', '--csv and --json are two output formats for the same series; give one (CSV is the default)');
      }
      const instrument = instrumentForFile(options.data);
      const loaded = await loadBars(options.data, { ...barFileLoadOptions(options), cache: options.cache, ...(instrument === undefined ? {} : { instrumentId: instrument }) });
      const series = loaded.series;
      const { columns, values } = computeIndicatorColumns(options.ind, series);
      const cell = (v: number | undefined): string => (v === undefined || Number.isNaN(v) ? '' : String(v));
      if (options.json === true) {
        const rows = Array.from({ length: series.length }, (_, i) => [series.ts[i], series.close[i], ...values.map((c) => (Number.isNaN(c[i] as number) ? null : c[i]))]);
        process.stdout.write(`${JSON.stringify({ columns: ['timestamp', 'close', ...columns], rows })}\n`);
        return;
      }
      const lines: string[] = [['timestamp', 'close', ...columns].join(',')];
      for (let i = 0; i < series.length; i++) {
        lines.push([String(series.ts[i]), cell(series.close[i]), ...values.map((c) => cell(c[i]))].join(','));
        if (lines.length >= 8192) {
          process.stdout.write(`${lines.join('\n')}\n`);
          lines.length = 0;
        }
      }
      if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
    });
}
