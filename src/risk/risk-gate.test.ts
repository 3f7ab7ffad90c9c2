import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fixed, fx } from '../core/fixed.js';
import { agentId, clientOrderId, intentId } from '../core/ids.js';
import { unixMs, type UnixMs } from '../core/time.js';
import { CurrencyScales, defineInstrument } from '../domain/instrument.js';
import type { OrderIntent } from '../domain/intent.js';
import type { RiskLimits } from './limits.js';
import { checkIntent, type GateInput, type GateVerdict, type PortfolioView } from './risk-gate.js';

const SPOT = defineInstrument({ id: 'BINANCE:BTC/USDT', tickSize: '0.01', lotSize: '0.001', minQuantity: '0.001', minNotional: '10', takerFee: '0.001' });
const PERP = defineInstrument({ id: 'BINANCE:BTC/USDT:USDT', tickSize: '0.1', lotSize: '0.001', minNotional: '5', takerFee: '0.0005', maxLeverage: '20' });
const NOW = unixMs(1_700_000_000_000);

function intent(fields: Partial<OrderIntent> = {}): OrderIntent {
  return {
    id: intentId('i-1'),
    agentId: agentId('analyst'),
    owner: 'desk',
    instrumentId: SPOT.id,
    side: 'buy',
    quantity: fx('1'),
    type: 'market',
    tsEvent: NOW,
    ...fields,
  };
}

/** One owner's portfolio: the desk's gross exposure is the owner's unless given. */
function portfolio(fields: Partial<PortfolioView> = {}): PortfolioView {
  return {
    positionQuantity: fx('0'),
    grossExposure: fx('0'),
    deskGrossExposure: fields.grossExposure ?? fx('0'),
    equity: fx('1000000'),
    availableCash: fx('1000000'),
    availableAsset: fx('0'),
    openOrders: 0,
    openBuyQuantity: fx('0'),
    openSellQuantity: fx('0'),
    openOrderExposure: fx('0'),
    deskOpenOrderExposure: fields.openOrderExposure ?? fx('0'),
    leverage: fx('1'),
    ...fields,
  };
}

function gate(overrides: Partial<GateInput> & { limits?: RiskLimits } = {}): GateVerdict {
  return checkIntent({
    intent: intent(),
    instrument: SPOT,
    clientOrderId: clientOrderId('c-1'),
    tradingState: 'ACTIVE',
    limits: {},
    now: NOW,
    market: { referencePrice: fx('20000'), lastUpdate: NOW },
    portfolio: portfolio(),
    recentOrderTimes: [],
    scales: new CurrencyScales({ USDT: 6 }),
    ...overrides,
  });
}

function denied(verdict: GateVerdict): { code: string; detail: string } {
  if (verdict.approved) throw new Error(`expected a denial, got approval of ${verdict.order.quantity.toPlainString()}`);
  return verdict;
}

function approved(verdict: GateVerdict) {
  if (!verdict.approved) throw new Error(`expected approval, got ${verdict.code}: ${verdict.detail}`);
  return verdict;
}

