/**
 * The evaluation harness: a desk against its baselines under the same gate, data and costs, over several seeds
 * and periods (module comments of baselines.ts, periods.ts and report.ts say what each part means).
 *
 * Seeds: the desk's seed, then the next ones (`seeds` of them). When the data is synthetic, a seed generates a new
 * market and seeds the desk; for file data the market and the desk are the same for every seed (they are run once
 * per period and reused) and the seed only changes the random agent's choices.
 *
 * The random agent is calibrated per run to the desk's turnover: its traded notional, book by book (sleeve, or the
 * desk book when the manager nets the views; calibration.ts says how). Size: each random agent says the mean
 * conviction of the analyst it replaces, measured over the views of that analyst that open a position (long, or
 * short on a perpetual) on the desk's run of the same period: sizing scales positions by conviction, so an agent
 * saying 1 beside an analyst saying 0.5..1 would trade up to twice the notional per trade. Every contender's traded
 * notional is reported (`turnover`), and the random agent's per book, so the match can be seen. Direction: an agent
 * goes short only on perpetuals and only where its analyst did on the desk's run of the period, so a long-only
 * strategy on a perpetual is compared with a long/flat agent.
 */
import type { DeskConfig } from '../../config/desk-schema.js';
import { FixRequestError } from '../../core/errors.js';
import type { DeskData } from '../../engine/desk/desk-data.js';
import type { DeskModels } from '../../engine/desk/model-brains.js';
import { buildDesk, deskRun, runDeskBacktest, trackTrades } from '../desk-backtest.js';
import { runMetrics } from '../build-result.js';
import { DEFAULT_CONFIDENCE_LEVEL } from '../metrics.js';
import { analystProfiles, buyAndHoldDesk, mixSeed } from './baselines.js';
import { activityByBook, calibratedRandom, type BookActivity } from './calibration.js';
import { meanInterval, type IntervalMethod } from './interval.js';
import { requireWarmup, splitPeriods, type Period } from './periods.js';
import {
  BASELINES,
  CONTENDERS,
  EVALUATION_SCHEMA,
  METRICS,
  type Comparison,
  type ContenderName,
  type ContenderSummary,
  type EvaluationReport,
  type EvaluationRun,
  type RunMetrics,
} from './report.js';

export interface EvaluationInputs {
  readonly config: DeskConfig;
  readonly seeds: number;
  readonly periods: number;
  /** The desk's bars for a seed: synthetic sources generated with it, file sources read. */
  readonly loadData: (seed: number) => Promise<DeskData> | DeskData;
  /** Confidence level of the intervals (default 0.95). */
  readonly level?: number;
  /** How the intervals are made (default: the expanded percentile bootstrap). */
  readonly interval?: IntervalMethod;
  /** Called after each run with (runs done, runs in all). */
  readonly onRun?: (done: number, total: number) => void;
  /** Another desk run beside this one on the same data (its own data sections are not used). */
  readonly beside?: DeskConfig;
  /** Providers and records for desks with model-driven brains (the desk's and the one beside). */
  readonly models?: (config: DeskConfig) => DeskModels | undefined;
}

export const BASELINE_DESCRIPTIONS: Readonly<Record<'buy-and-hold' | 'random', string>> = {
  'buy-and-hold': 'each analyst replaced by buy-and-hold on its instruments and sleeve, buying after its warm-up; no optimizer, no position cycle',
  random: "each analyst replaced by a seeded random long/flat agent (long/flat/short on perpetuals where the analyst went short) saying the analyst's mean conviction on the desk's run, its switching probability calibrated per run to the desk's traded notional in each sleeve (in the desk book when the manager nets the views); no optimizer, no position cycle",
};

