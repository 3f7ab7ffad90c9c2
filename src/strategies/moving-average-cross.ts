/**
 * Moving-average crossover: `sma-cross` and `ema-cross`.
 *
 * - long-only: when flat and the fast average crosses above the slow one, go long; when long and it crosses
 *   below, close. Nothing else: no short, no re-entry without a fresh cross.
 * - reversal: always in the market once the first cross has come: a cross above goes long (from short or flat),
 *   a cross below goes short (from long or flat).
 * A cross is judged on closes with CrossDetector (equality carries the last side forward). Two SMAs are ordered by
 * their exact means (SMA.compareTo), not their rounded values: on a flat market SMA(3) and SMA(5) of one price can
 * differ by a rounding step, which is no cross. Two EMAs are ordered by their values; an EMA fed a flat price
 * moves toward it without passing it and stays once there (see EMA). While an order for the
 * instrument is pending, the strategy sends nothing (a cross during that time is not acted on later). Warm-up is
 * the slow period: the first cross can come on the bar after both averages exist.
 */
import type { InstrumentId } from '../core/ids.js';
import { CrossDetector } from '../indicators/cross.js';
import { EMA, SMA } from '../indicators/moving-averages.js';
import { formatValue, requireInstruments, requireRelation, resolveParameters } from './parameters.js';
import type { BarView, ParameterSpec, Strategy, StrategyContext, StrategyFactory } from './strategy.js';

type Average = SMA | EMA;
type Mode = 'long-only' | 'reversal';

const PARAMETERS: readonly ParameterSpec[] = [
  { name: 'fast', description: 'fast average period (bars)', default: 10, min: 1, max: 500, integer: true },
  { name: 'slow', description: 'slow average period (bars), above fast', default: 30, min: 2, max: 2000, integer: true },
  { name: 'mode', description: 'long-only: long or flat; reversal: always long or short after the first cross', default: 'long-only', choices: ['long-only', 'reversal'] },
];

class MovingAverageCross implements Strategy {
  readonly instruments: readonly InstrumentId[];
  readonly warmup: number;
  private readonly fast: Average;
  private readonly slow: Average;
  /** A number with the sign of fast - slow, given both averages' values. */
  private readonly order: (fast: number, slow: number) => number;
  private readonly cross = new CrossDetector();

  constructor(
    readonly name: string,
    private readonly label: 'SMA' | 'EMA',
    private readonly instrument: InstrumentId,
    fastPeriod: number,
    slowPeriod: number,
    private readonly mode: Mode,
  ) {
    this.instruments = [instrument];
    this.warmup = slowPeriod;
    if (label === 'SMA') {
      const fast = new SMA(fastPeriod);
      const slow = new SMA(slowPeriod);
      this.order = () => fast.compareTo(slow);
      this.fast = fast;
      this.slow = slow;
    } else {
      this.order = (fast, slow) => fast - slow;
      this.fast = new EMA(fastPeriod);
      this.slow = new EMA(slowPeriod);
    }
  }

  onBar(bar: BarView, context: StrategyContext): void {
    if (bar.instrumentId !== this.instrument) return;
    const fast = this.fast.update(bar.close);
    const slow = this.slow.update(bar.close);
    if (fast === undefined || slow === undefined) return;
    const event = this.cross.updateDifference(this.order(fast, slow));
    if (event === 'none') return;
    if (context.hasPendingOrder(this.instrument)) return;
    const position = context.position(this.instrument);
    if (this.mode === 'long-only') {
      if (event === 'over' && position === 0) this.emit(context, 'long', event, fast, slow);
      else if (event === 'under' && position > 0) this.emit(context, 'flat', event, fast, slow);
      return;
    }
    if (event === 'over' && position <= 0) this.emit(context, 'long', event, fast, slow);
    else if (event === 'under' && position >= 0) this.emit(context, 'short', event, fast, slow);
  }

  /** The reason is written only for a cross that is acted on (a long-only rule ignores half of them). */
  private emit(context: StrategyContext, direction: 'long' | 'short' | 'flat', event: 'over' | 'under', fast: number, slow: number): void {
    const reason = `${this.label}(${this.fast.period}) ${formatValue(fast)} crossed ${event === 'over' ? 'above' : 'below'} ${this.label}(${this.slow.period}) ${formatValue(slow)}`;
    context.emit({ instrumentId: this.instrument, direction, conviction: 1, reason });
  }
}

function crossFactory(name: string, label: 'SMA' | 'EMA'): StrategyFactory {
  return {
    name,
    description: `${label} crossover: fast ${label} crossing the slow one, long-only or always-in-market reversal`,
    parameters: PARAMETERS,
    instrumentCount: 1,
    create(parameters, instruments) {
      const p = resolveParameters(name, PARAMETERS, parameters);
      const fast = p.number('fast');
      const slow = p.number('slow');
      requireRelation(name, fast < slow, `fast (${fast}) must be below slow (${slow})`);
      requireInstruments(name, 1, instruments);
      return new MovingAverageCross(name, label, instruments[0] as InstrumentId, fast, slow, p.string('mode') as Mode);
    },
  };
}

export const smaCross = crossFactory('sma-cross', 'SMA');
export const emaCross = crossFactory('ema-cross', 'EMA');
