import { FixRequestError } from '../../../core/errors.js';
import { dirname, resolve } from 'node:path';
import { monotonicNs } from '../../../core/clock.js';
import { buildResult } from '../../../backtest/build-result.js';
import { runDeskBacktestAsync } from '../../../backtest/desk-backtest.js';
import { renderDeskSummary, summariseDesk, type DeskSummary } from '../../../backtest/desk-summary.js';
import { renderHtmlReport } from '../../../backtest/report/html-report.js';
import { renderTerminalSummary } from '../../../backtest/report/terminal-summary.js';
import type { BacktestResult } from '../../../backtest/result.js';
import { loadDeskData } from '../../../adapters/config/load-desk-data.js';
import { loadDesk } from '../../../adapters/config/load-desk.js';
import { JsonlJournal } from '../../../adapters/journal/jsonl-journal.js';
import { backtestKillSwitchWarning } from '../kill-switch-at-start.js';
import { openModels, type ModelOptions } from '../model-options.js';
import { progressBar } from '../progress.js';
import { assertOutputFiles, deskInputFiles, writeOutput } from '../output-files.js';
import { offTickWarning } from './off-tick-prices.js';
import type { DeskConfig } from '../../../config/desk-schema.js';
import type { BarSeries } from '../../../data/bar-series.js';
import type { Instrument } from '../../../domain/instrument.js';

export interface DeskBacktestOptions extends ModelOptions {
  desk: string;
  json?: string;
  report?: string;
  journal?: string;
  quiet?: boolean;
}

export type DeskBacktestResult = BacktestResult & { readonly desk: DeskSummary };

/** `conclave backtest --desk FILE`: the whole desk over its data, with the same result, report and journal files. */
export async function deskBacktestCommand(options: DeskBacktestOptions): Promise<DeskBacktestResult> {
  const loaded = await loadDesk(options.desk);
  const config = loaded.config;
  const base = dirname(resolve(options.desk));
  assertOutputFiles(
    [
      { flag: '--json', path: options.json, stdout: true },
      { flag: '--report', path: options.report, stdout: true },
      { flag: '--journal', path: options.journal },
    ],
    [{ flag: '--desk', path: options.desk }, { flag: '--records', path: options.records }, ...deskInputFiles(config, base)],
  );
  for (const warning of loaded.warnings) console.error(`Warning: ${warning}`);
  const loadStart = monotonicNs();
  const data = await loadDeskData(config, (path) => resolve(base, path));
  const loadMs = Number(monotonicNs() - loadStart) / 1e6;
  const journal = options.journal === undefined ? undefined : JsonlJournal.open(options.journal);
  if (journal !== undefined && journal.length > 0) {
    journal.close();
    throw new FixRequestError('journal_not_empty', `journal ${options.journal} already holds ${journal.length} events; give a new file`);
  }
  const models = await openModels(config, base, options);
  const total = [...data.series.values()].reduce((n, s) => n + s.length, 0);
  const toStdout = options.json === '-' || options.report === '-';
  const bar = options.quiet === true || toStdout ? undefined : progressBar('desk', total);
  const engineStart = monotonicNs();
  let outcome: Awaited<ReturnType<typeof runDeskBacktestAsync>>;
  try {
    outcome = await runDeskBacktestAsync(
      {
        config,
        data,
        ...(journal === undefined ? {} : { store: journal }),
        ...(models === undefined ? {} : { models }),
      },
      bar === undefined ? undefined : (done) => bar.update(done),
    );
  } finally {
    bar?.stop();
    journal?.close();
    models?.close();
  }
  const engineMs = Number(monotonicNs() - engineStart) / 1e6;
  const series = outcome.desk.setup.series;
  const killSwitch = backtestKillSwitchWarning(process.cwd(), config.risk.killSwitchFile);
  const offTick = [...(killSwitch === undefined ? [] : [killSwitch]), ...deskOffTickWarnings(config, outcome.desk.setup.instruments, series)];
  if (options.quiet === true || toStdout) for (const warning of offTick) console.error(`Warning: ${warning}`);
  const built = buildResult(outcome.run, { strategy: `desk:${config.desk.name}`, params: {}, series, timing: { loadMs, engineMs }, seed: config.desk.seed });
  const result: DeskBacktestResult = {
    ...built,
    warnings: [...offTick, ...built.warnings],
    desk: summariseDesk(outcome.desk, loaded.warnings),
  };
  if (options.json === '-') process.stdout.write(`${JSON.stringify(result)}\n`);
  else if (options.json !== undefined) writeOutput('--json', options.json, `${JSON.stringify(result, null, 2)}\n`);
  if (options.report !== undefined) writeOutput('--report', options.report, renderHtmlReport(result, series, { equity: { ts: outcome.run.ts, equity: outcome.run.equity }, desk: result.desk }));
  if (options.quiet !== true && !toStdout) {
    console.log(renderTerminalSummary(result, { color: process.stdout.isTTY === true }));
    console.log(renderDeskSummary(result.desk));
    if (options.journal !== undefined) console.log(`  Journal written to ${options.journal}: \`conclave explain ORDER_ID --journal ${options.journal}\``);
    if (models?.recordsPath !== undefined) console.log(`  Decision records in ${models.recordsPath} (${models.mode}): \`conclave decisions --records ${models.recordsPath}\``);
  }
  return result;
}

/**
 * Instruments read from files whose prices are finer than the desk file's tickSize: the simulated venue moves every
 * bar price to the nearest tick, so fills can land outside the bar's range. Synthetic markets are drawn on the tick.
 */
function deskOffTickWarnings(config: DeskConfig, instruments: readonly Instrument[], series: readonly BarSeries[]): string[] {
  return series.flatMap((s) => {
    const index = config.instruments.findIndex((i) => i.id === s.instrumentId);
    const instrument = instruments.find((i) => i.id === s.instrumentId);
    if (instrument === undefined || config.data[s.instrumentId]?.source !== 'file') return [];
    return offTickWarning(s, instrument, {
      name: `the tickSize ${instrument.tickSize.toPlainString()} of instruments[${index}]`,
      fix: 'give the instrument a tickSize that divides the prices',
    }) ?? [];
  });
}