export async function evaluateDesk(inputs: EvaluationInputs): Promise<EvaluationReport> {
  const { config } = inputs;
  requireCount('seeds', inputs.seeds);
  requireCount('periods', inputs.periods);
  if (inputs.beside !== undefined) requireBesideInstruments(config, inputs.beside);
  const level = inputs.level ?? DEFAULT_CONFIDENCE_LEVEL;
  const method = inputs.interval ?? 'bootstrap';
  const profiles = analystProfiles(config);
  const varies = Object.values(config.data).some((source) => source.source === 'synthetic');
  const seeds = Array.from({ length: inputs.seeds }, (_, k) => config.desk.seed + k);
  const buyAndHold = buyAndHoldDesk(config);
  const total = seeds.length * inputs.periods;
  const runs: EvaluationRun[] = [];
  // File data: the desk and buy-and-hold do not depend on the seed, so each period is run once.
  const fixed = new Map<number, { desk: RunMetrics; bh: RunMetrics; convictions: ReadonlyMap<string, number>; shorts: ReadonlySet<string>; books: ReadonlyMap<string, BookActivity>; beside?: RunMetrics }>();
  const run = async (desk: DeskConfig, data: DeskData, seed: number) => {
    const models = inputs.models?.(desk);
    return runMeasured({ config: desk, data, seed, ...(models === undefined ? {} : { models }) });
  };
  let periods: Period[] | undefined;
  for (const seed of seeds) {
    if (varies || periods === undefined) {
      const data = await inputs.loadData(seed);
      periods = splitPeriods(data, inputs.periods);
      requireWarmup(periods, profiles, data);
    }
    const deskSeed = varies ? seed : config.desk.seed;
    for (const period of periods) {
      let known = varies ? undefined : fixed.get(period.index);
      if (known === undefined) {
        const desk = await run(config, period.data, deskSeed);
        const bh = runDeskBacktest({ config: buyAndHold, data: period.data, seed: deskSeed });
        const beside = inputs.beside === undefined ? undefined : (await run(inputs.beside, period.data, deskSeed)).metrics;
        known = { desk: desk.metrics, bh: measure(bh), convictions: desk.convictions, shorts: desk.shorts, books: desk.books, ...(beside === undefined ? {} : { beside }) };
        if (!varies) fixed.set(period.index, known);
      }
      const random = calibratedRandom({ config, period, profiles, seed: mixSeed(seed, period.index), deskSeed, desk: known.books, convictions: known.convictions, shorts: known.shorts, measure });
      runs.push({
        seed,
        period: period.index + 1,
        startTs: period.startTs,
        endTs: period.endTs,
        bars: period.bars,
        desk: known.desk,
        'buy-and-hold': known.bh,
        random: { ...random.metrics, calibration: random.calibration, convictions: Object.fromEntries(known.convictions), shorting: profiles.filter((p) => p.mayShort && known.shorts.has(p.analyst)).map((p) => p.analyst) },
        ...(known.beside === undefined ? {} : { beside: known.beside }),
      });
      inputs.onRun?.(runs.length, total);
    }
  }
  const groups = runs.map((run, i) => (varies ? i : run.period));
  const contenders = Object.fromEntries(
    CONTENDERS.map((name) => [name, summarise(runs, (run) => run[name], groups, level, method)]),
  ) as Record<ContenderName, ContenderSummary>;
  const compare = (baseline: Comparison['baseline'], other: (run: EvaluationRun) => RunMetrics): Comparison => {
    const differences = runs.map((run) => run.desk.totalReturn - other(run).totalReturn);
    // On file data only the random agent changes with the seed: against any other, a period's seeds are one
    // comparison repeated, and are counted once.
    const perPeriod = !varies && baseline !== 'random';
    const counted = perPeriod ? differences.filter((_, i) => runs[i]?.seed === seeds[0]) : differences;
    const deskWins = counted.filter((d) => d > 0).length;
    return {
      baseline,
      returnDifference: meanInterval(differences, groups, level, method),
      deskWins,
      runs: counted.length,
      unit: perPeriod ? 'period' : 'run',
      deskWinShare: counted.length === 0 ? 0 : deskWins / counted.length,
    };
  };
  const comparisons: Comparison[] = BASELINES.map((baseline) => compare(baseline, (run) => run[baseline]));
  const besideOf = (run: EvaluationRun): RunMetrics => run.beside as RunMetrics;
  const beside =
    inputs.beside === undefined
      ? undefined
      : {
          desk: inputs.beside.desk.name,
          summary: summarise(runs, besideOf, groups, level, method),
          comparison: compare('beside', besideOf),
        };
  return {
    schema: EVALUATION_SCHEMA,
    desk: config.desk.name,
    seeds,
    periods: inputs.periods,
    marketVariesBySeed: varies,
    intervals: { method, level, unit: varies ? 'run' : 'period', units: new Set(groups).size },
    baselines: BASELINE_DESCRIPTIONS,
    contenders,
    comparisons,
    runs,
    ...(beside === undefined ? {} : { beside }),
  };
}

