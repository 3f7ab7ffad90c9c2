import type { InstrumentId } from '../core/ids.js';
import type { AgentMode } from '../domain/agent-events.js';

/** What a strategy wants to hold: long, short, or nothing. Conviction 0..1 scales sizing where sizing allows. */
export interface Signal {
  readonly instrumentId: InstrumentId;
  readonly direction: 'long' | 'short' | 'flat';
  readonly conviction: number;
  /** Why, in words a person can check against the chart. */
  readonly reason: string;
  /** How many bars the view is meant to hold (informational). */
  readonly horizonBars?: number;
  /** Protective exits the brain asks for (prices); they replace the desk's configured ones on the order this opens. */
  readonly stopPrice?: number;
  readonly targetPrice?: number;
  /** The model call behind the view (a model-driven brain's decision record). */
  readonly recordId?: string;
}

/**
 * The bar a strategy sees. The runner reuses one object per instrument and overwrites it each bar: read what you
 * need during `onBar`, do not keep the object.
 */
export interface BarView {
  instrumentId: InstrumentId;
  /** Index of the bar in its series. */
  index: number;
  /** Bar open time, epoch ms. */
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** What the runner tells a strategy about the desk, and how the strategy speaks. */
export interface StrategyContext {
  /** Current net position (base units; negative when short), for analytics. */
  position(instrumentId: InstrumentId): number;
  /** True while an order for the instrument is working: strategies send nothing new until it is done. */
  hasPendingOrder(instrumentId: InstrumentId): boolean;
  emit(signal: Signal): void;
  /** The cash the analyst's book has free, in the valuation currency (analytics; a model-driven brain shows it). */
  cash?(): { readonly amount: number; readonly currency: string };
  /** The desk clock now (the close of the bar being shown); a model-driven brain stamps its calls with it. */
  now?(): number;
  /** The mode the judge has the analyst in (the desk supplies it; a model-driven brain picks its prompt by it). */
  mode?(): AgentMode;
  /** Says the brain has no view this time and why (journaled as BrainAbstained; counted per cause). */
  abstain?(abstention: Abstention): void;
}

export interface Abstention {
  readonly instrumentId: InstrumentId;
  /** model: the model abstained; invalid: its answer failed validation twice; budget; provider-error. */
  readonly cause: 'model' | 'invalid' | 'budget' | 'provider-error';
  readonly detail: string;
  readonly recordId?: string;
}

/**
 * A rule-based analyst brain. Called once per bar of each of its instruments, in time order (instruments with
 * bars at the same time in the order they were given), after the venue has processed that bar. User code runs
 * inside a guard: an exception becomes a StrategyError event, not a crash.
 */
export interface Strategy {
  readonly name: string;
  readonly instruments: readonly InstrumentId[];
  /** Bars each instrument needs before the strategy's signals mean anything; earlier signals are ignored. */
  readonly warmup: number;
  /** The strategy pairs its instruments' bars by open time: they must share one timeframe. */
  readonly pairsBarsByTime?: boolean;
  onBar(bar: BarView, context: StrategyContext): void;
  /**
   * The orchestrator's nudge (`orchestrator.nudges.analysts` or the agent's `every`): a chance to look again between
   * bars. Rule-based strategies are bar-driven and leave it out; a model-driven brain uses it to re-read the market.
   */
  onNudge?(ts: number, context: StrategyContext): void;
  /** Perpetual funding rates, when the data has them (funding times, rate as a fraction). */
  onFunding?(instrumentId: InstrumentId, ts: number, rate: number, context: StrategyContext): void;
}

export interface ParameterSpec {
  readonly name: string;
  readonly description: string;
  readonly default: number | string;
  /** For numbers: the range the optimizer searches, and whether only integers make sense. */
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
  /** For strings: the allowed values. */
  readonly choices?: readonly string[];
}

export type StrategyParameters = Readonly<Record<string, number | string>>;

export interface StrategyFactory {
  readonly name: string;
  readonly description: string;
  readonly parameters: readonly ParameterSpec[];
  /** How many instruments it trades (pairs strategies need exactly two). */
  readonly instrumentCount: number;
  /** Builds a strategy; throws FixRequestError naming any bad parameter (unknown name, wrong type, out of range). */
  create(parameters: StrategyParameters, instruments: readonly InstrumentId[]): Strategy;
}
