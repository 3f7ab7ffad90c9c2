/**
 * Backtest performance metrics. Definitions (n equity points E_0..E_{n-1}, the equity at the close of each bar;
 * ts_i the bar's open time; P = barsPerYear):
 *
 * - Returns: simple per-bar returns of equity, r_i = E_i / E_{i-1} - 1 for i = 1..n-1, so there are m = n - 1
 *   returns (n points span n - 1 bar intervals). Ruin is final: the return into the first non-positive equity is
 *   at most -100%, and every return after it is 0 (a ruined account has no capital at risk). Every statistic below uses these m returns; risk-free rate 0.
 * - Total return: E_{n-1} / E_0 - 1 (0 when E_0 <= 0 or n = 0).
 * - Annualised return: (E_{n-1} / E_0)^(P / m) - 1; 0 when m = 0; -1 when the final equity is <= 0. Compounding a
 *   short, very profitable run over a year can exceed float64 and give Infinity.
 * - Volatility: sample standard deviation of the returns (n - 1 denominator, here m - 1) x sqrt(P); 0 for m < 2.
 * - Sharpe: mean(r) / stdev(r) x sqrt(P). Sortino: mean(r) / DD x sqrt(P), where the downside deviation DD is the
 *   root mean square of min(r_i, 0) over all m returns. Calmar: annualised return / max drawdown. Each ratio is 0
 *   when its denominator is 0 ("no evidence" rather than Infinity or NaN); a standard deviation below 1e-10 x
 *   |mean| counts as 0 (floating-point noise of a constant-return curve).
 * - Max drawdown: max over i of (peak_i - E_i) / peak_i with peak_i = max(E_0..E_i), a positive fraction, counted
 *   only while peak_i > 0. It lies in [0, 1] while equity stays positive and exceeds 1 if equity goes below 0.
 * - Max drawdown duration (ms): the longest time spent below a previous peak. A drawdown starts at the last point
 *   at the running peak before equity falls below it (equal counts as at the peak) and ends at the first later
 *   point with E >= that peak; its duration is ts(end) - ts(start), or ts_{n-1} - ts(start) if equity never
 *   recovers. It is the longest such span, not necessarily the span of the deepest drawdown.
 * - Trades (round trips, pnl net of fees and funding): a win has pnl > 0, a loss pnl < 0 (pnl = 0 is neither, but
 *   counts as a trade). Win rate = wins / trades. Profit factor = sum of winning pnl / |sum of losing pnl|:
 *   Infinity when there are wins and no losses (`JSON.stringify` writes it as null, so null in the JSON output
 *   means "no losing trade"), 0 when there are no wins. Expectancy = mean pnl over all trades. Average win =
 *   mean pnl of wins (>= 0); average loss = mean pnl of losses (<= 0, signed). All 0 without trades.
 * - Exposure = exposureBars / n. Turnover = traded notional / mean(E_0..E_{n-1}) (0 when that mean is <= 0).
 * - Fees paid and funding paid: as given by the run (positive = paid).
 * - Buy and hold = lastClose / firstClose - 1 for the benchmark instrument (0 when firstClose <= 0).
 * - Sharpe confidence interval: stationary bootstrap (Politis & Romano) of the m returns, seeded, mean block
 *   length blockLength bars (default round(m^(1/3)), at least 1; 1 is the i.i.d. bootstrap), `samples` resamples
 *   (default 1000) of the annualised Sharpe; the bounds are the (1 - level)/2 and (1 + level)/2 percentiles
 *   (linear interpolation, level default 0.95); a resample that repeats one value (variance below 1e-12 of the
 *   sample's) has Sharpe 0. Same seed, same interval. Fewer than two returns: low = high = the point Sharpe; 0
 *   samples: no interval (null). Without bootstrap options the seed is 1.
 * - Deflated Sharpe ratio (Bailey & López de Prado, 2014) with the per-bar Sharpe SR = mean / stdev, T = m,
 *   population skewness g3 and kurtosis g4 (not excess) of the returns and N = trials:
 *   SR0 = sqrt(V) x ((1 - gamma) invPhi(1 - 1/N) + gamma invPhi(1 - 1/(N e))), gamma = 0.5772156649...,
 *   DSR = Phi((SR - SR0) sqrt(T - 1) / sqrt(1 - g3 SR + (g4 - 1)/4 SR^2)).
 *   V is the variance of the per-bar Sharpe ratios across the trials: trialSharpeVariance / P when the caller
 *   knows the annualised Sharpe ratios of its trials, otherwise 1 / (T - 1), the variance of the Sharpe estimator
 *   under the null that no trial has skill. With N = 1, SR0 = 0 and the DSR is the probabilistic Sharpe ratio
 *   against 0. It is the probability that the true Sharpe is above what the best of N skill-less trials would
 *   show; 0 for fewer than two returns or zero volatility.
 */