describe('risk gate: trading state', () => {
  it('denies everything while halted', () => {
    const v = denied(gate({ tradingState: 'HALTED' }));
    expect(v.code).toBe('trading_halted');
    expect(v.detail).toMatch(/halted/);
  });

  it("lets a position's protective exit through a halt, held to the position, and nothing else", () => {
    const stop = intent({ side: 'sell', quantity: fx('3'), type: 'stop-market', triggerPrice: fx('19000'), reduceOnly: true });
    const held = portfolio({ positionQuantity: fx('2'), availableAsset: fx('2') });
    const v = approved(gate({ tradingState: 'HALTED', protectiveExit: true, intent: stop, portfolio: held }));
    expect([v.order.quantity.toPlainString(), v.order.reduceOnly]).toEqual(['2', true]);
    expect(denied(gate({ tradingState: 'HALTED', protectiveExit: true, intent: stop })).detail).toBe(
      'Trading is halted; a protective sell is accepted only against a position it shrinks, and there is none in BINANCE:BTC/USDT.',
    );
    // Without the flag (an entry, or any order under the kill switch) the halt refuses it.
    expect(denied(gate({ tradingState: 'HALTED', intent: stop, portfolio: held })).code).toBe('trading_halted');
  });

  it('while reducing, denies an order that opens or grows a position', () => {
    expect(denied(gate({ tradingState: 'REDUCING' })).code).toBe('reducing_only');
    const growing = gate({ tradingState: 'REDUCING', portfolio: portfolio({ positionQuantity: fx('2'), availableAsset: fx('2') }) });
    expect(denied(growing).code).toBe('reducing_only');
  });

  it('while reducing, approves a reducing order as reduce-only, clamped to the position', () => {
    const v = approved(
      gate({
        tradingState: 'REDUCING',
        intent: intent({ side: 'sell', quantity: fx('3') }),
        portfolio: portfolio({ positionQuantity: fx('2'), availableAsset: fx('2') }),
      }),
    );
    expect(v.order.reduceOnly).toBe(true);
    expect(v.order.quantity.toPlainString()).toBe('2');
    expect(v.clamps[0]).toMatch(/reduce-only: quantity cut from 3 to the 2 held/);
  });
});

describe('risk gate: instruments and order shape', () => {
  it('denies an unknown instrument and one off the allowlist', () => {
    expect(denied(gate({ instrument: undefined })).code).toBe('unknown_instrument');
    const v = denied(gate({ limits: { allowedInstruments: [PERP.id] } }));
    expect(v.code).toBe('instrument_not_allowed');
    expect(v.detail).toContain('BINANCE:BTC/USDT');
  });

  it('denies a malformed order: a limit without a price, a non-positive quantity', () => {
    expect(denied(gate({ intent: intent({ type: 'limit' }) })).detail).toMatch(/needs a price/);
    expect(denied(gate({ intent: intent({ quantity: fx('0') }) })).code).toBe('invalid_order');
    expect(denied(gate({ intent: intent({ quantity: fx('-1') }) })).code).toBe('invalid_order');
  });

  it('denies a reduce-only order that would not reduce', () => {
    const v = denied(gate({ intent: intent({ reduceOnly: true }) }));
    expect(v.code).toBe('reduce_only');
  });

  it('rounds a quantity down to the lot and limit prices passively to the tick', () => {
    const buy = approved(gate({ intent: intent({ type: 'limit', quantity: fx('1.23456'), price: fx('19999.999') }) }));
    expect(buy.order.quantity.toPlainString()).toBe('1.234');
    expect(buy.order.price?.toPlainString()).toBe('19999.99');
    expect(buy.clamps[0]).toMatch(/lot size/);
    const sell = approved(
      gate({
        intent: intent({ side: 'sell', type: 'limit', quantity: fx('1'), price: fx('20000.001') }),
        portfolio: portfolio({ availableAsset: fx('5') }),
      }),
    );
    expect(sell.order.price?.toPlainString()).toBe('20000.01');
  });

  it('denies below the minimum quantity and below the minimum notional', () => {
    expect(denied(gate({ intent: intent({ quantity: fx('0.0004') }) })).code).toBe('below_min_quantity');
    const v = denied(gate({ intent: intent({ quantity: fx('0.001') }), market: { referencePrice: fx('5000'), lastUpdate: NOW } }));
    expect(v.code).toBe('below_min_notional');
    expect(v.detail).toContain('Order notional 5');
  });
});

