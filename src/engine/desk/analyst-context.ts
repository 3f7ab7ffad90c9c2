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

/** Made once per analyst: what it asks about goes to `owner`'s book (its sleeve, or the desk book when netting). */
export function analystContext(analyst: AnalystRole, owner: string, book: ReadonlyMap<InstrumentId, number>, desk: AnalystContextSources): AnalystContext {
  const emitted: Signal[] = [];
  return {
    emitted,
    position: (id) => book.get(id) ?? 0,
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
