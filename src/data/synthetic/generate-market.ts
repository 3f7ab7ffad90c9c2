/**
 * A deterministic synthetic crypto market: same options and seed, bit-identical bars on every machine.
 *
 * The model, bar by bar (all randomness from SeededRandom streams derived from the seed: regimes, price shocks,
 * volume noise and perpetual basis each have their own stream, so e.g. switching regimes off keeps the same shocks):
 * - Regime: one market-wide Markov chain over ranging, trending-up, trending-down and crash. Each bar the chain
 *   stays with probability 1 - 1/d (d: the regime's average duration in bars, so durations are geometric with
 *   mean d) or switches by TRANSITION_WEIGHTS (crashes are rare: about 2-3 a year with the defaults). A regime sets,
 *   per instrument, a drift (its expected log move over an average-length episode, in units of the instrument's
 *   annual volatility: trends ±0.3, crash -0.5), a volatility multiplier (ranging 0.7, trending-down 1.2, crash 3),
 *   a volume multiplier, and for ranging a pull of the log price back to where the range began (half-life 2 days).
 *   Drifts are centred on the chain's long-run time shares, so over the long run the regimes add no trend (the
 *   instrument's `drift` alone sets it); multipliers are scaled so the long-run volatility is still `annualVol`.
 *   With regimes off every bar is `random-walk`.
 * - Volatility clustering: GARCH(1,1) per instrument on the bar's innovation, h' = ω + α·ε² + β·h with
 *   ω = σ²(1 - α - β), σ the per-bar share of `annualVol` (365-day year); capped at 16σ². The regime multiplier
 *   sits outside ε: inside, a crash (α·9 + β > 1) would pin the variance at its cap.
 * - Price paths: one per base/quote (price-paths.ts). A spot and the perpetuals of its pair share it: the spot
 *   trades at the path, a perpetual beside it at the path × (1 + its premium), so the two never drift apart.
 * - Correlation: each intrabar step draws independent normals w and uses z = L·w, L the Cholesky factor of
 *   `correlation` over the paths, so returns carry the requested correlation at every horizon.
 * - OHLC: the log price moves in `intrabarSteps` Gaussian steps (drift + multiplier·√h·z). The high and low are the
 *   exact extremes of a Brownian bridge between consecutive step points ((a + b ± √((b-a)² - 2v·ln U)) / 2), so
 *   ranges look continuously traded rather than like a few sampled points. Open is the previous close (24/7, no
 *   gaps). Prices are rounded to the tick as k / (1/tick), the float nearest the decimal, so they print and parse
 *   back exactly; high and low always contain open and close, and no price falls below one tick.
 * - Volume: base volume × regime multiplier × (√h/σ)^½ × (0.4 + 0.6·|r| / 0.8σ) × lognormal noise: busier when
 *   the bar moves and when volatility is high. Rounded to 0.0001.
 * - Perpetuals (a symbol with a settle currency, `BTC/USDT:USDT`): the premium b of last over mark is an AR(1)
 *   (half-life 4h, 3 bps noise) pulled to a regime target (trends up trade rich, crashes cheap); the mark is a
 *   candle, the bar's open, high, low and close each / (1 + b) on the tick, stamped at the bar's close time (a
 *   wick that took the last price through a position's liquidation price takes the mark through it too).
 *   Funding at each UTC multiple of the interval (8h: 00:00, 08:00, 16:00) between the first and last bar close
 *   follows Binance: rate = P + clamp(0.01% - P, ±0.05%), clamped to ±0.75%, P the average premium of the bars
 *   that closed in the interval.
 */
