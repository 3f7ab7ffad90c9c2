import { describe, expect, it } from 'vitest';
import { fx } from '../../core/fixed.js';
import { childIntentId, clientOrderIdFor, intentId } from '../../core/ids.js';
import { defineInstrument } from '../../domain/instrument.js';
import { PostOnlyChase, touchAround, type ChaseAction, type ChaseConfig } from './post-only-chase.js';

const instrument = defineInstrument({ id: 'BINANCE:BTC/USDT', tickSize: '0.01', lotSize: '0.001', minQuantity: '0.002' });
const intent = intentId('intent-9');

function chase(overrides: Partial<ChaseConfig>): PostOnlyChase {
  return new PostOnlyChase({ intentId: intent, side: 'buy', quantity: fx('1'), instrument, maxReprices: 2, fallback: 'market', ...overrides });
}

const touch = (bid: string, ask: string) => ({ bid: fx(bid), ask: fx(ask) });

function show(actions: readonly ChaseAction[]): string[] {
  return actions.map((action) => {
    switch (action.type) {
      case 'place':
        return `place ${action.price.toPlainString()} ${action.quantity.toPlainString()} #${action.leg}`;
      case 'cancel':
        return `cancel #${action.leg}`;
      case 'market':
        return `market ${action.quantity.toPlainString()} #${action.leg}`;
      case 'done':
        return `done ${action.reason} filled ${action.filled.toPlainString()} unfilled ${action.unfilled.toPlainString()}`;
    }
  });
}

