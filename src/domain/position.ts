import { Fixed } from '../core/fixed.js';
import type { InstrumentId } from '../core/ids.js';
import type { Instrument } from './instrument.js';
import type { OrderSide } from './order.js';

/**
 * A net position. `costBasis` is the entry value of the open quantity in the settlement currency, at that
 * currency's scale: the sum of each opening fill's notional (quantity x contract size x price, rounded half-even),
 * less the share released by reductions. Keeping the basis rather than an average price makes a round trip's
 * realised PnL exactly proceeds minus cost: the only rounding is on each fill's notional.
 */
export interface PositionState {
  readonly instrumentId: InstrumentId;
  /** Signed: positive long, negative short. */
  readonly quantity: Fixed;
  readonly costBasis: Fixed;
  readonly realisedPnl: Fixed;
}

export interface PositionChange {
  readonly next: PositionState;
  readonly realisedPnl: Fixed;
  readonly openedQuantity: Fixed;
  readonly closedQuantity: Fixed;
  /** Basis released by the closed part (what the closed quantity cost). */
  readonly releasedBasis: Fixed;
  /** Value of the fill's opening part, at the settlement scale. */
  readonly openedValue: Fixed;
  /** Value of the fill's closing part at the fill price, at the settlement scale. */
  readonly closedValue: Fixed;
}

export function flatPosition(instrumentId: InstrumentId, valueScale: number, quantityScale: number): PositionState {
  return {
    instrumentId,
    quantity: Fixed.zero(quantityScale),
    costBasis: Fixed.zero(valueScale),
    realisedPnl: Fixed.zero(valueScale),
  };
}

/** Notional of `quantity` at `price`, rounded half-even to the settlement currency's scale. */
export function valueAt(instrument: Instrument, quantity: Fixed, price: Fixed, valueScale: number): Fixed {
  return quantity.abs().mul(instrument.contractSize).mul(price, valueScale, 'half-even');
}

/**
 * Applies a fill (quantity > 0, side gives direction) to a net position. Pure. The next position is a literal of
 * every field (not a spread of the previous one): copying a spread object with overrides was a large part of a
 * fill's cost, and a field added to PositionState must be added here (the compiler insists). `tradedValue` is the
 * whole fill's value at the settlement scale: by default its notional rounded half-even; the books pass the share
 * of the order's rounded running total, so an order filled in parts is valued as if in one.
 */
export function applyFillToPosition(
  position: PositionState,
  instrument: Instrument,
  side: OrderSide,
  quantity: Fixed,
  price: Fixed,
  valueScale: number,
  tradedValue: Fixed = valueAt(instrument, quantity, price, valueScale),
): PositionChange {
  const signed = side === 'buy' ? quantity : quantity.neg();
  const current = position.quantity;
  const zero = Fixed.zero(valueScale);
  const sameDirection = current.isZero() || current.sign() === signed.sign();
  if (sameDirection) {
    const openedValue = tradedValue;
    return {
      next: { instrumentId: position.instrumentId, quantity: current.add(signed), costBasis: position.costBasis.add(openedValue), realisedPnl: position.realisedPnl },
      realisedPnl: zero,
      openedQuantity: quantity,
      closedQuantity: Fixed.zero(quantity.scale),
      releasedBasis: zero,
      openedValue,
      closedValue: zero,
    };
  }
  const held = current.abs();
  const closed = quantity.min(held);
  const opened = quantity.sub(closed);
  const releasedBasis = closed.eq(held)
    ? position.costBasis
    : position.costBasis.mul(closed).div(held, valueScale, 'half-even');
  const exitValue = closed.eq(quantity) ? tradedValue : valueAt(instrument, closed, price, valueScale);
  const long = current.isPositive();
  const pnl = long ? exitValue.sub(releasedBasis) : releasedBasis.sub(exitValue);
  // A flip values the whole fill once and gives the opening part what the closing part leaves, so the fill's
  // notional is rounded once (as the venue books it), not twice.
  const openedValue = opened.isZero() ? zero : tradedValue.sub(exitValue);
  return {
    next: {
      instrumentId: position.instrumentId,
      quantity: current.add(signed),
      costBasis: position.costBasis.sub(releasedBasis).add(openedValue),
      realisedPnl: position.realisedPnl.add(pnl),
    },
    realisedPnl: pnl,
    openedQuantity: opened,
    closedQuantity: closed,
    releasedBasis,
    openedValue,
    closedValue: exitValue,
  };
}

/** Unrealised PnL at `mark`, at the settlement scale. */
export function unrealisedPnl(position: PositionState, instrument: Instrument, mark: Fixed, valueScale: number): Fixed {
  if (position.quantity.isZero()) return Fixed.zero(valueScale);
  const markValue = valueAt(instrument, position.quantity, mark, valueScale);
  return position.quantity.isPositive() ? markValue.sub(position.costBasis) : position.costBasis.sub(markValue);
}

/** Average entry price (for display), at `scale`. */
export function averageEntryPrice(position: PositionState, instrument: Instrument, scale: number): Fixed | undefined {
  if (position.quantity.isZero()) return undefined;
  return position.costBasis.div(position.quantity.abs().mul(instrument.contractSize), scale, 'half-even');
}
