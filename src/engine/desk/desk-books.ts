import { Fixed } from '../../core/fixed.js';
import type { Currency, InstrumentId } from '../../core/ids.js';
import type { DeskEvent } from '../../domain/events.js';
import type { Instrument } from '../../domain/instrument.js';
import { DenialTally } from '../denial-tally.js';
import type { TradingCore } from '../trading-core.js';

/** A fill as the run reports it (numbers for analytics; the exact amounts are in the journal). */
export interface DeskFill {
  readonly ts: number;
  readonly instrument: InstrumentId;
  readonly owner: string;
  readonly side: 'buy' | 'sell';
  readonly qty: number;
  readonly price: number;
  readonly fee: number;
}

interface InstrumentMirror {
  quantity: number;
  basis: number;
  close: number;
  readonly contractSize: number;
  readonly spot: boolean;
}

/**
 * Float mirrors of the exact books, kept for what runs every bar: the equity curve, what a strategy asks about its
 * position, and the fill list. They are refreshed from the ledger at every fill, funding or liquidation, never
 * accumulated, so they cannot drift from the books.
 */
export class DeskBooks {
  readonly fills: DeskFill[] = [];
  /** Equity and bar time per replayed bar, preallocated for the whole run (no growth, no garbage). */
  private readonly equityPoints: Float64Array;
  private readonly times: Float64Array;
  private recorded = 0;
  /** The close time of the last point, and whether a position was open at it. */
  private lastCloseTs = Number.NaN;
  private lastExposed = false;
  private readonly positions = new Map<string, Map<InstrumentId, number>>();
  private readonly mirrors = new Map<InstrumentId, InstrumentMirror>();
  private cash = 0;
  feesPaid = 0;
  fundingPaid = 0;
  tradedNotional = 0;
  /** Denied intents by reason. */
  readonly denialTally = new DenialTally();
  /** Orders the venue rejected, by reason. */
  readonly rejectionTally = new DenialTally();
  exposureBars = 0;

  constructor(
    private readonly core: TradingCore,
    private readonly currency: Currency,
    private readonly scale: number,
    instruments: ReadonlyMap<InstrumentId, Instrument>,
    totalBars: number,
  ) {
    this.equityPoints = new Float64Array(totalBars);
    this.times = new Float64Array(totalBars);
    for (const [id, instrument] of instruments) {
      this.mirrors.set(id, { quantity: 0, basis: 0, close: Number.NaN, contractSize: instrument.contractSize.toNumber(), spot: instrument.kind === 'spot' });
    }
  }

  get denials(): number {
    return this.denialTally.total;
  }

  /** Net float position of an owner (0 when flat). */
  quantity(owner: string, id: InstrumentId): number {
    return this.positions.get(owner)?.get(id) ?? 0;
  }

  /** An owner's float positions by instrument, kept current: a strategy's context holds it to ask on every bar. */
  bookOf(owner: string): ReadonlyMap<InstrumentId, number> {
    let book = this.positions.get(owner);
    if (book === undefined) this.positions.set(owner, (book = new Map()));
    return book;
  }

  close(id: InstrumentId): number {
    return this.mirrors.get(id)?.close ?? Number.NaN;
  }

  onClose(id: InstrumentId, close: number): void {
    const mirror = this.mirrors.get(id);
    if (mirror !== undefined) mirror.close = close;
  }

  onEvent(event: DeskEvent): void {
    switch (event.type) {
      case 'OrderFilled': {
        const f = event.fill;
        const owner = this.core.oms.get(f.clientOrderId)?.spec.owner ?? 'desk';
        this.traded(event.tsEvent, f.instrumentId, owner, f.side, f.quantity, f.price, f.fee);
        break;
      }
      case 'PositionLiquidated':
        // A fill the venue forced on its netted position: in the fill list like any other.
        this.traded(event.tsEvent, event.instrumentId, 'venue', event.side, event.quantity, event.price, event.fee);
        break;
      case 'FundingApplied':
        this.fundingPaid += event.amount.toNumber();
        this.refreshCash();
        break;
      case 'FundsDeposited':
      case 'FundsWithdrawn':
        this.refreshCash();
        break;
      case 'IntentDenied':
        this.denialTally.add(event.code, event.detail);
        break;
      case 'OrderRejected':
        this.rejectionTally.addRejection(event.reason);
        break;
      default:
        break;
    }
  }

