import { describe, expect, it } from 'vitest';
import { fx } from '../../core/fixed.js';
import { childIntentId, clientOrderIdFor, intentId } from '../../core/ids.js';
import { unixMs } from '../../core/time.js';
import { defineInstrument } from '../../domain/instrument.js';
import { planTwap, TwapState, type TwapChild, type TwapSchedule } from './twap.js';

const instrument = defineInstrument({ id: 'BINANCE:BTC/USDT', tickSize: '0.01', lotSize: '0.001', minQuantity: '0.002' });
const intent = intentId('intent-7');

function show(schedule: TwapSchedule): string[] {
  return schedule.slices.map((slice) => `${slice.at} ${slice.quantity.toPlainString()}`);
}

function children(list: readonly TwapChild[]): string[] {
  return list.map((child) => `#${child.leg} ${child.type} ${child.quantity.toPlainString()}${child.price === undefined ? '' : ` @ ${child.price.toPlainString()}`}`);
}

describe('planTwap', () => {
  it('splits equally in whole lots, gives the remainder to the last slice and reports the dust', () => {
    const schedule = planTwap({ quantity: fx('1.0005'), start: unixMs(1_000), duration: 1_000, slices: 3, instrument });
    expect(show(schedule)).toEqual(['1000 0.333', '1333 0.333', '1666 0.334']);
    expect(schedule.total.toPlainString()).toBe('1');
    expect(schedule.dust.toPlainString()).toBe('0.0005');
  });

  it('spaces slices at start + i x duration / slices in whole milliseconds', () => {
    const schedule = planTwap({ quantity: fx('1'), start: unixMs(0), duration: 60_000, slices: 4, instrument });
    expect(show(schedule)).toEqual(['0 0.25', '15000 0.25', '30000 0.25', '45000 0.25']);
  });

  it('sends fewer slices, spread over the window, when the configured ones would fall below the minimum quantity', () => {
    // Five slices of 0.001 are below 0.002: two slices of it fit, at the start and halfway.
    const schedule = planTwap({ quantity: fx('0.005'), start: unixMs(0), duration: 5_000, slices: 5, instrument });
    expect(show(schedule)).toEqual(['0 0.002', '2500 0.003']);
  });

  it('sends one slice at the start when only the whole quantity reaches the minimum', () => {
    const schedule = planTwap({ quantity: fx('0.0029'), start: unixMs(0), duration: 3_000, slices: 3, instrument });
    expect(show(schedule)).toEqual(['0 0.002']);
    expect(schedule.dust.toPlainString()).toBe('0.0009');
  });

  it('sends fewer slices when the configured ones would fall below the minimum notional at the given price', () => {
    const priced = defineInstrument({ id: 'BINANCE:BTC/USDT', tickSize: '0.01', lotSize: '0.001', minQuantity: '0.002', minNotional: '10' });
    // At 2000 a slice needs 0.005 to reach 10: four slices of 0.003 become two of 0.006, at the start and halfway.
    const schedule = planTwap({ quantity: fx('0.012'), start: unixMs(0), duration: 4_000, slices: 4, instrument: priced, price: fx('2000') });
    expect(show(schedule)).toEqual(['0 0.006', '2000 0.006']);
    expect(() => planTwap({ quantity: fx('0.004'), start: unixMs(0), duration: 1_000, slices: 2, instrument: priced, price: fx('2000') })).toThrow(
      'TWAP quantity 0.004 (0.004 in whole lots of 0.001) is below the minimum slice 0.005 of BINANCE:BTC/USDT',
    );
  });

  it('refuses a quantity below the minimum and fewer than one slice, naming the problem', () => {
    expect(() => planTwap({ quantity: fx('0.0019'), start: unixMs(0), duration: 1_000, slices: 2, instrument })).toThrow(
      'TWAP quantity 0.0019 (0.001 in whole lots of 0.001) is below the minimum quantity 0.002 of BINANCE:BTC/USDT',
    );
    expect(() => planTwap({ quantity: fx('1'), start: unixMs(0), duration: 1_000, slices: 0, instrument })).toThrow(
      'a TWAP needs a whole number of slices of at least 1, got 0',
    );
    expect(() => planTwap({ quantity: fx('1'), start: unixMs(0), duration: -1, slices: 2, instrument })).toThrow(/duration/);
  });
});

