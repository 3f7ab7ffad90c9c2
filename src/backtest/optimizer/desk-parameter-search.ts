/**
 * The desk optimizer role's ParameterSearch, run synchronously in process on the optimizer's own pieces (search
 * space, candidates, walk-forward windows, trials, stitching), since the port is a plain function call.
 *
 * What is compared: the walk-forward procedure "re-tune on the in-sample bars, trade the next out-of-sample window"
 * against keeping the current parameters, over exactly the same out-of-sample windows, both stitched into one
 * curve and scored by the objective. The parameters proposed are the ones that procedure would pick now: the best
 * on the last in-sample stretch of bars (all bars when anchored). Scoring the proposal itself on the windows would
 * flatter it, since it was chosen on bars that include them.
 *
 * Windows are laid out backwards from the newest bar (the most recent out-of-sample window ends on it); older bars
 * left over before the first window only serve as warm-up lead-in.
 */
import { FixRequestError } from '../../core/errors.js';
import { Fixed } from '../../core/fixed.js';
import { formatUnixMs, type UnixMs } from '../../core/time.js';
import { sliceSeries, type BarSeries } from '../../data/bar-series.js';
import type { Instrument } from '../../domain/instrument.js';
import type { ParameterSearch, ParameterSearchRequest, ParameterSearchResult } from '../../agents/desk/parameter-search.js';
import { strategyFactories } from '../../strategies/registry.js';
import type { ParameterSpec, StrategyFactory, StrategyParameters } from '../../strategies/strategy.js';
import type { Sizing } from '../sizing.js';
import { ranksAbove, scoreOf, type Objective } from './objective.js';
import { parameterKey, type ParameterDomain, type ParameterSpace, type ParameterValue } from './parameter-space.js';
import { sampleRandom } from './search.js';
import { stitchOutOfSample, type OutOfSampleRun } from './stitch.js';
import { runTrial } from './trial.js';
import type { TrialBacktestSettings, TrialEnvironment } from './trial-environment.js';
import { describeParameters } from './trial-error.js';
import { finalSelectionRange, walkForwardWindows, type BarRange, type WalkForwardMode, type WalkForwardOptions } from './windows.js';

export interface DeskWalkForwardOptions {
  /** rolling (default): each in-sample stretch is the bars just before its window; anchored: all bars before it. */
  readonly mode?: WalkForwardMode;
  /** Out-of-sample windows (default 4). */
  readonly windows?: number;
  /** In-sample length as a multiple of the out-of-sample length (default 3). */
  readonly inSampleRatio?: number;
  /** Below this many bars per out-of-sample window there is too little data to judge (default 50). */
  readonly minOutOfSampleBars?: number;
}

export interface DeskParameterSearchOptions {
  /** Strategies by registry name (default: the built-in registry). */
  readonly factories?: ReadonlyMap<string, StrategyFactory>;
  /** Default: Sharpe, maximised. */
  readonly objective?: Objective;
  /**
   * neighbourhood (default): numbers from current / factor to current × factor within the declared min/max;
   * full: the whole declared min..max (the neighbourhood where a bound is missing). Choices always take every
   * declared value.
   */
  readonly space?: 'neighbourhood' | 'full';
  /** Width of the neighbourhood (default 2). */
  readonly neighbourhoodFactor?: number;
  /** Real-valued parameters are searched on this many equal steps of their range (default 10). */
  readonly realSteps?: number;
  /** Random parameter sets drawn per search (default 32); a space with no more points is searched as a grid. */
  readonly samples?: number;
  readonly walkForward?: DeskWalkForwardOptions;
  /** Fewer round trips than this: not selectable in-sample, and a proposal must make them out of sample (default 3). */
  readonly minTrades?: number;
  /** The proposal must beat the current score by more than this, in objective units (default 0.1). */
  readonly minImprovement?: number;
  /** Maker and taker fee rate for every instrument, e.g. "0.001" (default: the instruments' own). */
  readonly fee?: string;
  /** Backtest settings of the trials; default cash 10000 of the primary instrument's settle currency, valued in
   *  it, sizing 95% of equity. */
  readonly backtest?: Partial<TrialBacktestSettings>;
}

const DEFAULT_OBJECTIVE: Objective = { metric: 'sharpe', direction: 'max' };
const DEFAULT_SIZING: Sizing = { kind: 'percent-equity', fraction: 0.95 };
/** Integer axes wider than this are searched on evenly spaced values rather than every integer. */
const MAX_INTEGER_VALUES = 1000;