describe('PostOnlyChase', () => {
  it('reprices a buy up to the limit as the bid moves away, each leg only once the last is confirmed over, then takes the rest', () => {
    const buy = chase({ quantity: fx('1.0005') });
    const placed = buy.start(touch('100.00', '100.02'));
    expect(show(placed)).toEqual(['place 100 1 #1']);
    expect(placed[0]?.type === 'place' && placed[0].clientOrderId).toBe(clientOrderIdFor(childIntentId(intent, 1)));
    expect(show(buy.onTouch(touch('100.00', '100.01')))).toEqual([]);
    expect(show(buy.onTouch(touch('99.99', '100.01')))).toEqual([]);
    expect(show(buy.onTouch(touch('100.01', '100.03')))).toEqual(['cancel #1']);
    // Nothing new goes out while the cancel is unconfirmed, however the touch moves.
    expect(show(buy.onTouch(touch('100.05', '100.06')))).toEqual([]);
    expect(show(buy.onLegEnded(1, 'canceled'))).toEqual([]);
    expect(show(buy.onTouch(touch('100.01', '100.03')))).toEqual(['place 100.01 1 #2']);
    expect(show(buy.onTouch(touch('100.02', '100.03')))).toEqual(['cancel #2']);
    expect(show(buy.onLegEnded(2, 'canceled'))).toEqual([]);
    expect(show(buy.onTouch(touch('100.02', '100.03')))).toEqual(['place 100.02 1 #3']);
    expect(buy.repriceCount).toBe(2);
    expect(show(buy.onTouch(touch('100.04', '100.05')))).toEqual(['cancel #3']);
    const fallback = buy.onLegEnded(3, 'canceled');
    expect(show(fallback)).toEqual(['market 1 #4']);
    expect(fallback[0]?.type === 'market' && fallback[0].clientOrderId).toBe(clientOrderIdFor(childIntentId(intent, 4)));
    expect(show(buy.onTouch(touch('100.10', '100.11')))).toEqual([]);
    buy.onFill(fx('0.4'));
    buy.onFill(fx('0.6'));
    expect(show(buy.onLegEnded(4, 'filled'))).toEqual(['done filled filled 1 unfilled 0']);
    expect(buy.isDone).toBe(true);
  });

  it('never fills twice: a late fill on the leg being canceled finishes the chase instead of a second leg', () => {
    const buy = chase({ quantity: fx('0.2335'), maxReprices: 0 });
    buy.start(touch('100.00', '100.02'));
    expect(show(buy.onTouch(touch('100.05', '100.06')))).toEqual(['cancel #1']);
    buy.onFill(fx('0.233'));
    expect(show(buy.onLegEnded(1, 'filled'))).toEqual(['done filled filled 0.233 unfilled 0']);
    expect(buy.filled.toPlainString()).toBe('0.233');
  });

  it('takes only what a leg left when it filled in part before its cancel was confirmed', () => {
    const buy = chase({ maxReprices: 0 });
    buy.start(touch('100.00', '100.02'));
    expect(show(buy.onTouch(touch('100.05', '100.06')))).toEqual(['cancel #1']);
    buy.onFill(fx('0.3'));
    expect(show(buy.onLegEnded(1, 'canceled'))).toEqual(['market 0.7 #2']);
    buy.onFill(fx('0.7'));
    expect(show(buy.onLegEnded(2, 'filled'))).toEqual(['done filled filled 1 unfilled 0']);
  });

  it('chases a sell down the ask, re-places only the unfilled rest and cancels it at the limit', () => {
    const sell = chase({ side: 'sell', quantity: fx('0.5'), maxReprices: 1, fallback: 'cancel' });
    expect(show(sell.start(touch('100.03', '100.05')))).toEqual(['place 100.05 0.5 #1']);
    expect(show(sell.onTouch(touch('100.04', '100.06')))).toEqual([]);
    sell.onFill(fx('0.2'));
    expect(show(sell.onTouch(touch('100.02', '100.04')))).toEqual(['cancel #1']);
    expect(show(sell.onLegEnded(1, 'canceled'))).toEqual([]);
    expect(show(sell.onTouch(touch('100.02', '100.04')))).toEqual(['place 100.04 0.3 #2']);
    expect(show(sell.onTouch(touch('100.01', '100.03')))).toEqual(['cancel #2']);
    expect(show(sell.onLegEnded(2, 'canceled'))).toEqual(['done unfilled filled 0.2 unfilled 0.3']);
    expect(show(sell.onTouch(touch('99', '99.01')))).toEqual([]);
    expect(sell.remaining.toPlainString()).toBe('0.3');
  });

  it('finishes when the resting child fills completely', () => {
    const buy = chase({});
    buy.start(touch('100', '100.01'));
    buy.onFill(fx('1'));
    expect(show(buy.onLegEnded(1, 'filled'))).toEqual(['done filled filled 1 unfilled 0']);
  });

  it('re-places a leg the venue rejected as a taker at the next touch, not a tick from the price the market went through', () => {
    const buy = chase({ maxReprices: 1 });
    expect(show(buy.start(touch('100.00', '100.01')))).toEqual(['place 100 1 #1']);
    // The market fell through 100: the next leg waits for the touch and goes out there (98.5), counted as a reprice.
    expect(show(buy.onLegEnded(1, 'rejected'))).toEqual([]);
    expect(buy.awaitingTouch).toBe(true);
    expect(show(buy.onTouch(touch('98.50', '98.52')))).toEqual(['place 98.5 1 #2']);
    expect(buy.repriceCount).toBe(1);
    expect(show(buy.onLegEnded(2, 'rejected'))).toEqual(['market 1 #3']);

    const sell = chase({ side: 'sell', maxReprices: 3, fallback: 'cancel' });
    sell.start(touch('100.00', '100.01'));
    expect(show(sell.onLegEnded(1, 'rejected'))).toEqual([]);
    expect(show(sell.onTouch(touch('101.20', '101.22')))).toEqual(['place 101.22 1 #2']);
  });

  it('sets the touch of a last price a tick either side of it, so a leg rests on its own side of the market', () => {
    const around = touchAround(fx('100.005'), instrument);
    expect([around.bid.toPlainString(), around.ask.toPlainString()]).toEqual(['99.99', '100.02']);
    const exact = touchAround(fx('30667.81'), instrument);
    expect([exact.bid.toPlainString(), exact.ask.toPlainString()]).toEqual(['30667.8', '30667.82']);
  });

  it('goes on after a leg the venue rejected while its cancel was on the way, as after the cancel', () => {
    const buy = chase({});
    buy.start(touch('100.00', '100.02'));
    expect(show(buy.onTouch(touch('100.01', '100.02')))).toEqual(['cancel #1']);
    expect(show(buy.onLegEnded(1, 'rejected'))).toEqual([]);
    expect(show(buy.onTouch(touch('100.01', '100.02')))).toEqual(['place 100.01 1 #2']);
  });

  it('rests again when the venue refuses a cancel, and ends when the venue itself cancels the leg', () => {
    const buy = chase({});
    buy.start(touch('100.00', '100.02'));
    expect(show(buy.onTouch(touch('100.01', '100.02')))).toEqual(['cancel #1']);
    buy.onCancelRejected(1);
    expect(show(buy.onTouch(touch('100.02', '100.03')))).toEqual(['cancel #1']);
    buy.onCancelRejected(1);
    expect(show(buy.onLegEnded(1, 'canceled'))).toEqual(['done unfilled filled 0 unfilled 1']);
  });

  it('stops where it is: cancels the resting leg and places nothing after it, nor a market fallback', () => {
    const buy = chase({ maxReprices: 0 });
    buy.start(touch('100.00', '100.02'));
    buy.onFill(fx('0.4'));
    expect(show(buy.stop())).toEqual(['cancel #1']);
    expect(show(buy.stop())).toEqual([]);
    expect(show(buy.onLegEnded(1, 'canceled'))).toEqual(['done unfilled filled 0.4 unfilled 0.6']);

    const waiting = chase({});
    waiting.start(touch('100.00', '100.02'));
    waiting.onLegEnded(1, 'rejected');
    expect(show(waiting.stop())).toEqual(['done unfilled filled 0 unfilled 1']);
  });

  it('ignores the end of a leg other than the live one', () => {
    const buy = chase({});
    buy.start(touch('100.00', '100.02'));
    expect(show(buy.onLegEnded(7, 'canceled'))).toEqual([]);
    expect(buy.isDone).toBe(false);
  });

  it('stops when the rest falls below the minimum quantity', () => {
    const buy = chase({ quantity: fx('0.003') });
    buy.start(touch('100.00', '100.02'));
    buy.onFill(fx('0.002'));
    expect(show(buy.onTouch(touch('100.01', '100.02')))).toEqual(['cancel #1']);
    expect(show(buy.onLegEnded(1, 'canceled'))).toEqual(['done below-minimum filled 0.002 unfilled 0.001']);

    expect(show(chase({ quantity: fx('0.0019') }).start(touch('100', '100.01')))).toEqual([
      'done below-minimum filled 0 unfilled 0.001',
    ]);
  });

  it('rounds an off-tick touch to the passive side and refuses a second start and overfills', () => {
    const buy = chase({});
    expect(show(buy.start(touch('100.005', '100.02')))).toEqual(['place 100 1 #1']);
    expect(() => buy.start(touch('100', '100.01'))).toThrow('the chase was already started');
    expect(() => buy.onFill(fx('1.001'))).toThrow('chase fill of 1.001 exceeds the remaining 1');
    expect(() => chase({ maxReprices: -1 })).toThrow('maxReprices must be a whole number >= 0, got -1');
  });
});
