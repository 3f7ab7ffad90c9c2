import { InvariantViolation } from '../../core/errors.js';
import { Fixed } from '../../core/fixed.js';
import type { OrderSpec } from '../../domain/order.js';
import { limitAtOpen, limitHit, stopHit, takeProfitHit, type BarPrices, type BarHit } from './bar-rules.js';

/**
 * What a working order does on one bar. `atOpen`: it happens at the bar's open, which comes before any price inside
 * the bar (the venue executes those first, whatever the orders' arrival).
 */
export type BarOutcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'fill'; readonly price: Fixed; readonly liquidity: 'maker' | 'taker'; readonly triggered: boolean; readonly atOpen: boolean }
  /** Triggered, but its limit is not marketable at the trigger: it rests as a limit from the next bar. */
  | { readonly kind: 'trigger'; readonly atOpen: boolean }
  | { readonly kind: 'cancel'; readonly reason: string }
  | { readonly kind: 'reject'; readonly reason: string };

export interface BarOrderState {
  readonly spec: OrderSpec;
  /** True on the first bar the order can trade on (it arrived since the previous bar). */
  readonly firstBar: boolean;
  readonly triggered: boolean;
  /** Trailing stops: the best price seen since placement (high for sells, low for buys). */
  readonly trailAnchor: Fixed | undefined;
}

const NONE: BarOutcome = { kind: 'none' };

/**
 * The bar fill rules (DESIGN §5) for every order type. Market orders fill at the open of the first bar they can
 * trade on. A limit that the open already crosses on its first bar is marketable on arrival (taker; a post-only
 * one is rejected); later it fills as a resting order (maker). IOC/FOK limits get only that first open. Stops and
 * take-profits execute at the open when it is beyond their trigger, else at the trigger; a triggered stop-limit or
 * take-profit-limit fills at the trigger price when its limit allows, else rests as a limit from the next bar.
 */
export function evaluateOnBar(state: BarOrderState, bar: BarPrices, tick: Fixed): BarOutcome {
  const { spec } = state;
  const immediate = spec.timeInForce === 'IOC' || spec.timeInForce === 'FOK';
  switch (spec.type) {
    case 'market':
      return { kind: 'fill', price: bar.open, liquidity: 'taker', triggered: false, atOpen: true };
    case 'limit':
      return limitOutcome(state, bar, immediate);
    case 'stop-market':
      return triggerFill(stopHit(spec.side, required(spec.triggerPrice), bar));
    case 'take-profit-market':
      return triggerFill(takeProfitHit(spec.side, required(spec.triggerPrice), bar));
    case 'stop-limit':
    case 'take-profit-limit': {
      if (state.triggered) return limitOutcome(state, bar, false);
      const trigger = required(spec.triggerPrice);
      const hit = spec.type === 'stop-limit' ? stopHit(spec.side, trigger, bar) : takeProfitHit(spec.side, trigger, bar);
      if (hit === undefined) return NONE;
      const limit = required(spec.price);
      const marketable = spec.side === 'buy' ? hit.price.lte(limit) : hit.price.gte(limit);
      return marketable ? { kind: 'fill', price: hit.price, liquidity: 'taker', triggered: true, atOpen: hit.atOpen } : { kind: 'trigger', atOpen: hit.atOpen };
    }
    case 'trailing-stop': {
      const level = trailingLevel(state, tick);
      if (level === undefined) return NONE;
      return triggerFill(stopHit(spec.side, level, bar));
    }
  }
}

function limitOutcome(state: BarOrderState, bar: BarPrices, immediate: boolean): BarOutcome {
  const { spec } = state;
  const limit = required(spec.price);
  if (state.firstBar) {
    const atOpen = limitAtOpen(spec.side, limit, bar);
    if (atOpen !== undefined) {
      if (spec.postOnly) return { kind: 'reject', reason: 'post-only order would take liquidity' };
      return { kind: 'fill', price: atOpen.price, liquidity: 'taker', triggered: state.triggered, atOpen: true };
    }
    if (immediate) return { kind: 'cancel', reason: `${spec.timeInForce} limit not marketable at the open` };
  }
  const hit = limitHit(spec.side, limit, bar);
  if (hit === undefined) return NONE;
  return { kind: 'fill', price: hit.price, liquidity: 'maker', triggered: state.triggered, atOpen: hit.atOpen };
}

function triggerFill(hit: BarHit | undefined): BarOutcome {
  return hit === undefined ? NONE : { kind: 'fill', price: hit.price, liquidity: 'taker', triggered: true, atOpen: hit.atOpen };
}

/**
 * A trailing stop's level: anchor minus (sell) or plus (buy) the offset, an amount or a percent of the anchor, on
 * the tick and rounded against the order (down for a sell, up for a buy), as an exchange places a stop.
 */
export function trailingLevel(state: Pick<BarOrderState, 'spec' | 'trailAnchor'>, tick: Fixed): Fixed | undefined {
  const { spec, trailAnchor } = state;
  if (trailAnchor === undefined || spec.trailing === undefined) return undefined;
  const offset =
    spec.trailing.kind === 'amount' ? spec.trailing.value : trailAnchor.mul(spec.trailing.value).div(Fixed.fromInt(100), trailAnchor.scale + 4, 'half-even');
  const level = spec.side === 'sell' ? trailAnchor.sub(offset).quantize(tick, 'floor') : trailAnchor.add(offset).quantize(tick, 'ceil');
  return level.rescale(tick.scale);
}

/** After a bar, a sell trailing stop's anchor rises with the high; a buy's falls with the low. */
export function nextTrailAnchor(spec: OrderSpec, anchor: Fixed | undefined, bar: BarPrices): Fixed | undefined {
  if (spec.type !== 'trailing-stop' || anchor === undefined) return anchor;
  return spec.side === 'sell' ? anchor.max(bar.high) : anchor.min(bar.low);
}

function required(value: Fixed | undefined): Fixed {
  if (value === undefined) throw new InvariantViolation('order spec is missing a price it was validated to have');
  return value;
}
