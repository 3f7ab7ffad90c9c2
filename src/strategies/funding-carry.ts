/**
 * `funding-carry`: collect perpetual funding.
 *
 * Longs pay shorts when the funding rate is positive. So: when the latest funding rate is above `threshold`, be
 * short; below -threshold, be long; in between, flat. The rate arrives through `onFunding`; the position is
 * changed on the next bar of the instrument (signals go out from `onBar`, where the desk acts on them), and only
 * when the wanted side changes. Nothing is sent while an order is pending (the change is retried on the next
 * bar). Entry conviction is |rate| / (2 * threshold), capped at 1 (1 when the threshold is 0).
 */
import type { InstrumentId } from '../core/ids.js';
import { requireInstruments, resolveParameters } from './parameters.js';
import type { BarView, ParameterSpec, Signal, Strategy, StrategyContext, StrategyFactory } from './strategy.js';

const NAME = 'funding-carry';

const PARAMETERS: readonly ParameterSpec[] = [
  { name: 'threshold', description: 'funding rate per interval (fraction, 0.0001 = 0.01%) beyond which to take the carry', default: 0.0001, min: 0, max: 0.01 },
];

const percent = (rate: number): string => `${String(Number((rate * 100).toPrecision(4)))}%`;

class FundingCarry implements Strategy {
  readonly name = NAME;
  readonly instruments: readonly InstrumentId[];
  readonly warmup = 0;
  private rate: number | undefined;
  private wanted: Signal['direction'] = 'flat';

  constructor(
    private readonly instrument: InstrumentId,
    private readonly threshold: number,
  ) {
    this.instruments = [instrument];
  }

  onFunding(instrumentId: InstrumentId, _ts: number, rate: number): void {
    if (instrumentId === this.instrument && Number.isFinite(rate)) this.rate = rate;
  }

  onBar(bar: BarView, context: StrategyContext): void {
    const rate = this.rate;
    if (bar.instrumentId !== this.instrument || rate === undefined) return;
    const direction: Signal['direction'] = rate > this.threshold ? 'short' : rate < -this.threshold ? 'long' : 'flat';
    if (direction === this.wanted || context.hasPendingOrder(this.instrument)) return;
    this.wanted = direction;
    const limits = `${percent(-this.threshold)}..${percent(this.threshold)}`;
    const reason =
      direction === 'short'
        ? `funding rate ${percent(rate)} above ${percent(this.threshold)}: short to collect it`
        : direction === 'long'
          ? `funding rate ${percent(rate)} below ${percent(-this.threshold)}: long to collect it`
          : `funding rate ${percent(rate)} back within ${limits}: flat`;
    const conviction = direction === 'flat' || this.threshold === 0 ? 1 : Math.min(1, Math.abs(rate) / (2 * this.threshold));
    context.emit({ instrumentId: this.instrument, direction, conviction, reason });
  }
}

export const fundingCarry: StrategyFactory = {
  name: NAME,
  description: 'perpetual funding carry: short when funding is rich, long when it is negative, flat in between',
  parameters: PARAMETERS,
  instrumentCount: 1,
  create(parameters, instruments) {
    const p = resolveParameters(NAME, PARAMETERS, parameters);
    requireInstruments(NAME, 1, instruments);
    return new FundingCarry(instruments[0] as InstrumentId, p.number('threshold'));
  },
};
