import type { Fixed } from '../core/fixed.js';
import type { AgentId, ClientOrderId, Currency, InstrumentId, IntentId, VenueOrderId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import type { Fill } from './fill.js';
import type { OrderIntent } from './intent.js';
import type { OrderSide, OrderSpec } from './order.js';
import type { AgentEvent } from './agent-events.js';
import type { EventBase, TradingState } from './event-base.js';

export type { EventBase, TradingState } from './event-base.js';
export type * from './agent-events.js';


export type DenialCode =
  | 'trading_halted'
  | 'reducing_only'
  | 'instrument_not_allowed'
  | 'unknown_instrument'
  | 'invalid_order'
  | 'below_min_quantity'
  | 'below_min_notional'
  | 'off_tick'
  | 'max_order_notional'
  | 'max_position_notional'
  | 'max_gross_exposure'
  | 'max_leverage'
  | 'max_open_orders'
  | 'price_band'
  | 'order_rate'
  | 'stale_market_data'
  | 'no_reference_price'
  | 'insufficient_funds'
  | 'daily_loss_limit'
  | 'max_drawdown'
  | 'reduce_only'
  | 'duplicate_intent'
  /** A reduction gave up: the venue refused twice to cancel the protective order holding the position. */
  | 'cancel_refused';

export interface FundsDeposited extends EventBase {
  readonly type: 'FundsDeposited';
  readonly owner: string;
  readonly currency: Currency;
  readonly amount: Fixed;
}

export interface FundsWithdrawn extends EventBase {
  readonly type: 'FundsWithdrawn';
  readonly owner: string;
  readonly currency: Currency;
  readonly amount: Fixed;
}

/** Money moved between two owners of the desk (sleeves): the desk's total is unchanged. */
export interface FundsTransferred extends EventBase {
  readonly type: 'FundsTransferred';
  readonly from: string;
  readonly to: string;
  readonly currency: Currency;
  readonly amount: Fixed;
}

export interface IntentApproved extends EventBase {
  readonly type: 'IntentApproved';
  readonly intent: OrderIntent;
  readonly clientOrderId: ClientOrderId;
  readonly approvedQuantity: Fixed;
  /** Why the quantity was reduced, when it was. */
  readonly clamps: readonly string[];
}

export interface IntentDenied extends EventBase {
  readonly type: 'IntentDenied';
  readonly intentId: IntentId;
  readonly agentId: AgentId;
  readonly instrumentId: InstrumentId;
  readonly code: DenialCode;
  readonly detail: string;
}

export interface OrderSubmitted extends EventBase {
  readonly type: 'OrderSubmitted';
  readonly order: OrderSpec;
  /** The price the reservation was sized at (the limit, or the reference price for market-type orders). */
  readonly reservePrice: Fixed;
}

export interface OrderAccepted extends EventBase {
  readonly type: 'OrderAccepted';
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId: VenueOrderId;
}

export interface OrderRejected extends EventBase {
  readonly type: 'OrderRejected';
  readonly clientOrderId: ClientOrderId;
  readonly reason: string;
}

export interface OrderPendingCancel extends EventBase {
  readonly type: 'OrderPendingCancel';
  readonly clientOrderId: ClientOrderId;
}

export interface OrderCancelRejected extends EventBase {
  readonly type: 'OrderCancelRejected';
  readonly clientOrderId: ClientOrderId;
  readonly reason: string;
}

export interface OrderCanceled extends EventBase {
  readonly type: 'OrderCanceled';
  readonly clientOrderId: ClientOrderId;
  readonly reason: string;
}

export interface OrderExpired extends EventBase {
  readonly type: 'OrderExpired';
  readonly clientOrderId: ClientOrderId;
}

export interface OrderTriggered extends EventBase {
  readonly type: 'OrderTriggered';
  readonly clientOrderId: ClientOrderId;
}

/** A change sent to the venue and not yet answered, with what it changes (the books hold for it until then). */
export interface OrderPendingUpdate extends EventBase {
  readonly type: 'OrderPendingUpdate';
  readonly clientOrderId: ClientOrderId;
  readonly quantity?: Fixed;
  readonly price?: Fixed;
  readonly triggerPrice?: Fixed;
}

export interface OrderUpdated extends EventBase {
  readonly type: 'OrderUpdated';
  readonly clientOrderId: ClientOrderId;
  readonly quantity?: Fixed;
  readonly price?: Fixed;
  readonly triggerPrice?: Fixed;
}

export interface OrderModifyRejected extends EventBase {
  readonly type: 'OrderModifyRejected';
  readonly clientOrderId: ClientOrderId;
  readonly reason: string;
}

export interface OrderFilled extends EventBase {
  readonly type: 'OrderFilled';
  readonly fill: Fill;
}

/** Funding settled on a perpetual position. `amount` > 0: the owner paid; < 0: received. */
export interface FundingApplied extends EventBase {
  readonly type: 'FundingApplied';
  readonly owner: string;
  readonly instrumentId: InstrumentId;
  readonly rate: Fixed;
  readonly markPrice: Fixed;
  readonly amount: Fixed;
}

/**
 * The venue closed a position because its margin fell to the maintenance margin. `side` is the closing side;
 * the fee is the liquidation fee, in the settlement currency.
 */
export interface PositionLiquidated extends EventBase {
  readonly type: 'PositionLiquidated';
  readonly instrumentId: InstrumentId;
  readonly side: OrderSide;
  readonly quantity: Fixed;
  readonly price: Fixed;
  readonly fee: Fixed;
  readonly reason: string;
}

/** A share of realised profit moved to the reserve, which is never traded; the reason quotes the profit and the mark. */
export interface ProfitSwept extends EventBase {
  readonly type: 'ProfitSwept';
  readonly owner: string;
  readonly currency: Currency;
  readonly amount: Fixed;
  readonly reason: string;
}

/** Prices positions are marked at (and equity, drawdown and daily loss are measured with). */
export interface MarksUpdated extends EventBase {
  readonly type: 'MarksUpdated';
  readonly marks: readonly { readonly instrumentId: InstrumentId; readonly price: Fixed }[];
}

export type StateChangeTrigger = 'command' | 'kill-switch' | 'daily-loss' | 'drawdown' | 'risk-monitor';

export interface TradingStateChanged extends EventBase {
  readonly type: 'TradingStateChanged';
  readonly from: TradingState;
  readonly to: TradingState;
  readonly trigger: StateChangeTrigger;
  readonly reason: string;
}

/** A strategy (user code) threw; the guard recorded it instead of stopping the run. */
export interface StrategyErrored extends EventBase {
  readonly type: 'StrategyErrored';
  readonly agentId: AgentId;
  readonly instrumentId: InstrumentId;
  readonly message: string;
}

export type OrderEvent =
  | OrderSubmitted
  | OrderAccepted
  | OrderRejected
  | OrderPendingCancel
  | OrderCancelRejected
  | OrderCanceled
  | OrderExpired
  | OrderTriggered
  | OrderPendingUpdate
  | OrderUpdated
  | OrderModifyRejected
  | OrderFilled;

export type DeskEvent =
  | FundsDeposited
  | FundsWithdrawn
  | FundsTransferred
  | IntentApproved
  | IntentDenied
  | OrderEvent
  | FundingApplied
  | PositionLiquidated
  | ProfitSwept
  | MarksUpdated
  | StrategyErrored
  | TradingStateChanged
  | AgentEvent;

export type DeskEventType = DeskEvent['type'];

/** Venue reports about an order, before we stamp them into events. */
export type VenueOrderReport =
  | Omit<OrderAccepted, keyof EventBase>
  | Omit<OrderRejected, keyof EventBase>
  | Omit<OrderCancelRejected, keyof EventBase>
  | Omit<OrderCanceled, keyof EventBase>
  | Omit<OrderExpired, keyof EventBase>
  | Omit<OrderTriggered, keyof EventBase>
  | Omit<OrderUpdated, keyof EventBase>
  | Omit<OrderModifyRejected, keyof EventBase>
  | Omit<OrderFilled, keyof EventBase>
  | Omit<PositionLiquidated, keyof EventBase>
  | FundingSettled;

/** Funding the venue settled on its (netted) position; the core books it per owner from its own positions. */
export interface FundingSettled {
  readonly type: 'FundingSettled';
  readonly instrumentId: InstrumentId;
  readonly rate: Fixed;
  readonly markPrice: Fixed;
  /** Paid by the account (> 0) or received (< 0), as the venue computed it. */
  readonly amount: Fixed;
}

export type VenueReport = VenueOrderReport & { readonly tsEvent: UnixMs };
