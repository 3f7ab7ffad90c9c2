import type { Command } from 'commander';
import { monotonicNs } from '../../../core/clock.js';
import { FixRequestError } from '../../../core/errors.js';
import { Fixed } from '../../../core/fixed.js';
import { instrumentId, parseInstrumentId, type InstrumentId } from '../../../core/ids.js';
import { buildResult } from '../../../backtest/build-result.js';
import { DEFAULT_BOOTSTRAP_SAMPLES } from '../../../backtest/metrics.js';
import { renderHtmlReport } from '../../../backtest/report/html-report.js';
import { renderTerminalSummary } from '../../../backtest/report/terminal-summary.js';
import type { BacktestResult } from '../../../backtest/result.js';
import { runBacktest } from '../../../backtest/runner.js';
import type { Sizing } from '../../../backtest/sizing.js';
import type { BarSeries } from '../../../data/bar-series.js';
import { defineInstrument, type Instrument, type InstrumentSpec } from '../../../domain/instrument.js';
import { createStrategy, effectiveParameters } from '../../../strategies/registry.js';
import { loadBars } from '../../../adapters/files/load-bars.js';
import { BootstrapThread, worthABootstrapThread } from '../../../adapters/workers/bootstrap-thread.js';
import { collect, collectParam, decimalText, leverageNumber, nonNegativeDecimal, nonNegativeNumber, positiveInteger, positiveNumber } from '../options.js';
import { assertOutputFiles, writeOutput } from '../output-files.js';
import { loadPerpetualFiles, runInputFiles } from './run-input-files.js';
import { strategyChoice } from '../parameters-file.js';
import { assertLinearPerpetual, instrumentForFile } from '../instrument-for-file.js';
import { offTickWarning } from './off-tick-prices.js';
import { progressBar } from '../progress.js';
import { addModelOptions, type ModelOptions } from '../model-options.js';
import { addBarFileOptions, barFileLoadOptions, type BarFileOptions } from '../bar-file-options.js';

/** The market, sizing, cost and account options `backtest` and `optimize` share. */
export interface RunOptions extends BarFileOptions {
  data: string[];
  strategy: string;
  symbol?: string[];
  qty?: number;
  notional?: number;
  equityPct?: number;
  volTarget?: string;
  fee?: number;
  makerFee?: number;
  takerFee?: number;
  /** The decimal text as given (see nonNegativeDecimal). */
  slippageBps?: string;
  fill: 'next-open' | 'close';
  cash: string;
  leverage?: number;
  tick?: string;
  lot: string;
  funding?: string[];
  marks?: string[];
  json?: string;
  cache: boolean;
  quiet?: boolean;
}

export interface BacktestOptions extends RunOptions, ModelOptions {
  param?: Record<string, string>;
  /** An exported best-parameters file (see parameters-file.ts). */
  params?: string;
  trials?: number;
  report?: string;
  desk?: string;
  journal?: string;
}

/** Declares the shared options on a command. */
export function addRunOptions(command: Command, required = true): Command {
  const data = 'bar file: CSV (canonical, Date+Time or Adj Close layouts), freqtrade JSON or feather; repeat for several instruments';
  const strategy = 'strategy name (sma-cross, ema-cross, bb-rsi, donchian, pairs-zscore, funding-carry, buy-and-hold, random-agent)';
  const withData = required ? command.requiredOption('--data <file>', data, collect).requiredOption('--strategy <name>', strategy) : command.option('--data <file>', data, collect).option('--strategy <name>', strategy);
  return addBarFileOptions(withData, 'CSV --data files')
    .option('--symbol <BASE/QUOTE[:SETTLE]>', 'instrument of each --data file, in order (default: from freqtrade-style file names)', collect)
    .option('--qty <quantity>', 'size each position at a fixed quantity (default 1)', positiveNumber('--qty'))
    .option('--notional <amount>', 'size each position at a fixed notional', positiveNumber('--notional'))
    .option('--equity-pct <percent>', 'size each position at a percentage of equity, times the signal\'s conviction (0..1)', positiveNumber('--equity-pct'))
    .option('--vol-target <vol[:lookback]>', 'size to an annualised volatility target over a lookback of bars (default 100), times the signal\'s conviction, e.g. 0.2:100')
    .option('--fee <rate>', 'maker and taker fee rate (e.g. 0.001 = 0.1%)', nonNegativeNumber('--fee'))
    .option('--maker-fee <rate>', 'maker fee rate', nonNegativeNumber('--maker-fee'))
    .option('--taker-fee <rate>', 'taker fee rate', nonNegativeNumber('--taker-fee'))
    .option('--slippage-bps <bps>', 'fixed slippage for takers, in basis points', nonNegativeDecimal('--slippage-bps'))
    .option('--fill <when>', 'market orders fill at the next bar open (next-open) or this bar close (close)', 'next-open')
    .option('--cash <amount>', 'starting cash in the quote (settlement) currency', decimalText('--cash'), '100000')
    .option('--leverage <x>', 'leverage for perpetuals, at least 1 (default 1)', leverageNumber('--leverage'))
    .option('--tick <size>', 'price tick (default: the finest decimal in the data)', decimalText('--tick'))
    .option('--lot <size>', 'quantity step', decimalText('--lot'), '0.00000001')
    .option('--funding <[symbol=]file>', "funding rates of a perpetual (freqtrade's layout: the rate in the open column); the symbol picks the perpetual when there are several", collect)
    .option('--marks <[symbol=]file>', 'mark-price candles of a perpetual (each close is the mark at the candle close)', collect)
    .option('--no-cache', 'do not use the binary bar cache')
    .option('--quiet', 'print nothing but errors');
}