interface Layout {
  readonly walkForward: WalkForwardOptions;
  readonly windows: readonly { readonly inSample: BarRange; readonly outOfSample: BarRange }[];
  readonly finalRange: BarRange;
}

export function createDeskParameterSearch(options: DeskParameterSearchOptions = {}): ParameterSearch {
  const factories = options.factories ?? strategyFactories;
  const objective = options.objective ?? DEFAULT_OBJECTIVE;
  const samples = options.samples ?? 32;
  const minTrades = options.minTrades ?? 3;
  const minImprovement = options.minImprovement ?? 0.1;
  const wf = options.walkForward ?? {};
  const windowCount = wf.windows ?? 4;
  const inSampleRatio = wf.inSampleRatio ?? 3;
  const minOutOfSampleBars = wf.minOutOfSampleBars ?? 50;
  const factor = options.neighbourhoodFactor ?? 2;
  const realSteps = options.realSteps ?? 10;
  const problems = [
    Number.isInteger(samples) && samples >= 1 ? '' : `samples must be a whole number >= 1, got ${samples}`,
    Number.isInteger(minTrades) && minTrades >= 0 ? '' : `minTrades must be a whole number >= 0, got ${minTrades}`,
    minImprovement >= 0 ? '' : `minImprovement must be >= 0, got ${minImprovement}`,
    Number.isInteger(windowCount) && windowCount >= 1 ? '' : `walk-forward windows must be a whole number >= 1, got ${windowCount}`,
    inSampleRatio > 0 ? '' : `inSampleRatio must be positive, got ${inSampleRatio}`,
    Number.isInteger(minOutOfSampleBars) && minOutOfSampleBars >= 2 ? '' : `minOutOfSampleBars must be a whole number >= 2, got ${minOutOfSampleBars}`,
    factor > 1 ? '' : `neighbourhoodFactor must be above 1, got ${factor}`,
    Number.isInteger(realSteps) && realSteps >= 1 ? '' : `realSteps must be a whole number >= 1, got ${realSteps}`,
  ].filter((problem) => problem !== '');
  if (problems.length > 0) throw new FixRequestError('invalid_parameter_search', `desk parameter search: ${problems.join('; ')}`);

  return (request: ParameterSearchRequest): ParameterSearchResult | undefined => {
    const factory = factories.get(request.strategy);
    if (factory === undefined) {
      throw new FixRequestError('unknown_strategy', `unknown strategy "${request.strategy}"; known: ${[...factories.keys()].join(', ')}`);
    }
    const series = request.series.map((s) => completedBy(s, request.now));
    const primary = series[0];
    if (primary === undefined) return undefined;
    const layout = layoutOf(primary.length, { mode: wf.mode ?? 'rolling', windows: windowCount, inSampleRatio, minOutOfSampleBars });
    if (layout === undefined) return undefined;
    const environment: TrialEnvironment = { series, factory, instruments: instrumentsFor(request.instruments, options.fee), settings: settingsFor(request, options.backtest) };
    const current = withDefaults(factory.parameters, request.current);
    const currentKey = parameterKey(current);
    const currentValid = warmupOf(factory, current, series) !== undefined;
    const space = searchSpace(factory.parameters, current, options.space ?? 'neighbourhood', factor, realSteps);
    const candidates = candidatesOf(factory, series, [current, ...sampleRandom(space, samples, request.seed)], layout.walkForward.inSampleBars);
    if (candidates.length === 0) return undefined;
    /** The best candidate on the range that makes the minimum round trips (ties to the earlier: the current set). */
    const pick = (range: BarRange): StrategyParameters | undefined => {
      let best: { index: number; score: number } | undefined;
      candidates.forEach((params, index) => {
        const result = runTrial(environment, { index, params, range, trials: candidates.length, detail: false });
        if (result.metrics.trades < minTrades) return;
        const score = scoreOf(result.metrics, objective);
        if (best === undefined || ranksAbove(score, index, best.score, best.index, objective.direction)) best = { index, score };
      });
      return best === undefined ? undefined : candidates[best.index];
    };

    // The pick for trading next first: when it is the current set there is nothing to propose, and no window runs.
    const proposed = pick(layout.finalRange);
    if (proposed === undefined || parameterKey(proposed) === currentKey) return undefined;
    const proposedRuns: OutOfSampleRun[] = [];
    const currentRuns: OutOfSampleRun[] = [];
    for (const { inSample, outOfSample: range } of layout.windows) {
      // A window where nothing qualifies keeps the current set, as the role would.
      const tuned = pick(inSample) ?? (currentValid ? current : undefined);
      if (tuned === undefined) return undefined;
      const result = runTrial(environment, { index: 0, params: tuned, range, trials: 1, detail: true });
      proposedRuns.push({ range, result });
      if (!currentValid) continue;
      const same = parameterKey(tuned) === currentKey;
      currentRuns.push({ range, result: same ? result : runTrial(environment, { index: 0, params: current, range, trials: 1, detail: true }) });
    }
    // The bootstrap interval is not read here; skipping it saves most of the stitching time.
    const noBootstrap = { samples: 0, seed: 1 };
    const proposedSummary = stitchOutOfSample(proposedRuns, primary, noBootstrap);
    if (proposedSummary.metrics.trades < minTrades) return undefined;
    const proposedScore = scoreOf(proposedSummary.metrics, objective);
    const currentScore = currentValid ? scoreOf(stitchOutOfSample(currentRuns, primary, noBootstrap).metrics, objective) : Number.NaN;
    const beats = !currentValid
      ? !Number.isNaN(proposedScore)
      : objective.direction === 'max'
        ? proposedScore > currentScore + minImprovement
        : proposedScore < currentScore - minImprovement;
    if (!beats) return undefined;
    const { walkForward } = layout;
    const inSample = walkForward.mode === 'rolling' ? `the ${walkForward.inSampleBars} bars` : 'all bars';
    const reason =
      `${describeParameters(proposed)}: out-of-sample ${objective.metric} ${formatScore(proposedScore)} vs ` +
      (currentValid ? `${formatScore(currentScore)} for the current ${describeParameters(current)}` : `none for the current ${describeParameters(current)} (the strategy refuses it)`) +
      ` over the same ${layout.windows.length} ${walkForward.mode} windows of ${walkForward.outOfSampleBars} bars, ` +
      `re-tuned among ${candidates.length} candidates on ${inSample} before each window; proposal tuned on the bars from ` +
      `${formatUnixMs(primary.ts[layout.finalRange.from] as UnixMs)} to ${formatUnixMs(primary.ts[layout.finalRange.to - 1] as UnixMs)}`;
    return { proposed, proposedScore, currentScore, trials: candidates.length, reason };
  };
}

