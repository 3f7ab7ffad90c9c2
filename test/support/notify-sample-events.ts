/** Hand-built desk events for the notifier's tests (unit and integration). */
import { fx } from '../../src/core/fixed.js';
import type { AgentId, ClientOrderId, Currency, EventId, InstrumentId, IntentId, TradeId } from '../../src/core/ids.js';
import type { UnixMs } from '../../src/core/time.js';
import type { DenialCode, IntentDenied, OrderFilled, PositionLiquidated, TradingStateChanged, TradingState } from '../../src/domain/events.js';
import type { OrderSide } from '../../src/domain/order.js';

export function sampleFill(
  id: string,
  ts: number,
  side: OrderSide,
  quantity: string,
  price: string,
  fee: string,
  instrument = 'BINANCE:BTC/USDT',
): OrderFilled {
  return {
    type: 'OrderFilled',
    id: id as EventId,
    tsEvent: ts as UnixMs,
    tsInit: ts as UnixMs,
    causationId: `order-${id}`,
    fill: {
      tradeId: `trade-${id}` as TradeId,
      clientOrderId: `co-${id}` as ClientOrderId,
      venueOrderId: undefined,
      instrumentId: instrument as InstrumentId,
      side,
      quantity: fx(quantity),
      price: fx(price),
      fee: fx(fee),
      feeCurrency: 'USDT' as Currency,
      liquidity: 'taker',
    },
  };
}

export function sampleDenial(id: string, ts: number, code: DenialCode, agent = 'momentum'): IntentDenied {
  return {
    type: 'IntentDenied',
    id: id as EventId,
    tsEvent: ts as UnixMs,
    tsInit: ts as UnixMs,
    intentId: `intent-${id}` as IntentId,
    agentId: agent as AgentId,
    instrumentId: 'BINANCE:BTC/USDT' as InstrumentId,
    code,
    detail: 'order notional 12000 exceeds 10000',
  };
}

export function sampleStateChange(id: string, ts: number, from: TradingState, to: TradingState): TradingStateChanged {
  return {
    type: 'TradingStateChanged',
    id: id as EventId,
    tsEvent: ts as UnixMs,
    tsInit: ts as UnixMs,
    from,
    to,
    trigger: 'daily-loss',
    reason: 'daily loss 5.2% reached the 5% limit',
  };
}

export function sampleLiquidation(id: string, ts: number): PositionLiquidated {
  return {
    type: 'PositionLiquidated',
    id: id as EventId,
    tsEvent: ts as UnixMs,
    tsInit: ts as UnixMs,
    instrumentId: 'BYBIT:BTC/USDT:USDT' as InstrumentId,
    side: 'sell',
    quantity: fx('0.2'),
    price: fx('41000.5'),
    fee: fx('4.1'),
    reason: 'margin below maintenance',
  };
}