/**
 * Refuses a desk to run beside `config` that trades an instrument `config` does not: it runs on `config`'s data,
 * which has no bars for it. The labels name the two desks in the message (on the command line, option and file).
 */
export function requireBesideInstruments(
  config: DeskConfig,
  beside: DeskConfig,
  labels: { readonly desk: string; readonly beside: string } = { desk: `desk ${config.desk.name}`, beside: `desk ${beside.desk.name}` },
): void {
  const ours = new Set(config.instruments.map((i) => i.id));
  const missing = beside.instruments.map((i) => i.id).filter((id) => !ours.has(id));
  if (missing.length === 0) return;
  const list = (ids: readonly string[]): string => ids.join(', ');
  throw new FixRequestError(
    'beside_instruments',
    `${labels.beside} trades ${list(missing)}, which ${labels.desk} does not; the desk beside runs on the evaluated desk's data, so its instruments must be among ${list([...ours])}`,
  );
}

function requireCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new FixRequestError('invalid_option', `--${name} must be a positive integer, got ${value}`);
}

function summarise(runs: readonly EvaluationRun[], metricsOf: (run: EvaluationRun) => RunMetrics, groups: readonly number[], level: number, method: IntervalMethod): ContenderSummary {
  return Object.fromEntries(
    METRICS.map((metric) => [metric, meanInterval(runs.map((run) => metricsOf(run)[metric]), groups, level, method, NOT_NEGATIVE.has(metric) ? 0 : Number.NEGATIVE_INFINITY)]),
  ) as ContenderSummary;
}

/** Metrics that cannot be below 0 (a count, a turnover, a drawdown's depth): their intervals are cut at 0. */
const NOT_NEGATIVE: ReadonlySet<string> = new Set(['maxDrawdown', 'trades', 'turnover']);

/** The per-run metrics of a finished desk backtest, annualised as `conclave backtest` does. */
function measure({ desk, run }: { desk: ReturnType<typeof runDeskBacktest>['desk']; run: ReturnType<typeof runDeskBacktest>['run'] }): RunMetrics {
  const metrics = runMetrics(run, desk.setup.series[0], { benchmark: { firstClose: 1, lastClose: 1 }, trials: 1, bootstrap: { samples: 0, seed: 1 } });
  return { totalReturn: metrics.totalReturn, sharpe: metrics.sharpe, maxDrawdown: metrics.maxDrawdown, trades: metrics.trades, fees: run.feesPaid, turnover: run.tradedNotional };
}

/**
 * Runs a desk (awaiting model-driven brains) and measures it, with each analyst's mean conviction over the views it
 * journaled that open a position: long, or short on a perpetual (short means flat on spot). An analyst with none is
 * left out (its random agent says 1). Also the analysts that went short on a perpetual (their agents may; a
 * long-only strategy's may not), and what the desk traded in each book, which the random agent is matched to.
 */
async function runMeasured(
  inputs: Parameters<typeof buildDesk>[0],
): Promise<{ metrics: RunMetrics; convictions: ReadonlyMap<string, number>; shorts: ReadonlySet<string>; books: ReadonlyMap<string, BookActivity> }> {
  const desk = buildDesk(inputs);
  const trades = trackTrades(desk);
  const initialEquity = desk.core.deskEquity().toNumber();
  const shortable = new Set(desk.setup.instruments.filter((i) => i.kind === 'perpetual').map((i) => i.id as string));
  const views = new Map<string, { sum: number; count: number }>();
  const shorts = new Set<string>();
  desk.core.events.subscribe((event) => {
    if (event.type !== 'SignalEmitted' || event.direction === 'flat') return;
    if (event.direction === 'short' && !shortable.has(event.instrumentId)) return;
    if (event.direction === 'short') shorts.add(event.agentId);
    const seen = views.get(event.agentId) ?? { sum: 0, count: 0 };
    views.set(event.agentId, { sum: seen.sum + event.conviction, count: seen.count + 1 });
  });
  if (desk.asynchronous) await desk.runToEndAsync();
  else desk.runToEnd();
  const convictions = new Map([...views].map(([agent, { sum, count }]) => [agent, Math.min(1, sum / count)]));
  const run = deskRun(desk, trades, initialEquity);
  return { metrics: measure({ desk, run }), convictions, shorts, books: activityByBook(desk, run.trades) };
}
