/** The context an analyst's brain is shown: its book, its cash, the desk clock, its mode, and where its signals go. */
import type { Clock } from '../../core/clock.js';
import type { Currency, InstrumentId } from '../../core/ids.js';
import type { Signal, StrategyContext } from '../../strategies/strategy.js';
import type { TradingCore } from '../trading-core.js';
import type { AnalystRole } from './analyst-role.js';
import type { ExecutorRole } from './executor-role.js';

/** A brain's context with what it emitted since the desk last took its signals (emptied, not replaced). */
export type AnalystContext = StrategyContext & { readonly emitted: Signal[] };

/** The parts of the desk a context reads, at the time the brain asks. */
export interface AnalystContextSources {
  readonly core: TradingCore;
  readonly executor: ExecutorRole;
  readonly clock: Clock;
  readonly setup: { readonly valuationCurrency: Currency };
}

/**
 * Made once per analyst: what it asks about goes to `owner`'s book (its sleeve, or the desk book when netting), its
 * position to `position` (its sleeve's, or in the netting modes what its own views imply: see `impliedPosition`).
 */
export function analystContext(analyst: AnalystRole, owner: string, position: (id: InstrumentId) => number, desk: AnalystContextSources): AnalystContext {
  const emitted: Signal[] = [];
  return {
    emitted,
    position,
    cash: () => ({ amount: desk.core.ledger.balance(owner, 'cash', desk.setup.valuationCurrency).toNumber(), currency: desk.setup.valuationCurrency }),
    hasPendingOrder: (id) => desk.executor.isWorking(owner, id),
    emit: (signal) => void emitted.push(signal),
    now: () => desk.clock.now(),
    mode: () => analyst.mode,
    abstain: (a) =>
      void desk.core.recordAgentEvent({
        type: 'BrainAbstained',
        agentId: analyst.id,
        role: 'analyst',
        instrumentId: a.instrumentId,
        cause: a.cause,
        detail: a.detail,
        ...(a.recordId === undefined ? {} : { recordId: a.recordId }),
      }),
  };
}

/**
 * An analyst's own position in the netting modes, where the desk book nets every analyst's views: the position its
 * standing view implies at its sizing (the view's conviction times its size per conviction, at the price when it was
 * taken for a notional size; negative when short, 0 when flat or before its first view). Shown the shared book, a
 * strategy would take the others' trades for its own — exit positions it never opened, wait for a flat book to enter
 * — and the views the manager nets would depend on the others' trades.
 */
export function impliedPosition(analyst: AnalystRole, instrumentId: InstrumentId): number {
  const call = analyst.calls.get(instrumentId);
  if (call === undefined || call.direction === 'flat') return 0;
  const { kind, perConviction } = analyst.sizing;
  const size = kind === 'quantity' ? perConviction.toNumber() * call.conviction : call.price > 0 ? (perConviction.toNumber() * call.conviction) / call.price : 0;
  return call.direction === 'long' ? size : -size;
}
