import type { Fixed } from '../../core/fixed.js';
import type { InstrumentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { ReconciliationSnapshot } from '../../execution/venue-port.js';
import type { VenueAccount } from './account.js';
import type { InstrumentState } from './instrument-state.js';

/** The venue's side of a reconciliation: its open orders, its positions, and its balances (free at the marks). */
export function reconciliationSnapshot(
  ts: UnixMs,
  states: Iterable<InstrumentState>,
  account: VenueAccount,
  marks: ReadonlyMap<InstrumentId, Fixed>,
): ReconciliationSnapshot {
  const openOrders = [...states].flatMap((st) => st.open).map((o) => ({
    clientOrderId: o.spec.clientOrderId,
    venueOrderId: o.venueOrderId,
    instrumentId: o.spec.instrumentId,
    side: o.spec.side,
    quantity: o.spec.quantity,
    filled: o.filled,
  }));
  return {
    ts,
    openOrders,
    positions: account.allPositions().map((p) => ({ instrumentId: p.instrument.id, quantity: p.state.quantity })),
    balances: account.snapshotBalances(marks),
  };
}
