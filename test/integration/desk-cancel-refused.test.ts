import { refuseCancels } from '../support/refused-cancels.js';
import { describe, expect, it } from 'vitest';
import { instrumentId } from '../../src/core/ids.js';
import { causationChain } from '../../src/engine/causation-chain.js';
import type { Desk } from '../../src/engine/desk/desk.js';
import { renderChain } from '../../src/interfaces/cli/commands/explain.js';
import { barOf, drawnDesk, eventsOf, ofType, type Row, spotDeskYaml } from '../support/drawn-desk.js';

const BTC = instrumentId('S:BTC/USDT');

/** One analyst on spot with a 5% stop-loss, at market. */
const DESK = spotDeskYaml('refusals', '{ kind: market }');

const FLAT: Row = [100, 100.2, 99.8, 100];

/** Long at bar 0, flat at bar 2; the venue's first `refusals` cancel requests fail. */
function run(refusals: number): Desk {
  return refuseCancelsAndRun(drawnDesk(DESK, BTC, Array.from({ length: 8 }, () => FLAT), { script: { 0: 'long', 2: 'flat' } }), refusals);
}

/** Makes the venue refuse its first `refusals` cancel requests, and runs the desk to the end. */
function refuseCancelsAndRun(desk: Desk, refusals: number): Desk {
  refuseCancels(desk, refusals);
  desk.runToEnd();
  return desk;
}

describe('a reduction whose protective cancel the venue refuses', () => {
  it('asks for the cancel again on the next bar, and goes out once it is confirmed', () => {
    // Flat at bar 2's close: the stop's cancel is refused. Asked again at bar 3's close, it goes through, and the
    // position is sold at bar 4's open instead of waiting for ever with every role skipping the book.
    const list = eventsOf(run(1));
    const refused = ofType(list, 'OrderCancelRejected');
    expect(refused.map((r) => [r.reason, barOf(r) - 1])).toEqual([['venue refused: cancel request timed out', 2]]);
    expect(ofType(list, 'OrderCanceled').map((c) => [c.clientOrderId, barOf(c) - 1])).toEqual([[refused[0]?.clientOrderId, 3]]);
    const fills = ofType(list, 'OrderFilled').map((f) => [f.fill.side, f.fill.quantity.toPlainString(), barOf(f)]);
    expect(fills).toEqual([
      ['buy', '10', 1],
      ['sell', '10', 4],
    ]);
  });

  it('gives the reduction up, journaled, when the venue refuses again, leaving the stop in place and the book free', () => {
    const desk = run(2);
    const list = eventsOf(desk);
    const stop = ofType(list, 'OrderSubmitted').find((s) => s.order.linkage?.role === 'stop-loss')?.order.clientOrderId;
    const exit = ofType(list, 'DecisionMade').find((d) => d.target.isZero());
    const denied = ofType(list, 'IntentDenied');
    expect(denied.map((d) => [d.intentId, d.code, d.detail, barOf(d) - 1])).toEqual([
      [
        exit?.intentId,
        'cancel_refused',
        `the venue refused twice to cancel the stop-loss ${stop} that holds the position (venue refused: cancel request timed out); the reduction is given up and the stop-loss stays`,
        3,
      ],
    ]);
    expect(desk.core.oms.get(stop!)?.status).toBe('accepted');
    expect(desk.core.ledger.position('a', BTC)?.quantity.toPlainString()).toBe('10');
    expect(desk.executor.isWorking('a', BTC)).toBe(false);
  });
});

