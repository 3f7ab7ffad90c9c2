import { Fixed } from '../../core/fixed.js';
import { quantizePrice, type Instrument } from '../../domain/instrument.js';
import type { OrderIntent } from '../../domain/intent.js';
import type { TakeProfitWatch } from './take-profit-watch.js';

/** Protective exits for opening orders, as fractions of the reference price (0.08: 8% away). */
export interface ExitFractions {
  readonly stopLoss?: Fixed;
  readonly takeProfit?: Fixed;
}

/** The protective exits an opening order goes out with: the configured fractions, or a brain's own prices. */
export class ExitPlanner {
  constructor(
    private readonly policy: ExitFractions,
    private readonly targets: TakeProfitWatch,
  ) {}

  /**
   * Adds the configured stop-loss and take-profit to an order that opens or adds to a position, as fractions of the
   * entry's fill price (a brain's own exits, already on the intent, are kept). On spot, an order with both keeps only
   * the stop-loss for the venue: the coins are held once, by the stop, and the target is watched here instead.
   */
  protect(intent: OrderIntent, instrument: Instrument, reference: Fixed): OrderIntent {
    if (intent.reduceOnly === true) return intent;
    const exits = intent.stopLoss !== undefined || intent.takeProfit !== undefined ? intent : this.withConfiguredExits(intent, instrument, reference);
    if (instrument.kind !== 'spot' || exits.stopLoss === undefined || exits.takeProfit === undefined) return exits;
    const fraction = exits.exitFractions?.takeProfit;
    this.targets.plan(exits.id, { price: exits.takeProfit, instrument, ...(fraction === undefined ? {} : { fraction }) });
    const { takeProfit: _watched, exitFractions, ...rest } = exits;
    const stopFraction = exitFractions?.stopLoss;
    const watched = { ...rest, watchedTakeProfit: { price: exits.takeProfit, ...(fraction === undefined ? {} : { fraction }) } };
    return stopFraction === undefined ? watched : { ...watched, exitFractions: { stopLoss: stopFraction } };
  }

  private withConfiguredExits(intent: OrderIntent, instrument: Instrument, reference: Fixed): OrderIntent {
    const { stopLoss, takeProfit } = this.policy;
    if (stopLoss === undefined && takeProfit === undefined) return intent;
    const long = intent.side === 'buy';
    const one = Fixed.fromInt(1);
    const at = (fraction: Fixed, up: boolean): Fixed =>
      quantizePrice(instrument, reference.mul(up ? one.add(fraction) : one.sub(fraction)), up ? 'up' : 'down');
    // The prices at the reference pass the gate now; the fractions move the exits to the entry's fill price later.
    return {
      ...intent,
      ...(stopLoss === undefined ? {} : { stopLoss: at(stopLoss, !long) }),
      ...(takeProfit === undefined ? {} : { takeProfit: at(takeProfit, long) }),
      exitFractions: { ...(stopLoss === undefined ? {} : { stopLoss }), ...(takeProfit === undefined ? {} : { takeProfit }) },
    };
  }
}

export interface BrainExits {
  readonly stopPrice?: number;
  readonly targetPrice?: number;
}

/** A brain's exits as tick-quantized prices, rounded away from the entry. */
export function withExits(intent: OrderIntent, instrument: Instrument, exits: BrainExits): OrderIntent {
  const long = intent.side === 'buy';
  const price = (value: number, up: boolean): Fixed => quantizePrice(instrument, Fixed.fromNumberApprox(value, instrument.tickSize.scale + 2), up ? 'up' : 'down');
  const stopLoss = exits.stopPrice === undefined ? undefined : price(exits.stopPrice, !long);
  const takeProfit = exits.targetPrice === undefined ? undefined : price(exits.targetPrice, long);
  return { ...intent, ...(stopLoss === undefined ? {} : { stopLoss }), ...(takeProfit === undefined ? {} : { takeProfit }) };
}
