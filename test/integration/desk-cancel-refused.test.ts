import { describe, expect, it } from 'vitest';
import { instrumentId } from '../../src/core/ids.js';
import type { Desk } from '../../src/engine/desk/desk.js';
import { barOf, drawnDesk, eventsOf, ofType, type Row, spotDeskYaml } from '../support/drawn-desk.js';

const BTC = instrumentId('S:BTC/USDT');

/** One analyst on spot with a 5% stop-loss, at market. */
const DESK = spotDeskYaml('refusals', '{ kind: market }');

const FLAT: Row = [100, 100.2, 99.8, 100];

/** Long at bar 0, flat at bar 2; the venue's first `refusals` cancel requests fail. */
function run(refusals: number): Desk {
  const desk = drawnDesk(DESK, BTC, Array.from({ length: 8 }, () => FLAT), { script: { 0: 'long', 2: 'flat' } });
  const venue = desk.venue;
  const cancel = venue.cancel.bind(venue);
  let calls = 0;
  venue.cancel = (id) => {
    calls += 1;
    if (calls <= refusals) throw new Error('cancel request timed out');
    cancel(id);
  };
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
