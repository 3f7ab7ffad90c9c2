import type { Fixed } from '../core/fixed.js';
import type { AgentId, InstrumentId, IntentId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import type { OrderSide, OrderType, TimeInForce, TrailingOffset } from './order.js';

/**
 * What an agent proposes. Data, never an order: the risk gate turns it into an order or a denial.
 * Its id fixes the client order id, so proposing the same intent twice can never create two orders.
 */
export interface OrderIntent {
  readonly id: IntentId;
  readonly agentId: AgentId;
  /** The ledger owner (the desk, or the agent's sleeve). */
  readonly owner: string;
  readonly instrumentId: InstrumentId;
  readonly side: OrderSide;
  readonly quantity: Fixed;
  readonly type: OrderType;
  readonly price?: Fixed;
  readonly triggerPrice?: Fixed;
  readonly trailing?: TrailingOffset;
  readonly timeInForce?: TimeInForce;
  readonly expireAt?: UnixMs;
  readonly postOnly?: boolean;
  readonly reduceOnly?: boolean;
  /** Protective exits: when given, the order goes out as a bracket (entry, stop-loss, take-profit). */
  readonly stopLoss?: Fixed;
  readonly takeProfit?: Fixed;
  /**
   * Protective exits set as fractions of the entry's average fill price (0.08: 8% away), for exits a policy states
   * that way. `stopLoss`/`takeProfit` then hold the prices at the reference the intent was made at; the children go
   * out at the same fractions of the price the entry actually filled at.
   */
  readonly exitFractions?: { readonly stopLoss?: Fixed; readonly takeProfit?: Fixed };
  /**
   * On spot, the take-profit the desk watches beside the stop-loss instead of sending it (the coins are held once, by
   * the stop): the price at the reference, and the fraction of the entry's fill it moves to. A record of the bracket
   * for the journal and `explain`; nothing trades on it here.
   */
  readonly watchedTakeProfit?: { readonly price: Fixed; readonly fraction?: Fixed };
  /** The signal or decision that caused it. */
  readonly causationId?: string;
  readonly tsEvent: UnixMs;
}
