import { describe, expect, it } from 'vitest';
import { instrumentId } from '../../src/core/ids.js';
import { barOf, drawnDesk, eventsOf, ofType, type Row, type Script, spotDeskYaml } from '../support/drawn-desk.js';

const BTC = instrumentId('S:BTC/USDT');

/** One analyst on spot with a 5% stop-loss, its orders worked as a TWAP (four slices an hour apart unless told). */
const deskYaml = (twap = 'slices: 4, over: 4h'): string => spotDeskYaml('twap', `{ kind: twap, ${twap} }`);

const FLAT: Row = [100, 100.2, 99.8, 100];
const BARS: Row[] = Array.from({ length: 10 }, () => FLAT);
const LONG: Script = { 0: 'long' };

function buys(list: ReturnType<typeof eventsOf>): (string | number)[][] {
  return ofType(list, 'OrderFilled')
    .filter((f) => f.fill.side === 'buy')
    .map((f) => [f.fill.quantity.toPlainString(), barOf(f)]);
}

describe('an opening TWAP whose book stops taking new exposure', () => {
  it('stops when its analyst fails: no slice goes to the gate to be denied, what it filled gets its stop and is flattened at market', () => {
    // Slices of 2.5 go out at the closes of bars 0 and 1 and fill at the next opens. The analyst throws on bar 2: its
    // sleeve goes REDUCING, the TWAP sends nothing more, its 5 get their stop-loss, and the sleeve is flattened: the
    // stop is canceled and the 5 are sold at bar 3's open.
    const desk = drawnDesk(deskYaml(), BTC, BARS, { script: LONG, throwAt: 2 });
    desk.runToEnd();
    const list = eventsOf(desk);
    expect(buys(list)).toEqual([
      ['2.5', 1],
      ['2.5', 2],
    ]);
    expect(ofType(list, 'IntentDenied').map((d) => `${d.intentId} ${d.code}`)).toEqual([]);
    const parent = ofType(list, 'DecisionMade')[0]?.intentId;
    const stop = ofType(list, 'IntentApproved').find((a) => a.intent.id === `${parent}.sl`);
    expect([stop?.intent.quantity.toPlainString(), stop?.intent.triggerPrice?.toPlainString(), barOf(stop!) - 1]).toEqual(['5', '95', 2]);
    const flatten = ofType(list, 'DecisionMade').find((d) => d.owner === 'a' && d.target.isZero());
    expect(flatten === undefined ? undefined : barOf(flatten) - 1).toBe(2);
    // The sleeve goes at once, as one market order, not on the TWAP's schedule.
    const sells = ofType(list, 'OrderFilled').filter((f) => f.fill.side === 'sell');
    expect(sells.map((f) => [f.fill.quantity.toPlainString(), barOf(f)])).toEqual([['5', 3]]);
    expect(ofType(list, 'IntentApproved').find((a) => a.intent.id === flatten?.intentId)?.intent.type).toBe('market');
    expect(desk.core.ledger.position('a', BTC)?.quantity.toPlainString() ?? '0').toBe('0');
  });

  it('stops when the desk halts, and sends no catch-up slice when it resumes', () => {
    // Slice 1 fills at bar 1's open; slice 2, sent at bar 1's close, is canceled by the halt before bar 2, and slice 3
    // is not sent at bar 2's close. Resumed before bar 3, whose close is slice 4's time, the desk holds the 2.5 the
    // TWAP bought: the three slices' worth it did not buy does not follow as one catch-up order.
    const desk = drawnDesk(deskYaml(), BTC, BARS, { script: LONG });
    while (desk.barsProcessed < 2) desk.next();
    desk.halt('operator halt');
    while (desk.barsProcessed < 3) desk.next();
    desk.resume('operator resume');
    desk.runToEnd();
    const list = eventsOf(desk);
    expect(buys(list)).toEqual([['2.5', 1]]);
    const parent = ofType(list, 'DecisionMade')[0]?.intentId;
    const legs = ofType(list, 'IntentApproved').filter((a) => a.intent.id.startsWith(`${parent}.`) && /\.\d+$/.test(a.intent.id));
    expect(legs.map((a) => `${a.intent.quantity.toPlainString()} at bar ${barOf(a) - 1}`)).toEqual(['2.5 at bar 0', '2.5 at bar 1']);
    expect(desk.core.ledger.position('a', BTC)?.quantity.toPlainString()).toBe('2.5');
  });
});

describe('a TWAP whose slices come closer together than the bars', () => {
  it('sends the slices due by a bar as one order', () => {
    // Eight slices of 1.25, 15 minutes apart from bar 0's close: one is due then, four by bar 1's close, three by bar 2's.
    const desk = drawnDesk(deskYaml('slices: 8, over: 2h'), BTC, BARS, { script: LONG });
    desk.runToEnd();
    const list = eventsOf(desk);
    const parent = ofType(list, 'DecisionMade')[0]?.intentId ?? 'none';
    const legs = ofType(list, 'IntentApproved').filter((a) => a.intent.id.startsWith(`${parent}.`) && /\.\d+$/.test(a.intent.id));
    expect(legs.map((a) => `${a.intent.id.slice(parent.length)} ${a.intent.quantity.toPlainString()} at bar ${barOf(a) - 1}`)).toEqual(['.1 1.25 at bar 0', '.2 5 at bar 1', '.6 3.75 at bar 2']);
    expect(buys(list)).toEqual([
      ['1.25', 1],
      ['5', 2],
      ['3.75', 3],
    ]);
    expect(ofType(list, 'IntentApproved').find((a) => a.intent.id === `${parent}.sl`)?.intent.quantity.toPlainString()).toBe('10');
  });
});

describe('a TWAP too small for its slices at the instrument minimums', () => {
  it('sends as many slices as reach the minimum notional, from the decision on and spread over the window', () => {
    // 10 BTC at 100 in four slices of 2.5 (250): below the 400 minimum notional. Two slices of 5 fit: one at once,
    // one halfway through the four hours.
    const yaml = deskYaml().replace("makerFee: '0.0005' }", "makerFee: '0.0005', minNotional: '400' }");
    const desk = drawnDesk(yaml, BTC, BARS, { script: LONG });
    desk.runToEnd();
    const list = eventsOf(desk);
    const parent = ofType(list, 'DecisionMade')[0]?.intentId ?? 'none';
    const legs = ofType(list, 'IntentApproved').filter((a) => a.intent.id.startsWith(`${parent}.`) && /\.\d+$/.test(a.intent.id));
    expect(legs.map((a) => `${a.intent.id.slice(parent.length)} ${a.intent.quantity.toPlainString()} at bar ${barOf(a) - 1}`)).toEqual(['.1 5 at bar 0', '.2 5 at bar 2']);
    expect(buys(list)).toEqual([
      ['5', 1],
      ['5', 3],
    ]);
  });
});
