import { describe, expect, it } from 'vitest';
import { instrumentId } from '../../src/core/ids.js';
import { barOf, drawnDesk, eventsOf, ofType, type Row, spotDeskYaml } from '../support/drawn-desk.js';

const BTC = instrumentId('S:BTC/USDT');

/** One analyst on spot, its orders worked by a post-only chase. */
function deskYaml(venue: string, stopLoss = ''): string {
  return spotDeskYaml('chase', '{ kind: post-only-chase, maxReprices: 3, fallback: market }', { venue, exits: stopLoss });
}

const FLAT: Row = [100, 100.2, 99.8, 100];

function legs(list: ReturnType<typeof eventsOf>): string[] {
  return ofType(list, 'OrderSubmitted')
    .filter((s) => s.order.postOnly === true)
    .map((s) => `${s.order.side} ${s.order.price?.toPlainString() ?? ''} at bar ${barOf(s) - 1}`);
}

describe('a post-only chase on bars', () => {
  it('bids a tick under the last close, and after the market falls through a leg bids again at the new touch', () => {
    // Decided at bar 0's close (100): the first leg bids 99.99. Bar 1 opens at 99, through it: the venue refuses
    // the post-only leg. The next leg bids a tick under bar 1's close (98.49), where bar 2 (98.60 down to 98.30)
    // fills it as a maker. A tick under the refused price (99.98) would be refused bar after bar.
    const slump: Row = [98.6, 98.8, 98.3, 98.5];
    const desk = drawnDesk(deskYaml('{ kind: sim, id: S }'), BTC, [FLAT, [99, 99.2, 98.3, 98.5], slump, slump, slump, slump]);
    desk.runToEnd();
    const list = eventsOf(desk);
    expect(legs(list)).toEqual(['buy 99.99 at bar 0', 'buy 98.49 at bar 1']);
    expect(ofType(list, 'OrderRejected').map((r) => r.reason)).toEqual(['post-only order would take liquidity']);
    const fills = ofType(list, 'OrderFilled').map((f) => [f.fill.side, f.fill.quantity.toPlainString(), f.fill.price.toPlainString(), f.fill.liquidity, barOf(f)]);
    expect(fills).toEqual([['buy', '10', '98.49', 'maker', 2]]);
  });

  it('prices a reduction that waited for its stop to be canceled at the close it goes out on, not the one it was decided at', () => {
    // Long 10 at 99.99 (bar 2) with a stop. Flat at bar 3's close (100): the stop's cancel is confirmed by the venue
    // (50 ms away) while it works through bar 5, by when the market is at 102: the exit offers 102.01, a tick over
    // it, and bar 7 fills it. Offered at 100.01 it would be refused as a taker by bar 6's open.
    const up: Row = [102, 102.2, 101.8, 102];
    const desk = drawnDesk(deskYaml('{ kind: sim, id: S, latency: 50ms }', "stopLoss: '0.05'"), BTC, [FLAT, FLAT, FLAT, FLAT, [101, 102.2, 100.8, 102], up, up, up, up], {
      script: { 0: 'long', 3: 'flat' },
    });
    desk.runToEnd();
    const list = eventsOf(desk);
    expect(legs(list)).toEqual(['buy 99.99 at bar 0', 'sell 102.01 at bar 5']);
    expect(ofType(list, 'OrderRejected')).toEqual([]);
    const fills = ofType(list, 'OrderFilled').map((f) => [f.fill.side, f.fill.price.toPlainString(), barOf(f)]);
    expect(fills).toEqual([
      ['buy', '99.99', 2],
      ['sell', '102.01', 7],
    ]);
  });
});