import { FixRequestError } from '../core/errors.js';
import {
  annualisedSharpe,
  bootstrapSharpeInterval,
  defaultBlockLength,
  deflatedSharpe,
  isZeroVolatility,
  type SharpeResampler,
} from './metrics-sharpe.js';
import type { BacktestMetrics, BacktestTrade } from './result.js';
import { sampleMoments } from './statistics.js';

export interface MetricsInput {
  /** Equity at each bar close. */
  readonly equity: Float64Array;
  /** Bar open times (epoch ms), same length as equity. */
  readonly ts: Float64Array;
  /** Bars in a year, e.g. 525,600 for 1-minute bars on a 24/7 market. */
  readonly barsPerYear: number;
  /**
   * The equity before the first bar (the starting cash), when it differs from the first point: a fill on the first
   * bar (`--fill close`) has already moved the curve. Returns and drawdowns are measured from it. Default: E_0.
   */
  readonly startEquity?: number;
  readonly trades: readonly BacktestTrade[];
  readonly feesPaid: number;
  readonly fundingPaid: number;
  /** Equity points with a position open. */
  readonly exposureBars: number;
  readonly tradedNotional: number;
  readonly benchmark: { readonly firstClose: number; readonly lastClose: number };
  /** Strategy configurations tried to arrive at this one (>= 1), for the deflated Sharpe ratio. */
  readonly trials: number;
  /** Variance of the annualised Sharpe ratios across the trials, when known (see the module comment). */
  readonly trialSharpeVariance?: number;
  readonly bootstrap?: {
    /** Default 1000; 0 skips the bootstrap (the interval is null). */
    readonly samples?: number;
    /** Default 0.95. */
    readonly level?: number;
    readonly seed: number;
    /** Mean block length in bars; default round(cbrt(returns)). */
    readonly blockLength?: number;
  };
  /** Where the bootstrap's samples are drawn (default: this thread); the interval does not depend on it. */
  readonly resample?: SharpeResampler;
}

export const DEFAULT_BOOTSTRAP_SAMPLES = 1000;
export const DEFAULT_CONFIDENCE_LEVEL = 0.95;
/** Seed used when the input gives no bootstrap options. */
export const DEFAULT_BOOTSTRAP_SEED = 1;

const YEAR_MS = 365 * 86_400_000;

/**
 * P, the equity points a year holds, as the run observed them: the m intervals between its n points over the
 * calendar time they span, (n - 1) x year / (ts_{n-1} - ts_0). On gapless data this is year / timeframe (times the
 * instruments interleaved in one curve); on data with gaps or closed days (weekday-only daily bars: about 261) the
 * annualised figures measure the time that really passed, so the annualised return is (E_end / E_0)^(year / span) - 1.
 * Without two points or a span, `nominal`.
 */
export function pointsPerYear(ts: ArrayLike<number>, nominal: number): number {
  const n = ts.length;
  if (n < 2) return nominal;
  const span = (ts[n - 1] as number) - (ts[0] as number);
  return span > 0 ? ((n - 1) * YEAR_MS) / span : nominal;
}

