import { Fixed } from '../core/fixed.js';
import { parseInstrumentId } from '../core/ids.js';
import type { InstrumentId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import { formatUnixMs } from '../core/time.js';
import type { DeskEvent } from '../domain/events.js';
import type { OrderSide } from '../domain/order.js';
import type { Notification } from './notification.js';

/** Scale the realised PnL is carried at before it is shown without trailing zeros. */
const PNL_SCALE = 12;
const ZERO = Fixed.zero();

interface OpenPosition {
  /** Signed: > 0 long, < 0 short. */
  quantity: Fixed;
  /** What the open quantity cost (long) or brought in (short), always >= 0. */
  basis: Fixed;
}

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
 * Folds the desk events of one day into the figures of its summary. Realised PnL is measured on average cost per
 * instrument from the fills and liquidations seen since the accumulator was made (positions carry over days).
 */
export class DailySummaryAccumulator {
  private fills = 0;
  private halts = 0;
  private liquidations = 0;
  private readonly volume = new Map<string, Fixed>();
  private readonly fees = new Map<string, Fixed>();
  private readonly realised = new Map<string, Fixed>();
  private readonly denials = new Map<string, number>();
  private readonly positions = new Map<InstrumentId, OpenPosition>();

  onEvent(event: DeskEvent): void {
    switch (event.type) {
      case 'OrderFilled': {
        const { fill } = event;
        this.fills += 1;
        const quote = settlementOf(fill.instrumentId);
        addTo(this.volume, quote, fill.quantity.mul(fill.price));
        addTo(this.fees, fill.feeCurrency, fill.fee);
        this.applyTrade(fill.instrumentId, fill.side, fill.quantity, fill.price);
        break;
      }
      case 'PositionLiquidated': {
        this.liquidations += 1;
        const quote = settlementOf(event.instrumentId);
        addTo(this.volume, quote, event.quantity.mul(event.price));
        addTo(this.fees, quote, event.fee);
        this.applyTrade(event.instrumentId, event.side, event.quantity, event.price);
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

  private applyTrade(instrument: InstrumentId, side: OrderSide, quantity: Fixed, price: Fixed): void {
    const signed = side === 'buy' ? quantity : quantity.neg();
    const position = this.positions.get(instrument) ?? { quantity: ZERO, basis: ZERO };
    const opening = position.quantity.isZero() || position.quantity.sign() === signed.sign();
    if (opening) {
      position.quantity = position.quantity.add(signed);
      position.basis = position.basis.add(quantity.mul(price));
      this.positions.set(instrument, position);
      return;
    }
    const open = position.quantity.abs();
    const closed = quantity.min(open);
    const closedBasis = closed.eq(open) ? position.basis : position.basis.mul(closed).div(open, PNL_SCALE, 'half-even');
    const atPrice = closed.mul(price);
    const pnl = position.quantity.isPositive() ? atPrice.sub(closedBasis) : closedBasis.sub(atPrice);
    addTo(this.realised, settlementOf(instrument), pnl);
    position.quantity = position.quantity.add(signed);
    position.basis = position.basis.sub(closedBasis);
    const flipped = quantity.sub(closed);
    if (flipped.isPositive()) position.basis = flipped.mul(price);
    this.positions.set(instrument, position);
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
