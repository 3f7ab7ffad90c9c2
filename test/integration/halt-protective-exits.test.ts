import { describe, expect, it } from 'vitest';
import { fx } from '../../src/core/fixed.js';
import { makeDesk, PERP, SPOT } from './fixture.js';

/** A halt stops new risk; the stops and targets resting beside positions stay, so the positions stay protected. */
describe('a halt keeps the protective exits', () => {
  function bracketed() {
    const desk = makeDesk({ maxDrawdown: { fraction: fx('0.01'), action: 'HALTED' } });
    desk.price('40000');
    desk.core.submitIntent(desk.intent({ instrumentId: PERP, side: 'buy', quantity: fx('1'), stopLoss: fx('38000'), takeProfit: fx('43000') }));
    desk.core.submitIntent(desk.intent({ side: 'buy', quantity: fx('0.1'), type: 'limit', price: fx('35000') }));
    return desk;
  }

  it('a drawdown breaker that halts cancels the resting entry but not the stop-loss and take-profit, and the stop still closes the position', () => {
    const desk = bracketed();
    desk.price('38900', [PERP]); // -1,100 on 100,000: past the 1% drawdown
    expect(desk.core.tradingState).toBe('HALTED');
    const open = desk.core.oms.openOrders().map((o) => [o.spec.linkage?.role, o.status]);
    expect(open).toEqual([
      ['stop-loss', 'accepted'],
      ['take-profit', 'accepted'],
    ]);
    expect(desk.core.oms.orderHistory().find((o) => o.spec.instrumentId === SPOT)?.status).toBe('canceled');
    desk.price('37900', [PERP]);
    expect(desk.core.ledger.position('desk', PERP)?.quantity.isZero()).toBe(true);
    expect(desk.core.oms.orderHistory().map((o) => `${o.spec.linkage?.role ?? 'order'}:${o.status}`)).toEqual(['entry:filled', 'stop-loss:filled', 'take-profit:canceled', 'order:canceled']);
  });

  it('an operator halt keeps them too; the kill switch then cancels them', () => {
    const desk = bracketed();
    desk.core.halt('operator');
    expect(desk.core.oms.openOrders().map((o) => o.spec.linkage?.role)).toEqual(['stop-loss', 'take-profit']);
    desk.killSwitch.on = true;
    desk.core.checkKillSwitch();
    expect(desk.core.oms.openCount()).toBe(0);
    expect(desk.core.oms.orderHistory().map((o) => o.status)).toEqual(['filled', 'canceled', 'canceled', 'canceled']);
  });

  function filledAsTheHaltCame(killSwitch: boolean) {
    // 50 ms to the venue: the entry is on its way when the desk halts, and the halt's cancel arrives after it filled.
    const desk = makeDesk({}, '100000', 50);
    desk.price('40000');
    desk.core.submitIntent(desk.intent({ side: 'buy', quantity: fx('0.1'), stopLoss: fx('38000') }));
    desk.clock.advanceBy(10);
    if (killSwitch) {
      desk.killSwitch.on = true;
      desk.core.checkKillSwitch();
    } else desk.core.halt('operator');
    desk.clock.advanceBy(40);
    desk.price('40000');
    desk.clock.advanceBy(20);
    desk.price('40000');
    return desk;
  }

  it('an entry that fills as an operator halt comes gets its stop-loss: a halt refuses new risk, not the protection of a position', () => {
    const desk = filledAsTheHaltCame(false);
    expect(desk.core.tradingState).toBe('HALTED');
    desk.clock.advanceBy(50);
    desk.price('40000');
    expect(desk.core.ledger.position('desk', SPOT)?.quantity.toPlainString()).toBe('0.1');
    expect(desk.core.oms.openOrders().map((o) => [o.spec.linkage?.role, o.spec.triggerPrice?.toPlainString(), o.spec.quantity.toPlainString(), o.status])).toEqual([
      ['stop-loss', '38000', '0.1', 'accepted'],
    ]);
    // The stop still guards the position through the halt.
    desk.clock.advanceBy(1000);
    desk.price('37000');
    expect(desk.core.ledger.position('desk', SPOT)?.quantity.isZero() ?? true).toBe(true);
  });

  it('under the kill switch the same stop is refused: the kill switch stops every order', () => {
    const desk = filledAsTheHaltCame(true);
    expect(desk.core.ledger.position('desk', SPOT)?.quantity.toPlainString()).toBe('0.1');
    expect(desk.core.oms.openCount()).toBe(0);
    const denied = desk.core.store.read(0).filter((e) => e.type === 'IntentDenied');
    expect(denied.map((e) => (e.type === 'IntentDenied' ? [e.intentId, e.code] : []))).toEqual([['i-1.sl', 'trading_halted']]);
  });

  it('the kill switch engaged on a desk an operator halted takes the halt over, and refuses the stop of an entry still on its way', () => {
    const desk = makeDesk({}, '100000', 50);
    desk.price('40000');
    desk.core.submitIntent(desk.intent({ side: 'buy', quantity: fx('0.1'), stopLoss: fx('38000') }));
    desk.clock.advanceBy(5);
    desk.core.halt('operator');
    desk.clock.advanceBy(5);
    desk.killSwitch.on = true;
    desk.core.checkKillSwitch();
    for (const step of [40, 20, 50]) {
      desk.clock.advanceBy(step);
      desk.price('40000');
    }
    const changes = desk.core.store.read(0).flatMap((e) => (e.type === 'TradingStateChanged' ? [[e.from, e.to, e.trigger]] : []));
    expect(changes).toEqual([
      ['ACTIVE', 'HALTED', 'command'],
      ['HALTED', 'HALTED', 'kill-switch'],
    ]);
    expect(desk.core.ledger.position('desk', SPOT)?.quantity.toPlainString()).toBe('0.1');
    expect(desk.core.oms.openCount()).toBe(0);
    const denied = desk.core.store.read(0).filter((e) => e.type === 'IntentDenied');
    expect(denied.map((e) => (e.type === 'IntentDenied' ? [e.intentId, e.code] : []))).toEqual([['i-1.sl', 'trading_halted']]);
  });
});
