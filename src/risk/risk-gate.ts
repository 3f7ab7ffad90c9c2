import { Fixed } from '../core/fixed.js';
import type { ClientOrderId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import type { DenialCode, TradingState } from '../domain/events.js';
import { fundsRequired } from '../domain/funds.js';
import type { CurrencyScales, Instrument } from '../domain/instrument.js';
import type { OrderIntent } from '../domain/intent.js';
import { orderSpecProblems, type OrderSpec } from '../domain/order.js';
import type { RiskLimits } from './limits.js';

/** What the gate knows about the instrument's market at decision time. */
export interface MarketView {
  /** Last trade, mid or mark: what "the price" is for checks and market-order sizing. */
  readonly referencePrice: Fixed | undefined;
  readonly lastUpdate: UnixMs | undefined;
}

/** What the gate knows about the owner's portfolio at decision time, in the instrument's settlement currency. */
export interface PortfolioView {
  /** Signed net position in the instrument. */
  readonly positionQuantity: Fixed;
  /** Sum of the owner's absolute position notionals across instruments, at mark. */
  readonly grossExposure: Fixed;
  /** The same over every owner (the whole desk: all sleeves); the owner's own figure when it is the only one. */
  readonly deskGrossExposure: Fixed;
  readonly equity: Fixed;
  /** Available (unreserved) cash in the settlement currency, and base asset for spot sells. */
  readonly availableCash: Fixed;
  readonly availableAsset: Fixed;
  readonly openOrders: number;
  /**
   * The owner's open orders in the instrument that can grow its position (not reduce-only): the quantity they have
   * left to fill, buys and sells apart. The limits count them as filled, so orders resting side by side cannot
   * together pass a limit each passes alone.
   */
  readonly openBuyQuantity: Fixed;
  readonly openSellQuantity: Fixed;
  /** How much the owner's gross exposure could grow if its open orders filled (the worst side of each instrument). */
  readonly openOrderExposure: Fixed;
  /** The same over every owner: what the desk's open orders could add to its gross exposure. */
  readonly deskOpenOrderExposure: Fixed;
  /** Leverage the instrument is traded at (1 for spot). */
  readonly leverage: Fixed;
}

export interface GateInput {
  readonly intent: OrderIntent;
  readonly instrument: Instrument | undefined;
  readonly clientOrderId: ClientOrderId;
  readonly tradingState: TradingState;
  readonly limits: RiskLimits;
  readonly now: UnixMs;
  readonly market: MarketView;
  readonly portfolio: PortfolioView;
  /**
   * The intent is a position's stop-loss or take-profit (reduce-only, placed beside it by a bracket or given back to
   * what a reduction left) and no kill switch stopped the desk: a halt refuses new risk, not the protection of what is
   * held, so it passes a HALTED gate as a reduction passes a REDUCING one.
   */
  readonly protectiveExit?: boolean;
  /** Submit times of recent orders (any order, oldest first). */
  readonly recentOrderTimes: readonly UnixMs[];
  readonly scales: CurrencyScales;
}

export type GateVerdict =
  | {
      readonly approved: true;
      readonly order: OrderSpec;
      /** Price the reservation is sized at. */
      readonly reservePrice: Fixed;
      /** Each reduction applied, in words. Empty when the order is as proposed. */
      readonly clamps: readonly string[];
    }
  | { readonly approved: false; readonly code: DenialCode; readonly detail: string };

function deny(code: DenialCode, detail: string): GateVerdict {
  return { approved: false, code, detail };
}

const ONE = Fixed.fromInt(1);

/**
 * The risk gate: a pure function from an intent and what is known at decision time to an order or a denial.
 * Every clamp shrinks the quantity, so an approved order never carries more exposure than was proposed, and
 * never more than the limits allow.
 */
export function checkIntent(input: GateInput): GateVerdict {
  const { intent, instrument, limits, portfolio } = input;
  const halted = input.tradingState === 'HALTED';
  if (halted && input.protectiveExit !== true) return deny('trading_halted', 'Trading is halted; no new orders are accepted until an operator resumes it.');
  if (instrument === undefined) return deny('unknown_instrument', `${intent.instrumentId} is not an instrument this desk knows.`);
  if (limits.allowedInstruments !== undefined && !limits.allowedInstruments.includes(instrument.id)) {
    return deny('instrument_not_allowed', `${instrument.id} is not on the list of instruments this desk may trade.`);
  }

  const position = portfolio.positionQuantity;
  const opposite = !position.isZero() && (intent.side === 'buy' ? position.isNegative() : position.isPositive());
  const clamps: string[] = [];
  let quantity = intent.quantity;
  let reduceOnly = intent.reduceOnly === true;

  if (!quantity.isPositive()) return deny('invalid_order', `Quantity must be positive, got ${quantity.toPlainString()}.`);

  if (halted && !opposite) {
    return deny('trading_halted', `Trading is halted; a protective ${intent.side} is accepted only against a position it shrinks, and there is none in ${instrument.id}.`);
  }
  if (input.tradingState === 'REDUCING' || halted) {
    if (!opposite) {
      return deny('reducing_only', 'The desk is reducing risk: only orders that shrink an existing position are accepted.');
    }
    reduceOnly = true;
  }
  if (reduceOnly) {
    if (!opposite) return deny('reduce_only', `A reduce-only ${intent.side} would not reduce the ${position.toPlainString()} position in ${instrument.id}.`);
    if (quantity.gt(position.abs())) {
      clamps.push(`reduce-only: quantity cut from ${quantity.toPlainString()} to the ${position.abs().toPlainString()} held`);
      quantity = position.abs();
    }
  }

  const reference = input.market.referencePrice;
  if (reference === undefined || !reference.isPositive()) {
    return deny('no_reference_price', `There is no current price for ${instrument.id} to check the order against.`);
  }
  if (limits.maxDataAgeMs !== undefined) {
    const last = input.market.lastUpdate;
    if (last === undefined || input.now - last > limits.maxDataAgeMs) {
      const age = last === undefined ? 'never updated' : `${input.now - last} ms old`;
      return deny('stale_market_data', `Market data for ${instrument.id} is stale (${age}; the limit is ${limits.maxDataAgeMs} ms).`);
    }
  }

  // Prices: limit prices round passively (buys down, sells up); trigger prices to the nearest tick.
  const price = intent.price === undefined ? undefined : quantizeLimit(intent.price, instrument.tickSize, intent.side);
  const triggerPrice = intent.triggerPrice?.quantize(instrument.tickSize, 'half-even');
  const spec: OrderSpec = {
    clientOrderId: input.clientOrderId,
    instrumentId: instrument.id,
    side: intent.side,
    type: intent.type,
    quantity,
    ...(price === undefined ? {} : { price }),
    ...(triggerPrice === undefined ? {} : { triggerPrice }),
    ...(intent.trailing === undefined ? {} : { trailing: intent.trailing }),
    timeInForce: intent.timeInForce ?? (intent.type === 'market' ? 'IOC' : 'GTC'),
    ...(intent.expireAt === undefined ? {} : { expireAt: intent.expireAt }),
    postOnly: intent.postOnly === true,
    reduceOnly,
    owner: intent.owner,
    intentId: intent.id,
    agentId: intent.agentId,
  };
  const problems = orderSpecProblems(spec);
  if (problems.length > 0) return deny('invalid_order', `The order is malformed: ${problems.join('; ')}.`);
  if (price !== undefined && !price.isPositive()) return deny('invalid_order', 'The limit price rounds to zero at the tick size.');

  if (limits.priceBand !== undefined) {
    // Protective (reduce-only) triggers may sit far from the market; the band guards prices that add risk.
    const checked = reduceOnly ? ([['limit', price]] as const) : ([['limit', price], ['trigger', triggerPrice]] as const);
    for (const [label, p] of checked) {
      if (p === undefined) continue;
      const distance = p.sub(reference).abs().div(reference, 8, 'up');
      if (distance.gt(limits.priceBand)) {
        return deny(
          'price_band',
          `The ${label} price ${p.toPlainString()} is ${pct(distance)} from the reference ${reference.toPlainString()}; the band is ${pct(limits.priceBand)}.`,
        );
      }
    }
  }

  // The price the order's size is judged at: its own price where it has one, else the reference.
  const checkPrice = price ?? triggerPrice ?? reference;
  const unitValue = instrument.contractSize.mul(checkPrice);
  // A multiple of the lot, so it is exact at the lot's scale: a quantity computed at a long scale (a fraction of a
  // position, say) must not carry that scale into the limits' divisions below.
  const lotted = quantity.quantize(instrument.lotSize, 'down').rescale(instrument.lotSize.scale);
  if (!lotted.eq(quantity)) {
    clamps.push(`lot size: quantity cut from ${quantity.toPlainString()} to ${lotted.toPlainString()} (lot ${instrument.lotSize.toPlainString()})`);
  }
  quantity = lotted;
  // A perpetual's reduce-only order that closes the whole position is exempt from the minimums, as on Binance
  // futures: a remainder below them could otherwise never be closed.
  const closesAll = reduceOnly && instrument.kind === 'perpetual' && quantity.eq(position.abs());
  if (quantity.isZero() || (!closesAll && quantity.lt(instrument.minQuantity))) {
    return deny('below_min_quantity', `Quantity ${quantity.toPlainString()} is below the minimum ${instrument.minQuantity.toPlainString()} for ${instrument.id}.`);
  }

  // The limits below may each cut the quantity (module-level helper: no closure made per intent).
  const work = { quantity, clamps };
  // Size limits bind only the part of the order that grows the position: an exit is never cut (a cut exit leaves a
  // remainder that may be too small to ever close).
  const held = opposite ? position.abs() : Fixed.zero(work.quantity.scale);
  if (limits.maxOrderNotional !== undefined) {
    const allowed = held.add(limits.maxOrderNotional.div(unitValue, work.quantity.scale + 8, 'down'));
    const verdict = fitToLimit(work, instrument, limits, intent.quantity, 'max_order_notional', orderNotionalText, allowed, portfolio);
    if (verdict !== undefined) return verdict;
  }

  const positionLimit = limits.maxPositionNotionalByInstrument?.get(instrument.id) ?? limits.maxPositionNotional;
  const ownerCap = limits.ownerMaxGrossExposure?.get(intent.owner);
  if (positionLimit !== undefined || limits.maxGrossExposure !== undefined || ownerCap !== undefined || limits.maxLeverage !== undefined) {
    const verdict = fitToExposureLimits(work, input, instrument, unitValue, reduceOnly, positionLimit, ownerCap);
    if (verdict !== undefined) return verdict;
  }
  quantity = work.quantity;

  const notional = quantity.mul(unitValue);
  if (!closesAll && notional.lt(instrument.minNotional)) {
    return deny('below_min_notional', `Order notional ${notional.toPlainString()} is below the minimum ${instrument.minNotional.toPlainString()} for ${instrument.id}.`);
  }
  // The throttles guard against a runaway stream of new risk. An order that can only shrink a position (a
  // protective exit, a cut while reducing) is never held back by them: refusing it would leave the risk in place.
  if (!reduceOnly) {
    if (limits.maxOpenOrders !== undefined && portfolio.openOrders >= limits.maxOpenOrders) {
      return deny('max_open_orders', `${intent.owner} already has ${portfolio.openOrders} open orders; the limit is ${limits.maxOpenOrders} per book.`);
    }
    if (limits.orderRate !== undefined) {
      const since = input.now - limits.orderRate.windowMs;
      let recent = 0;
      for (let i = input.recentOrderTimes.length - 1; i >= 0; i--) {
        const ts = input.recentOrderTimes[i];
        if (ts === undefined || ts <= since) break;
        recent += 1;
      }
      if (recent >= limits.orderRate.maxOrders) {
        return deny('order_rate', `The desk sent ${recent} orders in the last ${limits.orderRate.windowMs} ms; the limit is ${limits.orderRate.maxOrders}.`);
      }
    }
  }

  // Market-type orders reserve at the far edge of the price band: a fill there is still covered. A perpetual's
  // margin grows with the fill price on either side, so its limit orders reserve at the larger of the two.
  const band = limits.priceBand ?? Fixed.zero();
  const edge = (triggerPrice ?? reference).max(reference).mul(ONE.add(band), instrument.tickSize.scale + 8, 'up');
  const reservePrice = price === undefined ? edge : instrument.kind === 'perpetual' ? price.max(edge) : price;
  const need = fundsRequired(instrument, intent.side, quantity, reservePrice, portfolio.leverage, reduceOnly, input.scales);
  const available = need.from === 'asset' ? portfolio.availableAsset : portfolio.availableCash;
  if (need.amount.gt(available)) {
    return deny(
      'insufficient_funds',
      `The order needs ${need.amount.toPlainString()} ${need.currency} but only ${available.toPlainString()} is available.`,
    );
  }

  // The spec already holds the order unless a limit cut the quantity since (copying it for every intent cost more
  // than most checks).
  return { approved: true, order: quantity === spec.quantity ? spec : { ...spec, quantity }, reservePrice, clamps };
}

/**
 * The exposure limits: the position's notional, the desk's gross exposure, the owner's budget and its leverage. They
 * count the open orders that could grow a position as filled (the worst case: every one on this order's side fills
 * first), so orders resting side by side stay within a limit together, as one order would. A reduce-only order can
 * only shrink the position, whatever else fills, so they are not counted against it.
 */
function fitToExposureLimits(
  work: { quantity: Fixed; readonly clamps: string[] },
  input: GateInput,
  instrument: Instrument,
  unitValue: Fixed,
  reduceOnly: boolean,
  positionLimit: Fixed | undefined,
  ownerCap: Fixed | undefined,
): GateVerdict | undefined {
  const { intent, limits, portfolio } = input;
  const position = portfolio.positionQuantity;
  const pending = reduceOnly ? undefined : intent.side === 'buy' ? portfolio.openBuyQuantity : portfolio.openSellQuantity.neg();
  // The position once the open orders on this side have filled; what this order would close of it is never bound.
  const exposed = pending === undefined || pending.isZero() ? position : position.add(pending);
  const closes = !exposed.isZero() && (intent.side === 'buy' ? exposed.isNegative() : exposed.isPositive());
  const closable = closes ? exposed.abs() : Fixed.zero(work.quantity.scale);
  const scale = work.quantity.scale + 8;
  if (positionLimit !== undefined) {
    const maxAbs = positionLimit.div(unitValue, scale, 'down');
    // Same direction: |exposed| + q <= maxAbs. Opposite: q - |exposed| <= maxAbs (after flipping).
    const allowed = closes ? closable.add(maxAbs) : maxAbs.sub(exposed.abs());
    const verdict = fitToLimit(work, instrument, limits, intent.quantity, 'max_position_notional', positionText, allowed.max(closable), portfolio);
    if (verdict !== undefined) return verdict;
  }
  if (limits.maxGrossExposure !== undefined) {
    const open = reduceOnly ? Fixed.zero() : portfolio.deskOpenOrderExposure;
    const room = limits.maxGrossExposure.sub(portfolio.deskGrossExposure).sub(open).div(unitValue, scale, 'down');
    const verdict = fitToLimit(work, instrument, limits, intent.quantity, 'max_gross_exposure', grossExposureText, closable.add(room).max(closable), portfolio);
    if (verdict !== undefined) return verdict;
  }
  const ownerOpen = reduceOnly || (ownerCap === undefined && limits.maxLeverage === undefined) ? Fixed.zero() : portfolio.openOrderExposure;
  if (ownerCap !== undefined) {
    const room = ownerCap.sub(portfolio.grossExposure).sub(ownerOpen).div(unitValue, scale, 'down');
    const ownerText: LimitText = (_instrument, _limits, view) =>
      `${intent.owner}'s gross exposure ${view.grossExposure.toPlainString()}${inOpenOrders(view.openOrderExposure)} may not exceed its budget ${ownerCap.toPlainString()}`;
    const verdict = fitToLimit(work, instrument, limits, intent.quantity, 'max_gross_exposure', ownerText, closable.add(room).max(closable), portfolio);
    if (verdict !== undefined) return verdict;
  }
  if (limits.maxLeverage !== undefined) {
    const cap = portfolio.equity.isPositive() ? portfolio.equity.mul(limits.maxLeverage) : Fixed.zero();
    const room = cap.sub(portfolio.grossExposure).sub(ownerOpen).div(unitValue, scale, 'down');
    const verdict = fitToLimit(work, instrument, limits, intent.quantity, 'max_leverage', leverageText, closable.add(room).max(closable), portfolio);
    if (verdict !== undefined) return verdict;
  }
  return undefined;
}

/**
 * When the quantity exceeds what a limit allows: cuts it to the most that fits (on the lot size), recording the
 * clamp, or denies when clamping is off or nothing would be left.
 */
function fitToLimit(
  work: { quantity: Fixed; readonly clamps: string[] },
  instrument: Instrument,
  limits: RiskLimits,
  proposed: Fixed,
  code: DenialCode,
  describe: LimitText,
  allowedQuantity: Fixed,
  portfolio: PortfolioView,
): GateVerdict | undefined {
  const quantity = work.quantity;
  if (quantity.lte(allowedQuantity)) return undefined;
  const what = describe(instrument, limits, portfolio);
  // Back to the lot's scale: the division that found the allowance carries extra digits, and cut after cut they
  // would pile up in the order, its fills and the position until a later division ran out of scale.
  const fitted = allowedQuantity.isNegative() ? Fixed.zero(quantity.scale) : allowedQuantity.quantize(instrument.lotSize, 'down').rescale(instrument.lotSize.scale, 'down');
  if (limits.clampToLimits === false || fitted.isZero() || fitted.lt(instrument.minQuantity)) {
    return deny(code, `${what}; the most that fits is ${fitted.toPlainString()} (proposed ${proposed.toPlainString()}).`);
  }
  work.clamps.push(`${code}: quantity cut from ${quantity.toPlainString()} to ${fitted.toPlainString()} (${what})`);
  work.quantity = fitted;
  return undefined;
}

/**
 * What a limit says, written only when it binds: most intents pass every limit, and formatting the amounts for
 * each of them was a large part of the gate's time.
 */
type LimitText = (instrument: Instrument, limits: RiskLimits, portfolio: PortfolioView) => string;

const orderNotionalText: LimitText = (_instrument, limits) => `the order notional limit is ${plain(limits.maxOrderNotional)}`;

const positionText: LimitText = (instrument, limits) =>
  `the position limit for ${instrument.id} is ${plain(limits.maxPositionNotionalByInstrument?.get(instrument.id) ?? limits.maxPositionNotional)} notional`;

const grossExposureText: LimitText = (_instrument, limits, portfolio) =>
  `gross exposure ${portfolio.deskGrossExposure.toPlainString()}${inOpenOrders(portfolio.deskOpenOrderExposure)} may not exceed ${plain(limits.maxGrossExposure)}`;

const leverageText: LimitText = (_instrument, limits, portfolio) =>
  `gross exposure${inOpenOrders(portfolio.openOrderExposure)} may not exceed ${plain(limits.maxLeverage)}x equity ${portfolio.equity.toPlainString()}`;

/** What open orders add to an exposure figure, in words (nothing when they add nothing). */
function inOpenOrders(open: Fixed): string {
  return open.isPositive() ? ` (and ${open.toPlainString()} more if the open orders fill)` : '';
}

function plain(value: Fixed | undefined): string {
  return value === undefined ? 'unset' : value.toPlainString();
}

function quantizeLimit(price: Fixed, tick: Fixed, side: 'buy' | 'sell'): Fixed {
  return price.quantize(tick, side === 'buy' ? 'floor' : 'ceil');
}

function pct(fraction: Fixed): string {
  return `${fraction.mul(Fixed.fromInt(100)).rescale(2, 'up').toPlainString()}%`;
}
