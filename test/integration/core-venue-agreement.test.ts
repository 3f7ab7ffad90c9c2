import { describe, expect, it } from 'vitest';
import { fx } from '../../src/core/fixed.js';
import { BTC, coreOnVenue, SPOT, USDT } from '../support/core-venue-desk.js';

/** Scenarios where the venue's account and the desk's books must end alike, with nothing refused between them. */
describe('the books follow the simulated venue', () => {
  it("a large market sell on a thin bar with volume-share slippage fills at the bar's low, and the books take it", () => {
    const d = coreOnVenue({ venue: { slippage: { kind: 'volume-share', impact: fx('0.1') } }, cash: '100000' });
    d.bar(100, 100, 100, 100, SPOT, 1000);
    d.submit({ quantity: fx('50') });
    d.bar(100, 101, 99, 100, SPOT, 1000); // 50 of 1000 x 0.1: 0.5% above the open
    d.submit({ side: 'sell', quantity: fx('50') });
    d.bar(100, 101, 99, 100, SPOT, 0.4); // 50 of 0.4 x 0.1 = 1250% below the open: held to the low
    const fills = d.events().flatMap((e) => (e.type === 'OrderFilled' ? [`${e.fill.side} ${e.fill.price.toPlainString()}`] : []));
    expect(fills).toEqual(['buy 100.5', 'sell 99']);
    expect(d.anomalies).toEqual([]);
    expect(d.core.oms.openCount()).toBe(0);
    expect(d.core.ledger.position('desk', SPOT)?.quantity.isZero()).toBe(true);
    expect(d.venue.account.wallet(BTC).isZero()).toBe(true);
    // 100000 - 5025 - 5.025 fee + 4950 - 4.95 fee
    expect(d.core.ledger.balance('desk', 'cash', USDT).toPlainString()).toBe('99915.025');
    expect(d.venue.account.wallet(USDT).toPlainString()).toBe('99915.025');
  });
});
