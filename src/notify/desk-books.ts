import type { Fixed } from '../core/fixed.js';
import type { InstrumentId } from '../core/ids.js';

/**
 * What the notifier reads of the desk's books, so the figures it sends are the books' own: an instrument's contract
 * size (a perpetual's notional is quantity × contract size × price) and the realised PnL booked in it so far.
 */
export interface DeskBooks {
  contractSize(instrumentId: InstrumentId): Fixed;
  /** Realised PnL booked in the instrument so far, every owner's position together, in its settlement currency. */
  realisedPnl(instrumentId: InstrumentId): Fixed;
}
