import type { Fixed } from '../../core/fixed.js';
import type { AgentId, InstrumentId, IntentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { Instrument } from '../../domain/instrument.js';
import type { OrderIntent } from '../../domain/intent.js';
import type { Signal } from '../../strategies/strategy.js';

export type DecisionMode = 'independent' | 'weighted' | 'consensus' | 'hierarchical' | 'emergency';

/** The latest signal of one analyst on one instrument, and the sleeve (ledger owner) that analyst trades. */
export interface AnalystSignal {
  readonly analystId: AgentId;
  /** Ledger owner of the analyst's sleeve (independent and hierarchical modes trade here). */
  readonly sleeve: string;
  readonly signal: Signal;
  /** When the signal was emitted; part of the causation id `signal:<analyst>:<instrument>:<ts>`. */
  readonly ts: UnixMs;
  /** The analyst's own conviction, when the manager's review resized the view (its conviction scaled down). */
  readonly analystConviction?: number;
}

/** A signed position (negative when short) of one ledger owner in one instrument. */
export interface PositionEntry {
  readonly owner: string;
  readonly instrumentId: InstrumentId;
  readonly quantity: Fixed;
}

/**
 * How big a conviction-1 position is:
 * - `quantity`: `perConviction` instrument quantity units (base units for spot, contracts for perpetuals);
 * - `notional`: `perConviction` quote/settle currency, converted with the reference price:
 *   quantity = notional x conviction / (price x contractSize), truncated at TARGET_SCALE.
 * A signal of conviction c targets c x that size (long positive, short negative, flat zero).
 */
export type Sizing =
  | { readonly kind: 'quantity'; readonly perConviction: Fixed }
  | { readonly kind: 'notional'; readonly perConviction: Fixed };

/** Skip a trade whose (lot-rounded) size is below either bound, unless it goes to flat. Used by weighted mode. */
export interface Deadband {
  readonly quantity?: Fixed;
  readonly notional?: Fixed;
}

export interface ConsensusRules {
  /** Votes needed on one direction (an integer >= 1). */
  readonly k: number;
  /** Desk-level size; scaled by the mean conviction of the agreeing analysts. */
  readonly size: Sizing;
}

/** Manager rules applied to the independent proposals in hierarchical mode. */
export interface HierarchicalRules {
  /** Proposals on these instruments are vetoed (no order). */
  readonly vetoInstruments?: readonly InstrumentId[];
  /** Caps |target| of one proposal, per instrument (quantity units). A larger proposal is resized down. */
  readonly maxTargetQuantity?: ReadonlyMap<InstrumentId, Fixed>;
  /** Caps |target| x contractSize x price of one proposal. Without a price the proposal is vetoed. */
  readonly maxTargetNotional?: Fixed;
  /** Veto every proposal on an instrument where one analyst is long and another short. Default true. */
  readonly vetoOnDisagreement?: boolean;
}

/** Why emergency mode runs. */
export interface Breach {
  readonly code: string;
  readonly reason: string;
  /** The journaled event behind it, when there is one (the position cycle's step): the decisions' cause. */
  readonly causationId?: string;
}

export interface DecisionInput {
  readonly now: UnixMs;
  /** The portfolio manager agent: agent of desk-level intents (weighted, consensus, emergency). */
  readonly managerId: AgentId;
  /** Ledger owner of desk-level positions (weighted and consensus trade here). */
  readonly deskOwner: string;
  readonly signals: readonly AnalystSignal[];
  /** The latest view of every analyst per instrument (hierarchical: a new view that disagrees with one is vetoed). */
  readonly standing?: readonly AnalystSignal[];
  readonly positions: readonly PositionEntry[];
  /** Reference price per instrument (needed for notional sizing, notional caps and notional deadbands). */
  readonly prices: ReadonlyMap<InstrumentId, Fixed>;
  readonly instruments: ReadonlyMap<InstrumentId, Instrument>;
  /** Per analyst sizing (independent, hierarchical, weighted). */
  readonly sizing: ReadonlyMap<AgentId, Sizing>;
  /** Weighted mode: multiplier per analyst (not normalised). An analyst without a weight counts 0. */
  readonly weights?: ReadonlyMap<AgentId, Fixed>;
  readonly deadband?: Deadband;
  readonly consensus?: ConsensusRules;
  /**
   * Consensus mode: each analyst's mode sizing multiplier (the judge's conservative ×0.5 ...); the agreeing
   * analysts' mean scales the desk-level size. An analyst without one counts ×1.
   */
  readonly sizeMultipliers?: ReadonlyMap<AgentId, Fixed>;
  readonly hierarchy?: HierarchicalRules;
  /**
   * Weighted and consensus: the desk book is REDUCING (or halted): every view is netted as when ACTIVE, and the target
   * is then held to what only reduces the book (see `planNetted`).
   */
  readonly deskReducing?: boolean;
  /** Emergency mode: the breach that triggered it. */
  readonly breach?: Breach;
}

export interface Decision {
  readonly instrumentId: InstrumentId;
  readonly mode: DecisionMode;
  readonly owner: string;
  readonly agentId: AgentId;
  /**
   * The position aimed at (signed). Equals `current` when the decision is to hold; the order may fall short of it
   * (below a lot, inside the deadband, held to a reduction while the desk book is REDUCING), as the reason says.
   */
  readonly target: Fixed;
  readonly current: Fixed;
  /** Signed order quantity after lot rounding (zero when no intent). */
  readonly order: Fixed;
  readonly intentId?: IntentId;
  readonly causationId: string;
  readonly reason: string;
}

export interface DecisionResult {
  readonly intents: OrderIntent[];
  readonly decisions: Decision[];
}