export function registerBacktest(program: Command): void {
  const command = addRunOptions(
    program
      .command('backtest')
      .description('Backtest a strategy (--data, --strategy) or a whole desk (--desk) on historical bars through the risk gate, OMS, simulated venue and ledger'),
    false,
  )
    .option('--desk <file>', 'backtest the whole desk a desk file describes (its data, agents, capital and risk)')
    .option('--journal <file>', 'with --desk: write every event to this JSONL journal (for `conclave explain`)');
  addModelOptions(command, 'with --desk: ')
    .option('--param <name=value>', 'strategy parameter, repeatable (e.g. --param fast=10 --param slow=30); wins over --params', collectParam)
    .option('--params <file>', 'the strategy and parameters optimize exported (--export); --strategy may then be left out')
    .option('--trials <n>', 'configurations tried to arrive at these parameters, for the deflated Sharpe (default 1, or the --params file\'s trials)', positiveInteger('--trials'))
    .option('--json <file>', 'write the result as JSON ("-" for standard output)')
    .option('--report <file>', 'write a self-contained HTML report ("-" for standard output)')
    .action(async (options: BacktestOptions, self: Command) => {
      if (options.desk !== undefined) {
        // The desk file sets its own data, strategies, capital and costs: an option that would be ignored is refused.
        const ignored = STRATEGY_RUN_OPTIONS.filter((option) => self.getOptionValueSource(option.key) === 'cli').map((option) => option.flag);
        if (ignored.length > 0) {
          throw new FixRequestError('invalid_option', `${ignored.join(', ')} ${ignored.length === 1 ? 'does' : 'do'} not apply with --desk: the desk file sets its data, agents, capital and costs`);
        }
        // The desk's config schemas and model adapters load only for a desk run.
        const { deskBacktestCommand } = await import('./desk-backtest.js');
        await deskBacktestCommand({ ...options, desk: options.desk });
        return;
      }
      if (options.llmMode !== undefined || options.records !== undefined) throw new FixRequestError('invalid_option', '--llm-mode and --records go with --desk');
      if (options.data === undefined || (options.strategy === undefined && options.params === undefined)) {
        throw new FixRequestError('invalid_option', 'backtest needs --data and --strategy, or --desk FILE (--params FILE can name the strategy)');
      }
      if (options.journal !== undefined) throw new FixRequestError('invalid_option', '--journal goes with --desk');
      const result = await backtestCommand(options);
      const summary = options.json !== '-' && options.report !== '-' && options.quiet !== true;
      // The summary lists the warnings; without it they go to standard error: none may pass unnoticed.
      if (!summary) for (const warning of result.warnings) console.error(`conclave: warning: ${warning}`);
      if (options.json === '-') process.stdout.write(`${JSON.stringify(result)}\n`);
      else if (summary) console.log(renderTerminalSummary(result, { color: process.stdout.isTTY === true }));
    });
}

