import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fixed, fx } from '../../src/core/fixed.js';
import { clientOrderId, tradeId } from '../../src/core/ids.js';
import type { DeskEvent } from '../../src/domain/events.js';
import { TradingCore, type Anomaly } from '../../src/engine/trading-core.js';
import { BTC, makeDesk, PERP, replaySnapshots, SPOT, USDT } from './fixture.js';

describe('trading core: intent -> risk gate -> OMS -> venue -> ledger', () => {
  it('fills a market buy and books it exactly', () => {
    const desk = makeDesk();
    desk.price('40000');
    const outcome = desk.core.submitIntent(desk.intent({ side: 'buy', quantity: fx('0.5') }));
    expect(outcome.status).toBe('submitted');
    const types = desk.core.store.read(0).map((e) => e.type);
    expect(types).toEqual(['FundsDeposited', 'MarksUpdated', 'IntentApproved', 'OrderSubmitted', 'OrderAccepted', 'OrderFilled']);
    const ledger = desk.core.ledger;
    expect(ledger.balance('desk', 'cash', USDT).toPlainString()).toBe('79980');
    expect(ledger.balance('desk', 'fees', USDT).toPlainString()).toBe('20');
    expect(ledger.balance('desk', 'asset', BTC).toPlainString()).toBe('0.5');
    expect(ledger.balance('desk', 'reserved', USDT).isZero()).toBe(true);
    expect(desk.core.deskEquity().toPlainString()).toBe('99980');
  });

  it('chains causation: signal -> approval -> order -> fill', () => {
    const desk = makeDesk();
    desk.price('40000');
    desk.core.submitIntent(desk.intent({ side: 'buy', quantity: fx('0.1'), causationId: 'signal-7' }));
    const events = desk.core.store.read(0);
    const approved = events.find((e) => e.type === 'IntentApproved');
    const submitted = events.find((e) => e.type === 'OrderSubmitted');
    expect(approved?.causationId).toBe('signal-7');
    expect(submitted?.causationId).toBe(approved?.id);
  });

  it('submits idempotently: the same intent twice is one order', () => {
    const desk = makeDesk();
    desk.price('40000');
    const intent = desk.intent({ side: 'buy', quantity: fx('0.1'), type: 'limit', price: fx('39000') });
    const first = desk.core.submitIntent(intent);
    const length = desk.core.store.length;
    const second = desk.core.submitIntent(intent);
    expect(first.status).toBe('submitted');
    expect(second).toEqual({ status: 'duplicate', clientOrderId: first.status === 'submitted' ? first.clientOrderId : '' });
    expect(desk.core.store.length).toBe(length);
    expect(desk.venue.ordersReceived).toBe(1);
  });

  it('records a denial with a code and a sentence, and changes no books', () => {
    const desk = makeDesk({ maxOpenOrders: 0 });
    desk.price('40000');
    const before = desk.core.ledger.snapshot();
    const outcome = desk.core.submitIntent(desk.intent({ side: 'buy', quantity: fx('0.1') }));
    expect(outcome).toMatchObject({ status: 'denied', code: 'max_open_orders' });
    const last = desk.core.store.read(desk.core.store.length - 1)[0];
    expect(last).toMatchObject({ type: 'IntentDenied', code: 'max_open_orders', detail: 'desk already has 0 open orders; the limit is 0 per book.' });
    expect(desk.core.ledger.snapshot()).toEqual(before);
    expect(desk.venue.ordersReceived).toBe(0);
  });

  it('refuses a venue report for an unknown order: an error and an anomaly, nothing recorded', () => {
    const desk = makeDesk();
    desk.price('40000');
    const anomalies: Anomaly[] = [];
    desk.core.anomalies.subscribe((a) => anomalies.push(a));
    const snapshot = desk.core.snapshot();
    const result = desk.core.applyVenueReport({
      type: 'OrderFilled',
      tsEvent: desk.clock.now(),
      fill: {
        tradeId: tradeId('x1'),
        clientOrderId: clientOrderId('ghost'),
        venueOrderId: undefined,
        instrumentId: SPOT,
        side: 'buy',
        quantity: fx('1'),
        price: fx('1'),
        fee: fx('0'),
        feeCurrency: USDT,
        liquidity: 'taker',
      },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_venue_report');
      expect(result.error.message).toBe('OrderFilled for unknown order ghost');
      expect(result.error.retryable).toBe(false);
    }
    expect(anomalies.map((a) => a.problem)).toEqual(['OrderFilled for unknown order ghost']);
    expect(desk.core.anomalySummary()).toEqual({ count: 1, first: 'OrderFilled for unknown order ghost' });
    expect(desk.core.snapshot()).toBe(snapshot);
  });

  it('refuses a bad command with a typed error and records nothing', () => {
    const desk = makeDesk();
    const length = desk.core.store.length;
    expect(() => desk.core.withdraw('desk', USDT, fx('100000.000001'))).toThrow(/exceeds available cash 100000/);
    expect(() => desk.core.deposit('desk', USDT, fx('-5'))).toThrow(/must be positive/);
    expect(() => desk.core.cancelOrder(clientOrderId('nope'))).toThrow(/there is no order nope/);
    expect(desk.core.store.length).toBe(length);
  });

  it('places a bracket on fill and cancels the other leg when one fills (OCO)', () => {
    const desk = makeDesk();
    desk.price('40000');
    desk.core.submitIntent(
      desk.intent({ instrumentId: PERP, side: 'buy', quantity: fx('1'), stopLoss: fx('38000'), takeProfit: fx('43000') }),
    );
    const open = desk.core.oms.openOrders();
    expect(open.map((o) => [o.spec.type, o.spec.reduceOnly, o.spec.linkage?.role])).toEqual([
      ['stop-market', true, 'stop-loss'],
      ['take-profit-market', true, 'take-profit'],
    ]);
    desk.price('37900');
    const position = desk.core.ledger.position('desk', PERP);
    expect(position?.quantity.isZero()).toBe(true);
    expect(desk.core.oms.openOrders()).toHaveLength(0);
    const statuses = desk.core.oms.orderHistory().map((o) => `${o.spec.linkage?.role}:${o.status}`);
    expect(statuses).toEqual(['entry:filled', 'stop-loss:filled', 'take-profit:canceled']);
    // Perp long 1 @40000, stopped at 37900: -2100, fees 20 + 18.95.
    expect(desk.core.ledger.balance('desk', 'realised-pnl', USDT).toPlainString()).toBe('-2100');
    expect(desk.core.ledger.balance('desk', 'fees', USDT).toPlainString()).toBe('38.95');
    expect(desk.core.ledger.balance('desk', 'margin', USDT).isZero()).toBe(true);
    expect(desk.core.ledger.balance('desk', 'cash', USDT).toPlainString()).toBe('97861.05');
  });

  it('halts on the kill switch and cancels every open order; resume is refused while it is engaged', () => {
    const desk = makeDesk();
    desk.price('40000');
    desk.core.submitIntent(desk.intent({ side: 'buy', quantity: fx('0.1'), type: 'limit', price: fx('39000') }));
    desk.core.submitIntent(desk.intent({ side: 'buy', quantity: fx('0.1'), type: 'limit', price: fx('38500') }));
    expect(desk.core.oms.openCount()).toBe(2);
    desk.killSwitch.on = true;
    const denied = desk.core.submitIntent(desk.intent({ side: 'buy', quantity: fx('0.1') }));
    expect(denied).toMatchObject({ status: 'denied', code: 'trading_halted' });
    expect(desk.core.tradingState).toBe('HALTED');
    expect(desk.core.oms.openCount()).toBe(0);
    expect(desk.core.ledger.balance('desk', 'reserved', USDT).isZero()).toBe(true);
    const halted = desk.core.store.read(0).find((e) => e.type === 'TradingStateChanged');
    expect(halted).toMatchObject({ from: 'ACTIVE', to: 'HALTED', trigger: 'kill-switch', reason: 'kill switch: test switch' });
    expect(() => desk.core.resume('operator')).toThrow(/kill switch is engaged/);
    desk.killSwitch.on = false;
    desk.core.resume('operator');
    expect(desk.core.tradingState).toBe('ACTIVE');
  });

  it('trips the daily loss breaker into HALTED and cancels open orders', () => {
    const desk = makeDesk({ dailyLoss: { fraction: fx('0.02'), action: 'HALTED' } });
    desk.price('40000');
    desk.core.submitIntent(desk.intent({ instrumentId: PERP, side: 'buy', quantity: fx('1') }));
    desk.core.submitIntent(desk.intent({ side: 'buy', quantity: fx('0.1'), type: 'limit', price: fx('38500') }));
    desk.price('38000', [PERP]);
    expect(desk.core.tradingState).toBe('HALTED');
    const change = desk.core.store.read(0).find((e) => e.type === 'TradingStateChanged');
    expect(change).toMatchObject({ trigger: 'daily-loss', to: 'HALTED' });
    expect(desk.core.oms.openCount()).toBe(0);
  });

  it('applies funding: longs pay a positive rate, shorts receive it', () => {
    const desk = makeDesk();
    desk.price('40000');
    desk.core.submitIntent(desk.intent({ instrumentId: PERP, side: 'buy', quantity: fx('2') }));
    const paid = desk.core.applyFunding('desk', PERP, fx('0.0001'), fx('40500'));
    expect(paid).toMatchObject({ type: 'FundingApplied' });
    expect(desk.core.ledger.balance('desk', 'funding', USDT).toPlainString()).toBe('8.1');
    desk.core.submitIntent(desk.intent({ instrumentId: PERP, side: 'sell', quantity: fx('4') }));
    desk.core.applyFunding('desk', PERP, fx('0.0001'), fx('40500'));
    expect(desk.core.ledger.balance('desk', 'funding', USDT).toPlainString()).toBe('0');
  });
});

describe('journal replay rebuilds the same state, bit for bit', () => {
  it('after the scenarios above', () => {
    const desk = makeDesk({ maxDrawdown: { fraction: fx('0.01'), action: 'REDUCING' }, orderRate: { maxOrders: 50, windowMs: 60_000 } });
    desk.price('40000');
    desk.core.submitIntent(desk.intent({ instrumentId: PERP, side: 'buy', quantity: fx('1'), stopLoss: fx('38000'), takeProfit: fx('43000') }));
    desk.core.submitIntent(desk.intent({ side: 'buy', quantity: fx('0.3') }));
    desk.core.submitIntent(desk.intent({ side: 'sell', quantity: fx('0.1'), type: 'limit', price: fx('41000') }));
    desk.clock.advanceBy(60_000);
    desk.price('41000');
    desk.core.applyFunding('desk', PERP, fx('0.0003'), fx('41000'));
    desk.price('39000');
    desk.killSwitch.on = true;
    desk.core.checkKillSwitch();
    const { live, replayed } = replaySnapshots(desk);
    expect(replayed).toBe(live);
    expect(JSON.parse(live).journal).toBeGreaterThan(20);
  });

  it('for random sequences of intents, prices, cancels, funding, halts and resumes (property)', () => {
    type Action =
      | { kind: 'price'; value: number }
      | { kind: 'intent'; perp: boolean; side: 'buy' | 'sell'; qty: number; limitOffset: number | null; bracket: boolean }
      | { kind: 'cancel'; index: number }
      | { kind: 'funding'; rate: number }
      | { kind: 'halt' }
      | { kind: 'resume' }
      | { kind: 'advance'; ms: number };
    const action: fc.Arbitrary<Action> = fc.oneof(
      { arbitrary: fc.record({ kind: fc.constant('price' as const), value: fc.integer({ min: 38_000, max: 42_000 }) }), weight: 4 },
      {
        weight: 8,
        arbitrary: fc.record({
        kind: fc.constant('intent' as const),
        perp: fc.boolean(),
        side: fc.constantFrom('buy' as const, 'sell' as const),
        qty: fc.integer({ min: 1, max: 3000 }),
        limitOffset: fc.option(fc.integer({ min: -1500, max: 1500 }), { nil: null }),
        bracket: fc.boolean(),
        }),
      },
      { arbitrary: fc.record({ kind: fc.constant('cancel' as const), index: fc.nat(20) }), weight: 2 },
      { arbitrary: fc.record({ kind: fc.constant('funding' as const), rate: fc.integer({ min: -30, max: 30 }) }), weight: 1 },
      { arbitrary: fc.constant({ kind: 'halt' as const }), weight: 1 },
      { arbitrary: fc.constant({ kind: 'resume' as const }), weight: 2 },
      { arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 3_600_000 }) }), weight: 2 },
    );
    const seen = { fills: 0, denials: 0, cancels: 0, stateChanges: 0 };
    fc.assert(
      fc.property(fc.array(action, { minLength: 15, maxLength: 50 }), (actions) => {
        const desk = makeDesk({
          maxPositionNotional: fx('150000'),
          maxOrderNotional: fx('80000'),
          priceBand: fx('0.05'),
          maxDrawdown: { fraction: fx('0.03'), action: 'REDUCING' },
          dailyLoss: { fraction: fx('0.05'), action: 'HALTED' },
        });
        let price = 40_000;
        desk.price(String(price));
        for (const a of actions) {
          switch (a.kind) {
            case 'price':
              price = a.value;
              desk.price(String(price));
              break;
            case 'intent': {
              const instrumentId = a.perp ? PERP : SPOT;
              const qty = Fixed.fromUnits(BigInt(a.qty), 3);
              const limit = a.limitOffset === null ? undefined : fx(String(price + a.limitOffset));
              const bracket = a.bracket && a.side === 'buy' ? { stopLoss: fx(String(price - 2000)), takeProfit: fx(String(price + 2000)) } : {};
              desk.core.submitIntent(
                desk.intent({ instrumentId, side: a.side, quantity: qty, ...(limit ? { type: 'limit', price: limit } : {}), ...bracket }),
              );
              break;
            }
            case 'cancel': {
              const open = desk.core.oms.openOrders();
              const target = open[a.index % Math.max(1, open.length)];
              if (target !== undefined && target.status !== 'pending-cancel') desk.core.cancelOrder(target.spec.clientOrderId);
              break;
            }
            case 'funding':
              desk.core.applyFunding('desk', PERP, Fixed.fromUnits(BigInt(a.rate), 5), fx(String(price)));
              break;
            case 'halt':
              desk.core.halt('test');
              break;
            case 'resume':
              desk.core.resume('test');
              break;
            case 'advance':
              desk.clock.advanceBy(a.ms);
              break;
          }
          // Books stay exact: every account is derivable from the entries, and cash never goes negative.
          expect(desk.core.ledger.balance('desk', 'cash', USDT).isNegative()).toBe(false);
        }
        desk.core.ledger.journal.recomputeBalances();
        const { live, replayed } = replaySnapshots(desk);
        expect(replayed).toBe(live);
        for (const e of desk.core.store.read(0)) {
          if (e.type === 'OrderFilled') seen.fills += 1;
          else if (e.type === 'IntentDenied') seen.denials += 1;
          else if (e.type === 'OrderCanceled') seen.cancels += 1;
          else if (e.type === 'TradingStateChanged') seen.stateChanges += 1;
        }
      }),
      // A fixed seed: the counts below are about the generated runs, and must not vary from one test run to the next.
      { numRuns: 200, seed: 20241121 },
    );
    // The generated runs must exercise the interesting paths, not just denials.
    expect(seen.fills).toBeGreaterThan(300);
    expect(seen.denials).toBeGreaterThan(50);
    expect(seen.cancels).toBeGreaterThan(50);
    expect(seen.stateChanges).toBeGreaterThan(30);
  });

  it('refuses a corrupted journal instead of building wrong state', () => {
    const desk = makeDesk();
    desk.price('40000');
    desk.core.submitIntent(desk.intent({ side: 'buy', quantity: fx('0.1') }));
    const events = [...desk.core.store.read(0)];
    const fill = events.findIndex((e) => e.type === 'OrderFilled');
    const duplicated: DeskEvent[] = [...events.slice(0, fill + 1), events[fill] as DeskEvent];
    expect(() => TradingCore.replay(desk.config, duplicated, { clock: desk.clock })).toThrow(
      /does not apply: OrderFilled is not possible for order \w+ while it is filled/,
    );
  });
});

