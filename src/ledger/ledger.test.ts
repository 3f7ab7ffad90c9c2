import { describe, expect, it } from 'vitest';
import { fx } from '../core/fixed.js';
import { clientOrderId, currency, instrumentId, tradeId, type ClientOrderId, type Currency, type EventId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import type { DeskEvent, EventBase } from '../domain/events.js';
import { CurrencyScales, defineInstrument, type Instrument } from '../domain/instrument.js';
import type { OrderSide } from '../domain/order.js';
import type { AccountKind } from './accounts.js';
import { Ledger } from './ledger.js';

const USDT = currency('USDT');
const BTC = currency('BTC');
const SPOT = defineInstrument({ id: 'BINANCE:BTC/USDT', tickSize: '0.01', lotSize: '0.0001', takerFee: '0.001', makerFee: '0.001' });
const PERP = defineInstrument({ id: 'BYBIT:BTC/USDT:USDT', tickSize: '0.1', lotSize: '0.001', takerFee: '0.0005', maxLeverage: '20' });
const SCALES = new CurrencyScales({ USDT: 2, BTC: 8 });
const T0 = 1_700_000_000_000;

type NewEvent = DeskEvent extends infer E ? (E extends DeskEvent ? Omit<E, keyof EventBase> : never) : never;

interface OrderArgs {
  readonly id: string;
  readonly instrument?: Instrument;
  readonly side?: OrderSide;
  readonly quantity: string;
  /** The limit (and reserve) price. */
  readonly price: string;
  readonly reduceOnly?: boolean;
  readonly owner?: string;
}

interface FillArgs {
  readonly order: string;
  readonly instrument?: Instrument;
  readonly side?: OrderSide;
  readonly quantity: string;
  readonly price: string;
  readonly fee: string;
  readonly feeCurrency?: Currency;
}

/** A ledger plus event builders; `record` insists the ledger accepts the event, as the trading core would. */
class Books {
  readonly ledger = new Ledger({
    instruments: new Map([
      [SPOT.id, SPOT],
      [PERP.id, PERP],
    ]),
    scales: SCALES,
    leverage: new Map([[PERP.id, fx('5')]]),
  });
  readonly events: DeskEvent[] = [];
  private seq = 0;

  stamp(event: NewEvent): DeskEvent {
    this.seq += 1;
    return { ...event, id: `e-${this.seq}` as EventId, tsEvent: (T0 + this.seq) as UnixMs, tsInit: (T0 + this.seq) as UnixMs } as DeskEvent;
  }

  record(event: NewEvent): DeskEvent {
    const stamped = this.stamp(event);
    const problem = this.ledger.validate(stamped);
    if (problem !== undefined) throw new Error(`ledger refused ${stamped.type}: ${problem}`);
    this.ledger.apply(stamped);
    this.events.push(stamped);
    return stamped;
  }

  deposit(amount: string, owner = 'desk', cur: Currency = USDT): void {
    this.record({ type: 'FundsDeposited', owner, currency: cur, amount: fx(amount) });
  }

  submitEvent(args: OrderArgs): NewEvent {
    const instrument = args.instrument ?? SPOT;
    return {
      type: 'OrderSubmitted',
      order: {
        clientOrderId: clientOrderId(args.id),
        instrumentId: instrument.id,
        side: args.side ?? 'buy',
        type: 'limit',
        quantity: fx(args.quantity),
        price: fx(args.price),
        timeInForce: 'GTC',
        postOnly: false,
        reduceOnly: args.reduceOnly ?? false,
        owner: args.owner ?? 'desk',
      },
      reservePrice: fx(args.price),
    };
  }

  submit(args: OrderArgs): void {
    this.record(this.submitEvent(args));
  }

  fillEvent(args: FillArgs): NewEvent {
    const instrument = args.instrument ?? SPOT;
    return {
      type: 'OrderFilled',
      fill: {
        tradeId: tradeId(`t-${this.events.length + 1}`),
        clientOrderId: clientOrderId(args.order),
        venueOrderId: undefined,
        instrumentId: instrument.id,
        side: args.side ?? 'buy',
        quantity: fx(args.quantity),
        price: fx(args.price),
        fee: fx(args.fee),
        feeCurrency: args.feeCurrency ?? instrument.settle,
        liquidity: 'taker',
      },
    };
  }

  fill(args: FillArgs): void {
    this.record(this.fillEvent(args));
  }

  cancel(id: string): void {
    this.record({ type: 'OrderCanceled', clientOrderId: clientOrderId(id), reason: 'canceled on request' });
  }

  mark(price: string, instrument: Instrument = SPOT): void {
    this.record({ type: 'MarksUpdated', marks: [{ instrumentId: instrument.id, price: fx(price) }] });
  }

  funding(amount: string, owner = 'desk'): void {
    this.record({ type: 'FundingApplied', owner, instrumentId: PERP.id, rate: fx('0.0001'), markPrice: fx('40000'), amount: fx(amount) });
  }

  /** A balance as a plain decimal string at the currency's scale. */
  bal(kind: AccountKind, cur: Currency = USDT, owner = 'desk'): string {
    return this.ledger.balance(owner, kind, cur).toString();
  }

  equity(owner = 'desk'): string {
    return this.ledger.equity(owner, USDT).toString();
  }

  open(id: string): string | undefined {
    return this.ledger.openQuantity(id as ClientOrderId)?.toPlainString();
  }

  /** Validates without applying, asserting nothing changed. */
  refusal(event: NewEvent): string | undefined {
    const before = JSON.stringify(this.ledger.snapshot());
    const problem = this.ledger.validate(this.stamp(event));
    expect(JSON.stringify(this.ledger.snapshot())).toBe(before);
    return problem;
  }
}

describe('Ledger: funds', () => {
  it('a deposit credits cash against capital', () => {
    const books = new Books();
    books.deposit('10000');
    expect(books.bal('cash')).toBe('10000.00');
    expect(books.bal('capital')).toBe('10000.00');
    expect(books.ledger.journal.raw('desk', 'capital', USDT)).toBe(-1_000_000n);
    expect(books.equity()).toBe('10000.00');
    expect(books.ledger.journal.allEntries().map((e) => e.memo)).toEqual(['deposit']);
  });

  it('a withdrawal debits capital and cash', () => {
    const books = new Books();
    books.deposit('10000');
    books.record({ type: 'FundsWithdrawn', owner: 'desk', currency: USDT, amount: fx('2500.25') });
    expect(books.bal('cash')).toBe('7499.75');
    expect(books.bal('capital')).toBe('7499.75');
    expect(books.equity()).toBe('7499.75');
  });

  it('a profit sweep moves cash to the reserve and leaves equity unchanged', () => {
    const books = new Books();
    books.deposit('10000');
    books.record({ type: 'ProfitSwept', owner: 'desk', currency: USDT, amount: fx('1200') });
    expect(books.bal('cash')).toBe('8800.00');
    expect(books.bal('reserve')).toBe('1200.00');
    expect(books.bal('capital')).toBe('10000.00');
    expect(books.equity()).toBe('10000.00');
  });

  it('keeps owners apart', () => {
    const books = new Books();
    books.deposit('100');
    books.deposit('40', 'sleeve-a');
    expect(books.bal('cash', USDT, 'desk')).toBe('100.00');
    expect(books.bal('cash', USDT, 'sleeve-a')).toBe('40.00');
    expect(books.ledger.equity('sleeve-a', USDT).toString()).toBe('40.00');
  });
});

describe('Ledger: spot buy reservation and fills', () => {
  it('reserves notional x (1 + taker fee), pays each partial fill from it, and frees the rest on the last fill', () => {
    const books = new Books();
    books.deposit('50000');
    books.submit({ id: 'c-1', quantity: '0.5', price: '40000' });
    // 0.5 x 40000 x 1.001
    expect(books.bal('reserved')).toBe('20020.00');
    expect(books.bal('cash')).toBe('29980.00');
    expect(books.open('c-1')).toBe('0.5');

    // The fill at a better price costs 7998.00 + 8.00 fee, paid from the reservation. What the rest needs stays
    // held (0.3 x 40000 x 1.001 = 12012.00, and 0.02 for the rounding of the order's running total); the 1.98 the
    // better price saved comes back to cash.
    books.fill({ order: 'c-1', quantity: '0.2', price: '39990', fee: '8.00' });
    expect(books.bal('reserved')).toBe('12012.02');
    expect(books.bal('cash')).toBe('29981.98');
    expect(books.bal('asset', BTC)).toBe('0.20000000');
    expect(books.bal('conversion', USDT)).toBe('7998.00');
    expect(books.bal('conversion', BTC)).toBe('-0.20000000');
    expect(books.bal('fees')).toBe('8.00');
    expect(books.open('c-1')).toBe('0.3');

    books.fill({ order: 'c-1', quantity: '0.3', price: '40000', fee: '12.00' });
    expect(books.bal('reserved')).toBe('0.00');
    expect(books.bal('cash')).toBe('29982.00');
    expect(books.bal('asset', BTC)).toBe('0.50000000');
    expect(books.bal('conversion', USDT)).toBe('19998.00');
    expect(books.bal('fees')).toBe('20.00');
    expect(books.open('c-1')).toBeUndefined();
    const position = books.ledger.position('desk', SPOT.id);
    expect([position?.quantity.toString(), position?.costBasis.toString(), position?.realisedPnl.toString()]).toEqual([
      '0.5000',
      '19998.00',
      '0.00',
    ]);

    // The order is done: a late cancel releases nothing and posts nothing.
    const before = JSON.stringify(books.ledger.snapshot());
    books.cancel('c-1');
    expect(JSON.stringify(books.ledger.snapshot())).toBe(before);
    expect(books.equity()).toBe('49980.00');
  });

  it('rounds the reservation up to the cent and a cancel after a partial fill releases the remainder', () => {
    const books = new Books();
    books.deposit('100');
    // 0.0007 x 40123.45 x 1.001 = 28.114501415
    books.submit({ id: 'c-1', quantity: '0.0007', price: '40123.45' });
    expect(books.bal('reserved')).toBe('28.12');
    expect(books.bal('cash')).toBe('71.88');

    // floor(28.12 x 3/7) = 12.05 released; the fill costs 12.04 (12.037035 rounded) + 0.01 fee.
    books.fill({ order: 'c-1', quantity: '0.0003', price: '40123.45', fee: '0.01' });
    expect(books.bal('reserved')).toBe('16.07');
    expect(books.bal('cash')).toBe('71.88');
    expect(books.bal('conversion')).toBe('12.04');

    books.cancel('c-1');
    expect(books.bal('reserved')).toBe('0.00');
    expect(books.bal('cash')).toBe('87.95');
    expect(books.open('c-1')).toBeUndefined();
    expect(books.ledger.journal.allEntries().map((e) => e.memo)).toEqual([
      'deposit',
      'reserve c-1',
      'fill c-1 buy 0.0003@40123.45',
      'release c-1 (OrderCanceled)',
    ]);
  });

  it('a fill costing more than its rounded-down share is paid from the reservation, not from free cash', () => {
    const books = new Books();
    books.deposit('5413.41');
    // Everything committed: 0.1352 x 40000 x 1.001 = 5413.408 -> 5413.41.
    books.submit({ id: 'c-1', quantity: '0.1352', price: '40000' });
    expect(books.bal('cash')).toBe('0.00');
    // The share is floor(5413.41 x 2/1352) = 8.00, but the fill costs 8.00 + 0.01 fee (0.008 rounded).
    books.fill({ order: 'c-1', quantity: '0.0002', price: '40000', fee: '0.01' });
    expect(books.bal('cash')).toBe('0.00');
    expect(books.bal('reserved')).toBe('5405.40');
    books.fill({ order: 'c-1', quantity: '0.1350', price: '40000', fee: '5.40' });
    expect(books.bal('cash')).toBe('0.00');
    expect(books.bal('reserved')).toBe('0.00');
    expect(books.bal('conversion')).toBe('5408.00');
  });

  it('a rejected or expired order releases its whole reservation', () => {
    const books = new Books();
    books.deposit('1000');
    books.submit({ id: 'c-1', quantity: '0.01', price: '40000' });
    books.submit({ id: 'c-2', quantity: '0.01', price: '30000' });
    expect(books.bal('reserved')).toBe('700.70');
    books.record({ type: 'OrderRejected', clientOrderId: clientOrderId('c-1'), reason: 'post-only would cross' });
    expect(books.bal('reserved')).toBe('300.30');
    books.record({ type: 'OrderExpired', clientOrderId: clientOrderId('c-2') });
    expect(books.bal('reserved')).toBe('0.00');
    expect(books.bal('cash')).toBe('1000.00');
  });
});

describe('Ledger: spot sells and a round trip', () => {
  it('a spot sell reserves the base asset, not cash', () => {
    const books = new Books();
    books.deposit('50000');
    books.submit({ id: 'c-1', quantity: '0.5', price: '40000' });
    books.fill({ order: 'c-1', quantity: '0.5', price: '40000', fee: '20.00' });
    books.submit({ id: 'c-2', side: 'sell', quantity: '0.2', price: '41000' });
    expect(books.bal('reserved', BTC)).toBe('0.20000000');
    expect(books.bal('asset', BTC)).toBe('0.30000000');
    expect(books.bal('reserved', USDT)).toBe('0.00');
    expect(books.bal('cash')).toBe('29980.00');
    books.cancel('c-2');
    expect(books.bal('reserved', BTC)).toBe('0.00000000');
    expect(books.bal('asset', BTC)).toBe('0.50000000');
  });

  it('buy 1 BTC @ 40000, sell @ 42000, 0.1% fees: realised 2000, fees 82, conversion accounts back to zero', () => {
    const books = new Books();
    books.deposit('100000');
    books.submit({ id: 'c-1', quantity: '1', price: '40000' });
    books.fill({ order: 'c-1', quantity: '1', price: '40000', fee: '40' });
    books.submit({ id: 'c-2', side: 'sell', quantity: '1', price: '42000' });
    books.fill({ order: 'c-2', side: 'sell', quantity: '1', price: '42000', fee: '42' });

    expect(books.bal('realised-pnl')).toBe('2000.00');
    expect(books.bal('fees')).toBe('82.00');
    expect(books.bal('cash')).toBe('101918.00'); // 100000 + 2000 - 82
    expect(books.bal('conversion', USDT)).toBe('0.00');
    expect(books.bal('conversion', BTC)).toBe('0.00000000');
    expect(books.bal('asset', BTC)).toBe('0.00000000');
    expect(books.bal('reserved', USDT)).toBe('0.00');
    expect(books.bal('reserved', BTC)).toBe('0.00000000');
    expect(books.bal('capital')).toBe('100000.00');
    expect(books.equity()).toBe('101918.00');
    expect(books.ledger.position('desk', SPOT.id)?.realisedPnl.toString()).toBe('2000.00');
    expect(books.ledger.position('desk', SPOT.id)?.quantity.isZero()).toBe(true);
    expect(books.ledger.journal.recomputeBalances()).toEqual(books.ledger.journal.snapshot());
  });

  it('a partial sell realises PnL on the released share of the cost basis', () => {
    const books = new Books();
    books.deposit('50000');
    books.submit({ id: 'c-1', quantity: '0.3', price: '40000' });
    books.fill({ order: 'c-1', quantity: '0.3', price: '40000', fee: '12' });
    books.submit({ id: 'c-2', side: 'sell', quantity: '0.1', price: '43000' });
    books.fill({ order: 'c-2', side: 'sell', quantity: '0.1', price: '43000', fee: '4.30' });
    expect(books.bal('realised-pnl')).toBe('300.00');
    expect(books.bal('conversion')).toBe('8000.00');
    expect(books.bal('asset', BTC)).toBe('0.20000000');
    expect(books.bal('cash')).toBe('42283.70'); // 50000 - 12000 - 12 + 4300 - 4.30
  });

  it('a fee charged in the base asset comes out of the asset account', () => {
    const books = new Books();
    books.deposit('50000');
    books.submit({ id: 'c-1', quantity: '0.5', price: '40000' });
    books.fill({ order: 'c-1', quantity: '0.5', price: '40000', fee: '0.0005', feeCurrency: BTC });
    expect(books.bal('asset', BTC)).toBe('0.49950000');
    expect(books.bal('fees', BTC)).toBe('0.00050000');
    expect(books.bal('cash')).toBe('30000.00');
  });
});

describe('Ledger: marks, equity and exposure', () => {
  it('marks spot holdings at the mark price, at cost when unmarked', () => {
    const books = new Books();
    books.deposit('50000');
    books.submit({ id: 'c-1', quantity: '0.5', price: '40000' });
    books.fill({ order: 'c-1', quantity: '0.5', price: '40000', fee: '20' });
    expect(books.equity()).toBe('49980.00');
    expect(books.ledger.grossExposure('desk', USDT).toString()).toBe('20000.00');
    books.mark('41000.01');
    // 0.5 x 41000.01 = 20500.005, rounded half-even to 20500.00; plus 29980 cash.
    expect(books.equity()).toBe('50480.00');
    expect(books.ledger.grossExposure('desk', USDT).toString()).toBe('20500.00');
    books.mark('41000.03');
    expect(books.equity()).toBe('50480.02'); // 20500.015 rounds half-even up to 20500.02
    expect(books.ledger.mark(SPOT.id)?.toString()).toBe('41000.03');
  });
});

describe('Ledger: perpetuals', () => {
  it('a 5x long posts margin, a partial close realises PnL into cash and releases margin, a full close leaves none', () => {
    const books = new Books();
    books.deposit('10000');
    books.submit({ id: 'p-1', instrument: PERP, quantity: '1', price: '40000' });
    // Initial margin 40000 / 5 plus the taker fee 20.
    expect(books.bal('reserved')).toBe('8020.00');
    expect(books.bal('cash')).toBe('1980.00');

    books.fill({ order: 'p-1', instrument: PERP, quantity: '1', price: '40000', fee: '20' });
    expect(books.bal('reserved')).toBe('0.00');
    expect(books.bal('margin')).toBe('8000.00');
    expect(books.bal('cash')).toBe('1980.00');
    expect(books.bal('fees')).toBe('20.00');
    expect(books.bal('asset', BTC)).toBe('0.00000000');
    expect(books.equity()).toBe('9980.00');
    books.mark('41000', PERP);
    expect(books.equity()).toBe('10980.00');
    expect(books.ledger.grossExposure('desk', USDT).toString()).toBe('41000.00');

    // Close 0.4 @ 42000 reduce-only: nothing reserved; PnL 800 to cash; margin falls to 24000 / 5.
    books.submit({ id: 'p-2', instrument: PERP, side: 'sell', quantity: '0.4', price: '42000', reduceOnly: true });
    expect(books.bal('reserved')).toBe('0.00');
    books.fill({ order: 'p-2', instrument: PERP, side: 'sell', quantity: '0.4', price: '42000', fee: '8.40' });
    expect(books.bal('realised-pnl')).toBe('800.00');
    expect(books.bal('margin')).toBe('4800.00');
    expect(books.bal('cash')).toBe('5971.60'); // 1980 + 800 + 3200 - 8.40
    expect(books.ledger.position('desk', PERP.id)?.costBasis.toString()).toBe('24000.00');

    books.submit({ id: 'p-3', instrument: PERP, side: 'sell', quantity: '0.6', price: '39000', reduceOnly: true });
    books.fill({ order: 'p-3', instrument: PERP, side: 'sell', quantity: '0.6', price: '39000', fee: '11.70' });
    expect(books.bal('realised-pnl')).toBe('200.00'); // 800 - 600
    expect(books.bal('margin')).toBe('0.00');
    expect(books.bal('fees')).toBe('40.10');
    expect(books.bal('cash')).toBe('10159.90'); // 10000 + 200 - 40.10
    expect(books.equity()).toBe('10159.90');
    expect(books.ledger.position('desk', PERP.id)?.quantity.isZero()).toBe(true);
    expect(books.bal('conversion')).toBe('0.00');
  });

  it('a short realises PnL when bought back, and margin is rounded up to the cent', () => {
    const books = new Books();
    books.deposit('1000');
    // 0.003 x 33333.3 = 99.9999; / 5 = 19.99998 -> margin 20.00
    books.submit({ id: 'p-1', instrument: PERP, side: 'sell', quantity: '0.003', price: '33333.3' });
    books.fill({ order: 'p-1', instrument: PERP, side: 'sell', quantity: '0.003', price: '33333.3', fee: '0.05' });
    expect(books.bal('margin')).toBe('20.00');
    expect(books.bal('cash')).toBe('979.95');
    books.mark('30000', PERP);
    expect(books.equity()).toBe('1009.95'); // 1000 - 0.05 + (99.9999 -> 100.00) - 90.00
    books.submit({ id: 'p-2', instrument: PERP, quantity: '0.003', price: '30000', reduceOnly: true });
    books.fill({ order: 'p-2', instrument: PERP, quantity: '0.003', price: '30000', fee: '0.05' });
    expect(books.bal('realised-pnl')).toBe('10.00');
    expect(books.bal('margin')).toBe('0.00');
    expect(books.bal('cash')).toBe('1009.90');
  });

  it('funding paid (amount > 0) debits cash, funding received (amount < 0) credits it', () => {
    const books = new Books();
    books.deposit('10000');
    books.submit({ id: 'p-1', instrument: PERP, quantity: '1', price: '40000' });
    books.fill({ order: 'p-1', instrument: PERP, quantity: '1', price: '40000', fee: '20' });
    books.funding('4.00');
    expect(books.bal('funding')).toBe('4.00');
    expect(books.bal('cash')).toBe('1976.00');
    books.funding('-6.50');
    expect(books.bal('funding')).toBe('-2.50');
    expect(books.bal('cash')).toBe('1982.50');
    expect(books.equity()).toBe('9982.50');
    expect(books.ledger.journal.allEntries().slice(-2).map((e) => e.memo)).toEqual([
      'funding BYBIT:BTC/USDT:USDT',
      'funding BYBIT:BTC/USDT:USDT',
    ]);
  });
});

describe('Ledger: order updates', () => {
  it('a new limit re-sizes the reservation', () => {
    const books = new Books();
    books.deposit('50000');
    books.submit({ id: 'c-1', quantity: '0.5', price: '40000' });
    books.record({ type: 'OrderUpdated', clientOrderId: clientOrderId('c-1'), price: fx('39000') });
    expect(books.bal('reserved')).toBe('19519.50');
    expect(books.bal('cash')).toBe('30480.50');
  });

  it("an updated quantity is the order's new total, so a partly filled order completes at that total", () => {
    const books = new Books();
    books.deposit('50000');
    books.submit({ id: 'c-1', quantity: '1', price: '40000' });
    books.fill({ order: 'c-1', quantity: '0.4', price: '40000', fee: '16' });
    expect(books.bal('reserved')).toBe('24024.00');
    // Total 0.8 with 0.4 filled: 0.4 left, reserved at 0.4 x 40000 x 1.001, and the two units a partly filled
    // order keeps for the rounding of its running total.
    books.record({ type: 'OrderUpdated', clientOrderId: clientOrderId('c-1'), quantity: fx('0.8') });
    expect(books.open('c-1')).toBe('0.4');
    expect(books.bal('reserved')).toBe('16016.02');
    books.fill({ order: 'c-1', quantity: '0.4', price: '40000', fee: '16' });
    expect(books.open('c-1')).toBeUndefined();
    expect(books.bal('reserved')).toBe('0.00');
    expect(books.bal('cash')).toBe('17968.00'); // 50000 - 32000 - 32
  });

  it('refuses an update that needs more than the available cash, or a total not above the filled quantity', () => {
    const books = new Books();
    books.deposit('50000');
    books.submit({ id: 'c-1', quantity: '1', price: '40000' });
    books.fill({ order: 'c-1', quantity: '0.4', price: '40000', fee: '16' });
    expect(books.refusal({ type: 'OrderUpdated', clientOrderId: clientOrderId('c-1'), quantity: fx('2') })).toBe(
      'insufficient funds to update c-1',
    );
    expect(books.refusal({ type: 'OrderUpdated', clientOrderId: clientOrderId('c-1'), quantity: fx('0.4') })).toBe(
      'updated quantity 0.4 of c-1 is not above the 0.4 already filled',
    );
    expect(books.refusal({ type: 'OrderUpdated', clientOrderId: clientOrderId('c-9'), price: fx('1') })).toBe(
      'update for unknown order c-9',
    );
  });
});

describe('Ledger: validate names the problem and changes nothing', () => {
  function funded(): Books {
    const books = new Books();
    books.deposit('1000');
    books.submit({ id: 'c-1', quantity: '0.01', price: '40000' }); // reserves 400.40
    return books;
  }

  it('a withdrawal beyond available cash', () => {
    const books = funded();
    expect(books.refusal({ type: 'FundsWithdrawn', owner: 'desk', currency: USDT, amount: fx('600') })).toBe(
      'withdrawal of 600 USDT exceeds available cash 599.6',
    );
    expect(books.refusal({ type: 'FundsWithdrawn', owner: 'desk', currency: USDT, amount: fx('599.60') })).toBeUndefined();
  });

  it('a profit sweep beyond available cash', () => {
    const books = funded();
    expect(books.refusal({ type: 'ProfitSwept', owner: 'desk', currency: USDT, amount: fx('1000') })).toBe(
      'profit sweep of 1000 USDT exceeds available cash 599.6',
    );
  });

  it('a fill for an unknown order', () => {
    const books = funded();
    expect(books.refusal(books.fillEvent({ order: 'c-404', quantity: '0.01', price: '40000', fee: '0.4' }))).toBe(
      'fill for unknown order c-404',
    );
  });

  it('a fill exceeding the open quantity', () => {
    const books = funded();
    books.fill({ order: 'c-1', quantity: '0.004', price: '40000', fee: '0.16' });
    expect(books.refusal(books.fillEvent({ order: 'c-1', quantity: '0.0061', price: '40000', fee: '0.24' }))).toBe(
      'fill of 0.0061 exceeds the 0.006 still open on c-1',
    );
  });

  it('a fill whose side or instrument differs from the order', () => {
    const books = funded();
    expect(books.refusal(books.fillEvent({ order: 'c-1', side: 'sell', quantity: '0.01', price: '40000', fee: '0' }))).toBe(
      'fill side sell differs from order\'s buy',
    );
    expect(books.refusal(books.fillEvent({ order: 'c-1', instrument: PERP, quantity: '0.01', price: '40000', fee: '0' }))).toBe(
      "fill instrument BYBIT:BTC/USDT:USDT differs from order's BINANCE:BTC/USDT",
    );
  });

  it('an order reserving more than is available', () => {
    const books = funded();
    expect(books.refusal(books.submitEvent({ id: 'c-2', quantity: '1', price: '40000' }))).toBe(
      'insufficient funds for c-2: needs 40040 USDT, cash available 599.6',
    );
    expect(books.refusal(books.submitEvent({ id: 'c-3', side: 'sell', quantity: '0.1', price: '40000' }))).toBe(
      'insufficient funds for c-3: needs 0.1 BTC, asset available 0',
    );
    expect(books.refusal(books.submitEvent({ id: 'c-1', quantity: '0.001', price: '40000' }))).toBe('order c-1 is already tracked');
  });

  it('a deposit with more decimals than the currency scale', () => {
    const books = funded();
    expect(books.refusal({ type: 'FundsDeposited', owner: 'desk', currency: USDT, amount: fx('100.001') })).toBe(
      'deposit amount 100.001 has more than 2 decimals for USDT',
    );
    expect(books.refusal({ type: 'FundsDeposited', owner: 'desk', currency: USDT, amount: fx('100.010') })).toBeUndefined();
    expect(books.refusal({ type: 'FundsDeposited', owner: 'desk', currency: USDT, amount: fx('0') })).toBe(
      'deposit amount must be positive, got 0',
    );
  });

  it('a mark for an unknown instrument, or a non-positive mark', () => {
    const books = funded();
    expect(
      books.refusal({ type: 'MarksUpdated', marks: [{ instrumentId: instrumentId('KRAKEN:ETH/USD'), price: fx('2000') }] }),
    ).toBe('mark for unknown instrument KRAKEN:ETH/USD');
    expect(books.refusal({ type: 'MarksUpdated', marks: [{ instrumentId: SPOT.id, price: fx('-1') }] })).toBe(
      'mark price for BINANCE:BTC/USDT must be positive, got -1',
    );
  });

  it('funding for a spot instrument', () => {
    const books = funded();
    expect(
      books.refusal({ type: 'FundingApplied', owner: 'desk', instrumentId: SPOT.id, rate: fx('0'), markPrice: fx('1'), amount: fx('1') }),
    ).toBe('funding applies to perpetuals, not BINANCE:BTC/USDT');
  });
});

describe('Ledger: replay', () => {
  it('applying the same events to a fresh ledger gives an identical snapshot', () => {
    const books = new Books();
    books.deposit('100000');
    books.submit({ id: 'c-1', quantity: '1', price: '40000' });
    books.fill({ order: 'c-1', quantity: '0.25', price: '39950.5', fee: '9.99' });
    books.fill({ order: 'c-1', quantity: '0.75', price: '40000', fee: '30' });
    books.submit({ id: 'c-2', side: 'sell', quantity: '0.6', price: '42000' });
    books.fill({ order: 'c-2', side: 'sell', quantity: '0.1', price: '42000', fee: '4.2' });
    books.submit({ id: 'p-1', instrument: PERP, side: 'sell', quantity: '0.5', price: '41000' });
    books.fill({ order: 'p-1', instrument: PERP, side: 'sell', quantity: '0.2', price: '41000.5', fee: '4.1' });
    books.funding('1.23');
    books.mark('41500', SPOT);
    books.mark('41600', PERP);
    books.record({ type: 'ProfitSwept', owner: 'desk', currency: USDT, amount: fx('100') });

    const replayed = new Books().ledger;
    for (const event of books.events) replayed.apply(event);
    expect(JSON.stringify(replayed.snapshot())).toBe(JSON.stringify(books.ledger.snapshot()));
    expect(replayed.equity('desk', USDT).toString()).toBe(books.equity());
    expect(books.ledger.snapshot()).toMatchObject({
      entries: books.ledger.journal.length,
      openOrders: [
        { id: 'c-2', reserved: '50000000', leaves: '0.5' },
        // 4110.25 reserved; the fill took 1640.02 margin + 4.10 fee, more than its 2/5 share (1644.10).
        { id: 'p-1', reserved: '246613', leaves: '0.3' },
      ],
    });
  });
});
