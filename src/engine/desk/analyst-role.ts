import type { AgentId, InstrumentId } from '../../core/ids.js';
import type { AgentHealth, AgentMode } from '../../domain/agent-events.js';
import type { Strategy, StrategyParameters } from '../../strategies/strategy.js';
import type { ResolvedDecision } from '../../agents/judge/scorecard.js';
import type { Sizing } from '../../agents/decision-modes/types.js';

/** The latest view of an analyst on one instrument, and the price when it was taken (to grade it later). */
export interface OpenCall {
  readonly direction: 'long' | 'short' | 'flat';
  readonly conviction: number;
  readonly ts: number;
  readonly price: number;
}

const MAX_GRADED_CALLS = 500;

/**
 * A market analyst: a brain (here a rule-based strategy; an LLM brain honours the same contract) trading one
 * sleeve. The role keeps what the judge needs to grade it: each call, resolved when the next call on the same
 * instrument replaces it (the return in the call's direction over the time it stood).
 */
export class AnalystRole {
  health: AgentHealth = 'healthy';
  mode: AgentMode = 'standard';
  errors = 0;
  readonly calls = new Map<InstrumentId, OpenCall>();
  readonly graded: ResolvedDecision[] = [];

  constructor(
    readonly id: AgentId,
    readonly sleeve: string,
    readonly strategyName: string,
    public parameters: StrategyParameters,
    public brain: Strategy,
    readonly sizing: Sizing,
    /** How often the orchestrator nudges it (ms), if at all. */
    readonly nudgeEveryMs?: number,
  ) {}

  get instruments(): readonly InstrumentId[] {
    return this.brain.instruments;
  }

  /** Records a new call; grades the one it replaces. */
  call(instrumentId: InstrumentId, direction: OpenCall['direction'], conviction: number, ts: number, price: number): void {
    const previous = this.calls.get(instrumentId);
    if (previous !== undefined && previous.direction !== 'flat' && previous.price > 0 && price > 0) {
      const move = price / previous.price - 1;
      this.graded.push({ ts: previous.ts, direction: previous.direction, conviction: previous.conviction, outcomeReturn: previous.direction === 'long' ? move : -move });
      if (this.graded.length > MAX_GRADED_CALLS) this.graded.splice(0, this.graded.length - MAX_GRADED_CALLS);
    }
    this.calls.set(instrumentId, { direction, conviction, ts, price });
  }
}
