import type { AgentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { BarSeries } from '../../data/bar-series.js';
import type { Instrument } from '../../domain/instrument.js';
import type { StrategyParameters } from '../../strategies/strategy.js';

/** What the optimizer role asks for: better parameters for one analyst's strategy, judged on recent bars only. */
export interface ParameterSearchRequest {
  readonly agentId: AgentId;
  /** Strategy registry name (sma-cross, bb-rsi ...). */
  readonly strategy: string;
  readonly current: StrategyParameters;
  /** The analyst's instruments and their recent bars (up to the decision time: no look-ahead). */
  readonly series: readonly BarSeries[];
  readonly instruments: readonly Instrument[];
  readonly now: UnixMs;
  /** Seeds the search, so a rerun proposes the same parameters. */
  readonly seed: number;
}

export interface ParameterSearchResult {
  readonly proposed: StrategyParameters;
  /** Out-of-sample objective (stitched walk-forward) of the proposal and of the current parameters. */
  readonly proposedScore: number;
  readonly currentScore: number;
  readonly trials: number;
  readonly reason: string;
}

/**
 * The optimizer role's port: runs a walk-forward search and returns a proposal, or undefined when there is too
 * little data or nothing beats the current parameters. Supplied by the runtime (it runs backtests).
 */
export type ParameterSearch = (request: ParameterSearchRequest) => ParameterSearchResult | undefined;

/**
 * The same search run off the desk's thread (a worker thread in a paper run), so the run keeps its summary, its
 * halts and its kill switch while the search works. It must give the result the in-thread search gives: the desk
 * awaits it before its clock moves (`Desk.nextAsync`) and records it where the in-thread search's is recorded.
 */
export type ThreadedParameterSearch = (request: ParameterSearchRequest) => Promise<ParameterSearchResult | undefined>;