/** The bars that had closed by `now` (open time + bar length <= now): the request should hold no others. */
function completedBy(series: BarSeries, now: number): BarSeries {
  let count = series.length;
  while (count > 0 && (series.ts[count - 1] as number) + series.timeframeMs > now) count -= 1;
  return count === series.length ? series : sliceSeries(series, 0, count);
}

/**
 * Out-of-sample windows of O = floor(N / (ratio + windows)) bars after an in-sample stretch of ratio × O bars,
 * shifted so the last window ends on the newest bar; undefined when O would be under the minimum.
 */
function layoutOf(
  totalBars: number,
  options: { readonly mode: WalkForwardMode; readonly windows: number; readonly inSampleRatio: number; readonly minOutOfSampleBars: number },
): Layout | undefined {
  const outOfSampleBars = Math.floor(totalBars / (options.inSampleRatio + options.windows));
  const inSampleBars = Math.floor(outOfSampleBars * options.inSampleRatio);
  if (outOfSampleBars < options.minOutOfSampleBars || inSampleBars < 2) return undefined;
  const walkForward: WalkForwardOptions = { mode: options.mode, inSampleBars, outOfSampleBars };
  const count = Math.floor((totalBars - inSampleBars) / outOfSampleBars);
  const used = inSampleBars + count * outOfSampleBars;
  const shift = totalBars - used;
  const windows = walkForwardWindows(used, walkForward).map((window) => ({
    // Anchored in-sample stretches start at the first bar, including the ones the shift left over.
    inSample: { from: options.mode === 'anchored' ? 0 : window.inSample.from + shift, to: window.inSample.to + shift },
    outOfSample: { from: window.outOfSample.from + shift, to: window.outOfSample.to + shift },
  }));
  return { walkForward, windows, finalRange: finalSelectionRange(totalBars, walkForward) };
}

function instrumentsFor(instruments: readonly Instrument[], fee: string | undefined): readonly Instrument[] {
  if (fee === undefined) return instruments;
  const rate = Fixed.parse(fee);
  return instruments.map((instrument) => ({ ...instrument, makerFee: rate, takerFee: rate }));
}

