/**
 * `donchian`: channel breakout (the turtle rule).
 *
 * Go long when flat and the close breaks above the highest high of the previous `entry` bars (the current bar
 * not included); close the long when the close falls below the lowest low of the previous `exit` bars. In
 * long-short mode the mirror: short below the previous `entry`-bar low, cover above the previous `exit`-bar high.
 * Nothing is sent while an order is pending. Warm-up: max(entry, exit) bars, so both channels cover full windows.
 */
import type { InstrumentId } from '../core/ids.js';
import { Highest, Lowest } from '../indicators/extremes.js';
import { formatValue, requireInstruments, resolveParameters } from './parameters.js';
import type { BarView, ParameterSpec, Signal, Strategy, StrategyContext, StrategyFactory } from './strategy.js';

const NAME = 'donchian';

const PARAMETERS: readonly ParameterSpec[] = [
  { name: 'entry', description: 'breakout channel (bars)', default: 20, min: 2, max: 2000, integer: true },
  { name: 'exit', description: 'exit channel (bars)', default: 10, min: 1, max: 2000, integer: true },
  { name: 'mode', description: 'long-only, or long-short to trade downside breakouts too', default: 'long-only', choices: ['long-only', 'long-short'] },
];

class DonchianBreakout implements Strategy {
  readonly name = NAME;
  readonly instruments: readonly InstrumentId[];
  readonly warmup: number;
  private readonly entryHigh: Highest;
  private readonly entryLow: Lowest;
  private readonly exitHigh: Highest;
  private readonly exitLow: Lowest;

  constructor(
    private readonly instrument: InstrumentId,
    private readonly entry: number,
    private readonly exit: number,
    private readonly longShort: boolean,
  ) {
    this.instruments = [instrument];
    this.warmup = Math.max(entry, exit);
    this.entryHigh = new Highest(entry);
    this.entryLow = new Lowest(entry);
    this.exitHigh = new Highest(exit);
    this.exitLow = new Lowest(exit);
  }

  onBar(bar: BarView, context: StrategyContext): void {
    if (bar.instrumentId !== this.instrument) return;
    // The channels of the previous bars, read before this bar enters them.
    const entryHigh = this.entryHigh.value;
    const entryLow = this.entryLow.value;
    const exitHigh = this.exitHigh.value;
    const exitLow = this.exitLow.value;
    this.entryHigh.update(bar.high);
    this.entryLow.update(bar.low);
    this.exitHigh.update(bar.high);
    this.exitLow.update(bar.low);
    if (entryHigh === undefined || entryLow === undefined || exitHigh === undefined || exitLow === undefined) return;
    if (context.hasPendingOrder(this.instrument)) return;
    const close = bar.close;
    const position = context.position(this.instrument);
    if (position === 0) {
      if (close > entryHigh) this.emit(context, 'long', `close ${formatValue(close)} broke above the ${this.entry}-bar high ${formatValue(entryHigh)}`);
      else if (this.longShort && close < entryLow) this.emit(context, 'short', `close ${formatValue(close)} broke below the ${this.entry}-bar low ${formatValue(entryLow)}`);
    } else if (position > 0) {
      if (close < exitLow) this.emit(context, 'flat', `close ${formatValue(close)} fell below the ${this.exit}-bar low ${formatValue(exitLow)}`);
    } else if (close > exitHigh) {
      this.emit(context, 'flat', `close ${formatValue(close)} rose above the ${this.exit}-bar high ${formatValue(exitHigh)}`);
    }
  }

  private emit(context: StrategyContext, direction: Signal['direction'], reason: string): void {
    context.emit({ instrumentId: this.instrument, direction, conviction: 1, reason });
  }
}

export const donchianBreakout: StrategyFactory = {
  name: NAME,
  description: 'Donchian channel breakout: long above the previous N-bar high, out below the previous M-bar low',
  parameters: PARAMETERS,
  instrumentCount: 1,
  create(parameters, instruments) {
    const p = resolveParameters(NAME, PARAMETERS, parameters);
    requireInstruments(NAME, 1, instruments);
    return new DonchianBreakout(instruments[0] as InstrumentId, p.number('entry'), p.number('exit'), p.string('mode') === 'long-short');
  },
};
