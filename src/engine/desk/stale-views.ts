import type { Fixed } from '../../core/fixed.js';
import type { InstrumentId } from '../../core/ids.js';
import type { AnalystSignal } from '../../agents/decision-modes/index.js';
import { DESK_OWNER } from './manager-role.js';

/**
 * The standing views a manager nudge looks at again: those whose book disagrees in direction with what it should
 * hold (size drift is left alone). In the sleeve modes a sleeve against its analyst's view; in the netting modes every
 * view on an instrument whose desk book disagrees with the target the manager last netted for it (one analyst's view
 * is only a part of that target).
 */
export function staleViews(
  latest: Iterable<AnalystSignal>,
  deskBook: boolean,
  decidedTargets: ReadonlyMap<InstrumentId, Fixed>,
  quantityOf: (owner: string, instrumentId: InstrumentId) => number,
): AnalystSignal[] {
  const views = [...latest];
  if (!deskBook) {
    return views.filter((entry) => {
      const want = entry.signal.direction === 'long' ? 1 : entry.signal.direction === 'short' ? -1 : 0;
      return Math.sign(quantityOf(entry.sleeve, entry.signal.instrumentId)) !== want;
    });
  }
  const instruments = new Set<InstrumentId>();
  for (const entry of views) {
    const id = entry.signal.instrumentId;
    const target = decidedTargets.get(id);
    const want = target === undefined ? 0 : target.isPositive() ? 1 : target.isNegative() ? -1 : 0;
    if (Math.sign(quantityOf(DESK_OWNER, id)) !== want) instruments.add(id);
  }
  return views.filter((entry) => instruments.has(entry.signal.instrumentId));
}
