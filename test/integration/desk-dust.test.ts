import { describe, expect, it } from 'vitest';
import { renderDeskSummary, summariseDesk } from '../../src/backtest/desk-summary.js';
import { instrumentId } from '../../src/core/ids.js';
import { drawnDesk, eventsOf, ofType, type Row } from '../support/drawn-desk.js';

const BTC = instrumentId('S:BTC/USDT');

/** One analyst on spot whose orders are worth 10, the instrument's minimum; the manager looks again every hour. */
const DESK = `
desk: { name: dust, valuationCurrency: USDT, seed: 1 }
instruments:
  - { id: 'S:BTC/USDT', tickSize: '0.01', lotSize: '0.001', minNotional: '10', takerFee: '0.001', makerFee: '0.001' }
venues:
  - { kind: sim, id: S }
data:
  'S:BTC/USDT': { source: synthetic, startPrice: 100, annualVol: 0.5, start: '2024-01-01', timeframe: 1h, bars: 10 }
capital:
  cash: { USDT: '1000' }
  sleeves:
    - { id: a, maxGrossExposure: '100000', maxDrawdown: '1' }
agents:
  - { id: x, role: analyst, strategy: buy-and-hold, sleeve: a }
  - { id: pm, role: manager }
sizing: { kind: notional, perConviction: '10' }
execution:
  algorithm: { kind: market }
orchestrator:
  nudges: { manager: 1h }
`;

const FLAT: Row = [100, 100.2, 99.8, 100];
const HALF: Row = [50, 50.2, 49.8, 50];

describe('a spot remainder below the minimums', () => {
  it('is refused once as dust, not asked for again every hour, and reported in the summary', () => {
    // 0.1 bought at 100 (bar 1) is worth 5 once the price halves: below the minimum notional of 10, no order can sell it.
    const desk = drawnDesk(DESK, BTC, [FLAT, FLAT, HALF, HALF, HALF, HALF, HALF, HALF, HALF, HALF], { script: { 0: 'long', 3: 'flat' } });
    desk.runToEnd();
    const list = eventsOf(desk);
    expect(ofType(list, 'IntentDenied').map((d) => [d.code, d.detail])).toEqual([
      ['below_min_notional', 'a holds 0.1 BTC of S:BTC/USDT, dust below the minimum quantity 0.001 and notional 10 at 50: no order can sell it, so it is left and not tried again'],
    ]);
    expect(ofType(list, 'DecisionMade')).toHaveLength(2);
    const summary = summariseDesk(desk);
    expect(summary.leftAtEnd).toEqual(["a holds 0.1 BTC of S:BTC/USDT: dust below the instrument's minimums, which no order can sell"]);
    expect(renderDeskSummary(summary)).toContain("  Left at the end:\n    a holds 0.1 BTC of S:BTC/USDT: dust below the instrument's minimums, which no order can sell");
  });

  it('is listed beside the orders still working when the data ended, whose funds they hold', () => {
    // A buy limit 1% under the close never fills on these bars: it is still open, holding its cash, at the end.
    const desk = drawnDesk(DESK.replace('algorithm: { kind: market }', "algorithm: { kind: limit, offsetBps: '100' }").replace("perConviction: '10'", "perConviction: '20'"), BTC, [FLAT, FLAT, FLAT], { script: { 0: 'long' } });
    desk.runToEnd();
    const intent = ofType(eventsOf(desk), 'DecisionMade')[0]?.intentId;
    expect(summariseDesk(desk).leftAtEnd).toEqual([`1 order was still working when the run ended, holding their funds: ${intent} (a: limit buy 0.2 S:BTC/USDT at 99)`]);
  });
});
