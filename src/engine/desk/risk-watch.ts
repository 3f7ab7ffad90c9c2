import type { AgentId, InstrumentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { Instrument } from '../../domain/instrument.js';
import type { MitigationDecision } from '../../risk/monitoring/mitigation.js';
import type { TradingCore } from '../trading-core.js';
import type { AnalystRole } from './analyst-role.js';
import type { DeskMarket } from './desk-market.js';
import type { ExecutorRole } from './executor-role.js';
import type { ManagerRole } from './manager-role.js';
import type { RiskMonitorRole } from './risk-monitor-role.js';
import { planCut, type CutPlan } from './risk-cut.js';

/** The parts of the desk the risk watch reads and acts through. */
export interface RiskWatchParts {
  readonly core: TradingCore;
  readonly monitor: RiskMonitorRole;
  readonly executor: ExecutorRole;
  readonly manager: ManagerRole;
  readonly market: DeskMarket;
  readonly instruments: ReadonlyMap<InstrumentId, Instrument>;
  readonly activeAnalysts: () => Map<AgentId, AnalystRole>;
}

/**
 * The risk watch's decision carried out on its nudge: a halt, or REDUCING with a cut of every book it can reach, at
 * market; and REDUCING it set lifted once the monitor finds every measure back at or below its release level.
 */
export class RiskWatch {
  constructor(private readonly parts: RiskWatchParts) {}

  run(now: UnixMs): void {
    const { core, monitor, executor, manager, market, instruments } = this.parts;
    market.refreshPrices();
    let plan: CutPlan | undefined;
    const planned = (decision: MitigationDecision): string | undefined => {
      if (decision.action !== 'reduce') return undefined;
      plan = planCut(core, executor);
      return plan.summary;
    };
    const decision = monitor.assess((id) => market.closedBars(id), market.prices, now, planned);
    // REDUCING the watch set lasts until every measure is back at or below its release level, under its limit (one a
    // person or a breaker set stays until they lift it).
    const released = monitor.released;
    if (released !== undefined) core.relieve(`risk monitor: ${released}; the desk returns to ACTIVE.`, 'risk-monitor');
    if (decision === undefined) return;
    if (decision.action === 'halt') core.halt(`risk monitor: ${decision.reason}`, 'risk-monitor');
    else if (decision.action === 'reduce' && plan !== undefined) {
      core.reduce(`risk monitor: ${decision.reason}`, 'risk-monitor');
      if (plan.books.size === 0) return;
      // The cut cites the assessment that decided it, so its chain walks back to the figures behind it.
      const cause = monitor.assessedId;
      const breach = { code: decision.trigger, reason: decision.reason, ...(cause === undefined ? {} : { causationId: cause }) };
      for (const intent of manager.flatten(now, breach, this.parts.activeAnalysts(), market.prices, plan.owners, decision.reduceGrossFraction)) {
        const instrument = instruments.get(intent.instrumentId);
        const price = market.priceOf(intent.instrumentId);
        if (instrument !== undefined && price !== undefined && plan.books.has(`${intent.owner}|${intent.instrumentId}`)) executor.execute(intent, instrument, price, now, undefined, { atMarket: true });
      }
    }
  }
}
