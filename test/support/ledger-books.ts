import { expect } from 'vitest';
import { fx } from '../../src/core/fixed.js';
import { clientOrderId, currency, tradeId, type ClientOrderId, type Currency, type EventId } from '../../src/core/ids.js';
import type { UnixMs } from '../../src/core/time.js';
import type { DeskEvent, EventBase } from '../../src/domain/events.js';
import { CurrencyScales, defineInstrument, type Instrument } from '../../src/domain/instrument.js';
import type { OrderSide } from '../../src/domain/order.js';
import type { AccountKind } from '../../src/ledger/accounts.js';
import { Ledger } from '../../src/ledger/ledger.js';

export const USDT = currency('USDT');
export const BTC = currency('BTC');
export const SPOT = defineInstrument({ id: 'BINANCE:BTC/USDT', tickSize: '0.01', lotSize: '0.0001', takerFee: '0.001', makerFee: '0.001' });
export const PERP = defineInstrument({ id: 'BYBIT:BTC/USDT:USDT', tickSize: '0.1', lotSize: '0.001', takerFee: '0.0005', maxLeverage: '20' });
const SCALES = new CurrencyScales({ USDT: 2, BTC: 8 });
const T0 = 1_700_000_000_000;

export type NewEvent = DeskEvent extends infer E ? (E extends DeskEvent ? Omit<E, keyof EventBase> : never) : never;

export interface OrderArgs {
  readonly id: string;
  readonly instrument?: Instrument;
  readonly side?: OrderSide;
  readonly quantity: string;
  /** The limit (and reserve) price. */
  readonly price: string;
  readonly reduceOnly?: boolean;
  readonly owner?: string;
}

export interface FillArgs {
  readonly order: string;
  readonly instrument?: Instrument;
  readonly side?: OrderSide;
  readonly quantity: string;
  readonly price: string;
  readonly fee: string;
  readonly feeCurrency?: Currency;
}

/** A ledger plus event builders; `record` insists the ledger accepts the event, as the trading core would. */
export class Books {
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