/** Options of a strategy backtest that a desk file settles for itself. */
const STRATEGY_RUN_OPTIONS: readonly { readonly key: string; readonly flag: string }[] = [
  ['data', '--data'],
  ['strategy', '--strategy'],
  ['symbol', '--symbol'],
  ['param', '--param'],
  ['params', '--params'],
  ['trials', '--trials'],
  ['qty', '--qty'],
  ['notional', '--notional'],
  ['equityPct', '--equity-pct'],
  ['volTarget', '--vol-target'],
  ['fee', '--fee'],
  ['makerFee', '--maker-fee'],
  ['takerFee', '--taker-fee'],
  ['slippageBps', '--slippage-bps'],
  ['fill', '--fill'],
  ['cash', '--cash'],
  ['leverage', '--leverage'],
  ['tick', '--tick'],
  ['lot', '--lot'],
  ['funding', '--funding'],
  ['marks', '--marks'],
  ['columns', '--columns'],
  ['adjClose', '--adj-close'],
  ['delimiter', '--delimiter'],
  ['header', '--header/--no-header'],
  ['epochUnit', '--epoch-unit'],
].map(([key, flag]) => ({ key: key as string, flag: flag as string }));

/** Loads the data, runs the backtest and writes the requested files; returns the result. */
export async function backtestCommand(options: BacktestOptions): Promise<BacktestResult> {
  checkRunOptions(options);
  const choice = strategyChoice(options);
  const sizing = sizingOf(options);
  assertOutputFiles(
    [
      { flag: '--json', path: options.json, stdout: true },
      { flag: '--report', path: options.report, stdout: true },
    ],
    runInputFiles(options),
  );
  const loadStart = monotonicNs();
  const series = await loadSeries(options);
  const loadMs = Number(monotonicNs() - loadStart) / 1e6;
  checkLeverageApplies(options, series);
  const instruments = series.map((s) => defineInstrument(instrumentSpecFor(s, options)));
  // Only a tick given can be coarser than the prices: the default is the finest the data uses.
  const warnings = options.tick === undefined ? [] : series.flatMap((s, i) => offTickWarning(s, instruments[i] as Instrument) ?? []);
  const perpetualData = await loadPerpetualFiles(options, instruments, series);
  const first = instruments[0] as Instrument;
  const strategy = createStrategy(choice.strategy, choice.parameters, instruments.map((i) => i.id));
  const leverage = options.leverage === undefined ? undefined : new Map(instruments.filter((i) => i.kind === 'perpetual').map((i) => [i.id, Fixed.parse(leverageDecimal(options.leverage as number))]));
  const total = series.reduce((n, s) => n + s.length, 0);
  // Half of the Sharpe bootstrap of a long run goes to a second thread, which starts up while the engine runs.
  const bootstrapThread = worthABootstrapThread(total, DEFAULT_BOOTSTRAP_SAMPLES) ? BootstrapThread.start() : undefined;
  try {
    const bar = options.quiet === true || options.json === '-' || options.report === '-' ? undefined : progressBar('backtest', total);
    const engineStart = monotonicNs();
    const run = runBacktest({
      series,
      instruments,
      strategy,
      cash: { [first.settle]: options.cash },
      valuationCurrency: first.settle,
      sizing,
      venue: {
        barExecution: options.fill,
        ...(options.slippageBps === undefined ? {} : { slippage: { kind: 'fixed-bps', bps: Fixed.parse(options.slippageBps) } }),
      },
      ...(leverage === undefined ? {} : { leverage }),
      ...(perpetualData.funding.length === 0 ? {} : { funding: perpetualData.funding }),
      ...(perpetualData.marks.length === 0 ? {} : { marks: perpetualData.marks }),
      ...(bar === undefined ? {} : { onProgress: (done: number) => bar.update(done) }),
    });
    const engineMs = Number(monotonicNs() - engineStart) / 1e6;
    bar?.stop();
    // Defaults included, so the result says exactly what ran and can be run again from its JSON.
    const params = effectiveParameters(choice.strategy, choice.parameters);
    const result = buildResult(run, {
      strategy: choice.strategy,
      params,
      trials: choice.trials,
      series,
      timing: { loadMs, engineMs },
      warnings,
      ...(bootstrapThread === undefined ? {} : { resample: bootstrapThread.resample }),
    });
    if (options.json !== undefined && options.json !== '-') writeOutput('--json', options.json, `${JSON.stringify(result, null, 2)}\n`);
    if (options.report !== undefined) writeOutput('--report', options.report, renderHtmlReport(result, series, { equity: { ts: run.ts, equity: run.equity } }));
    return result;
  } finally {
    await bootstrapThread?.close();
  }
}