import { FixRequestError } from '../../core/errors.js';
import type { InstrumentId } from '../../core/ids.js';
import { SeededRandom } from '../../core/random.js';
import { DAY_MS } from '../../core/time.js';
import type { BarSeries } from '../bar-series.js';
import { DEFAULT_VOL, instrumentModels, roundToTick, type InstrumentModel, type SyntheticInstrumentSpec } from './instrument-model.js';
import { NormalSource, streamSeed } from './normals.js';
import {
  BasisProcess,
  fundingSeries,
  resolvePerpetualOptions,
  type FundingRateSeries,
  type MarkPriceSeries,
  type PerpetualOptions,
} from './perpetual.js';
import { pricePaths } from './price-paths.js';
import { REGIMES, RegimeChain, resolveRegimes, type Regime, type RegimeBehaviour, type RegimeOptions } from './regimes.js';

const YEAR_MS = 365 * DAY_MS;
const VARIANCE_CAP = 16;
const VOLUME_SCALE = 1e4;

export interface GarchOptions {
  readonly alpha?: number;
  readonly beta?: number;
}

export interface SyntheticMarketOptions {
  readonly seed: number;
  /** Open time of the first bar, epoch ms. */
  readonly start: number;
  readonly timeframeMs: number;
  readonly bars: number;
  readonly instruments: readonly SyntheticInstrumentSpec[];
  /**
   * Correlation of the instruments' shocks, in `instruments` order (default: independent paths). A perpetual on
   * its spot's path has correlation 1 with it and repeats its row.
   */
  readonly correlation?: readonly (readonly number[])[];
  /** Regime switching (default on); false for a plain GARCH random walk. */
  readonly regimes?: boolean | RegimeOptions;
  /** GARCH(1,1) per bar (default α 0.05, β 0.93); false for constant volatility. */
  readonly garch?: GarchOptions | false;
  /** Gaussian steps inside each bar (default 4). */
  readonly intrabarSteps?: number;
  /** Venue part of the instrument ids (default SYNTH, giving `SYNTH:BTC/USDT`). */
  readonly venue?: string;
  readonly perpetual?: PerpetualOptions;
}

export interface PerpetualSeries {
  readonly markPrice: MarkPriceSeries;
  readonly funding: FundingRateSeries;
}

export interface SyntheticInstrument {
  readonly instrumentId: InstrumentId;
  readonly symbol: string;
  readonly tickSize: number;
  readonly bars: BarSeries;
  /** Mark prices and funding, for perpetuals only. */
  readonly perpetual: PerpetualSeries | undefined;
}

export interface SyntheticMarket {
  readonly seed: number;
  readonly timeframeMs: number;
  readonly length: number;
  readonly instruments: readonly SyntheticInstrument[];
  /** The regime of each bar, as an index into REGIMES. */
  readonly regimes: Uint8Array;
}

