import type { Fixed } from '../core/fixed.js';
import type { AgentId, ClientOrderId, InstrumentId, IntentId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import type { Instrument } from './instrument.js';

export type OrderSide = 'buy' | 'sell';
export type OrderType =
  | 'market'
  | 'limit'
  | 'stop-market'
  | 'stop-limit'
  | 'take-profit-market'
  | 'take-profit-limit'
  | 'trailing-stop';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK' | 'GTD';

/** A trailing stop follows the best price by a fixed amount or a percentage of it. */
export interface TrailingOffset {
  readonly kind: 'amount' | 'percent';
  readonly value: Fixed;
}

/**
 * Linked orders. OCO: when one leg fills (or is canceled by the venue), the others are canceled.
 * Bracket: an entry whose stop-loss and take-profit children are released when it fills, and are OCO together.
 */
export interface OrderLinkage {
  readonly listId: string;
  readonly role: 'oco-leg' | 'entry' | 'stop-loss' | 'take-profit';
  /** For bracket children: the entry they wait for. */
  readonly parent?: ClientOrderId;
  /** Orders canceled when this one fills. */
  readonly ocoWith: readonly ClientOrderId[];
}

export interface OrderSpec {
  readonly clientOrderId: ClientOrderId;
  readonly instrumentId: InstrumentId;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: Fixed;
  /** Limit price (limit, stop-limit, take-profit-limit). */
  readonly price?: Fixed;
  /** Trigger price (stop-*, take-profit-*; the initial trigger of a trailing stop, if given). */
  readonly triggerPrice?: Fixed;
  readonly trailing?: TrailingOffset;
  readonly timeInForce: TimeInForce;
  readonly expireAt?: UnixMs;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  readonly linkage?: OrderLinkage;
  /** The ledger owner (desk or sleeve) the order trades for. */
  readonly owner: string;
  readonly intentId?: IntentId;
  readonly agentId?: AgentId;
}

const NEEDS_PRICE: ReadonlySet<OrderType> = new Set(['limit', 'stop-limit', 'take-profit-limit']);
const NEEDS_TRIGGER: ReadonlySet<OrderType> = new Set(['stop-market', 'stop-limit', 'take-profit-market', 'take-profit-limit']);

export function isTriggerType(type: OrderType): boolean {
  return NEEDS_TRIGGER.has(type) || type === 'trailing-stop';
}

/** Every reason the spec is malformed (empty when it is well formed). Instrument rules are the risk gate's job. */
export function orderSpecProblems(spec: OrderSpec): string[] {
  const problems: string[] = [];
  if (!spec.quantity.isPositive()) problems.push(`quantity must be positive, got ${spec.quantity.toString()}`);
  if (NEEDS_PRICE.has(spec.type) && spec.price === undefined) problems.push(`a ${spec.type} order needs a price`);
  if (!NEEDS_PRICE.has(spec.type) && spec.price !== undefined) problems.push(`a ${spec.type} order takes no limit price`);
  if (NEEDS_TRIGGER.has(spec.type) && spec.triggerPrice === undefined) problems.push(`a ${spec.type} order needs a trigger price`);
  if (spec.type === 'trailing-stop' && spec.trailing === undefined) problems.push('a trailing-stop order needs a trailing offset');
  if (spec.type !== 'trailing-stop' && spec.trailing !== undefined) problems.push(`a ${spec.type} order takes no trailing offset`);
  if (spec.trailing !== undefined && !spec.trailing.value.isPositive()) problems.push('the trailing offset must be positive');
  if (spec.price !== undefined && !spec.price.isPositive()) problems.push(`price must be positive, got ${spec.price.toString()}`);
  if (spec.triggerPrice !== undefined && !spec.triggerPrice.isPositive()) {
    problems.push(`trigger price must be positive, got ${spec.triggerPrice.toString()}`);
  }
  if (spec.timeInForce === 'GTD' && spec.expireAt === undefined) problems.push('a GTD order needs an expiry time');
  if (spec.timeInForce !== 'GTD' && spec.expireAt !== undefined) problems.push('only GTD orders take an expiry time');
  if (spec.postOnly && spec.type !== 'limit') problems.push('post-only applies to limit orders only');
  if (spec.postOnly && (spec.timeInForce === 'IOC' || spec.timeInForce === 'FOK')) {
    problems.push('a post-only order cannot be IOC or FOK');
  }
  if (spec.type === 'market' && spec.timeInForce === 'GTD') problems.push('a market order cannot be GTD');
  return problems;
}

/**
 * What keeps an order from fitting its instrument, in this order: a quantity off the lot (else below the minimum),
 * a price or trigger off the tick. The venue refuses an order with the first; a modify is refused with all.
 */
export function instrumentFitProblems(instrument: Pick<Instrument, 'lotSize' | 'minQuantity' | 'tickSize'>, spec: Pick<OrderSpec, 'quantity' | 'price' | 'triggerPrice'>): string[] {
  const problems: string[] = [];
  if (!spec.quantity.isMultipleOf(instrument.lotSize)) problems.push(`quantity ${spec.quantity.toPlainString()} is not a multiple of the lot ${instrument.lotSize.toPlainString()}`);
  else if (spec.quantity.lt(instrument.minQuantity)) problems.push(`quantity ${spec.quantity.toPlainString()} is below the minimum ${instrument.minQuantity.toPlainString()}`);
  for (const price of [spec.price, spec.triggerPrice]) {
    if (price !== undefined && !price.isMultipleOf(instrument.tickSize)) problems.push(`price ${price.toPlainString()} is not on the tick ${instrument.tickSize.toPlainString()}`);
  }
  return problems;
}

/** A reduce-only stop-loss or take-profit resting beside a position: it can only close it, never add to it. */
export function isProtectiveExit(spec: Pick<OrderSpec, 'reduceOnly' | 'linkage'>): boolean {
  const role = spec.linkage?.role;
  return spec.reduceOnly && (role === 'stop-loss' || role === 'take-profit');
}

export function oppositeSide(side: OrderSide): OrderSide {
  return side === 'buy' ? 'sell' : 'buy';
}

/** +1 for buys, -1 for sells. */
export function sideSign(side: OrderSide): 1 | -1 {
  return side === 'buy' ? 1 : -1;
}