describe('commands as data', () => {
  const base = (desk: ReturnType<typeof makeDesk>, id: string) => ({ id: id as never, tsEvent: desk.clock.now(), tsInit: desk.clock.now() });

  it('halts, resumes, deposits and submits through execute()', () => {
    const desk = makeDesk();
    desk.price('40000');
    desk.core.execute({ ...base(desk, 'cmd-1'), type: 'Deposit', owner: 'desk', currency: USDT, amount: fx('500') });
    expect(desk.core.ledger.balance('desk', 'capital', USDT).toPlainString()).toBe('100500');
    const limit = desk.core.execute({ ...base(desk, 'cmd-2'), type: 'SubmitIntent', intent: desk.intent({ side: 'buy', quantity: fx('0.1'), type: 'limit', price: fx('39000') }) });
    expect(limit).toMatchObject({ status: 'submitted' });
    desk.core.execute({ ...base(desk, 'cmd-3'), type: 'Halt', reason: 'operator' });
    expect(desk.core.tradingState).toBe('HALTED');
    expect(desk.core.oms.openCount()).toBe(0);
    desk.core.execute({ ...base(desk, 'cmd-4'), type: 'Resume', reason: 'operator' });
    expect(desk.core.tradingState).toBe('ACTIVE');
  });

  it('modifies an open order through the venue', () => {
    const desk = makeDesk();
    desk.price('40000');
    const outcome = desk.core.submitIntent(desk.intent({ side: 'buy', quantity: fx('0.1'), type: 'limit', price: fx('39000') }));
    if (outcome.status !== 'submitted') throw new Error('not submitted');
    desk.core.execute({ ...base(desk, 'cmd-5'), type: 'ModifyOrder', clientOrderId: outcome.clientOrderId, price: fx('39500') });
    const order = desk.core.oms.get(outcome.clientOrderId);
    expect(order?.status).toBe('accepted');
    expect(order?.spec.price?.toPlainString()).toBe('39500');
    expect(desk.core.ledger.balance('desk', 'reserved', USDT).toPlainString()).toBe('3953.95');
    expect(() => desk.core.execute({ ...base(desk, 'cmd-6'), type: 'ModifyOrder', clientOrderId: clientOrderId('nope'), price: fx('1') })).toThrow(
      /there is no order nope/,
    );
  });
});