export function generateMarket(options: SyntheticMarketOptions): SyntheticMarket {
  const { seed, start, timeframeMs, bars } = options;
  if (!Number.isSafeInteger(seed)) throw new FixRequestError('invalid_synthetic', `seed must be an integer, got ${seed}`);
  if (!Number.isSafeInteger(start)) throw new FixRequestError('invalid_synthetic', `start must be integer epoch ms, got ${start}`);
  if (!(Number.isSafeInteger(timeframeMs) && timeframeMs > 0)) {
    throw new FixRequestError('invalid_synthetic', `timeframeMs must be a positive integer, got ${timeframeMs}`);
  }
  if (!(Number.isSafeInteger(bars) && bars >= 1)) throw new FixRequestError('invalid_synthetic', `bars must be a positive integer, got ${bars}`);
  const steps = options.intrabarSteps ?? 4;
  if (!(Number.isInteger(steps) && steps >= 1 && steps <= 256)) {
    throw new FixRequestError('invalid_synthetic', `intrabarSteps must be an integer in 1..256, got ${steps}`);
  }
  const models = instrumentModels(options.instruments, timeframeMs, options.venue ?? 'SYNTH');
  const paths = pricePaths(
    options.instruments.map((spec) => ({ symbol: spec.symbol, startPrice: spec.startPrice, annualVol: spec.annualVol ?? DEFAULT_VOL, drift: spec.drift ?? 0 })),
    options.correlation,
  );
  const { cholesky, pathOf } = paths;
  // The n price paths, each driven by the model of the instrument whose price it is.
  const pathModels = paths.leaders.map((leader) => models[leader] as InstrumentModel);
  const n = pathModels.length;
  const { alpha, beta } = garchParameters(options.garch);
  const regimes = resolveRegimes(options.regimes, timeframeMs);
  const perpetualOptions = resolvePerpetualOptions(options.perpetual);

  const chain = new RegimeChain(regimes, new SeededRandom(streamSeed(seed, 0)));
  const shocks = new NormalSource(new SeededRandom(streamSeed(seed, 1)));
  const volumeNoise = new NormalSource(new SeededRandom(streamSeed(seed, 2)));
  const basisNoise = new NormalSource(new SeededRandom(streamSeed(seed, 3)));

  // Per regime × path: drift per bar, centred so the chain's long-run average drift is zero (`drift`
  // alone sets the trend); volatility multipliers scaled so the long-run volatility stays `annualVol`.
  const regimeCount = REGIMES.length;
  const regimeDrift = new Float64Array(regimeCount * n);
  const volatilityMultiplier = new Float64Array(regimeCount);
  const pull = new Float64Array(regimeCount);
  let meanSquaredMultiplier = 0;
  for (let r = 0; r < regimeCount; r++) {
    const behaviour = regimes.behaviour[r] as RegimeBehaviour;
    meanSquaredMultiplier += (regimes.timeShare[r] as number) * behaviour.volatilityMultiplier * behaviour.volatilityMultiplier;
  }
  const multiplierScale = meanSquaredMultiplier > 0 ? 1 / Math.sqrt(meanSquaredMultiplier) : 1;
  for (let i = 0; i < n; i++) {
    const annualVol = (pathModels[i] as InstrumentModel).sigma * Math.sqrt(YEAR_MS / timeframeMs);
    let centre = 0;
    for (let r = 0; r < regimeCount; r++) {
      const behaviour = regimes.behaviour[r] as RegimeBehaviour;
      const duration = regimes.durationBars[r] as number;
      const drift = Number.isFinite(duration) ? (behaviour.episodeMoveVols * annualVol) / duration : 0;
      regimeDrift[r * n + i] = drift;
      centre += (regimes.timeShare[r] as number) * drift;
    }
    for (let r = 0; r < regimeCount; r++) regimeDrift[r * n + i] = (regimeDrift[r * n + i] as number) - centre;
  }
  for (let r = 0; r < regimeCount; r++) {
    const behaviour = regimes.behaviour[r] as RegimeBehaviour;
    const halfLife = behaviour.meanReversionHalfLifeMs;
    pull[r] = halfLife === undefined ? 0 : 1 - Math.pow(0.5, timeframeMs / halfLife);
    volatilityMultiplier[r] = behaviour.volatilityMultiplier * multiplierScale;
  }

  const ts = new Float64Array(bars);
  for (let t = 0; t < bars; t++) ts[t] = start + t * timeframeMs;
  const labels = new Uint8Array(bars);
  const columns = models.map(() => ({
    open: new Float64Array(bars),
    high: new Float64Array(bars),
    low: new Float64Array(bars),
    close: new Float64Array(bars),
    volume: new Float64Array(bars),
  }));
  const marks = models.map((model) => (model.perpetual ? markColumns(bars) : undefined));
  const initialBasis = regimes.behaviour[regimes.initial]?.basisTarget ?? 0;
  const basis = models.map((model) => (model.perpetual ? new BasisProcess(timeframeMs, perpetualOptions, initialBasis) : undefined));
  // An instrument on another's path (a perpetual beside its spot) trades at the path times one plus its premium.
  const onOwnPath = models.map((_, i) => paths.leaders[pathOf[i] as number] === i);

  const logPrice = Float64Array.from(pathModels, (model) => Math.log(model.startPrice));
  const previousClose = Float64Array.from(models, (model, i) => roundToTick(model.startPrice * (onOwnPath[i] === true ? 1 : 1 + initialBasis), model));
  const anchor = Float64Array.from(logPrice);
  const variance = Float64Array.from(pathModels, (model) => model.sigma * model.sigma);
  const stepMean = new Float64Array(n);
  const stepDeviation = new Float64Array(n);
  const barStart = new Float64Array(n);
  const highLog = new Float64Array(n);
  const lowLog = new Float64Array(n);
  const shockSum = new Float64Array(n);
  const independent = new Float64Array(n);
  const sqrtSteps = Math.sqrt(steps);
  let regime = -1;

  for (let t = 0; t < bars; t++) {
    const next = chain.next(t === 0);
    if (next !== regime) anchor.set(logPrice);
    regime = next;
    labels[t] = regime;
    const behaviour = regimes.behaviour[regime] as RegimeBehaviour;
    const multiplier = volatilityMultiplier[regime] as number;
    for (let i = 0; i < n; i++) {
      const model = pathModels[i] as InstrumentModel;
      const x = logPrice[i] as number;
      const mean = model.driftPerBar + (regimeDrift[regime * n + i] as number) - (pull[regime] as number) * (x - (anchor[i] as number));
      stepMean[i] = mean / steps;
      stepDeviation[i] = (multiplier * Math.sqrt(variance[i] as number)) / sqrtSteps;
      barStart[i] = x;
      highLog[i] = x;
      lowLog[i] = x;
      shockSum[i] = 0;
    }
    for (let s = 0; s < steps; s++) {
      for (let k = 0; k < n; k++) independent[k] = shocks.next();
      for (let i = 0; i < n; i++) {
        let z = 0;
        const row = i * n;
        for (let k = 0; k <= i; k++) z += (cholesky[row + k] as number) * (independent[k] as number);
        const deviation = stepDeviation[i] as number;
        const from = logPrice[i] as number;
        const to = from + (stepMean[i] as number) + deviation * z;
        const jump = to - from;
        const twiceVariance = 2 * deviation * deviation;
        const up = (from + to + Math.sqrt(jump * jump - twiceVariance * Math.log(shocks.openUniform()))) / 2;
        const down = (from + to - Math.sqrt(jump * jump - twiceVariance * Math.log(shocks.openUniform()))) / 2;
        if (up > (highLog[i] as number)) highLog[i] = up;
        if (down < (lowLog[i] as number)) lowLog[i] = down;
        shockSum[i] = (shockSum[i] as number) + z;
        logPrice[i] = to;
      }
    }
    for (let i = 0; i < models.length; i++) {
      const model = models[i] as InstrumentModel;
      const path = pathOf[i] as number;
      const column = columns[i] as (typeof columns)[number];
      const premium = basis[i];
      const scale = premium === undefined ? 1 : 1 + premium.step(behaviour.basisTarget, basisNoise.next());
      const priceScale = onOwnPath[i] === true ? 1 : scale;
      const open = previousClose[i] as number;
      const close = roundToTick(Math.exp(logPrice[path] as number) * priceScale, model);
      const high = Math.max(roundToTick(Math.exp(highLog[path] as number) * priceScale, model), open, close);
      const low = Math.min(roundToTick(Math.exp(lowLog[path] as number) * priceScale, model), open, close);
      column.open[t] = open;
      column.high[t] = high;
      column.low[t] = low;
      column.close[t] = close;
      previousClose[i] = close;

      const sigma = model.sigma;
      const volatilityLevel = Math.sqrt(Math.sqrt(variance[path] as number) / sigma);
      const move = Math.abs((logPrice[path] as number) - (barStart[path] as number)) / (0.8 * sigma);
      const noise = Math.exp(0.3 * volumeNoise.next() - 0.045);
      const volume = model.baseVolume * behaviour.volumeMultiplier * volatilityLevel * (0.4 + 0.6 * move) * noise;
      column.volume[t] = Math.round(volume * VOLUME_SCALE) / VOLUME_SCALE;

      const mark = marks[i];
      if (mark !== undefined) {
        // One premium for the whole candle: rounding is monotone, so the mark candle keeps the bar's shape.
        mark.open[t] = roundToTick(open / scale, model);
        mark.high[t] = roundToTick(high / scale, model);
        mark.low[t] = roundToTick(low / scale, model);
        mark.price[t] = roundToTick(close / scale, model);
      }
    }
    for (let i = 0; i < n; i++) {
      // GARCH(1,1) on the bar's innovation without drift or regime multiplier: with the multiplier inside, a
      // crash (α·m² + β > 1) would drive the variance to its cap and keep it there.
      const sigma = (pathModels[i] as InstrumentModel).sigma;
      const innovation = (Math.sqrt(variance[i] as number) * (shockSum[i] as number)) / sqrtSteps;
      const updated = sigma * sigma * (1 - alpha - beta) + alpha * innovation * innovation + beta * (variance[i] as number);
      variance[i] = Math.min(updated, VARIANCE_CAP * sigma * sigma);
    }
  }

  const instruments = models.map((model, i): SyntheticInstrument => {
    const column = columns[i] as (typeof columns)[number];
    const series: BarSeries = { instrumentId: model.id, timeframeMs, length: bars, ts: ts.slice(), ...column };
    const mark = marks[i];
    let perpetual: PerpetualSeries | undefined;
    if (mark !== undefined) {
      const markTs = Float64Array.from(ts, (open) => open + timeframeMs);
      const markPrice: MarkPriceSeries = { instrumentId: model.id, length: bars, ts: markTs, ...mark };
      perpetual = { markPrice, funding: fundingSeries(model.id, markPrice, column.close, perpetualOptions) };
    }
    return { instrumentId: model.id, symbol: model.symbol, tickSize: model.tickSize, bars: series, perpetual };
  });
  return { seed, timeframeMs, length: bars, instruments, regimes: labels };
}

