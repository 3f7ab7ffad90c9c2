import type { Fixed } from '../../core/fixed.js';
import type { OrderSide } from '../../domain/order.js';

/** A bar's prices, exact, at the instrument's tick scale. */
export interface BarPrices {
  readonly open: Fixed;
  readonly high: Fixed;
  readonly low: Fixed;
  readonly close: Fixed;
}

/**
 * Where an order would execute on a bar, by DESIGN §5 (only the open, high and low are known, not their order):
 * - limit buy: at the open if open <= limit, else at the limit if low <= limit; sells mirror;
 * - stop buy: at the open if open >= stop, else at the stop if high >= stop; sells mirror;
 * - take-profit buy (the price falling to it): at the open if open <= trigger, else at the trigger if
 *   low <= trigger; sells mirror.
 * Each returns undefined when the bar does not reach the order, and `atOpen` when the open already did.
 */
export interface BarHit {
  readonly price: Fixed;
  readonly atOpen: boolean;
}

export function limitHit(side: OrderSide, limit: Fixed, bar: BarPrices): BarHit | undefined {
  if (side === 'buy') {
    if (bar.open.lte(limit)) return { price: bar.open, atOpen: true };
    if (bar.low.lte(limit)) return { price: limit, atOpen: false };
    return undefined;
  }
  if (bar.open.gte(limit)) return { price: bar.open, atOpen: true };
  if (bar.high.gte(limit)) return { price: limit, atOpen: false };
  return undefined;
}

export function stopHit(side: OrderSide, stop: Fixed, bar: BarPrices): BarHit | undefined {
  if (side === 'buy') {
    if (bar.open.gte(stop)) return { price: bar.open, atOpen: true };
    if (bar.high.gte(stop)) return { price: stop, atOpen: false };
    return undefined;
  }
  if (bar.open.lte(stop)) return { price: bar.open, atOpen: true };
  if (bar.low.lte(stop)) return { price: stop, atOpen: false };
  return undefined;
}

export function takeProfitHit(side: OrderSide, trigger: Fixed, bar: BarPrices): BarHit | undefined {
  return limitHit(side, trigger, bar);
}

/** A price that only a bar's open can match (an IOC limit arriving at the open). */
export function limitAtOpen(side: OrderSide, limit: Fixed, bar: BarPrices): BarHit | undefined {
  const hit = limitHit(side, limit, bar);
  return hit?.atOpen === true ? hit : undefined;
}
