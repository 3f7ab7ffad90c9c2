/**
 * `bb-rsi`: Bollinger Band and RSI mean reversion.
 *
 * - Enter long when flat, the close is below the lower band and RSI is below `oversold`; exit when the close is
 *   back at or above the middle band, or RSI rises above `overbought`.
 * - long-short mode mirrors it: short when the close is above the upper band and RSI above `overbought`; exit at
 *   or below the middle band, or when RSI falls below `oversold`.
 * Conviction grows with how stretched RSI is: 0.5 at the threshold, 1 at the extreme (0 or 100). Exits carry
 * conviction 1. Nothing is sent while an order is pending. Warm-up: max(period, rsiPeriod + 1).
 */
import type { InstrumentId } from '../core/ids.js';
import { BollingerBands, type BollingerResult } from '../indicators/bollinger.js';
import { RSI } from '../indicators/rsi.js';
import { formatValue, requireInstruments, requireRelation, resolveParameters } from './parameters.js';
import type { BarView, ParameterSpec, Signal, Strategy, StrategyContext, StrategyFactory } from './strategy.js';

const NAME = 'bb-rsi';

const PARAMETERS: readonly ParameterSpec[] = [
  { name: 'period', description: 'Bollinger period (bars)', default: 20, min: 2, max: 1000, integer: true },
  { name: 'mult', description: 'band width in standard deviations', default: 2, min: 0.1, max: 10 },
  { name: 'rsiPeriod', description: 'RSI period (bars)', default: 14, min: 2, max: 500, integer: true },
  { name: 'oversold', description: 'RSI below this is oversold (entry long, exit short)', default: 30, min: 1, max: 50 },
  { name: 'overbought', description: 'RSI above this is overbought (exit long, entry short)', default: 70, min: 50, max: 99 },
  { name: 'mode', description: 'long-only, or long-short to fade both bands', default: 'long-only', choices: ['long-only', 'long-short'] },
];

class BollingerRsiReversion implements Strategy {
  readonly name = NAME;
  readonly instruments: readonly InstrumentId[];
  readonly warmup: number;
  private readonly bands: BollingerBands;
  private readonly rsi: RSI;

  constructor(
    private readonly instrument: InstrumentId,
    period: number,
    multiplier: number,
    rsiPeriod: number,
    private readonly oversold: number,
    private readonly overbought: number,
    private readonly longShort: boolean,
  ) {
    this.instruments = [instrument];
    this.bands = new BollingerBands(period, multiplier);
    this.rsi = new RSI(rsiPeriod);
    this.warmup = Math.max(this.bands.warmup, this.rsi.warmup);
  }

  onBar(bar: BarView, context: StrategyContext): void {
    if (bar.instrumentId !== this.instrument) return;
    // The outer bands are read only when RSI is stretched: the middle band alone decides the exits.
    const middle = this.bands.push(bar.close);
    const rsi = this.rsi.update(bar.close);
    if (middle === undefined || rsi === undefined || context.hasPendingOrder(this.instrument)) return;
    const close = bar.close;
    const position = context.position(this.instrument);
    if (position === 0) {
      if (rsi < this.oversold && close < this.outer().lower) {
        const conviction = 0.5 + (0.5 * (this.oversold - rsi)) / this.oversold;
        this.emit(context, 'long', conviction, `close ${formatValue(close)} below the lower band ${formatValue(this.outer().lower)} and RSI(${this.rsi.period}) ${formatValue(rsi)} below ${this.oversold}`);
      } else if (this.longShort && rsi > this.overbought && close > this.outer().upper) {
        const conviction = 0.5 + (0.5 * (rsi - this.overbought)) / (100 - this.overbought);
        this.emit(context, 'short', conviction, `close ${formatValue(close)} above the upper band ${formatValue(this.outer().upper)} and RSI(${this.rsi.period}) ${formatValue(rsi)} above ${this.overbought}`);
      }
    } else if (position > 0) {
      if (close >= middle) this.emit(context, 'flat', 1, `close ${formatValue(close)} back at the middle band ${formatValue(middle)}`);
      else if (rsi > this.overbought) this.emit(context, 'flat', 1, `RSI(${this.rsi.period}) ${formatValue(rsi)} above ${this.overbought}`);
    } else if (close <= middle) {
      this.emit(context, 'flat', 1, `close ${formatValue(close)} back at the middle band ${formatValue(middle)}`);
    } else if (rsi < this.oversold) {
      this.emit(context, 'flat', 1, `RSI(${this.rsi.period}) ${formatValue(rsi)} below ${this.oversold}`);
    }
  }

  private outer(): BollingerResult {
    return this.bands.value as BollingerResult;
  }

  private emit(context: StrategyContext, direction: Signal['direction'], conviction: number, reason: string): void {
    context.emit({ instrumentId: this.instrument, direction, conviction: Math.min(1, Math.max(0, conviction)), reason });
  }
}

export const bbRsi: StrategyFactory = {
  name: NAME,
  description: 'Bollinger Band + RSI mean reversion: buy below the lower band when oversold, exit at the middle band',
  parameters: PARAMETERS,
  instrumentCount: 1,
  create(parameters, instruments) {
    const p = resolveParameters(NAME, PARAMETERS, parameters);
    const oversold = p.number('oversold');
    const overbought = p.number('overbought');
    requireRelation(NAME, oversold < overbought, `oversold (${oversold}) must be below overbought (${overbought})`);
    requireInstruments(NAME, 1, instruments);
    return new BollingerRsiReversion(
      instruments[0] as InstrumentId,
      p.number('period'),
      p.number('mult'),
      p.number('rsiPeriod'),
      oversold,
      overbought,
      p.string('mode') === 'long-short',
    );
  },
};
