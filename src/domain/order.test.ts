import { describe, expect, it } from 'vitest';
import { fx } from '../core/fixed.js';
import { clientOrderId, instrumentId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import { isTriggerType, oppositeSide, orderSpecProblems, sideSign } from './order.js';
import type { OrderSpec } from './order.js';

const LIMIT: OrderSpec = {
  clientOrderId: clientOrderId('c1'),
  instrumentId: instrumentId('BINANCE:BTC/USDT'),
  side: 'buy',
  type: 'limit',
  quantity: fx('0.5'),
  price: fx('30000'),
  timeInForce: 'GTC',
  postOnly: false,
  reduceOnly: false,
  owner: 'desk',
};

const MARKET: OrderSpec = { ...LIMIT, type: 'market', price: undefined, timeInForce: 'IOC' };
const at = (n: number): UnixMs => n as UnixMs;

describe('orderSpecProblems', () => {
  it.each<[string, OrderSpec]>([
    ['a GTC limit', LIMIT],
    ['an IOC market', MARKET],
    ['a post-only GTC limit', { ...LIMIT, postOnly: true }],
    ['a GTD limit with expiry', { ...LIMIT, timeInForce: 'GTD', expireAt: at(1_700_000_000_000) }],
    ['a stop-market', { ...MARKET, type: 'stop-market', triggerPrice: fx('29000'), timeInForce: 'GTC' }],
    ['a stop-limit', { ...LIMIT, type: 'stop-limit', triggerPrice: fx('29000') }],
    ['a take-profit-market', { ...MARKET, type: 'take-profit-market', triggerPrice: fx('35000') }],
    ['a take-profit-limit', { ...LIMIT, type: 'take-profit-limit', triggerPrice: fx('35000') }],
    ['a trailing stop by amount', { ...MARKET, type: 'trailing-stop', trailing: { kind: 'amount', value: fx('100') } }],
    [
      'a trailing stop by percent with an initial trigger',
      { ...MARKET, type: 'trailing-stop', trailing: { kind: 'percent', value: fx('1.5') }, triggerPrice: fx('29500') },
    ],
    ['a reduce-only sell', { ...LIMIT, side: 'sell', reduceOnly: true }],
  ])('accepts %s', (_name, spec) => {
    expect(orderSpecProblems(spec)).toEqual([]);
  });

  it.each<[string, OrderSpec, string]>([
    ['zero quantity', { ...LIMIT, quantity: fx('0') }, 'quantity must be positive, got 0'],
    ['negative quantity', { ...LIMIT, quantity: fx('-0.5') }, 'quantity must be positive, got -0.5'],
    ['a limit without price', { ...LIMIT, price: undefined }, 'a limit order needs a price'],
    ['a stop-limit without price', { ...LIMIT, type: 'stop-limit', price: undefined, triggerPrice: fx('1') }, 'a stop-limit order needs a price'],
    ['a market with a price', { ...MARKET, price: fx('30000') }, 'a market order takes no limit price'],
    ['a stop-market with a price', { ...MARKET, type: 'stop-market', triggerPrice: fx('1'), price: fx('2') }, 'a stop-market order takes no limit price'],
    ['a stop-market without trigger', { ...MARKET, type: 'stop-market' }, 'a stop-market order needs a trigger price'],
    ['a take-profit-limit without trigger', { ...LIMIT, type: 'take-profit-limit' }, 'a take-profit-limit order needs a trigger price'],
    ['a trailing stop without offset', { ...MARKET, type: 'trailing-stop' }, 'a trailing-stop order needs a trailing offset'],
    ['a limit with a trailing offset', { ...LIMIT, trailing: { kind: 'amount', value: fx('1') } }, 'a limit order takes no trailing offset'],
    [
      'a zero trailing offset',
      { ...MARKET, type: 'trailing-stop', trailing: { kind: 'percent', value: fx('0') } },
      'the trailing offset must be positive',
    ],
    ['a zero price', { ...LIMIT, price: fx('0') }, 'price must be positive, got 0'],
    ['a negative price', { ...LIMIT, price: fx('-1.5') }, 'price must be positive, got -1.5'],
    ['a negative trigger', { ...LIMIT, type: 'stop-limit', triggerPrice: fx('-2') }, 'trigger price must be positive, got -2'],
    ['a GTD without expiry', { ...LIMIT, timeInForce: 'GTD' }, 'a GTD order needs an expiry time'],
    ['an expiry on a GTC', { ...LIMIT, expireAt: at(5) }, 'only GTD orders take an expiry time'],
    ['post-only on a market', { ...MARKET, postOnly: true, timeInForce: 'GTC' }, 'post-only applies to limit orders only'],
    ['post-only IOC', { ...LIMIT, postOnly: true, timeInForce: 'IOC' }, 'a post-only order cannot be IOC or FOK'],
    ['post-only FOK', { ...LIMIT, postOnly: true, timeInForce: 'FOK' }, 'a post-only order cannot be IOC or FOK'],
    ['a GTD market', { ...MARKET, timeInForce: 'GTD', expireAt: at(5) }, 'a market order cannot be GTD'],
  ])('flags %s', (_name, spec, problem) => {
    expect(orderSpecProblems(spec)).toEqual([problem]);
  });

  it('reports every problem, not just the first', () => {
    const problems = orderSpecProblems({ ...MARKET, quantity: fx('0'), price: fx('1'), postOnly: true });
    expect(problems).toEqual([
      'quantity must be positive, got 0',
      'a market order takes no limit price',
      'post-only applies to limit orders only',
      'a post-only order cannot be IOC or FOK',
    ]);
  });
});

describe('order helpers', () => {
  it('trigger types are the stop, take-profit and trailing orders', () => {
    expect(
      (['market', 'limit', 'stop-market', 'stop-limit', 'take-profit-market', 'take-profit-limit', 'trailing-stop'] as const).filter(isTriggerType),
    ).toEqual(['stop-market', 'stop-limit', 'take-profit-market', 'take-profit-limit', 'trailing-stop']);
  });

  it('sides flip and sign', () => {
    expect([oppositeSide('buy'), oppositeSide('sell')]).toEqual(['sell', 'buy']);
    expect([sideSign('buy'), sideSign('sell')]).toEqual([1, -1]);
  });
});