function settingsFor(request: ParameterSearchRequest, overrides: Partial<TrialBacktestSettings> | undefined): TrialBacktestSettings {
  const primaryId = request.series[0]?.instrumentId;
  const primary = request.instruments.find((instrument) => instrument.id === primaryId);
  if (primary === undefined) {
    throw new FixRequestError('unknown_instrument', `parameter search for ${request.agentId}: no instrument definition for ${String(primaryId)}`);
  }
  return { cash: { [primary.settle]: '10000' }, valuationCurrency: primary.settle, sizing: DEFAULT_SIZING, ...overrides };
}

/**
 * The distinct sets, in order (the current one first, so a tie keeps it), that the strategy accepts and can warm up
 * on within an in-sample stretch; the others are skipped rather than failing the search.
 */
function candidatesOf(factory: StrategyFactory, series: readonly BarSeries[], sets: readonly StrategyParameters[], inSampleBars: number): StrategyParameters[] {
  const seen = new Set<string>();
  const candidates: StrategyParameters[] = [];
  for (const params of sets) {
    const key = parameterKey(params);
    if (seen.has(key)) continue;
    seen.add(key);
    const warmup = warmupOf(factory, params, series);
    if (warmup !== undefined && warmup + 2 <= inSampleBars) candidates.push(params);
  }
  return candidates;
}

/** The strategy's warm-up for these parameters, or undefined when it refuses them. */
function warmupOf(factory: StrategyFactory, params: StrategyParameters, series: readonly BarSeries[]): number | undefined {
  try {
    return factory.create(params, series.map((s) => s.instrumentId)).warmup;
  } catch (error) {
    if (error instanceof FixRequestError) return undefined;
    throw error;
  }
}

/** Every declared parameter in declaration order (defaults filled in), then any undeclared ones (the strategy
 *  refuses those), so equal sets have equal keys however the caller ordered them. */
function withDefaults(specs: readonly ParameterSpec[], given: StrategyParameters): StrategyParameters {
  const params: Record<string, ParameterValue> = {};
  for (const spec of specs) params[spec.name] = given[spec.name] ?? spec.default;
  for (const [name, value] of Object.entries(given)) if (!(name in params)) params[name] = value;
  return params;
}

function searchSpace(specs: readonly ParameterSpec[], current: StrategyParameters, mode: 'neighbourhood' | 'full', factor: number, realSteps: number): ParameterSpace {
  return { axes: specs.map((spec) => ({ name: spec.name, domain: domainOf(spec, current[spec.name] ?? spec.default, mode, factor, realSteps) })) };
}

function domainOf(spec: ParameterSpec, value: ParameterValue, mode: 'neighbourhood' | 'full', factor: number, realSteps: number): ParameterDomain {
  if (typeof spec.default === 'string') {
    return spec.choices !== undefined && spec.choices.length > 1 ? { kind: 'list', values: spec.choices } : { kind: 'fixed', value };
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return { kind: 'fixed', value };
  const lowest = spec.min ?? Number.NEGATIVE_INFINITY;
  const highest = spec.max ?? Number.POSITIVE_INFINITY;
  let [low, high] = mode === 'full' && Number.isFinite(lowest) && Number.isFinite(highest) ? [lowest, highest] : neighbourhood(value, spec, factor);
  low = Math.max(low, lowest);
  high = Math.min(high, highest);
  if (spec.integer === true) {
    low = Math.ceil(low);
    high = Math.floor(high);
  }
  if (!(low < high)) return { kind: 'fixed', value };
  const integer = spec.integer === true;
  const points = integer ? Math.min(high - low + 1, MAX_INTEGER_VALUES) : realSteps + 1;
  const values = new Set<number>();
  for (let k = 0; k < points; k++) {
    const x = low + ((high - low) * k) / (points - 1);
    // Round so proposals read as 1.5, not 1.4999999999999998; clamp since rounding may step past a bound.
    values.add(Math.min(high, Math.max(low, integer ? Math.round(x) : Number(x.toPrecision(4)))));
  }
  return { kind: 'range', min: low, max: high, integer, values: [...values] };
}

/** current / factor .. current × factor; around zero, a tenth of the declared range each side. */
function neighbourhood(value: number, spec: ParameterSpec, factor: number): [number, number] {
  if (value > 0) return [value / factor, value * factor];
  if (value < 0) return [value * factor, value / factor];
  const width = spec.min !== undefined && spec.max !== undefined ? (spec.max - spec.min) / 10 : 0;
  return [-width, width];
}

function formatScore(score: number): string {
  if (!Number.isFinite(score)) return String(score);
  return Math.abs(score) >= 100 ? score.toFixed(0) : String(Number(score.toPrecision(3)));
}
