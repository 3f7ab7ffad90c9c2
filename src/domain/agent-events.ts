import type { Fixed } from '../core/fixed.js';
import type { AgentId, ClientOrderId, InstrumentId, IntentId } from '../core/ids.js';
import type { EventBase, TradingState } from './event-base.js';

/**
 * Facts about the desk's agents: what they saw, proposed, decided and were told. They change no books, but they
 * are journaled with the rest, so every order can be walked back to the signal that started it, and a replayed
 * journal tells the same story.
 */

/** An analyst's view on an instrument. `signalId` is `signal:<agent>:<instrument>:<ts>`. */
export interface SignalEmitted extends EventBase {
  readonly type: 'SignalEmitted';
  readonly signalId: string;
  readonly agentId: AgentId;
  readonly instrumentId: InstrumentId;
  readonly direction: 'long' | 'short' | 'flat';
  /** 0..1 as the analyst gave it (analytics, not books). */
  readonly conviction: number;
  readonly reason: string;
  readonly horizonBars?: number;
  /** The model call behind the view (a decision record's `recordId`), when a model-driven brain took it. */
  readonly recordId?: string;
}

/** The portfolio manager's decision on one instrument for one owner; `causationId` lists the signals it used. */
export interface DecisionMade extends EventBase {
  readonly type: 'DecisionMade';
  readonly agentId: AgentId;
  readonly mode: 'independent' | 'weighted' | 'consensus' | 'hierarchical' | 'emergency';
  readonly owner: string;
  readonly instrumentId: InstrumentId;
  readonly target: Fixed;
  readonly current: Fixed;
  /** Signed order quantity (zero: no order). */
  readonly order: Fixed;
  readonly intentId?: IntentId;
  readonly reason: string;
}

/** A sleeve's own trading state (the desk's state still applies on top: the stricter one wins). */
export interface SleeveStateChanged extends EventBase {
  readonly type: 'SleeveStateChanged';
  readonly sleeve: string;
  readonly from: TradingState;
  readonly to: TradingState;
  readonly reason: string;
}

export type AgentHealth = 'healthy' | 'failing' | 'stopped';

/** The orchestrator's view of an agent changed. */
export interface AgentHealthChanged extends EventBase {
  readonly type: 'AgentHealthChanged';
  readonly agentId: AgentId;
  readonly from: AgentHealth;
  readonly to: AgentHealth;
  readonly reason: string;
}

export type AgentMode = 'conservative' | 'standard' | 'aggressive';

/** The judge's grade of one agent (0-100) with its parts, and the mode it leaves the agent in. */
export interface AgentScored extends EventBase {
  readonly type: 'AgentScored';
  readonly agentId: AgentId;
  readonly sleeve: string;
  readonly score: number;
  readonly returns: number;
  readonly risk: number;
  readonly quality: number;
  readonly consistency: number;
  readonly mode: AgentMode;
  readonly reason: string;
}

export interface AgentModeChanged extends EventBase {
  readonly type: 'AgentModeChanged';
  readonly agentId: AgentId;
  readonly from: AgentMode;
  readonly to: AgentMode;
  readonly reason: string;
}

/** The judge's capital decision: target weights per sleeve; the money moves as FundsTransferred caused by this. */
export interface CapitalReallocated extends EventBase {
  readonly type: 'CapitalReallocated';
  readonly policy: string;
  readonly weights: readonly { readonly sleeve: string; readonly weight: Fixed }[];
  readonly reason: string;
}

/**
 * The judge's review of the desk, once per review: its notes (leader and laggard, the modes, breaches) and the
 * sweeps that were due but not made. The review's sweeps (`ProfitSwept`) are caused by it.
 */
export interface DeskReviewed extends EventBase {
  readonly type: 'DeskReviewed';
  readonly agentId: AgentId;
  readonly reason: string;
}

/** Progress toward the desk's goals, as the judge measured it. */
export interface GoalsReported extends EventBase {
  readonly type: 'GoalsReported';
  readonly status: 'on-track' | 'behind' | 'breached' | 'achieved' | 'expired';
  readonly returnSoFar: number;
  readonly drawdown: number;
  readonly reason: string;
}

/** The risk manager's portfolio check: VaR/CVaR, the worst stress loss, and what it did about them. */
export interface RiskAssessed extends EventBase {
  readonly type: 'RiskAssessed';
  /** Absent when they could not be measured (too few returns): the reason says why. */
  readonly valueAtRisk?: number;
  readonly conditionalValueAtRisk?: number;
  readonly worstStressLoss: number;
  readonly equity: number;
  readonly action: 'none' | 'reduce' | 'halt';
  readonly reason: string;
}

/** New strategy parameters for an analyst, found by walk-forward optimisation on recent data. */
export interface ParametersProposed extends EventBase {
  readonly type: 'ParametersProposed';
  readonly proposalId: string;
  readonly agentId: AgentId;
  readonly current: Readonly<Record<string, number | string>>;
  readonly proposed: Readonly<Record<string, number | string>>;
  /** Out-of-sample score of the proposal and of the current parameters over the same windows. */
  readonly proposedScore: number;
  readonly currentScore: number;
  readonly approval: 'automatic' | 'required';
  readonly reason: string;
}

