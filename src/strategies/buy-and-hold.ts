/**
 * `buy-and-hold`: the baseline. Long on the first bar after the warm-up (or the first bar after it with no order
 * pending), once; never exits.
 */
import type { InstrumentId } from '../core/ids.js';
import { requireInstruments, resolveParameters } from './parameters.js';
import type { BarView, ParameterSpec, Strategy, StrategyContext, StrategyFactory } from './strategy.js';

const NAME = 'buy-and-hold';

const PARAMETERS: readonly ParameterSpec[] = [
  { name: 'warmup', description: 'bars to wait before buying (to start together with a compared strategy)', default: 0, min: 0, max: 100_000, integer: true },
];

class BuyAndHold implements Strategy {
  readonly name = NAME;
  readonly instruments: readonly InstrumentId[];
  private bars = 0;
  private bought = false;

  constructor(
    private readonly instrument: InstrumentId,
    readonly warmup: number,
  ) {
    this.instruments = [instrument];
  }

  onBar(bar: BarView, context: StrategyContext): void {
    if (bar.instrumentId !== this.instrument) return;
    this.bars += 1;
    if (this.bought || this.bars <= this.warmup || context.hasPendingOrder(this.instrument)) return;
    this.bought = true;
    const when = this.warmup === 0 ? 'the first bar' : `the first bar after a ${this.warmup}-bar warm-up`;
    context.emit({ instrumentId: this.instrument, direction: 'long', conviction: 1, reason: `buy and hold: long from ${when}, never exits` });
  }
}

export const buyAndHold: StrategyFactory = {
  name: NAME,
  description: 'the baseline: buy on the first bar and hold to the end',
  parameters: PARAMETERS,
  instrumentCount: 1,
  create(parameters, instruments) {
    const p = resolveParameters(NAME, PARAMETERS, parameters);
    requireInstruments(NAME, 1, instruments);
    return new BuyAndHold(instruments[0] as InstrumentId, p.number('warmup'));
  },
};