describe('risk gate: closing a whole perpetual position below the minimums', () => {
  const dust = { instrument: PERP, market: { referencePrice: fx('20000'), lastUpdate: NOW }, portfolio: portfolio({ positionQuantity: fx('0.0002') }) };
  const tiny = defineInstrument({ id: 'BINANCE:BTC/USDT:USDT', tickSize: '0.1', lotSize: '0.0001', minQuantity: '0.001', minNotional: '5', maxLeverage: '20' });

  it('approves a reduce-only order that closes it all, as Binance futures do', () => {
    const close = approved(gate({ ...dust, instrument: tiny, intent: intent({ instrumentId: tiny.id, side: 'sell', quantity: fx('0.0002'), reduceOnly: true }) }));
    expect([close.order.quantity.toPlainString(), close.order.reduceOnly]).toEqual(['0.0002', true]);
  });

  it('still holds a partial close, an opening order and spot to the minimums', () => {
    const partial = { ...dust, instrument: tiny, portfolio: portfolio({ positionQuantity: fx('0.0003') }) };
    expect(denied(gate({ ...partial, intent: intent({ instrumentId: tiny.id, side: 'sell', quantity: fx('0.0002'), reduceOnly: true }) })).code).toBe('below_min_quantity');
    expect(denied(gate({ ...dust, instrument: tiny, intent: intent({ instrumentId: tiny.id, side: 'buy', quantity: fx('0.0002') }) })).code).toBe('below_min_quantity');
    const spot = { market: { referencePrice: fx('20000'), lastUpdate: NOW }, portfolio: portfolio({ positionQuantity: fx('0.0004'), availableAsset: fx('0.0004') }) };
    expect(denied(gate({ ...spot, intent: intent({ side: 'sell', quantity: fx('0.0004'), reduceOnly: true }) })).code).toBe('below_min_quantity');
  });
});

describe('risk gate: market data and price band', () => {
  it('denies without a reference price', () => {
    expect(denied(gate({ market: { referencePrice: undefined, lastUpdate: undefined } })).code).toBe('no_reference_price');
  });

  it('denies on stale market data', () => {
    const v = denied(gate({ limits: { maxDataAgeMs: 5000 }, market: { referencePrice: fx('20000'), lastUpdate: (NOW - 5001) as UnixMs } }));
    expect(v.code).toBe('stale_market_data');
    expect(v.detail).toContain('5001 ms old');
    expect(gate({ limits: { maxDataAgeMs: 5000 }, market: { referencePrice: fx('20000'), lastUpdate: (NOW - 5000) as UnixMs } }).approved).toBe(true);
  });

  it('denies a limit price outside the band (fat finger), approves one inside', () => {
    const limits = { priceBand: fx('0.05') };
    const far = denied(gate({ limits, intent: intent({ type: 'limit', price: fx('21001') }) }));
    expect(far.code).toBe('price_band');
    expect(far.detail).toContain('5.01%');
    expect(gate({ limits, intent: intent({ type: 'limit', price: fx('21000') }) }).approved).toBe(true);
  });

  it('reserves a market order at the far edge of the band', () => {
    const v = approved(gate({ limits: { priceBand: fx('0.02') } }));
    expect(v.reservePrice.eq(fx('20400'))).toBe(true);
  });
});