export interface ParametersApplied extends EventBase {
  readonly type: 'ParametersApplied';
  readonly proposalId: string;
  readonly agentId: AgentId;
  readonly parameters: Readonly<Record<string, number | string>>;
  readonly approvedBy: string;
}

/**
 * A step of the position cycle: `open`, `hold` and `close` act on the book; `flat` reports a remainder too small
 * to trade, counted as flat; `blocked` says why a flat book with a view is not opened (its state, or earlier
 * refusals of the same open).
 */
export type CycleStep = 'open' | 'hold' | 'close' | 'flat' | 'blocked';

/** One step of the orchestrator's position cycle (open, review, close), as a typed decision. */
export interface CycleStepTaken extends EventBase {
  readonly type: 'CycleStepTaken';
  readonly cycleId: string;
  readonly agentId: AgentId;
  readonly instrumentId: InstrumentId;
  readonly step: CycleStep;
  readonly reason: string;
}

/**
 * A spot take-profit the executor watches itself: the stop-loss holds the coins at the venue, so the target is not
 * a second resting order but a price the closes are checked against. When a close reaches it, the stop is canceled
 * and the position goes out at market (intent `intentId`, caused by this event). `causationId`: what caused the
 * stop-loss (the entry's approval, or the algorithm's parent intent).
 */
export interface TakeProfitTriggered extends EventBase {
  readonly type: 'TakeProfitTriggered';
  readonly agentId: AgentId;
  readonly owner: string;
  readonly instrumentId: InstrumentId;
  readonly stopClientOrderId: ClientOrderId;
  readonly triggerPrice: Fixed;
  /** The close that reached the trigger. */
  readonly price: Fixed;
  readonly intentId: IntentId;
}

/**
 * A position's protective exits put back. A reduction cancels them first (they hold the position, or would outlive
 * it); when it ends without closing the position (a take-profit's exit or a cut the gate refused or the venue
 * rejected, one filled in part) what is left gets them back, at the triggers they had: intents `<intentId>.sl` and,
 * off spot, `<intentId>.tp` (on spot the target is watched again beside the stop). A spot take-profit's exit given up
 * because the venue refused to cancel the stop leaves the stop standing: only the target goes back (no `stopLoss`),
 * watched beside that stop; off spot, the one of the pair whose cancel went through before the other's was refused
 * goes back for the quantity of the one that stayed, one-cancels-the-other with it. What the exits that stayed do not
 * cover (another entry's, canceled before the refusal) gets a pair of its own (`<intentId>.rest.sl` / `.tp`).
 * `quantity`: what the position holds; `stopLoss` / `takeProfit`: the triggers sent or watched again. `intentId`: the reduction;
 * `causationId`: the event that ended it (its denial or rejection), else the reduction.
 */
export interface ExitsRestored extends EventBase {
  readonly type: 'ExitsRestored';
  readonly agentId: AgentId;
  readonly owner: string;
  readonly instrumentId: InstrumentId;
  readonly intentId: IntentId;
  readonly quantity: Fixed;
  readonly stopLoss?: Fixed;
  readonly takeProfit?: Fixed;
  readonly reason: string;
}

/**
 * A brain had no answer to act on, and why: the model abstained, its answer failed validation twice, the budget
 * was exhausted, or the provider failed. Nothing is traded on an abstention (a manager's abstention vetoes the
 * proposals it was shown; a judge's keeps the rules' modes).
 */
export interface BrainAbstained extends EventBase {
  readonly type: 'BrainAbstained';
  readonly agentId: AgentId;
  readonly role: 'analyst' | 'manager' | 'judge';
  readonly instrumentId?: InstrumentId;
  readonly cause: 'model' | 'invalid' | 'budget' | 'provider-error';
  readonly detail: string;
  readonly recordId?: string;
}

/** A model-driven manager's verdict on an analyst's opening proposal (`causationId`: the signal). */
export interface ProposalReviewed extends EventBase {
  readonly type: 'ProposalReviewed';
  readonly agentId: AgentId;
  readonly signalId: string;
  readonly verdict: 'approve' | 'resize' | 'veto';
  /** 1 approve, 0 veto, in (0, 1) resize: the proposal's conviction is multiplied by it. */
  readonly scale: number;
  readonly reason: string;
  readonly recordId?: string;
}

export type AgentEvent =
  | SignalEmitted
  | DecisionMade
  | SleeveStateChanged
  | AgentHealthChanged
  | AgentScored
  | AgentModeChanged
  | CapitalReallocated
  | DeskReviewed
  | GoalsReported
  | RiskAssessed
  | ParametersProposed
  | ParametersApplied
  | CycleStepTaken
  | TakeProfitTriggered
  | ExitsRestored
  | BrainAbstained
  | ProposalReviewed;

export type AgentEventType = AgentEvent['type'];
