import type { Fixed } from '../../core/fixed.js';
import type { AgentId, InstrumentId } from '../../core/ids.js';
import type { AnalystRole } from './analyst-role.js';
import { DESK_OWNER } from './manager-role.js';
import type { CycleBook } from './position-cycle.js';

/**
 * The books the position cycle works: each healthy analyst's sleeve on its instruments, or (netting modes, given
 * the manager and the targets it last netted) the desk book of each instrument the analysts trade, whose view is
 * the direction of that target.
 */
export function cycleBooks(analysts: Iterable<AnalystRole>, netting: { readonly managerId: AgentId; readonly targets: ReadonlyMap<InstrumentId, Fixed> } | undefined): CycleBook[] {
  const active = [...analysts].filter((analyst) => analyst.health === 'healthy');
  if (netting === undefined) {
    return active.flatMap((analyst) => analyst.instruments.map((instrumentId) => ({ agentId: analyst.id, owner: analyst.sleeve, instrumentId, view: analyst.calls.get(instrumentId) })));
  }
  const instruments = new Set(active.flatMap((analyst) => analyst.instruments));
  return [...instruments].map((instrumentId) => {
    const target = netting.targets.get(instrumentId);
    const direction = target === undefined ? undefined : target.isPositive() ? 'long' : target.isNegative() ? 'short' : 'flat';
    return { agentId: netting.managerId, owner: DESK_OWNER, instrumentId, view: direction === undefined ? undefined : { direction } };
  });
}
