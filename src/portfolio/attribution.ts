import type { Fixed } from '../core/fixed.js';
import type { Currency, InstrumentId } from '../core/ids.js';
import type { Ledger } from '../ledger/ledger.js';

/** One sleeve's books in its currency, read from the ledger. */
export interface SleeveAttribution {
  readonly sleeveId: string;
  readonly currency: Currency;
  /** Deposits less withdrawals (including transfers between sleeves). */
  readonly capital: Fixed;
  /** Everything the sleeve owns, reserve included, positions at mark. */
  readonly equity: Fixed;
  /** Swept profit: never traded, never moved by rebalancing. */
  readonly reserve: Fixed;
  /** Equity less reserve: what allocation policies split. */
  readonly tradeableEquity: Fixed;
  /** Cash free to trade or transfer (not reserved for orders, not in the reserve). */
  readonly availableCash: Fixed;
  readonly realisedPnl: Fixed;
  readonly fees: Fixed;
  readonly funding: Fixed;
  /** equity - capital - realised + fees + funding: the open positions' mark-to-market PnL. */
  readonly unrealisedPnl: Fixed;
  /** equity - capital. */
  readonly totalPnl: Fixed;
}

/**
 * PnL attribution of each sleeve, read-only. The identity total = realised - fees - funding + unrealised holds by
 * construction; fees paid in another currency (a spot base asset) show up in the unrealised part of this currency.
 * Positions are valued at the ledger's marks, or at `prices` where it has one.
 */
export function attributeSleeves(
  ledger: Ledger,
  sleeves: readonly { readonly id: string; readonly currency: Currency }[],
  prices?: (instrumentId: InstrumentId) => Fixed | undefined,
): SleeveAttribution[] {
  return sleeves.map(({ id, currency }) => {
    const capital = ledger.balance(id, 'capital', currency);
    const equity = ledger.equity(id, currency, prices);
    const reserve = ledger.balance(id, 'reserve', currency);
    const realisedPnl = ledger.balance(id, 'realised-pnl', currency);
    const fees = ledger.balance(id, 'fees', currency);
    const funding = ledger.balance(id, 'funding', currency);
    const totalPnl = equity.sub(capital);
    return {
      sleeveId: id,
      currency,
      capital,
      equity,
      reserve,
      tradeableEquity: equity.sub(reserve),
      availableCash: ledger.balance(id, 'cash', currency),
      realisedPnl,
      fees,
      funding,
      unrealisedPnl: totalPnl.sub(realisedPnl).add(fees).add(funding),
      totalPnl,
    };
  });
}

/** The sleeves summed: the master account's view, netted the way the venue sees it. */
export function totalAttribution(rows: readonly SleeveAttribution[]): Omit<SleeveAttribution, 'sleeveId'> | undefined {
  const [first, ...rest] = rows;
  if (first === undefined) return undefined;
  const { sleeveId: _sleeveId, ...sum } = first;
  return rest.reduce<Omit<SleeveAttribution, 'sleeveId'>>(
    (acc, row) => ({
      currency: acc.currency,
      capital: acc.capital.add(row.capital),
      equity: acc.equity.add(row.equity),
      reserve: acc.reserve.add(row.reserve),
      tradeableEquity: acc.tradeableEquity.add(row.tradeableEquity),
      availableCash: acc.availableCash.add(row.availableCash),
      realisedPnl: acc.realisedPnl.add(row.realisedPnl),
      fees: acc.fees.add(row.fees),
      funding: acc.funding.add(row.funding),
      unrealisedPnl: acc.unrealisedPnl.add(row.unrealisedPnl),
      totalPnl: acc.totalPnl.add(row.totalPnl),
    }),
    sum,
  );
}