describe('risk gate: size limits clamp or deny', () => {
  it('clamps to the max order notional', () => {
    const v = approved(gate({ limits: { maxOrderNotional: fx('30000') }, intent: intent({ quantity: fx('2') }) }));
    expect(v.order.quantity.toPlainString()).toBe('1.5');
    expect(v.clamps[0]).toMatch(/max_order_notional: quantity cut from 2 to 1.5/);
  });

  it('takes a quantity computed at a long scale (a fraction of a position) and sizes it at the lot', () => {
    const long = Fixed.fromUnits(1_234_567_891_234_567_891_234_567_891_234n, 30); // 1.234567... at scale 30
    const v = approved(gate({ limits: { maxOrderNotional: fx('30000'), maxPositionNotional: fx('50000') }, intent: intent({ quantity: long }) }));
    expect(v.order.quantity.toPlainString()).toBe('1.234');
    expect(v.order.quantity.scale).toBe(3);
    const whole = approved(gate({ limits: { maxOrderNotional: fx('30000') }, intent: intent({ quantity: Fixed.fromUnits(10n ** 30n, 30) }) }));
    expect(whole.order.quantity.toPlainString()).toBe('1');
    expect(whole.order.quantity.scale).toBe(3);
  });

  it('denies instead of clamping when clamping is off', () => {
    const v = denied(gate({ limits: { maxOrderNotional: fx('30000'), clampToLimits: false }, intent: intent({ quantity: fx('2') }) }));
    expect(v.code).toBe('max_order_notional');
    expect(v.detail).toContain('the most that fits is 1.5');
  });

  it('clamps to the position limit counting what is already held', () => {
    const v = approved(
      gate({ limits: { maxPositionNotional: fx('50000') }, intent: intent({ quantity: fx('2') }), portfolio: portfolio({ positionQuantity: fx('1') }) }),
    );
    expect(v.order.quantity.toPlainString()).toBe('1.5');
  });

  it('denies when the position is already at its limit', () => {
    const v = denied(gate({ limits: { maxPositionNotional: fx('20000') }, portfolio: portfolio({ positionQuantity: fx('1') }) }));
    expect(v.code).toBe('max_position_notional');
  });

  it('uses the per-instrument position limit over the default', () => {
    const limits: RiskLimits = { maxPositionNotional: fx('1000000'), maxPositionNotionalByInstrument: new Map([[SPOT.id, fx('10000')]]) };
    expect(approved(gate({ limits })).order.quantity.toPlainString()).toBe('0.5');
  });

  it('lets a flip through up to the position limit on the other side', () => {
    const v = approved(
      gate({
        instrument: PERP,
        limits: { maxPositionNotional: fx('20000') },
        intent: intent({ instrumentId: PERP.id, side: 'sell', quantity: fx('5') }),
        portfolio: portfolio({ positionQuantity: fx('1') }),
      }),
    );
    expect(v.order.quantity.toPlainString()).toBe('2');
  });

  it('clamps to gross exposure and to leverage', () => {
    const gross = approved(gate({ limits: { maxGrossExposure: fx('100000') }, portfolio: portfolio({ grossExposure: fx('90000') }) }));
    expect(gross.order.quantity.toPlainString()).toBe('0.5');
    const lev = approved(
      gate({ limits: { maxLeverage: fx('2') }, intent: intent({ quantity: fx('1.5') }), portfolio: portfolio({ equity: fx('10000'), grossExposure: fx('0') }) }),
    );
    expect(lev.order.quantity.toPlainString()).toBe('1');
    expect(lev.clamps[0]).toMatch(/max_leverage/);
    expect(denied(gate({ limits: { maxLeverage: fx('2') }, portfolio: portfolio({ equity: fx('-5') }) })).code).toBe('max_leverage');
  });

  it('measures the gross exposure limit over the whole desk, and a sleeve budget over the sleeve alone', () => {
    // The sleeve holds nothing, the other sleeves 90,000: 10,000 of room is left at 20,000 a unit.
    const desk = approved(gate({ limits: { maxGrossExposure: fx('100000') }, intent: intent({ owner: 'trend' }), portfolio: portfolio({ grossExposure: fx('0'), deskGrossExposure: fx('90000') }) }));
    expect(desk.order.quantity.toPlainString()).toBe('0.5');
    expect(desk.clamps[0]).toContain('gross exposure 90000 may not exceed 100000');
    const budgets = new Map([['trend', fx('30000')], ['carry', fx('1000')]]);
    const budget = approved(gate({ limits: { ownerMaxGrossExposure: budgets }, intent: intent({ owner: 'trend' }), portfolio: portfolio({ grossExposure: fx('20000'), deskGrossExposure: fx('500000') }) }));
    expect(budget.order.quantity.toPlainString()).toBe('0.5');
    expect(budget.clamps).toEqual(["max_gross_exposure: quantity cut from 1 to 0.5 (trend's gross exposure 20000 may not exceed its budget 30000)"]);
    expect(approved(gate({ limits: { ownerMaxGrossExposure: budgets }, intent: intent({ owner: 'other' }) })).order.quantity.toPlainString()).toBe('1');
    const spent = denied(gate({ limits: { ownerMaxGrossExposure: budgets }, intent: intent({ owner: 'carry' }), portfolio: portfolio({ grossExposure: fx('1000') }) }));
    expect(spent.code).toBe('max_gross_exposure');
  });

  it('never cuts an exit by the order notional limit: only the part of a flip that opens the new side', () => {
    const close = approved(gate({ limits: { maxOrderNotional: fx('10000') }, intent: intent({ side: 'sell', quantity: fx('3') }), portfolio: portfolio({ positionQuantity: fx('3'), availableAsset: fx('3') }) }));
    expect(close.order.quantity.toPlainString()).toBe('3');
    expect(close.clamps).toEqual([]);
    const flip = approved(gate({ instrument: PERP, limits: { maxOrderNotional: fx('10000') }, intent: intent({ instrumentId: PERP.id, side: 'sell', quantity: fx('5') }), portfolio: portfolio({ positionQuantity: fx('2') }) }));
    // Closing 2 plus a new short of 0.5 (10,000 at 20,000 a unit).
    expect(flip.order.quantity.toPlainString()).toBe('2.5');
  });

  it('never binds a reducing order by exposure limits', () => {
    const v = approved(
      gate({
        limits: { maxPositionNotional: fx('1'), maxGrossExposure: fx('1'), maxLeverage: fx('0.0001') },
        intent: intent({ side: 'sell', quantity: fx('1') }),
        portfolio: portfolio({ positionQuantity: fx('3'), availableAsset: fx('3'), grossExposure: fx('60000') }),
      }),
    );
    expect(v.order.quantity.toPlainString()).toBe('1');
  });
});

