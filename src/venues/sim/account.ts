import { Fixed } from '../../core/fixed.js';
import type { ClientOrderId, Currency, InstrumentId } from '../../core/ids.js';
import type { CurrencyScales, Instrument } from '../../domain/instrument.js';
import type { OrderSide } from '../../domain/order.js';
import { applyFillToPosition, flatPosition, unrealisedPnl, valueAt, type PositionState } from '../../domain/position.js';
import { initialMargin, liquidationPrice, maintenanceMargin, maintenanceTier } from './margin.js';
import type { MarginMode } from './options.js';

interface Lock {
  readonly currency: Currency;
  amount: Fixed;
}

export interface VenuePosition {
  readonly state: PositionState;
  readonly instrument: Instrument;
}

export interface LiquidationCandidate {
  readonly instrument: Instrument;
  readonly quantity: Fixed;
  /** The price the position is closed at: its liquidation price, or the mark when that is already beyond it. */
  readonly price: Fixed;
  readonly marginBalance: Fixed;
  readonly maintenance: Fixed;
  /** Where the collateral behind the position is used up; a close beyond it is taken there (the rest is the venue's). */
  readonly bankruptcy: Fixed;
  /** The position's mark when it was judged. */
  readonly mark: Fixed;
}

/**
 * The venue's own books for one account, as an exchange keeps them: wallet balances per currency, amounts locked
 * by open orders, and net positions. Spot trades move quote and base; perpetual trades move only the settlement
 * wallet (realised PnL, fees, funding), with margin used by positions and locked by orders.
 */
export class VenueAccount {
  private readonly wallets = new Map<Currency, Fixed>();
  private readonly locks = new Map<ClientOrderId, Lock>();
  private readonly positions = new Map<InstrumentId, VenuePosition>();

  constructor(
    private readonly scales: CurrencyScales,
    private readonly marginMode: MarginMode,
    private readonly leverageOf: (instrument: Instrument) => Fixed,
    balances: Readonly<Record<string, string>>,
  ) {
    for (const [code, amount] of Object.entries(balances)) {
      this.wallets.set(code as Currency, Fixed.parse(amount).rescale(scales.of(code as Currency), 'down'));
    }
  }

  wallet(currency: Currency): Fixed {
    return this.wallets.get(currency) ?? Fixed.zero(this.scales.of(currency));
  }

  position(instrumentId: InstrumentId): PositionState | undefined {
    return this.positions.get(instrumentId)?.state;
  }

  hasPosition(instrumentId: InstrumentId): boolean {
    return this.positions.get(instrumentId)?.state.quantity.isZero() === false;
  }

  allPositions(): readonly VenuePosition[] {
    return [...this.positions.values()].filter((p) => !p.state.quantity.isZero());
  }

  locked(currency: Currency): Fixed {
    let total = Fixed.zero(this.scales.of(currency));
    for (const lock of this.locks.values()) if (lock.currency === currency) total = total.add(lock.amount);
    return total;
  }

  /** Margin used by open perpetual positions settled in `currency` (entry value / leverage). */
  usedMargin(currency: Currency): Fixed {
    let total = Fixed.zero(this.scales.of(currency));
    for (const { state, instrument } of this.positions.values()) {
      if (instrument.kind !== 'perpetual' || instrument.settle !== currency || state.quantity.isZero()) continue;
      total = total.add(initialMargin(state.costBasis, this.leverageOf(instrument), this.scales.of(currency)));
    }
    return total;
  }

  /** What new orders may use: wallet less locks and used margin (plus unrealised PnL in cross mode). */
  free(currency: Currency, marks: ReadonlyMap<InstrumentId, Fixed>): Fixed {
    let free = this.wallet(currency).sub(this.locked(currency)).sub(this.usedMargin(currency));
    if (this.marginMode === 'cross') free = free.add(this.unrealised(currency, marks));
    return free;
  }

  unrealised(currency: Currency, marks: ReadonlyMap<InstrumentId, Fixed>): Fixed {
    const scale = this.scales.of(currency);
    let total = Fixed.zero(scale);
    for (const { state, instrument } of this.positions.values()) {
      if (instrument.kind !== 'perpetual' || instrument.settle !== currency || state.quantity.isZero()) continue;
      const mark = marks.get(instrument.id);
      if (mark !== undefined) total = total.add(unrealisedPnl(state, instrument, mark, scale));
    }
    return total;
  }

  /** What the order `id` holds locked (undefined when nothing). */
  lockedBy(id: ClientOrderId): Fixed | undefined {
    return this.locks.get(id)?.amount;
  }

  /** The currency the order `id` holds (undefined when nothing). */
  lockCurrency(id: ClientOrderId): Currency | undefined {
    return this.locks.get(id)?.currency;
  }

  /** The orders holding `currency` locked, in the order they locked it. */
  lockHolders(currency: Currency): ClientOrderId[] {
    const holders: ClientOrderId[] = [];
    for (const [id, lock] of this.locks) if (lock.currency === currency) holders.push(id);
    return holders;
  }

  lock(id: ClientOrderId, currency: Currency, amount: Fixed): void {
    this.locks.set(id, { currency, amount });
  }

  /** Releases the share of an order's lock that `filled` of `leaves` stands for (all of it when they are equal). */
  releasePart(id: ClientOrderId, filled: Fixed, leaves: Fixed): void {
    const lock = this.locks.get(id);
    if (lock === undefined) return;
    if (filled.gte(leaves)) {
      this.locks.delete(id);
      return;
    }
    const part = lock.amount.mul(filled).div(leaves, lock.amount.scale, 'down');
    lock.amount = lock.amount.sub(part);
  }