  /** Equity now, from the cash mirror and the positions at their last close. */
  equity(): number {
    let equity = this.cash;
    for (const m of this.mirrors.values()) {
      if (m.quantity === 0 || Number.isNaN(m.close)) continue;
      const value = m.quantity * m.close * m.contractSize;
      if (m.spot) equity += value;
      else equity += value - m.basis;
    }
    return equity;
  }

  /**
   * One equity point per close time: bars of several instruments closing together make one point, taken after the
   * last of them and stamped with the latest open time among them. A point per bar would value the instruments
   * not yet replayed at their previous close, splitting each step in parts whose covariance the metrics then miss.
   */
  recordBar(ts: number, closeTs: number): void {
    let exposed = false;
    for (const m of this.mirrors.values()) if (m.quantity !== 0) exposed = true;
    const again = this.recorded > 0 && closeTs === this.lastCloseTs;
    if (again && this.lastExposed) this.exposureBars -= 1;
    if (exposed) this.exposureBars += 1;
    this.lastExposed = exposed;
    this.lastCloseTs = closeTs;
    const at = again ? this.recorded - 1 : this.recorded;
    if (at >= this.times.length) return;
    this.times[at] = again ? Math.max(this.times[at] as number, ts) : ts;
    this.equityPoints[at] = this.equity();
    if (!again) this.recorded += 1;
  }

  /** Equity at the last point recorded (NaN before the first). */
  get lastEquity(): number {
    return this.recorded > 0 ? (this.equityPoints[this.recorded - 1] as number) : Number.NaN;
  }

  get equityCurve(): { readonly equity: Float64Array; readonly ts: Float64Array } {
    return { equity: this.equityPoints.subarray(0, this.recorded), ts: this.times.subarray(0, this.recorded) };
  }

  /** Cash of every owner (cash, reserved, margin and reserve accounts) in the valuation currency. */
  cashNow(): number {
    return this.cash;
  }

  private refreshCash(): void {
    const journal = this.core.ledger.journal;
    let units = 0n;
    for (const owner of journal.owners()) {
      units += journal.raw(owner, 'cash', this.currency) + journal.raw(owner, 'reserved', this.currency) + journal.raw(owner, 'margin', this.currency) + journal.raw(owner, 'reserve', this.currency);
    }
    this.cash = Fixed.fromUnits(units, this.scale).toNumber();
  }

  /** A fill or a liquidation: into the fill list and the costs, then the mirrors from the books. */
  private traded(ts: number, instrument: InstrumentId, owner: string, side: 'buy' | 'sell', quantity: Fixed, unitPrice: Fixed, cost: Fixed): void {
    const qty = quantity.toNumber();
    const price = unitPrice.toNumber();
    const fee = cost.toNumber();
    this.fills.push({ ts, instrument, owner, side, qty, price, fee });
    this.feesPaid += fee;
    this.tradedNotional += qty * price * (this.mirrors.get(instrument)?.contractSize ?? 1);
    this.sync(instrument);
  }

  private sync(id: InstrumentId): void {
    const mirror = this.mirrors.get(id);
    let quantity = 0;
    let basis = 0;
    // A closed position may leave the ledger: clear first, then set what is held.
    for (const book of this.positions.values()) if (book.has(id)) book.set(id, 0);
    for (const { owner, position } of this.core.ledger.allPositions()) {
      if (position.instrumentId !== id) continue;
      const q = position.quantity.toNumber();
      let book = this.positions.get(owner);
      if (book === undefined) this.positions.set(owner, (book = new Map()));
      book.set(id, q);
      quantity += q;
      // Signed (negative for a short): the unrealised PnL of every owner's position together is then value - basis,
      // even when sleeves hold the instrument in opposite directions.
      basis += position.quantity.isNegative() ? -position.costBasis.toNumber() : position.costBasis.toNumber();
    }
    if (mirror !== undefined) {
      mirror.quantity = quantity;
      mirror.basis = basis;
    }
    this.refreshCash();
  }
}
