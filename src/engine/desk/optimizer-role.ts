import type { AgentId, InstrumentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import { nextToClose, readBar, type BarSeries } from '../../data/bar-series.js';
import type { Instrument } from '../../domain/instrument.js';
import type { TradingCore } from '../trading-core.js';
import { createStrategy } from '../../strategies/registry.js';
import type { BarView, StrategyContext, StrategyParameters } from '../../strategies/strategy.js';
import type { AnalystRole } from './analyst-role.js';
import type { ParameterSearch, ParameterSearchRequest, ParameterSearchResult, ThreadedParameterSearch } from '../../agents/desk/parameter-search.js';

export interface OptimizerRoleConfig {
  readonly id: AgentId;
  readonly periodMs: number;
  readonly lookbackBars: number;
  readonly approval: 'automatic' | 'manual';
  readonly search: ParameterSearch;
  /** The same search on another thread, for a desk run with `nextAsync` (a paper run); `search` otherwise. */
  readonly threadedSearch?: ThreadedParameterSearch;
  readonly seed: number;
}

interface Proposal {
  readonly id: string;
  readonly agentId: AgentId;
  readonly parameters: StrategyParameters;
}

type RecentBars = (id: InstrumentId, bars: number) => BarSeries | undefined;

const MUTED: StrategyContext = { position: () => 0, hasPendingOrder: () => false, emit: () => undefined };

/**
 * The parameter optimizer: on its schedule it re-tunes each analyst's strategy walk-forward on the recent bars
 * (never later ones) and publishes a proposal. Automatic approval applies it at once; manual leaves it pending
 * until `approve`. Applying swaps in a new brain warmed on the same recent bars, so it trades from the next bar: the
 * recent bars of every instrument it trades (a pairs strategy needs both legs at each time), merged as the desk
 * replays them.
 */
export class OptimizerRole {
  readonly pending = new Map<string, Proposal>();
  runs = 0;

  constructor(
    private readonly core: TradingCore,
    private readonly config: OptimizerRoleConfig,
  ) {}

  /** Searches for every analyst it can tune, on this thread, and records what it finds. */
  run(now: UnixMs, analysts: ReadonlyMap<AgentId, AnalystRole>, recent: RecentBars, instruments: readonly Instrument[]): void {
    for (const { analyst, request } of this.requests(now, analysts, recent, instruments)) this.take(now, analyst, request, this.config.search(request), recent);
  }

  /**
   * The same, with the search on another thread: analyst by analyst, in the order `run` takes them, so the journal
   * is the one `run` writes.
   */
  async runThreaded(now: UnixMs, analysts: ReadonlyMap<AgentId, AnalystRole>, recent: RecentBars, instruments: readonly Instrument[], search: ThreadedParameterSearch): Promise<void> {
    for (const { analyst, request } of this.requests(now, analysts, recent, instruments)) this.take(now, analyst, request, await search(request), recent);
  }

  /** What each tunable analyst is searched on: its instruments' recent bars (the run counts, and seeds the search). */
  private requests(now: UnixMs, analysts: ReadonlyMap<AgentId, AnalystRole>, recent: RecentBars, instruments: readonly Instrument[]): { analyst: AnalystRole; request: ParameterSearchRequest }[] {
    this.runs += 1;
    const requests: { analyst: AnalystRole; request: ParameterSearchRequest }[] = [];
    for (const analyst of analysts.values()) {
      // A model-driven analyst has no strategy parameters to tune.
      if (analyst.strategyName === 'llm') continue;
      const series = analyst.instruments.map((id) => recent(id, this.config.lookbackBars));
      if (series.some((s) => s === undefined || s.length < this.config.lookbackBars)) continue;
      requests.push({
        analyst,
        request: {
          agentId: analyst.id,
          strategy: analyst.strategyName,
          current: analyst.parameters,
          series: series as BarSeries[],
          instruments: instruments.filter((i) => analyst.instruments.includes(i.id)),
          now,
          seed: this.config.seed + this.runs,
        },
      });
    }
    return requests;
  }

  /**
   * Records a search's proposal, against the parameters it was searched from (a person may approve an earlier proposal
   * while a search on another thread works), and applies it at once when approval is automatic.
   */
  private take(now: UnixMs, analyst: AnalystRole, request: ParameterSearchRequest, result: ParameterSearchResult | undefined, recent: RecentBars): void {
    if (result === undefined) return;
    const proposalId = `proposal:${analyst.id}:${now}`;
    const event = this.core.recordAgentEvent({
      type: 'ParametersProposed',
      proposalId,
      agentId: analyst.id,
      current: request.current,
      proposed: result.proposed,
      proposedScore: result.proposedScore,
      currentScore: result.currentScore,
      approval: this.config.approval === 'automatic' ? 'automatic' : 'required',
      reason: result.reason,
    });
    const proposal = { id: proposalId, agentId: analyst.id, parameters: result.proposed };
    if (this.config.approval === 'automatic') this.apply(proposal, 'automatic', analyst, recent, event.id);
    else this.pending.set(proposalId, proposal);
  }

  approve(proposalId: string, approvedBy: string, analysts: ReadonlyMap<AgentId, AnalystRole>, recent: RecentBars): void {
    const proposal = this.pending.get(proposalId);
    if (proposal === undefined) throw new Error(`no pending proposal ${proposalId}; pending: ${[...this.pending.keys()].join(', ') || 'none'}`);
    const analyst = analysts.get(proposal.agentId);
    if (analyst === undefined) throw new Error(`proposal ${proposalId} is for ${proposal.agentId}, which is not an analyst of this desk`);
    this.pending.delete(proposalId);
    this.apply(proposal, approvedBy, analyst, recent, proposalId);
  }

  private apply(proposal: Proposal, approvedBy: string, analyst: AnalystRole, recent: RecentBars, causationId: string): void {
    const brain = createStrategy(analyst.strategyName, proposal.parameters, analyst.instruments);
    const bars = Math.max(brain.warmup * 2, 1);
    const warm = analyst.instruments.map((id) => recent(id, bars)).filter((s): s is BarSeries => s !== undefined && s.length > 0);
    const view: BarView = { instrumentId: analyst.instruments[0] as InstrumentId, index: 0, ts: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
    for (const { series, index } of inCloseOrder(warm)) {
      view.instrumentId = series.instrumentId;
      view.index = index;
      readBar(series, index, view);
      brain.onBar(view, MUTED);
    }
    analyst.brain = brain;
    analyst.parameters = proposal.parameters;
    this.core.recordAgentEvent({ type: 'ParametersApplied', proposalId: proposal.id, agentId: analyst.id, parameters: proposal.parameters, approvedBy, causationId });
  }
}

/**
 * The bars of several series in the order the desk replays them: by close time, and at the same close time in the
 * order the series are given (a strategy's instrument order).
 */
export function inCloseOrder(series: readonly BarSeries[]): { series: BarSeries; index: number }[] {
  const cursors = series.map((s) => ({ series: s, index: 0 }));
  const order: { series: BarSeries; index: number }[] = [];
  for (let next = nextToClose(cursors); next !== undefined; next = nextToClose(cursors)) {
    order.push({ series: next.series, index: next.index });
    next.index += 1;
  }
  return order;
}