describe('risk gate: exposure limits count open orders as filled', () => {
  it('clamps a buy by the position limit counting the open buys already resting', () => {
    // Held 1 and 1 more resting in open buys: 0.5 of the 2.5 allowed (50,000 at 20,000) is left.
    const v = approved(gate({ limits: { maxPositionNotional: fx('50000') }, intent: intent({ quantity: fx('2') }), portfolio: portfolio({ positionQuantity: fx('1'), openBuyQuantity: fx('1') }) }));
    expect(v.order.quantity.toPlainString()).toBe('0.5');
    const full = denied(gate({ limits: { maxPositionNotional: fx('40000') }, portfolio: portfolio({ openBuyQuantity: fx('2') }) }));
    expect(full.code).toBe('max_position_notional');
    // Open sells do not make room for a buy: they may never fill.
    const sells = approved(gate({ limits: { maxPositionNotional: fx('40000') }, intent: intent({ quantity: fx('3') }), portfolio: portfolio({ positionQuantity: fx('1'), openSellQuantity: fx('1') }) }));
    expect(sells.order.quantity.toPlainString()).toBe('1');
  });

  it('clamps by the desk gross exposure and the owner budget counting what open orders could add', () => {
    const desk = approved(gate({ limits: { maxGrossExposure: fx('60000') }, portfolio: portfolio({ deskGrossExposure: fx('0'), deskOpenOrderExposure: fx('50000') }) }));
    expect(desk.order.quantity.toPlainString()).toBe('0.5');
    expect(desk.clamps[0]).toContain('gross exposure 0 (and 50000 more if the open orders fill) may not exceed 60000');
    expect(denied(gate({ limits: { maxGrossExposure: fx('60000') }, portfolio: portfolio({ deskOpenOrderExposure: fx('60000') }) })).code).toBe('max_gross_exposure');
    const budget = approved(gate({ limits: { ownerMaxGrossExposure: new Map([['desk', fx('30000')]]) }, portfolio: portfolio({ grossExposure: fx('10000'), openOrderExposure: fx('10000') }) }));
    expect(budget.order.quantity.toPlainString()).toBe('0.5');
    const lev = approved(gate({ limits: { maxLeverage: fx('1') }, intent: intent({ quantity: fx('2') }), portfolio: portfolio({ equity: fx('40000'), openOrderExposure: fx('20000') }) }));
    expect(lev.order.quantity.toPlainString()).toBe('1');
  });

  it('never binds a reduce-only order by what open orders could add', () => {
    const v = approved(
      gate({
        limits: { maxPositionNotional: fx('20000'), maxGrossExposure: fx('20000') },
        intent: intent({ side: 'sell', quantity: fx('1'), reduceOnly: true }),
        portfolio: portfolio({ positionQuantity: fx('1'), availableAsset: fx('1'), openSellQuantity: fx('5'), grossExposure: fx('20000'), deskOpenOrderExposure: fx('100000') }),
      }),
    );
    expect(v.order.quantity.toPlainString()).toBe('1');
    expect(v.clamps).toEqual([]);
  });
});

