import { describe, expect, it } from 'vitest';
import { instrumentId } from '../../src/core/ids.js';
import { barOf, drawnDesk, eventsOf, HOUR, ofType, T0, type Row, spotDeskYaml } from '../support/drawn-desk.js';

const BTC = instrumentId('S:BTC/USDT');

/** One analyst on spot with a 5% stop-loss, its orders worked as limits at the last close. */
function deskYaml(limit: string): string {
  return spotDeskYaml('limits', limit);
}

const FLAT: Row = [100, 100.2, 99.8, 100];
const DIP: Row = [99.5, 99.8, 99.2, 99.5];
const LOWER: Row = [99, 99.3, 98.8, 99];

describe('a limit order that reduces a position', () => {
  it('expires after the default 4 hours when the algorithm sets no expiry, and what it left goes out at market', () => {
    // Long 10 at 100 (bar 1) with its stop at 95. Flat at bar 2's close: the stop is canceled and a sell limit at
    // 99.50 rests, good till 4 hours later: bars 3 to 6 can fill it, and the market never comes back to it. It expires
    // as bar 7 comes in and its rest is sold at bar 8's open, instead of resting for ever beside a position with no stop.
    const desk = drawnDesk(deskYaml("{ kind: limit, offsetBps: '0' }"), BTC, [FLAT, FLAT, DIP, LOWER, LOWER, LOWER, LOWER, LOWER, LOWER, LOWER], {
      script: { 0: 'long', 2: 'flat' },
    });
    desk.runToEnd();
    const list = eventsOf(desk);
    const exit = ofType(list, 'OrderSubmitted').find((s) => s.order.side === 'sell' && s.order.type === 'limit');
    expect([exit?.order.price?.toPlainString(), exit?.order.timeInForce, ((exit?.order.expireAt ?? 0) - T0) / HOUR]).toEqual(['99.5', 'GTD', 7]);
    const expired = ofType(list, 'OrderExpired');
    expect(expired.map((e) => e.clientOrderId)).toEqual([exit?.order.clientOrderId]);
    const market = ofType(list, 'IntentApproved').find((a) => a.intent.id === `${exit?.order.intentId}.1`);
    expect([market?.intent.type, market?.intent.side, market?.intent.reduceOnly, market?.intent.quantity.toPlainString()]).toEqual(['market', 'sell', true, '10']);
    const fills = ofType(list, 'OrderFilled').map((f) => [f.fill.side, f.fill.quantity.toPlainString(), f.fill.price.toPlainString(), barOf(f)]);
    expect(fills).toEqual([
      ['buy', '10', '100', 1],
      ['sell', '10', '99', 8],
    ]);
    expect(desk.core.oms.openOrders()).toEqual([]);
    expect(desk.core.ledger.position('a', BTC)?.quantity.isZero() ?? true).toBe(true);
  });

  it('takes the expiry the algorithm sets instead', () => {
    // Good for 2 hours: bars 3 and 4 fill nothing, and its expiry as bar 5 comes in sends the rest at bar 6's open.
    const desk = drawnDesk(deskYaml("{ kind: limit, offsetBps: '0', expireAfter: 2h }"), BTC, [FLAT, FLAT, DIP, LOWER, LOWER, LOWER, LOWER], {
      script: { 0: 'long', 2: 'flat' },
    });
    desk.runToEnd();
    const fills = ofType(eventsOf(desk), 'OrderFilled').map((f) => [f.fill.side, f.fill.quantity.toPlainString(), f.fill.price.toPlainString(), barOf(f)]);
    expect(fills).toEqual([
      ['buy', '10', '100', 1],
      ['sell', '10', '99', 6],
    ]);
  });
});