describe('transfers between owners', () => {
  it('move cash and capital together, leave the desk total and each owner PnL unchanged, and replay', () => {
    const desk = makeDesk();
    desk.price('40000');
    desk.core.transfer('desk', 'sleeve-a', USDT, fx('30000'));
    desk.core.submitIntent(desk.intent({ owner: 'sleeve-a', side: 'buy', quantity: fx('0.5') }));
    const ledger = desk.core.ledger;
    expect(ledger.balance('sleeve-a', 'capital', USDT).toPlainString()).toBe('30000');
    expect(ledger.balance('desk', 'capital', USDT).toPlainString()).toBe('70000');
    expect(ledger.balance('sleeve-a', 'cash', USDT).toPlainString()).toBe('9980');
    expect(desk.core.deskEquity().toPlainString()).toBe('99980');
    expect(() => desk.core.transfer('sleeve-a', 'desk', USDT, fx('9980.01'))).toThrow('transfer of 9980.01 USDT exceeds available cash 9980');
    expect(() => desk.core.transfer('desk', 'desk', USDT, fx('1'))).toThrow('a transfer needs two different owners, got desk twice');
    desk.core.transfer('sleeve-a', 'desk', USDT, fx('9980'));
    expect(ledger.balance('sleeve-a', 'capital', USDT).toPlainString()).toBe('20020');
    const { live, replayed } = replaySnapshots(desk);
    expect(replayed).toBe(live);
  });
});
