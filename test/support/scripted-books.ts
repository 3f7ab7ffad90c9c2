import { Fixed, fx } from '../../src/core/fixed.js';
import type { InstrumentId } from '../../src/core/ids.js';
import type { DeskBooks } from '../../src/notify/desk-books.js';

/**
 * Books for the notifier's tests: contract size 1 unless given, and realised PnL that a test books by hand
 * (`realise`) before it hands over the event that realised it, as the trading core books a fill before publishing it.
 */
export class ScriptedBooks implements DeskBooks {
  private readonly realised = new Map<string, Fixed>();

  constructor(private readonly contractSizes: Readonly<Record<string, string>> = {}) {}

  contractSize(instrumentId: InstrumentId): Fixed {
    return fx(this.contractSizes[instrumentId] ?? '1');
  }

  realisedPnl(instrumentId: InstrumentId): Fixed {
    return this.realised.get(instrumentId) ?? Fixed.zero();
  }

  realise(instrumentId: string, amount: string): void {
    this.realised.set(instrumentId, this.realisedPnl(instrumentId as InstrumentId).add(fx(amount)));
  }
}