export function computeMetrics(input: MetricsInput): BacktestMetrics {
  validate(input);
  const { equity, ts, barsPerYear } = input;
  const n = equity.length;
  const returns = simpleReturns(equity);
  const m = returns.length;
  const moments = sampleMoments(returns);

  const initial = n > 0 ? (input.startEquity ?? (equity[0] as number)) : 0;
  const final = n > 0 ? (equity[n - 1] as number) : 0;
  const totalReturn = initial > 0 ? final / initial - 1 : 0;
  const annualisedReturn = annualise(initial, final, m, barsPerYear);
  const volatility = moments.stdev * Math.sqrt(barsPerYear);
  const sharpe = annualisedSharpe(moments.mean, moments.stdev, barsPerYear);
  const sortino =
    moments.downsideDeviation > 0 ? (moments.mean / moments.downsideDeviation) * Math.sqrt(barsPerYear) : 0;
  const drawdown = maxDrawdown(equity, ts, input.startEquity);
  const calmar = drawdown.maxDrawdown > 0 ? annualisedReturn / drawdown.maxDrawdown : 0;

  const bootstrap = input.bootstrap;
  const samples = bootstrap?.samples ?? DEFAULT_BOOTSTRAP_SAMPLES;
  const sharpeConfidence =
    samples === 0
      ? null
      : bootstrapSharpeInterval(
          returns,
          barsPerYear,
          {
            samples,
            level: bootstrap?.level ?? DEFAULT_CONFIDENCE_LEVEL,
            seed: bootstrap?.seed ?? DEFAULT_BOOTSTRAP_SEED,
            blockLength: bootstrap?.blockLength ?? defaultBlockLength(m),
          },
          input.resample,
        );
  const deflated =
    m < 2 || isZeroVolatility(moments.stdev, moments.mean)
      ? 0
      : deflatedSharpe(
          { sharpe: moments.mean / moments.stdev, observations: m, skewness: moments.skewness, kurtosis: moments.kurtosis },
          input.trials,
          input.trialSharpeVariance === undefined ? undefined : input.trialSharpeVariance / barsPerYear,
        );

  const { firstClose, lastClose } = input.benchmark;
  return {
    totalReturn,
    annualisedReturn,
    volatility,
    sharpe,
    sortino,
    calmar,
    maxDrawdown: drawdown.maxDrawdown,
    maxDrawdownDurationMs: drawdown.maxDrawdownDurationMs,
    ...tradeStatistics(input.trades),
    exposure: n > 0 ? input.exposureBars / n : 0,
    turnover: turnover(equity, input.tradedNotional),
    feesPaid: input.feesPaid,
    fundingPaid: input.fundingPaid,
    trades: input.trades.length,
    buyAndHoldReturn: firstClose > 0 ? lastClose / firstClose - 1 : 0,
    sharpeConfidence,
    deflatedSharpe: deflated,
    trials: input.trials,
  };
}

/**
 * Simple per-bar returns of an equity curve (m = n - 1 of them). Ruin is final: the return into the first
 * non-positive equity is at most -100%, and every return after it is 0, even if the curve comes back above zero
 * (a ratio from a tiny or negative base would turn a wiped-out account into a stellar one).
 */
export function simpleReturns(equity: Float64Array): Float64Array {
  const n = equity.length;
  const returns = new Float64Array(Math.max(n - 1, 0));
  let ruined = n > 0 && !((equity[0] as number) > 0);
  for (let i = 1; i < n && !ruined; i++) {
    const value = equity[i] as number;
    returns[i - 1] = Math.max(-1, value / (equity[i - 1] as number) - 1);
    if (!(value > 0)) ruined = true;
  }
  return returns;
}

function annualise(initial: number, final: number, periods: number, barsPerYear: number): number {
  if (periods === 0 || initial <= 0) return 0;
  if (final <= 0) return -1;
  return Math.exp(Math.log(final / initial) * (barsPerYear / periods)) - 1;
}