describe('risk gate: counts, rates and funds', () => {
  it('denies at the open-order limit', () => {
    const v = denied(gate({ limits: { maxOpenOrders: 3 }, portfolio: portfolio({ openOrders: 3 }) }));
    expect(v).toEqual({ approved: false, code: 'max_open_orders', detail: 'desk already has 3 open orders; the limit is 3 per book.' });
    expect(gate({ limits: { maxOpenOrders: 3 }, portfolio: portfolio({ openOrders: 2 }) }).approved).toBe(true);
  });

  it('denies beyond the order rate in the window, counting only orders inside it', () => {
    const limits: RiskLimits = { orderRate: { maxOrders: 2, windowMs: 1000 } };
    const inside = [(NOW - 999) as UnixMs, (NOW - 10) as UnixMs];
    expect(denied(gate({ limits, recentOrderTimes: inside })).code).toBe('order_rate');
    const oneOld = [(NOW - 1000) as UnixMs, (NOW - 10) as UnixMs];
    expect(gate({ limits, recentOrderTimes: oneOld }).approved).toBe(true);
  });

  it('never holds back a reduce-only exit at the open-order limit or the order rate, even while reducing', () => {
    const limits: RiskLimits = { maxOpenOrders: 2, orderRate: { maxOrders: 1, windowMs: 1000 } };
    const busy = { openOrders: 2, positionQuantity: fx('1'), availableAsset: fx('1') };
    const recentOrderTimes = [(NOW - 10) as UnixMs];
    const exit = approved(gate({ limits, intent: intent({ side: 'sell', reduceOnly: true }), portfolio: portfolio(busy), recentOrderTimes }));
    expect(exit.order.reduceOnly).toBe(true);
    const cut = approved(gate({ limits, tradingState: 'REDUCING', intent: intent({ side: 'sell', quantity: fx('0.5') }), portfolio: portfolio(busy), recentOrderTimes }));
    expect(cut.order.quantity.toPlainString()).toBe('0.5');
    // An order that may add risk is still held back: a sell of a long that is not marked reduce-only, a new buy.
    expect(denied(gate({ limits, intent: intent({ side: 'sell' }), portfolio: portfolio(busy) })).code).toBe('max_open_orders');
    const rate = denied(gate({ limits, portfolio: portfolio({ ...busy, openOrders: 0 }), recentOrderTimes }));
    expect(rate).toEqual({ approved: false, code: 'order_rate', detail: 'The desk sent 1 orders in the last 1000 ms; the limit is 1.' });
  });

  it('denies a buy the cash cannot pay for, fee included', () => {
    const v = denied(gate({ portfolio: portfolio({ availableCash: fx('20019.99') }) }));
    expect(v.code).toBe('insufficient_funds');
    expect(v.detail).toBe('The order needs 20020 USDT but only 20019.99 is available.');
    expect(gate({ portfolio: portfolio({ availableCash: fx('20020') }) }).approved).toBe(true);
  });

  it('denies a spot sell of more base than is held', () => {
    const v = denied(gate({ intent: intent({ side: 'sell' }), portfolio: portfolio({ availableAsset: fx('0.5') }) }));
    expect(v.detail).toContain('BTC');
  });

  it('sizes perpetual margin by leverage', () => {
    const perp = { instrument: PERP, intent: intent({ instrumentId: PERP.id, quantity: fx('1') }) };
    expect(denied(gate({ ...perp, portfolio: portfolio({ availableCash: fx('4000'), leverage: fx('5') }) })).code).toBe('insufficient_funds');
    expect(gate({ ...perp, portfolio: portfolio({ availableCash: fx('4010'), leverage: fx('5') }) }).approved).toBe(true);
  });
});

