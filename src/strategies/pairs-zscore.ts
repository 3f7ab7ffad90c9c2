/**
 * `pairs-zscore`: statistical arbitrage on two instruments A and B (in the order given).
 *
 * The spread is log(A) - beta * log(B), beta being the rolling least-squares slope of log(A) on log(B) over
 * `betaPeriod` bars (hedge = ols) or 1 (hedge = fixed); z is the z-score of the spread over `period` bars. When
 * z > entry the spread is rich: short A, long B. When z < -entry: long A, short B. When |z| < exit: flat both.
 * A move straight through to the other side (z beyond the opposite entry) reverses the pair.
 *
 * The spread is updated once per timestamp at which both instruments have a bar (the second of the two bars
 * triggers it), so the legs always pair up in time: the two series must share a timeframe (the backtest refuses
 * others). Both legs are signalled together; nothing is sent while either
 * leg has a pending order. Shorting needs instruments that can be shorted (perpetuals); on spot, the short leg's
 * signal means flat. The signals carry direction only: the hedge ratio shapes the spread, the sizing of the legs is
 * the desk's. Entry conviction is |z| / (2 * entry), capped at 1.
 */
import type { InstrumentId } from '../core/ids.js';
import { RollingBeta } from '../indicators/correlation.js';
import { ZScore } from '../indicators/statistics.js';
import { formatValue, requireInstruments, requireRelation, resolveParameters } from './parameters.js';
import type { BarView, ParameterSpec, Signal, Strategy, StrategyContext, StrategyFactory } from './strategy.js';

const NAME = 'pairs-zscore';

const PARAMETERS: readonly ParameterSpec[] = [
  { name: 'period', description: 'z-score window of the spread (bars)', default: 50, min: 5, max: 5000, integer: true },
  { name: 'entry', description: 'enter when |z| rises above this', default: 2, min: 0.1, max: 10 },
  { name: 'exit', description: 'exit when |z| falls below this (below entry)', default: 0.5, min: 0, max: 10 },
  { name: 'hedge', description: 'ols: rolling least-squares hedge ratio; fixed: ratio 1', default: 'ols', choices: ['ols', 'fixed'] },
  { name: 'betaPeriod', description: 'window of the rolling hedge ratio (bars)', default: 100, min: 5, max: 10000, integer: true },
];

type Stance = 'flat' | 'long-spread' | 'short-spread';

class PairsZScore implements Strategy {
  readonly name = NAME;
  readonly warmup: number;
  readonly pairsBarsByTime = true;
  private readonly beta: RollingBeta | undefined;
  private readonly zscore: ZScore;
  private readonly lastTs = [Number.NaN, Number.NaN];
  private readonly lastClose = [Number.NaN, Number.NaN];
  private processedTs = Number.NaN;
  private stance: Stance = 'flat';

  constructor(
    readonly instruments: readonly InstrumentId[],
    period: number,
    private readonly entry: number,
    private readonly exit: number,
    betaPeriod: number | undefined,
  ) {
    this.zscore = new ZScore(period);
    this.beta = betaPeriod === undefined ? undefined : new RollingBeta(betaPeriod);
    // The bar index of the first z-score: `period` spreads (bars 0..period-1), each after `betaPeriod` - 1 bars of
    // hedge-ratio history when the ratio is fitted.
    this.warmup = betaPeriod === undefined ? period - 1 : betaPeriod + period - 2;
  }

  onBar(bar: BarView, context: StrategyContext): void {
    const leg = this.instruments.indexOf(bar.instrumentId);
    if (leg < 0) return;
    this.lastTs[leg] = bar.ts;
    this.lastClose[leg] = bar.close;
    if (this.lastTs[0] !== this.lastTs[1] || bar.ts === this.processedTs) return;
    this.processedTs = bar.ts;
    const logA = Math.log(this.lastClose[0] as number);
    const logB = Math.log(this.lastClose[1] as number);
    const beta = this.beta === undefined ? 1 : this.beta.update(logA, logB);
    if (beta === undefined) return;
    const z = this.zscore.update(logA - beta * logB);
    if (z === undefined) return;
    const [a, b] = this.instruments as [InstrumentId, InstrumentId];
    if (context.hasPendingOrder(a) || context.hasPendingOrder(b)) return;
    const spread = `spread z-score ${formatValue(z)} (log ${a} - ${formatValue(beta)} x log ${b}, ${this.zscore.period} bars)`;
    const conviction = Math.min(1, Math.abs(z) / (2 * this.entry));
    if (this.stance !== 'flat' && Math.abs(z) < this.exit) {
      this.move(context, 'flat', 1, `${spread} back inside ${formatValue(this.exit)}: close the pair`);
    } else if (this.stance !== 'short-spread' && z > this.entry) {
      this.move(context, 'short-spread', conviction, `${spread} above ${formatValue(this.entry)}: short ${a}, long ${b}`);
    } else if (this.stance !== 'long-spread' && z < -this.entry) {
      this.move(context, 'long-spread', conviction, `${spread} below -${formatValue(this.entry)}: long ${a}, short ${b}`);
    }
  }

  private move(context: StrategyContext, stance: Stance, conviction: number, reason: string): void {
    const [a, b] = this.instruments as [InstrumentId, InstrumentId];
    const legA: Signal['direction'] = stance === 'flat' ? 'flat' : stance === 'long-spread' ? 'long' : 'short';
    const legB: Signal['direction'] = stance === 'flat' ? 'flat' : stance === 'long-spread' ? 'short' : 'long';
    context.emit({ instrumentId: a, direction: legA, conviction, reason });
    context.emit({ instrumentId: b, direction: legB, conviction, reason });
    this.stance = stance;
  }
}

export const pairsZScore: StrategyFactory = {
  name: NAME,
  description: 'pairs trading on the z-score of the log-price spread of two instruments (rolling OLS or unit hedge)',
  parameters: PARAMETERS,
  instrumentCount: 2,
  create(parameters, instruments) {
    const p = resolveParameters(NAME, PARAMETERS, parameters);
    const entry = p.number('entry');
    const exit = p.number('exit');
    requireRelation(NAME, exit < entry, `exit (${exit}) must be below entry (${entry})`);
    requireInstruments(NAME, 2, instruments);
    return new PairsZScore(instruments, p.number('period'), entry, exit, p.string('hedge') === 'ols' ? p.number('betaPeriod') : undefined);
  },
};