/** The regime label of bar `index`. */
export function regimeAt(market: SyntheticMarket, index: number): Regime {
  const code = market.regimes[index];
  const regime = code === undefined ? undefined : REGIMES[code];
  if (regime === undefined) throw new FixRequestError('invalid_range', `bar ${index} is outside a market of ${market.length} bars`);
  return regime;
}

/** The instrument with this symbol or id. */
export function syntheticInstrument(market: SyntheticMarket, symbolOrId: string): SyntheticInstrument {
  const found = market.instruments.find((candidate) => candidate.symbol === symbolOrId || candidate.instrumentId === symbolOrId);
  if (found === undefined) {
    const known = market.instruments.map((candidate) => candidate.symbol).join(', ');
    throw new FixRequestError('unknown_instrument', `the synthetic market has no ${symbolOrId}; it has ${known}`);
  }
  return found;
}

function markColumns(bars: number): { open: Float64Array; high: Float64Array; low: Float64Array; price: Float64Array } {
  return { open: new Float64Array(bars), high: new Float64Array(bars), low: new Float64Array(bars), price: new Float64Array(bars) };
}

function garchParameters(option: GarchOptions | false | undefined): { alpha: number; beta: number } {
  if (option === false) return { alpha: 0, beta: 0 };
  const alpha = option?.alpha ?? 0.05;
  const beta = option?.beta ?? 0.93;
  if (!(alpha >= 0 && beta >= 0 && alpha + beta < 1)) {
    throw new FixRequestError('invalid_synthetic', `GARCH needs alpha >= 0, beta >= 0 and alpha + beta < 1, got ${alpha} and ${beta}`);
  }
  return { alpha, beta };
}