describe("a spot take-profit whose stop's cancel the venue refuses twice", () => {
  /** Buy-and-hold on spot with a 5% stop and a watched 10% target; the venue's first `refusals` cancels fail. */
  function runTargets(rows: readonly Row[], refusals: number): Desk {
    return refuseCancelsAndRun(drawnDesk(spotDeskYaml('targets', '{ kind: market }', { exits: "stopLoss: '0.05'\n  takeProfit: '0.1'" }), BTC, rows), refusals);
  }

  it('watches the target again beside the stop that stays, journaled, and takes it on a later close', () => {
    // Bought at bar 1's open (100). Bar 3 closes at 110.5: the target (110) is reached and the stop's cancel refused;
    // asked again at bar 4's close, refused again: the exit is given up and the stop stays. The target goes back to
    // the watch, so bar 6's close (111) reaches it again; that cancel goes through and the coins go at bar 7's open.
    const desk = runTargets([FLAT, FLAT, FLAT, [100, 111, 99.8, 110.5], [110, 110, 104, 105], [105, 109.5, 104, 109], [109, 112, 108, 111], [111.5, 112, 111, 111.5], FLAT, FLAT], 2);
    const list = eventsOf(desk);
    const triggers = ofType(list, 'TakeProfitTriggered');
    expect(triggers.map((t) => [t.intentId, t.triggerPrice.toPlainString(), t.price.toPlainString(), barOf(t) - 1])).toEqual([
      [expect.stringMatching(/\.tp$/), '110', '110.5', 3],
      [`${triggers[0]?.intentId}.tp`, '110', '111', 6],
    ]);
    const given = ofType(list, 'IntentDenied');
    expect(given.map((d) => [d.intentId, d.code, barOf(d) - 1])).toEqual([[triggers[0]?.intentId, 'cancel_refused', 4]]);
    const restored = ofType(list, 'ExitsRestored');
    expect(restored.map((r) => [r.intentId, r.quantity.toPlainString(), r.stopLoss?.toPlainString(), r.takeProfit?.toPlainString(), r.causationId, barOf(r) - 1])).toEqual([
      [triggers[0]?.intentId, '10', undefined, '110', given[0]?.id, 4],
    ]);
    const stop = triggers[0]?.stopClientOrderId;
    expect(restored[0]?.reason).toBe(`${triggers[0]?.intentId} was denied (cancel_refused: ${given[0]?.detail}) and left 10 BTC of S:BTC/USDT: its stop-loss ${stop} stays and its watched take-profit 110 goes back beside it`);
    expect(triggers[1]?.stopClientOrderId).toBe(stop);
    // explain shows, under the exit given up, the target it gave back.
    const chain = causationChain(list, triggers[0]?.intentId ?? '');
    expect(chain.found && [chain.order.status, chain.order.updates.map((event) => event.id)]).toEqual(['denied', [restored[0]?.id]]);
    expect(chain.found && renderChain(chain).some((line) => line.includes(restored[0]?.reason ?? '?'))).toBe(true);
    const fills = ofType(list, 'OrderFilled').map((f) => [f.fill.side, f.fill.quantity.toPlainString(), f.fill.price.toPlainString(), barOf(f)]);
    expect(fills).toEqual([
      ['buy', '10', '100', 1],
      ['sell', '10', '111.5', 7],
    ]);
    expect(desk.core.oms.openOrders({}).length).toBe(0);
    expect(desk.executor.watchedTargets()).toEqual([]);
  });
});

describe('a spot target reached while a decision waits for its stop to be canceled', () => {
  it('goes back to the watch when the venue refuses that cancel twice and the decision is given up', () => {
    // Long at bar 0, flat at bar 2, whose close (110.5) also reaches the target (110): the target leaves the watch, as
    // the decision is already closing the position. The stop's cancel is refused at bar 2 and bar 3: the decision is
    // given up, the stop stays, and the target goes back beside it; bar 4's close (111) triggers it.
    const rows: Row[] = [FLAT, FLAT, [100, 111, 99.8, 110.5], [110, 110, 104, 105], [105, 112, 104, 111], [111, 112, 110, 111.5], FLAT, FLAT];
    const desk = drawnDesk(spotDeskYaml('targets', '{ kind: market }', { exits: "stopLoss: '0.05'\n  takeProfit: '0.1'" }), BTC, rows, { script: { 0: 'long', 2: 'flat' } });
    refuseCancelsAndRun(desk, 2);
    const list = eventsOf(desk);
    const flat = ofType(list, 'DecisionMade').find((d) => d.target.isZero());
    expect(ofType(list, 'IntentDenied').map((d) => [d.intentId, d.code, barOf(d) - 1])).toEqual([[flat?.intentId, 'cancel_refused', 3]]);
    expect(ofType(list, 'ExitsRestored').map((r) => [r.intentId, r.stopLoss, r.takeProfit?.toPlainString(), barOf(r) - 1])).toEqual([[flat?.intentId, undefined, '110', 3]]);
    expect(ofType(list, 'TakeProfitTriggered').map((t) => [t.intentId, t.price.toPlainString(), barOf(t) - 1])).toEqual([[`${flat?.intentId}.tp`, '111', 4]]);
    const fills = ofType(list, 'OrderFilled').map((f) => [f.fill.side, f.fill.quantity.toPlainString(), f.fill.price.toPlainString(), barOf(f)]);
    expect(fills).toEqual([
      ['buy', '10', '100', 1],
      ['sell', '10', '111', 5],
    ]);
  });
});