  release(id: ClientOrderId): void {
    this.locks.delete(id);
  }

  credit(currency: Currency, amount: Fixed): void {
    this.wallets.set(currency, this.wallet(currency).add(amount.rescale(this.scales.of(currency), 'half-even')));
  }

  /**
   * Books a fill: cash and asset for spot; realised PnL for perpetuals; the fee from the settlement wallet.
   * `tradedValue` is the fill's part of its order's running value (by default its own notional, rounded).
   */
  applyFill(instrument: Instrument, side: OrderSide, quantity: Fixed, price: Fixed, fee: Fixed, tradedValue?: Fixed): Fixed {
    const scale = this.scales.of(instrument.settle);
    const before = this.positions.get(instrument.id)?.state ?? flatPosition(instrument.id, scale, instrument.sizePrecision);
    const change = applyFillToPosition(before, instrument, side, quantity, price, scale, tradedValue);
    if (instrument.kind === 'spot') {
      const value = change.closedValue.add(change.openedValue);
      const sign = side === 'buy' ? -1 : 1;
      this.credit(instrument.quote, sign < 0 ? value.neg() : value);
      this.credit(instrument.base, sign < 0 ? quantity : quantity.neg());
    } else {
      this.credit(instrument.settle, change.realisedPnl);
    }
    this.credit(instrument.settle, fee.neg());
    this.positions.set(instrument.id, { state: change.next, instrument });
    return change.realisedPnl;
  }

  /**
   * Positions whose margin balance is at or below their maintenance margin at the given marks. Isolated: each
   * position against its own margin (entry value / leverage). Cross: the settlement wallet plus all unrealised
   * PnL against the sum of maintenance margins; when breached every position in that currency is closed.
   */
  liquidations(marks: ReadonlyMap<InstrumentId, Fixed>): LiquidationCandidate[] {
    const out: LiquidationCandidate[] = [];
    const perCurrency = new Map<Currency, VenuePosition[]>();
    for (const position of this.positions.values()) {
      const { state, instrument } = position;
      if (instrument.kind !== 'perpetual' || state.quantity.isZero() || !marks.has(instrument.id)) continue;
      const list = perCurrency.get(instrument.settle) ?? [];
      list.push(position);
      perCurrency.set(instrument.settle, list);
    }
    for (const [currency, list] of perCurrency) {
      const scale = this.scales.of(currency);
      if (this.marginMode === 'isolated') {
        for (const { state, instrument } of list) {
          const mark = marks.get(instrument.id) as Fixed;
          const collateral = initialMargin(state.costBasis, this.leverageOf(instrument), scale);
          const balance = collateral.add(unrealisedPnl(state, instrument, mark, scale));
          const maintenance = maintenanceMargin(instrument, valueAt(instrument, state.quantity, mark, scale), scale);
          if (balance.lte(maintenance)) out.push(this.candidate(instrument, state, collateral, mark, balance, maintenance));
        }
        continue;
      }
      let balance = this.wallet(currency);
      let maintenance = Fixed.zero(scale);
      const parts = list.map(({ state, instrument }) => {
        const mark = marks.get(instrument.id) as Fixed;
        const upnl = unrealisedPnl(state, instrument, mark, scale);
        const mm = maintenanceMargin(instrument, valueAt(instrument, state.quantity, mark, scale), scale);
        balance = balance.add(upnl);
        maintenance = maintenance.add(mm);
        return { state, instrument, mark, upnl, mm };
      });
      if (balance.gt(maintenance)) continue;
      for (const part of parts) {
        // Collateral for one position: the wallet plus what the others hold above their maintenance margin.
        let collateral = this.wallet(currency);
        for (const other of parts) if (other !== part) collateral = collateral.add(other.upnl).sub(other.mm);
        out.push(this.candidate(part.instrument, part.state, collateral, part.mark, balance, maintenance));
      }
    }
    return out;
  }

  /**
   * The position's liquidation price (the mark when it has none), never beyond the mark it was judged at: the mark is
   * the worst price the position has seen (a bar's low for a long), and a close is never taken at a price the market
   * did not reach. The caller applies gaps beyond it.
   */
  private candidate(
    instrument: Instrument,
    state: PositionState,
    collateral: Fixed,
    mark: Fixed,
    marginBalance: Fixed,
    maintenance: Fixed,
  ): LiquidationCandidate {
    const long = state.quantity.isPositive();
    const level = (liquidationPrice(instrument, state.quantity, state.costBasis, collateral, instrument.tickSize.scale) ?? mark).quantize(instrument.tickSize, long ? 'ceil' : 'floor');
    const price = long ? level.max(mark) : level.min(mark);
    const q = state.quantity.abs().mul(instrument.contractSize);
    // Long: basis - collateral (never below 0); short: basis + collateral, per unit. Rounded toward the position.
    const edge = long ? state.costBasis.sub(collateral).max(Fixed.zero()) : state.costBasis.add(collateral);
    const bankruptcy = edge.div(q, instrument.tickSize.scale + 4, long ? 'ceil' : 'floor').quantize(instrument.tickSize, long ? 'ceil' : 'floor');
    return { instrument, quantity: state.quantity, price, marginBalance, maintenance, bankruptcy, mark };
  }

  /** Largest leverage the position tier allows for `notional`. */
  static tierLeverage(instrument: Instrument, notional: Fixed): Fixed {
    return maintenanceTier(instrument, notional).maxLeverage;
  }

  snapshotBalances(marks: ReadonlyMap<InstrumentId, Fixed>): { currency: Currency; total: Fixed; free: Fixed }[] {
    return [...this.wallets.keys()].sort().map((currency) => ({ currency, total: this.wallet(currency), free: this.free(currency, marks) }));
  }
}
