import { Fixed } from '../core/fixed.js';
import type { InstrumentId } from '../core/ids.js';
import type { Instrument } from '../domain/instrument.js';
import type { OrderManager } from '../execution/oms.js';
import type { Ledger } from '../ledger/ledger.js';
import type { PortfolioView } from '../risk/risk-gate.js';
import { openOrderExposure, openQuantities, type OpenQuantities } from './open-order-exposure.js';

/**
 * An owner's portfolio as the risk gate sees it, each figure read from the books when the gate first asks for it.
 * Equity and gross exposure walk the owner's positions and value them; most gates (no exposure or leverage limit)
 * never ask, and every intent used to pay for both. The gate runs synchronously, so a figure read late is the
 * figure it would have been when the view was made. Equity here is what trades: the profit swept to the reserve is
 * never traded, so it backs no exposure under the leverage cap.
 */
export class LazyPortfolioView implements PortfolioView {
  private quantity: Fixed | undefined;
  private gross: Fixed | undefined;
  private deskGross: Fixed | undefined;
  private ownerEquity: Fixed | undefined;
  private cash: Fixed | undefined;
  private asset: Fixed | undefined;
  private open: number | undefined;
  private lev: Fixed | undefined;
  private pending: OpenQuantities | undefined;
  private ownerOpenExposure: Fixed | undefined;
  private deskOpenExposure: Fixed | undefined;

  constructor(
    private readonly ledger: Ledger,
    private readonly oms: OrderManager,
    private readonly owner: string,
    private readonly instrument: Instrument,
    private readonly instrumentOf: (id: InstrumentId) => Instrument | undefined,
    private readonly priceOf: (id: InstrumentId) => Fixed | undefined,
    /** The settlement currency's scale, which exposures are given at. */
    private readonly settleScale: number,
  ) {}

  get positionQuantity(): Fixed {
    return (this.quantity ??= this.ledger.position(this.owner, this.instrument.id)?.quantity ?? Fixed.zero(this.instrument.sizePrecision));
  }

  get grossExposure(): Fixed {
    return (this.gross ??= this.ledger.grossExposure(this.owner, this.instrument.settle));
  }

  get deskGrossExposure(): Fixed {
    return (this.deskGross ??= this.ledger.grossExposure(undefined, this.instrument.settle));
  }

  get openBuyQuantity(): Fixed {
    return this.openHere().buy;
  }

  get openSellQuantity(): Fixed {
    return this.openHere().sell;
  }

  get openOrderExposure(): Fixed {
    return (this.ownerOpenExposure ??= this.openExposure(this.owner));
  }

  get deskOpenOrderExposure(): Fixed {
    return (this.deskOpenExposure ??= this.openExposure(undefined));
  }

  get equity(): Fixed {
    const settle = this.instrument.settle;
    return (this.ownerEquity ??= this.ledger.equity(this.owner, settle).sub(this.ledger.balance(this.owner, 'reserve', settle)));
  }

  get availableCash(): Fixed {
    return (this.cash ??= this.ledger.balance(this.owner, 'cash', this.instrument.settle));
  }

  get availableAsset(): Fixed {
    return (this.asset ??= this.ledger.balance(this.owner, 'asset', this.instrument.base));
  }

  get openOrders(): number {
    return (this.open ??= this.oms.openCount(this.owner));
  }

  get leverage(): Fixed {
    return (this.lev ??= this.ledger.leverageOf(this.instrument));
  }

  private openHere(): OpenQuantities {
    return (this.pending ??= openQuantities(this.oms, this.owner, this.instrument.id, this.instrument.sizePrecision));
  }

  private openExposure(owner: string | undefined): Fixed {
    return openOrderExposure(this.oms, this.ledger, this.instrumentOf, this.priceOf, owner, this.instrument.settle, this.settleScale);
  }
}
