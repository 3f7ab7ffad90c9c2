import { Fixed } from '../core/fixed.js';
import { parseInstrumentId } from '../core/ids.js';
import type { InstrumentId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import { formatUnixMs } from '../core/time.js';
import type { DeskEvent } from '../domain/events.js';
import type { DeskBooks } from './desk-books.js';
import type { Notification } from './notification.js';

const ZERO = Fixed.zero();

export interface DailySummaryFigures {
  readonly fills: number;
  readonly volumeByCurrency: ReadonlyMap<string, Fixed>;
  readonly feesByCurrency: ReadonlyMap<string, Fixed>;
  readonly realisedPnlByCurrency: ReadonlyMap<string, Fixed>;
  readonly denialsByCode: ReadonlyMap<string, number>;
  readonly halts: number;
  readonly liquidations: number;
}

/**
 * Folds the desk events of one day into the figures of its summary. Volume is notional (quantity × contract size ×
 * price). Realised PnL is what the books realised: each fill or liquidation is credited with the change in the
 * books' realised PnL of its instrument since the last one (the books have booked an event when it is published),
 * so every owner realises against its own cost, rounded as the ledger rounds, and the days add up to the books.
 * The accumulator is made before the desk trades.
 */
export class DailySummaryAccumulator {
  private fills = 0;
  private halts = 0;
  private liquidations = 0;
  private readonly volume = new Map<string, Fixed>();
  private readonly fees = new Map<string, Fixed>();
  private readonly realised = new Map<string, Fixed>();
  private readonly denials = new Map<string, number>();
  /** The books' realised PnL per instrument as of the last event counted. */
  private readonly booked = new Map<InstrumentId, Fixed>();

  constructor(private readonly books: DeskBooks) {}

  onEvent(event: DeskEvent): void {
    switch (event.type) {
      case 'OrderFilled': {
        const { fill } = event;
        this.fills += 1;
        this.trade(fill.instrumentId, fill.quantity, fill.price);
        addTo(this.fees, fill.feeCurrency, fill.fee);
        break;
      }
      case 'PositionLiquidated': {
        this.liquidations += 1;
        this.trade(event.instrumentId, event.quantity, event.price);
        addTo(this.fees, settlementOf(event.instrumentId), event.fee);
        break;
      }
      case 'IntentDenied':
        this.denials.set(event.code, (this.denials.get(event.code) ?? 0) + 1);
        break;
      case 'TradingStateChanged':
        if (event.to === 'HALTED') this.halts += 1;
        break;
      default:
        break;
    }
  }

  figures(): DailySummaryFigures {
    return {
      fills: this.fills,
      volumeByCurrency: new Map(this.volume),
      feesByCurrency: new Map(this.fees),
      realisedPnlByCurrency: new Map(this.realised),
      denialsByCode: new Map(this.denials),
      halts: this.halts,
      liquidations: this.liquidations,
    };
  }

  /** Starts a new day; open positions (and their cost) carry over. */
  resetDay(): void {
    this.fills = 0;
    this.halts = 0;
    this.liquidations = 0;
    this.volume.clear();
    this.fees.clear();
    this.realised.clear();
    this.denials.clear();
  }

  private trade(instrument: InstrumentId, quantity: Fixed, price: Fixed): void {
    const settlement = settlementOf(instrument);
    addTo(this.volume, settlement, quantity.mul(this.books.contractSize(instrument)).mul(price));
    const booked = this.books.realisedPnl(instrument);
    addTo(this.realised, settlement, booked.sub(this.booked.get(instrument) ?? ZERO));
    this.booked.set(instrument, booked);
  }
}

export function dailySummaryNotification(figures: DailySummaryFigures, dayStart: UnixMs, ts: UnixMs): Notification {
  const day = formatUnixMs(dayStart).slice(0, 10);
  const volume = perCurrency(figures.volumeByCurrency);
  const fees = perCurrency(figures.feesByCurrency);
  const pnl = perCurrency(figures.realisedPnlByCurrency);
  const denials =
    figures.denialsByCode.size === 0
      ? 'none'
      : [...figures.denialsByCode.entries()]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([code, count]) => `${code} x${count}`)
          .join(', ');
  const totalDenials = [...figures.denialsByCode.values()].reduce((sum, count) => sum + count, 0);
  return {
    id: `summary-${day}`,
    ts,
    severity: 'info',
    kind: 'summary',
    title: `Daily summary ${day}`,
    text:
      `${figures.fills} fills, volume ${volume}, fees ${fees}, realised PnL ${pnl}; ` +
      `${totalDenials} denials (${denials}); ${figures.halts} halts; ${figures.liquidations} liquidations`,
    fields: {
      day,
      fills: String(figures.fills),
      volume,
      fees,
      realisedPnl: pnl,
      denials,
      halts: String(figures.halts),
      liquidations: String(figures.liquidations),
    },
    dedupKey: `summary:${day}`,
  };
}

function settlementOf(instrument: InstrumentId): string {
  const parts = parseInstrumentId(instrument);
  return parts.settle ?? parts.quote;
}

function addTo(map: Map<string, Fixed>, key: string, amount: Fixed): void {
  map.set(key, (map.get(key) ?? ZERO).add(amount));
}

function perCurrency(map: ReadonlyMap<string, Fixed>): string {
  if (map.size === 0) return '0';
  return [...map.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, amount]) => `${amount.toPlainString()} ${code}`)
    .join(', ');
}