/** Loads each --data file (with its --symbol, if given). */
export async function loadSeries(options: Pick<BacktestOptions, 'data' | 'symbol' | 'cache' | keyof BarFileOptions>): Promise<BarSeries[]> {
  const symbols = options.symbol ?? [];
  if (symbols.length > options.data.length) {
    throw new FixRequestError('invalid_option', `${symbols.length} --symbol values for ${options.data.length} --data file${options.data.length === 1 ? '' : 's'}: give one --symbol per --data file, in order`);
  }
  const series: BarSeries[] = [];
  for (const [index, path] of options.data.entries()) {
    const instrument = instrumentForFile(path, options.symbol?.[index]);
    const loaded = await loadBars(path, { ...barFileLoadOptions(options), cache: options.cache, ...(instrument === undefined ? {} : { instrumentId: instrument }) });
    if (loaded.series.length === 0) throw new FixRequestError('empty_data', `${path} has no bars`);
    // A --symbol was checked as given; a symbol read from the file's name is checked here.
    if (instrument === undefined) assertLinearPerpetual(loaded.series.instrumentId, `${path} (trades as ${loaded.series.instrumentId})`);
    const earlier = series.findIndex((s) => s.instrumentId === loaded.series.instrumentId);
    if (earlier >= 0) throw sameInstrument(options.data[earlier] as string, path, loaded.series.instrumentId);
    series.push(loaded.series);
  }
  return series;
}

/** Two files of one instrument would feed its bars twice (or out of order): said with the way out. */
function sameInstrument(first: string, second: string, id: string): FixRequestError {
  const symbol = id.slice(id.indexOf(':') + 1);
  const other = symbol.replace('/', '2/');
  return new FixRequestError(
    'duplicate_instrument',
    `--data ${first} and --data ${second} both trade as ${id} (an instrument takes one series): give each file its own --symbol, one per --data file in order (e.g. ${symbol} for one and ${other} for the other)`,
  );
}

/**
 * Refuses execution, cost and account options that cannot be meant, before any data is read: a fill rule other than
 * next-open or close, a fee of 100% or more, slippage of 100% or more, no cash.
 */
export function checkRunOptions(options: Pick<RunOptions, 'fill' | 'fee' | 'makerFee' | 'takerFee' | 'slippageBps' | 'cash'>): void {
  if (options.fill !== 'next-open' && options.fill !== 'close') {
    throw new FixRequestError('invalid_option', `--fill must be next-open or close, got "${String(options.fill)}"`);
  }
  for (const [flag, rate] of [['--fee', options.fee], ['--maker-fee', options.makerFee], ['--taker-fee', options.takerFee]] as const) {
    if (rate !== undefined && rate >= 1) throw new FixRequestError('invalid_option', `${flag} ${rate}: a fee rate is a fraction of the notional (0.001 = 0.1%), below 1`);
  }
  if (options.slippageBps !== undefined && Fixed.parse(options.slippageBps).gte(Fixed.parse('10000'))) {
    throw new FixRequestError('invalid_option', `--slippage-bps ${options.slippageBps}: slippage of 10,000 bps (100%) or more would price a sell at zero or below`);
  }
  if (!Fixed.parse(options.cash).isPositive()) throw new FixRequestError('invalid_option', `--cash ${options.cash}: the starting cash must be positive`);
}

/** Refuses --leverage when no loaded instrument is a perpetual. */
export function checkLeverageApplies(options: Pick<RunOptions, 'leverage'>, series: readonly BarSeries[]): void {
  if (options.leverage !== undefined && !series.some((s) => parseInstrumentId(instrumentId(s.instrumentId)).settle !== undefined)) {
    throw new FixRequestError('invalid_option', '--leverage applies to perpetuals (BASE/QUOTE:SETTLE); every --data instrument here is spot');
  }
}

/** The leverage the books use: the option's value to 4 decimal places. */
export function leverageDecimal(leverage: number): string {
  return Fixed.fromNumberApprox(leverage, 4).toString();
}

