import { Fixed } from '../core/fixed.js';
import { quantizePrice, type Instrument } from '../domain/instrument.js';
import type { OrderIntent } from '../domain/intent.js';
import type { OrderRecord } from '../execution/oms.js';
import type { ChildPlan } from './contingent-orders.js';

/**
 * The intent a bracket's protective child goes out with once its entry is done: for the quantity the entry filled,
 * and, when the exit was given as a fraction, with its trigger moved to that fraction of the entry's average fill.
 */
export function releasedChildIntent(child: ChildPlan, entry: Readonly<OrderRecord>, instrument: Instrument | undefined): OrderIntent {
  const triggerPrice = child.fraction === undefined ? undefined : exitFromFill(child, child.fraction, entry, instrument);
  return triggerPrice === undefined ? { ...child.intent, quantity: entry.filledQuantity } : { ...child.intent, quantity: entry.filledQuantity, triggerPrice };
}

/**
 * A protective exit's trigger at its fraction of the entry's average fill price, on the tick and rounded away from
 * the entry (a stop below a long rounds down). Undefined when the entry has no fill value to take it from.
 */
function exitFromFill(child: ChildPlan, fraction: Fixed, entry: Readonly<OrderRecord>, instrument: Instrument | undefined): Fixed | undefined {
  if (instrument === undefined || !entry.filledQuantity.isPositive()) return undefined;
  const scale = instrument.tickSize.scale + 8;
  const average = entry.filledValue.div(entry.filledQuantity, scale, 'half-even');
  // The exit sells after a buy: its stop sits below the fill and its take-profit above; after a sell, the reverse.
  const above = (child.role === 'take-profit') === (child.intent.side === 'sell');
  return exitAtFraction(instrument, average, fraction, above);
}

/** `fraction` above or below `average`, on the tick, rounded away from it. */
export function exitAtFraction(instrument: Instrument, average: Fixed, fraction: Fixed, above: boolean): Fixed {
  const scale = instrument.tickSize.scale + 8;
  const one = Fixed.fromInt(1);
  return quantizePrice(instrument, average.mul(above ? one.add(fraction) : one.sub(fraction), scale, 'half-even'), above ? 'up' : 'down');
}