describe('risk gate: clamps never increase exposure (property)', () => {
  const decimal = (min: number, max: number, scale: number) =>
    fc.integer({ min: min * 10 ** scale, max: max * 10 ** scale }).map((n) => Fixed.fromUnits(BigInt(n), scale));

  it('an approved order is never larger than proposed, and never grows a position past the limits, open orders filled or not', () => {
    fc.assert(
      fc.property(
        fc.record({
          side: fc.constantFrom('buy' as const, 'sell' as const),
          quantity: decimal(0, 50, 3),
          position: decimal(-20, 20, 3),
          price: decimal(100, 50000, 2),
          maxOrder: decimal(1000, 500000, 0),
          maxPosition: decimal(1000, 500000, 0),
          gross: decimal(0, 500000, 0),
          maxGross: decimal(1000, 800000, 0),
          openBuy: decimal(0, 10, 3),
          openSell: decimal(0, 10, 3),
          openExposure: decimal(0, 300000, 0),
          state: fc.constantFrom('ACTIVE' as const, 'REDUCING' as const),
        }),
        (c) => {
          const verdict = checkIntent({
            intent: intent({ instrumentId: PERP.id, side: c.side, quantity: c.quantity }),
            instrument: PERP,
            clientOrderId: clientOrderId('c-p'),
            tradingState: c.state,
            limits: { maxOrderNotional: c.maxOrder, maxPositionNotional: c.maxPosition, maxGrossExposure: c.maxGross },
            now: NOW,
            market: { referencePrice: c.price, lastUpdate: NOW },
            portfolio: portfolio({
              positionQuantity: c.position,
              grossExposure: c.gross,
              openBuyQuantity: c.openBuy,
              openSellQuantity: c.openSell,
              deskOpenOrderExposure: c.openExposure,
              availableCash: fx('100000000'),
            }),
            recentOrderTimes: [],
            scales: new CurrencyScales(),
          });
          if (!verdict.approved) {
            expect(verdict.detail.length).toBeGreaterThan(10);
            return;
          }
          const q = verdict.order.quantity;
          expect(q.lte(c.quantity)).toBe(true);
          expect(q.isPositive()).toBe(true);
          // The order notional limit binds only what grows the position: a close is never cut.
          const reduces = c.side === 'buy' ? c.position.isNegative() : c.position.isPositive();
          const growing = reduces ? q.sub(c.position.abs()).max(Fixed.zero()) : q;
          expect(growing.mul(c.price).lte(c.maxOrder)).toBe(true);
          const signed = c.side === 'buy' ? q : q.neg();
          const after = c.position.add(signed).abs();
          const before = c.position.abs();
          if (c.state === 'REDUCING') expect(after.lte(before)).toBe(true);
          // Once every open order on the order's side has filled too (the worst case the limits are held to).
          const worstBefore = c.side === 'buy' ? c.position.add(c.openBuy) : c.position.sub(c.openSell);
          const worstAfter = worstBefore.add(signed).abs();
          if (c.state === 'ACTIVE' && worstAfter.gt(worstBefore.abs())) {
            expect(worstAfter.mul(c.price).lte(c.maxPosition)).toBe(true);
            expect(c.gross.add(c.openExposure).add(worstAfter.sub(worstBefore.abs()).mul(c.price)).lte(c.maxGross)).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
