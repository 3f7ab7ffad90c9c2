import type { Fixed } from '../core/fixed.js';
import type { ClientOrderId, Currency, InstrumentId, TradeId, VenueOrderId } from '../core/ids.js';
import type { OrderSide } from './order.js';

export type Liquidity = 'maker' | 'taker';

/** One execution of (part of) an order, as the venue reports it. */
export interface Fill {
  readonly tradeId: TradeId;
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId: VenueOrderId | undefined;
  readonly instrumentId: InstrumentId;
  readonly side: OrderSide;
  readonly quantity: Fixed;
  readonly price: Fixed;
  readonly fee: Fixed;
  readonly feeCurrency: Currency;
  readonly liquidity: Liquidity;
}
