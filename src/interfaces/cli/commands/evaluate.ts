import { dirname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { monotonicNs } from '../../../core/clock.js';
import { evaluateDesk, requireBesideInstruments } from '../../../backtest/evaluate/evaluate.js';
import { renderEvaluation } from '../../../backtest/evaluate/render.js';
import type { IntervalMethod } from '../../../backtest/evaluate/interval.js';
import type { EvaluationReport } from '../../../backtest/evaluate/report.js';
import { loadDeskData } from '../../../adapters/config/load-desk-data.js';
import { loadDesk } from '../../../adapters/config/load-desk.js';
import { positiveInteger } from '../options.js';
import { assertOutputFiles, deskInputFiles, writeOutput } from '../output-files.js';
import type { DeskConfig } from '../../../config/desk-schema.js';
import type { DeskModels } from '../../../engine/desk/model-brains.js';
import type { OpenedModels } from '../../../adapters/llm/desk-models.js';
import { addModelOptions, openModels, type ModelOptions } from '../model-options.js';
import { progressBar } from '../progress.js';
import { backtestKillSwitchWarning } from '../kill-switch-at-start.js';

export interface EvaluateOptions extends ModelOptions {
  desk: string;
  seeds: number;
  periods: number;
  json?: string;
  quiet?: boolean;
  beside?: string;
  interval?: IntervalMethod;
}

export function registerEvaluate(program: Command): void {
  const command = program
    .command('evaluate')
    .description('Run a desk against buy-and-hold and a turnover-matched random agent under the same gate, data and costs, over several seeds and periods, with bootstrap (or Student-t) confidence intervals over the independent runs or periods')
    .requiredOption('--desk <file>', 'the desk file to evaluate')
    .option('--seeds <n>', 'seeds to run, from the desk seed up (synthetic data: a new market per seed; file data: only the random agent changes)', positiveInteger('--seeds'), 3)
    .option('--periods <n>', 'consecutive periods to cut the data into, each run on its own', positiveInteger('--periods'), 2)
    .option('--json <file>', 'write the evaluation as JSON, schema conclave.evaluate/2 ("-" for standard output)')
    .option('--quiet', 'print nothing but errors')
    .addOption(
      new Option('--interval <method>', 'the 95% intervals: an expanded percentile bootstrap of the independent runs or periods, or Student-t over them')
        .choices(['bootstrap', 'student-t'])
        .default('bootstrap'),
    )
    .option('--beside <file>', 'another desk (e.g. the rules desk beside a model-driven one) run on the same data, seeds and periods');
  addModelOptions(command).action(async (options: EvaluateOptions) => {
      await evaluateCommand(options);
    });
}

/** `conclave evaluate --desk FILE`: the desk and its baselines over seeds x periods; prints a table, writes JSON. */
export async function evaluateCommand(options: EvaluateOptions): Promise<EvaluationReport> {
  const { config, warnings } = await loadDesk(options.desk);
  const base = dirname(resolve(options.desk));
  const besideLoaded = options.beside === undefined ? undefined : await loadDesk(options.beside);
  assertOutputFiles(
    [{ flag: '--json', path: options.json, stdout: true }],
    [
      { flag: '--desk', path: options.desk },
      { flag: '--beside', path: options.beside },
      { flag: '--records', path: options.records },
      ...deskInputFiles(config, base),
      ...(besideLoaded === undefined ? [] : deskInputFiles(besideLoaded.config, dirname(resolve(options.beside ?? '.')))),
    ],
  );
  const killSwitch = backtestKillSwitchWarning(process.cwd(), config.risk.killSwitchFile);
  for (const warning of [...warnings, ...(besideLoaded?.warnings ?? []), ...(killSwitch === undefined ? [] : [killSwitch])]) console.error(`Warning: ${warning}`);
  const beside = besideLoaded?.config;
  if (beside !== undefined) requireBesideInstruments(config, beside, { desk: `--desk ${options.desk}`, beside: `--beside ${options.beside}` });
  // Each desk's model-driven brains, opened once for all its runs (none without model brains).
  const openedFor = new Map<DeskConfig, OpenedModels>();
  const desks: [DeskConfig, string][] = [[config, base]];
  if (beside !== undefined) desks.push([beside, dirname(resolve(options.beside ?? '.'))]);
  for (const [desk, from] of desks) {
    const made = await openModels(desk, from, options);
    if (made !== undefined) openedFor.set(desk, made);
  }
  const opened = [...openedFor.values()];
  const models = (desk: DeskConfig): DeskModels | undefined => openedFor.get(desk);
  const silent = options.quiet === true || options.json === '-';
  const bar = silent ? undefined : progressBar('evaluate', options.seeds * options.periods);
  const start = monotonicNs();
  let report: EvaluationReport;
  try {
    report = await evaluateDesk({
      config,
      seeds: options.seeds,
      periods: options.periods,
      loadData: (seed) => loadDeskData(config, (path) => resolve(base, path), seed),
      ...(bar === undefined ? {} : { onRun: (done: number) => bar.update(done) }),
      ...(beside === undefined ? {} : { beside }),
      ...(options.interval === undefined ? {} : { interval: options.interval }),
      models,
    });
  } finally {
    bar?.stop();
    for (const made of opened) made.close();
  }
  const seconds = Number(monotonicNs() - start) / 1e9;
  if (options.json === '-') process.stdout.write(`${JSON.stringify(report)}\n`);
  else if (options.json !== undefined) writeOutput('--json', options.json, `${JSON.stringify(report, null, 2)}\n`);
  if (!silent) {
    console.log(renderEvaluation(report));
    const runs = report.runs.length;
    console.log(`\n  ${runs} ${runs === 1 ? 'run' : 'runs'} in ${seconds.toFixed(1)} s${options.json === undefined ? '' : `; JSON written to ${options.json}`}`);
  }
  return report;
}
