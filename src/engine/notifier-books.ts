import { InvariantViolation } from '../core/errors.js';
import { Fixed } from '../core/fixed.js';
import type { InstrumentId } from '../core/ids.js';
import type { DeskBooks } from '../notify/desk-books.js';
import type { TradingCoreState } from './trading-core-state.js';

/**
 * The trading core's books as the notifier reads them: contract sizes from its instruments, and realised PnL summed
 * over the owners' positions in the ledger, so a daily summary adds up to exactly what the books realised.
 */
export function notifierBooks(core: Pick<TradingCoreState, 'instrument' | 'ledger'>): DeskBooks {
  return {
    contractSize(instrumentId: InstrumentId): Fixed {
      const instrument = core.instrument(instrumentId);
      // The core records fills and liquidations only in instruments it knows.
      if (instrument === undefined) throw new InvariantViolation(`the notifier was told of ${instrumentId}, which the desk does not trade`);
      return instrument.contractSize;
    },
    realisedPnl(instrumentId: InstrumentId): Fixed {
      let total = Fixed.zero();
      for (const { position } of core.ledger.allPositions()) {
        if (position.instrumentId === instrumentId) total = total.add(position.realisedPnl);
      }
      return total;
    },
  };
}
