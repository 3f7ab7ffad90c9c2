import type { Fixed } from '../../core/fixed.js';
import type { InstrumentId } from '../../core/ids.js';
import type { AnalystSignal } from '../../agents/decision-modes/index.js';
import { DESK_OWNER } from './manager-role.js';

/**
 * The standing views a manager nudge looks at again: those whose book disagrees in direction with what it should
 * hold (size drift is left alone). In the sleeve modes a sleeve against its analyst's view; in the netting modes every
 * view on an instrument whose desk book disagrees with the target the manager last netted for it (one analyst's view
 * is only a part of that target). Spot dust no order can sell (`holdsDust`) is not a book that disagrees with a flat
 * view: asking again would only be refused again.
 */
export function staleViews(
  latest: Iterable<AnalystSignal>,
  deskBook: boolean,
  decidedTargets: ReadonlyMap<InstrumentId, Fixed>,
  quantityOf: (owner: string, instrumentId: InstrumentId) => number,
  holdsDust: (owner: string, instrumentId: InstrumentId) => boolean,
): AnalystSignal[] {
  const views = [...latest];
  if (!deskBook) {
    return views.filter((entry) => {
      const want = entry.signal.direction === 'long' ? 1 : entry.signal.direction === 'short' ? -1 : 0;
      return Math.sign(quantityOf(entry.sleeve, entry.signal.instrumentId)) !== want && !(want === 0 && holdsDust(entry.sleeve, entry.signal.instrumentId));
    });
  }
  const instruments = new Set<InstrumentId>();
  for (const entry of views) {
    const id = entry.signal.instrumentId;
    const target = decidedTargets.get(id);
    const want = target === undefined ? 0 : target.isPositive() ? 1 : target.isNegative() ? -1 : 0;
    if (Math.sign(quantityOf(DESK_OWNER, id)) !== want && !(want === 0 && holdsDust(DESK_OWNER, id))) instruments.add(id);
  }
  return views.filter((entry) => instruments.has(entry.signal.instrumentId));
}