/** Max drawdown (positive fraction of the peak) and the longest time below a previous peak, as defined above. */
export function maxDrawdown(
  equity: ArrayLike<number>,
  ts: ArrayLike<number>,
  start?: number,
): { maxDrawdown: number; maxDrawdownDurationMs: number } {
  const n = equity.length;
  if (n === 0) return { maxDrawdown: 0, maxDrawdownDurationMs: 0 };
  // The equity before the first point, at the first point's time, is a peak to fall from like any other.
  let peak = Math.max(start ?? (equity[0] as number), equity[0] as number);
  let peakTs = ts[0] as number;
  let underwater = false;
  let deepest = 0;
  let longest = 0;
  for (let i = 0; i < n; i++) {
    const value = equity[i] as number;
    const time = ts[i] as number;
    if (value >= peak) {
      if (underwater && time - peakTs > longest) longest = time - peakTs;
      peak = value;
      peakTs = time;
      underwater = false;
      continue;
    }
    underwater = true;
    if (time - peakTs > longest) longest = time - peakTs;
    if (peak > 0) {
      const drawdown = (peak - value) / peak;
      if (drawdown > deepest) deepest = drawdown;
    }
  }
  return { maxDrawdown: deepest, maxDrawdownDurationMs: longest };
}

function tradeStatistics(trades: readonly BacktestTrade[]): {
  winRate: number;
  profitFactor: number;
  expectancy: number;
  averageWin: number;
  averageLoss: number;
} {
  let wins = 0;
  let losses = 0;
  let grossWin = 0;
  let grossLoss = 0;
  let total = 0;
  for (const trade of trades) {
    total += trade.pnl;
    if (trade.pnl > 0) {
      wins += 1;
      grossWin += trade.pnl;
    } else if (trade.pnl < 0) {
      losses += 1;
      grossLoss += trade.pnl;
    }
  }
  const count = trades.length;
  return {
    winRate: count > 0 ? wins / count : 0,
    profitFactor: grossLoss < 0 ? grossWin / -grossLoss : grossWin > 0 ? Number.POSITIVE_INFINITY : 0,
    expectancy: count > 0 ? total / count : 0,
    averageWin: wins > 0 ? grossWin / wins : 0,
    averageLoss: losses > 0 ? grossLoss / losses : 0,
  };
}

function turnover(equity: Float64Array, tradedNotional: number): number {
  const n = equity.length;
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += equity[i] as number;
  const average = sum / n;
  return average > 0 ? tradedNotional / average : 0;
}

function validate(input: MetricsInput): void {
  const fail = (message: string): never => {
    throw new FixRequestError('invalid_metrics_input', message);
  };
  const { equity, ts } = input;
  if (equity.length !== ts.length) fail(`equity has ${equity.length} points but ts has ${ts.length}`);
  for (let i = 0; i < equity.length; i++) {
    if (!Number.isFinite(equity[i] as number)) fail(`equity[${i}] is ${equity[i]}, not a finite number`);
  }
  if (!(input.barsPerYear > 0 && Number.isFinite(input.barsPerYear))) {
    fail(`barsPerYear must be a positive number, got ${input.barsPerYear}`);
  }
  if (!(Number.isInteger(input.trials) && input.trials >= 1)) fail(`trials must be an integer >= 1, got ${input.trials}`);
  const variance = input.trialSharpeVariance;
  if (variance !== undefined && !(variance >= 0 && Number.isFinite(variance))) {
    fail(`trialSharpeVariance must be a finite number >= 0, got ${variance}`);
  }
  const bootstrap = input.bootstrap;
  if (bootstrap === undefined) return;
  const { samples, level, blockLength } = bootstrap;
  if (samples !== undefined && !(Number.isInteger(samples) && samples >= 0)) {
    fail(`bootstrap.samples must be an integer >= 0, got ${samples}`);
  }
  if (level !== undefined && !(level > 0 && level < 1)) fail(`bootstrap.level must be in (0, 1), got ${level}`);
  if (blockLength !== undefined && !(blockLength >= 1 && Number.isFinite(blockLength))) {
    fail(`bootstrap.blockLength must be >= 1, got ${blockLength}`);
  }
}