describe('TwapState', () => {
  const schedule = planTwap({ quantity: fx('1.0005'), start: unixMs(1_000), duration: 1_000, slices: 3, instrument });

  it('sends market children when due, with deterministic leg ids, and carries an unfilled rest forward', () => {
    const state = new TwapState({ intentId: intent, side: 'buy', instrument, schedule, style: { kind: 'market' } });
    expect(state.due(unixMs(999))).toEqual([]);
    const first = state.due(unixMs(1_000));
    expect(children(first)).toEqual(['#1 market 0.333']);
    expect(first[0]?.clientOrderId).toBe(clientOrderIdFor(childIntentId(intent, 1)));
    expect(state.due(unixMs(1_200))).toEqual([]);
    expect(state.nextDueAt).toBe(1_333);

    state.onSliceFilled(1, fx('0.2'));
    state.onSliceClosed(1);
    expect(children(state.due(unixMs(1_333)))).toEqual(['#2 market 0.466']);
    state.onSliceFilled(2, fx('0.466'));
    expect(state.remaining.toPlainString()).toBe('0.334');
    expect(state.isComplete).toBe(false);

    expect(children(state.due(unixMs(5_000)))).toEqual(['#3 market 0.334']);
    expect(state.nextDueAt).toBeUndefined();
    state.onSliceFilled(3, fx('0.3'));
    state.onSliceClosed(3);
    expect(state.isComplete).toBe(true);
    expect(state.filled.toPlainString()).toBe('0.966');
    expect(state.remaining.toPlainString()).toBe('0.034');
  });

  it('sends the slices due by now as one order, on the leg of the first, numbering legs from firstLeg', () => {
    const state = new TwapState({ intentId: intent, side: 'sell', instrument, schedule, style: { kind: 'market' }, firstLeg: 10 });
    const sent = state.due(unixMs(1_400));
    expect(children(sent)).toEqual(['#10 market 0.666']);
    expect(sent[0]?.clientOrderId).toBe(clientOrderIdFor(childIntentId(intent, 10)));
    expect(children(state.due(unixMs(1_666)))).toEqual(['#12 market 0.334']);
    state.onSliceFilled(10, fx('0.666'));
    state.onSliceFilled(12, fx('0.334'));
    expect(state.isComplete).toBe(true);
    expect(state.filled.toPlainString()).toBe('1');
  });

  it('prices limit children at the offset from the reference, rounded to the passive tick', () => {
    const buy = new TwapState({ intentId: intent, side: 'buy', instrument, schedule, style: { kind: 'limit', offset: fx('0.02') } });
    expect(children(buy.due(unixMs(1_000), fx('100.005')))).toEqual(['#1 limit 0.333 @ 99.98']);
    const sell = new TwapState({ intentId: intent, side: 'sell', instrument, schedule, style: { kind: 'limit', offset: fx('0.02') } });
    expect(children(sell.due(unixMs(1_000), fx('100.005')))).toEqual(['#1 limit 0.333 @ 100.03']);
    expect(() => sell.due(unixMs(1_333))).toThrow('a limit-style TWAP needs a reference price');
  });

  it('drops a slice the gate denied instead of carrying it into the next one', () => {
    const state = new TwapState({ intentId: intent, side: 'buy', instrument, schedule, style: { kind: 'market' } });
    expect(children(state.due(unixMs(1_000)))).toEqual(['#1 market 0.333']);
    state.onSliceDenied(1);
    expect(children(state.due(unixMs(1_333)))).toEqual(['#2 market 0.333']);
    state.onSliceFilled(2, fx('0.333'));
    expect(children(state.due(unixMs(1_666)))).toEqual(['#3 market 0.334']);
  });

  it('sends nothing more once stopped, and is complete when the children sent are over', () => {
    const state = new TwapState({ intentId: intent, side: 'buy', instrument, schedule, style: { kind: 'market' } });
    state.due(unixMs(1_000));
    state.onSliceFilled(1, fx('0.1'));
    state.stop();
    expect(state.due(unixMs(5_000))).toEqual([]);
    expect(state.isComplete).toBe(false);
    state.onSliceClosed(1);
    expect(state.isComplete).toBe(true);
    expect(state.filled.toPlainString()).toBe('0.1');
  });

  it('refuses overfills and fills on legs never sent', () => {
    const state = new TwapState({ intentId: intent, side: 'buy', instrument, schedule, style: { kind: 'market' } });
    state.due(unixMs(1_000));
    expect(() => state.onSliceFilled(1, fx('0.334'))).toThrow('TWAP leg 1 filled 0.334, more than its 0.333');
    expect(() => state.onSliceFilled(2, fx('0.1'))).toThrow('TWAP leg 2 was not sent');
  });
});