export function sizingOf(options: Pick<BacktestOptions, 'qty' | 'notional' | 'equityPct' | 'volTarget'>): Sizing {
  const chosen = [options.qty, options.notional, options.equityPct, options.volTarget].filter((v) => v !== undefined).length;
  if (chosen > 1) throw new FixRequestError('invalid_option', 'choose one sizing: --qty, --notional, --equity-pct or --vol-target');
  if (options.notional !== undefined) return { kind: 'fixed-notional', notional: options.notional };
  if (options.equityPct !== undefined) {
    if (!(options.equityPct <= 1000)) throw new FixRequestError('invalid_option', `--equity-pct ${options.equityPct}: at most 1000 (percent of equity, leverage included)`);
    return { kind: 'percent-equity', fraction: options.equityPct / 100 };
  }
  if (options.volTarget !== undefined) {
    const parts = options.volTarget.split(':');
    const [vol, lookback] = parts;
    const annualVol = Number(vol);
    const bars = lookback === undefined ? 100 : Number(lookback);
    if (parts.length > 2 || !(annualVol > 0) || !Number.isInteger(bars) || bars < 2) {
      throw new FixRequestError('invalid_option', `--vol-target must look like 0.2 or 0.2:100, got "${options.volTarget}"`);
    }
    return { kind: 'volatility-target', annualVol, lookback: bars };
  }
  return { kind: 'fixed-quantity', quantity: options.qty ?? 1 };
}

/** The instrument a series trades as, from the fee, tick, lot and leverage options. */
export function instrumentSpecFor(
  series: BarSeries,
  options: Pick<BacktestOptions, 'fee' | 'makerFee' | 'takerFee' | 'tick' | 'lot' | 'leverage'>,
): InstrumentSpec {
  const id: InstrumentId = instrumentId(series.instrumentId);
  const perpetual = parseInstrumentId(id).settle !== undefined;
  const maker = options.makerFee ?? options.fee ?? 0;
  const taker = options.takerFee ?? options.fee ?? 0;
  return {
    id,
    tickSize: options.tick ?? inferTick(series),
    lotSize: options.lot,
    minQuantity: options.lot,
    makerFee: String(maker),
    takerFee: String(taker),
    ...(perpetual ? { maxLeverage: String(Math.max(1, options.leverage ?? 1)) } : {}),
  };
}

/** The most decimal places a tick may have; a price read at 12 significant digits carries at most this many. */
const MAX_TICK_DECIMALS = 12;
const POWERS_OF_TEN = Array.from({ length: MAX_TICK_DECIMALS + 1 }, (_, d) => 10 ** d);

/**
 * The finest decimal step the prices use (at most 12 places): a tick no price in the data falls between. Every
 * price of every bar counts, read at 12 significant digits, so float noise in a file (1.1602999999999999 for
 * 1.1603) does not pass for a finer tick.
 */
export function inferTick(series: BarSeries): string {
  let decimals = 0;
  for (const column of [series.open, series.high, series.low, series.close]) {
    for (let i = 0; i < series.length; i++) {
      const price = column[i] as number;
      // Most prices already fit the places found so far: one multiplication tells, within float noise.
      const scaled = price * (POWERS_OF_TEN[decimals] as number);
      if (Math.abs(scaled - Math.round(scaled)) <= Math.abs(scaled) * 5e-13) continue;
      decimals = Math.max(decimals, decimalPlaces(price, decimals));
      if (decimals === MAX_TICK_DECIMALS) return tickOf(decimals);
    }
  }
  return tickOf(decimals);
}

/** The decimal places of a price rounded to 12 significant digits, when more than `atLeast`. */
function decimalPlaces(price: number, atLeast: number): number {
  if (!Number.isFinite(price) || price === 0) return atLeast;
  const exponent = Math.floor(Math.log10(Math.abs(price)));
  // 12 significant digits reach this many places; digits below them are float noise.
  const carried = Math.min(MAX_TICK_DECIMALS, 11 - exponent);
  for (let places = atLeast + 1; places < carried; places++) {
    const scaled = price * (POWERS_OF_TEN[places] as number);
    if (Math.abs(scaled - Math.round(scaled)) < 0.5 * 10 ** (places + exponent - 11)) return places;
  }
  return Math.max(atLeast, carried);
}

function tickOf(decimals: number): string {
  return decimals === 0 ? '1' : `0.${'0'.repeat(decimals - 1)}1`;
}
