import { Fixed } from '../core/fixed.js';
import type { Instrument } from '../domain/instrument.js';
import type { OrderManager } from '../execution/oms.js';
import type { Ledger } from '../ledger/ledger.js';
import type { PortfolioView } from '../risk/risk-gate.js';

/**
 * An owner's portfolio as the risk gate sees it, each figure read from the books when the gate first asks for it.
 * Equity and gross exposure walk the owner's positions and value them; most gates (no exposure or leverage limit)
 * never ask, and every intent used to pay for both. The gate runs synchronously, so a figure read late is the
 * figure it would have been when the view was made.
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

  constructor(
    private readonly ledger: Ledger,
    private readonly oms: OrderManager,
    private readonly owner: string,
    private readonly instrument: Instrument,
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

  get equity(): Fixed {
    return (this.ownerEquity ??= this.ledger.equity(this.owner, this.instrument.settle));
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
}
