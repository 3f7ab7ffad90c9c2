import { Fixed } from '../../core/fixed.js';
import type { InstrumentId } from '../../core/ids.js';
import { fundsRequired, type FundsRequirement } from '../../domain/funds.js';
import type { CurrencyScales, Instrument } from '../../domain/instrument.js';
import { instrumentFitProblems, orderSpecProblems, type OrderSpec } from '../../domain/order.js';
import { VenueAccount } from './account.js';

/** What the venue knows when an order arrives. */
export interface AdmissionContext {
  readonly reference: Fixed | undefined;
  /** The account's net position in the instrument. */
  readonly position: Fixed;
  readonly leverage: Fixed;
  readonly scales: CurrencyScales;
  readonly account: VenueAccount;
  readonly marks: ReadonlyMap<InstrumentId, Fixed>;
  /** A post-only order that the touch would fill now (L1 and L2; bar mode decides at the next open). */
  readonly wouldTake: boolean;
  /** What of the order has filled already (a modified order): funds are needed for the rest only. */
  readonly filled?: Fixed;
}

/**
 * The venue's answer to an arriving order: refused, with the first problem (checked in this order), or admitted,
 * with the funds it holds back (none for reduce-only orders).
 */
export type Admission = { readonly problem: string } | { readonly problem: undefined; readonly need: FundsRequirement | undefined };

const refuse = (problem: string): Admission => ({ problem });

export function admitOrder(instrument: Instrument, spec: OrderSpec, context: AdmissionContext): Admission {
  const problems = orderSpecProblems(spec);
  if (problems.length > 0) return refuse(problems.join('; '));
  const position = context.position;
  // A reduce-only order closing a whole perpetual position is exempt from the minimums (as on Binance futures).
  const closesAll = spec.reduceOnly && instrument.kind === 'perpetual' && !position.isZero() && spec.quantity.gte(position.abs());
  const misfit = instrumentFitProblems(closesAll ? { ...instrument, minQuantity: Fixed.zero() } : instrument, spec)[0];
  if (misfit !== undefined) return refuse(misfit);
  const reference = context.reference;
  const price = spec.price ?? spec.triggerPrice ?? reference;
  if (price === undefined) return refuse('no market price yet to check the order against');
  const notional = spec.quantity.mul(instrument.contractSize).mul(price);
  if (!closesAll && notional.lt(instrument.minNotional)) return refuse(`notional ${notional.toPlainString()} is below the minimum ${instrument.minNotional.toPlainString()}`);
  if (spec.reduceOnly) {
    const reduces = spec.side === 'buy' ? position.isNegative() : position.isPositive();
    return reduces ? { problem: undefined, need: undefined } : refuse('reduce-only order would increase the position');
  }
  if (context.wouldTake) return refuse('post-only order would take liquidity');
  const rest = context.filled === undefined ? spec.quantity : spec.quantity.sub(context.filled);
  if (instrument.kind === 'perpetual') {
    const leverage = context.leverage;
    const after = position.add(spec.side === 'buy' ? rest : rest.neg()).abs().mul(instrument.contractSize).mul(price);
    const tierMax = VenueAccount.tierLeverage(instrument, after);
    if (leverage.gt(tierMax)) return refuse(`leverage ${leverage.toPlainString()} is above the ${tierMax.toPlainString()} allowed at notional ${after.toPlainString()}`);
  }
  // On a perpetual only what opens or grows the position needs margin: the part that closes the account's position
  // frees its own (as exchanges hold orders in one-way mode). Several owners netted in one account send their
  // reduce-only orders plain, and their stops would otherwise hold a second margin for positions already posted.
  const grows = instrument.kind === 'perpetual' ? growingPart(spec.side, rest, position) : rest;
  const need = fundsRequired(instrument, spec.side, grows, price, context.leverage, false, context.scales);
  const free = need.from === 'asset' ? context.account.wallet(need.currency).sub(context.account.locked(need.currency)) : context.account.free(need.currency, context.marks);
  if (need.amount.gt(free)) {
    const what = instrument.kind === 'perpetual' ? 'insufficient margin' : 'insufficient balance';
    return refuse(`${what}: needs ${need.amount.toPlainString()} ${need.currency}, ${free.toPlainString()} free`);
  }
  return { problem: undefined, need };
}

/** What of an order of `quantity` on `side` would open or grow the account's net `position` (none of a close). */
function growingPart(side: 'buy' | 'sell', quantity: Fixed, position: Fixed): Fixed {
  const closable = side === 'sell' ? position : position.neg();
  if (!closable.isPositive()) return quantity;
  return closable.gte(quantity) ? quantity.sub(quantity) : quantity.sub(closable);
}
