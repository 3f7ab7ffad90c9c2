import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/core/clock.js';
import { Fixed, fx } from '../../src/core/fixed.js';
import { agentId, currency, IdGenerator, instrumentId, intentId } from '../../src/core/ids.js';
import { SeededRandom } from '../../src/core/random.js';
import { DAY_MS, HOUR_MS, unixMs } from '../../src/core/time.js';
import { CurrencyScales, defineInstrument } from '../../src/domain/instrument.js';
import type { OrderSide } from '../../src/domain/order.js';
import { notifierBooks } from '../../src/engine/notifier-books.js';
import { TradingCore } from '../../src/engine/trading-core.js';
import { Dispatcher } from '../../src/notify/dispatcher.js';
import { SimulatedVenue } from '../../src/venues/sim/sim-venue.js';
import { RecordingChannel } from '../support/recording-channel.js';

const USDT = currency('USDT');
const XRP = instrumentId('BINANCE:XRP/USDT:USDT');
const DAY1 = Date.UTC(2024, 0, 1);

/** A perpetual of 10 XRP a contract, traded by two sleeves on one core, its events told to a dispatcher. */
function desk() {
  const instrument = defineInstrument({ id: XRP, tickSize: '0.0001', lotSize: '1', minNotional: '5', makerFee: '0.0002', takerFee: '0.0005', contractSize: '10', maxLeverage: '20' });
  const scales = new CurrencyScales({ USDT: 6 });
  const leverage = new Map([[XRP, fx('5')]]);
  const clock = new TestClock(unixMs(DAY1));
  const venue = new SimulatedVenue([instrument], scales, clock, { fillModel: 'l1', balances: { USDT: '20000' }, leverage });
  const core = new TradingCore({ instruments: [instrument], limits: {}, valuationCurrency: USDT, scales, leverage }, { clock, venue, ids: new IdGenerator('ev') });
  core.deposit('sleeve-a', USDT, fx('10000'));
  core.deposit('sleeve-b', USDT, fx('10000'));
  const channel = Object.assign(new RecordingChannel('file'), { local: true });
  const dispatcher = new Dispatcher({ books: notifierBooks(core), clock, random: new SeededRandom(1), channels: [channel], dailySummaryAtMs: 0 });
  core.events.subscribe((event) => dispatcher.onEvent(event));
  let n = 0;
  return {
    core,
    clock,
    channel,
    dispatcher,
    price(value: string): void {
      core.updateMarket(XRP, fx(value), clock.now());
      venue.onQuote({ type: 'quote', instrumentId: XRP, ts: clock.now(), bidPrice: Number(value), bidSize: 1e9, askPrice: Number(value), askSize: 1e9 });
    },
    trade(owner: string, side: OrderSide, quantity: string): void {
      n += 1;
      const outcome = core.submitIntent({ id: intentId(`i-${n}`), agentId: agentId(owner), owner, instrumentId: XRP, type: 'market', side, quantity: fx(quantity), tsEvent: clock.now() });
      expect(outcome.status).toBe('submitted');
    },
    /** What the books have realised so far, every owner together. */
    realised(): string {
      return core.ledger
        .allPositions()
        .reduce((sum, { position }) => sum.add(position.realisedPnl), Fixed.zero())
        .toPlainString();
    },
  };
}

describe('the daily summary of a desk whose sleeves trade one perpetual', () => {
  it("reports each day's realised PnL exactly as the books realised it, owner by owner, and volume in contracts' notional", async () => {
    const d = desk();
    d.price('0.5');
    d.trade('sleeve-a', 'buy', '1000');
    d.clock.advanceBy(HOUR_MS);
    d.price('0.6');
    d.trade('sleeve-b', 'buy', '1000');
    // a sells half its 1,000 contracts bought at 0.5: 500 × 10 × 0.1 = 500 (the desk's average cost of 0.55 says 250).
    d.trade('sleeve-a', 'sell', '500');
    const afterDay1 = d.realised();
    expect(afterDay1).toBe('500');

    d.clock.advanceTo(unixMs(DAY1 + DAY_MS + HOUR_MS));
    d.price('0.55');
    d.trade('sleeve-b', 'sell', '1000');
    d.trade('sleeve-a', 'sell', '500');
    d.clock.advanceTo(unixMs(DAY1 + 2 * DAY_MS));
    await d.dispatcher.flush();

    const summaries = d.channel.sent.filter((n) => n.kind === 'summary');
    expect(summaries.map((n) => [n.fields.day, n.fields.fills, n.fields.volume, n.fields.realisedPnl])).toEqual([
      // 5,000 + 6,000 + 3,000 of notional; then b's 1,000 from 0.6 (−500) and a's last 500 from 0.5 (+250) at 0.55.
      ['2024-01-01', '3', '14000 USDT', '500 USDT'],
      ['2024-01-02', '2', '8250 USDT', '-250 USDT'],
    ]);
    expect(fx(afterDay1).sub(fx('250')).toPlainString()).toBe(d.realised());
    const fill = d.channel.sent.find((n) => n.kind === 'fill');
    expect(fill?.fields.notional).toBe('5000');
  });
});
