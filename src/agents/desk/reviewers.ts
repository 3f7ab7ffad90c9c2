import type { AgentMode } from '../../domain/agent-events.js';

/**
 * Ports for brains that review what the rules produced (model-driven managers and judges). The desk awaits them
 * before its clock moves; what they answer can only keep or shrink what the rules would do, and every answer is
 * journaled with its reason.
 */

/** A view that would open or add to a position, as the manager's reviewer sees it. */
export interface ProposalForReview {
  /** The signal id (`signal:<analyst>:<instrument>:<ts>`). */
  readonly id: string;
  readonly analystId: string;
  readonly instrumentId: string;
  readonly direction: 'long' | 'short';
  readonly conviction: number;
  readonly thesis: string;
  /** The book's current position in the instrument (base units, signed) and the mark. */
  readonly position: number;
  readonly mark: number;
}

export interface ReviewVerdict {
  readonly verdict: 'approve' | 'resize' | 'veto';
  /** 1 for approve, 0 for veto, in (0, 1) for resize. */
  readonly scale: number;
  readonly reason: string;
  readonly recordId?: string;
}

export interface ReviewAbstention {
  readonly cause: 'model' | 'invalid' | 'budget' | 'provider-error';
  readonly detail: string;
  readonly recordId?: string;
}

export interface ManagerReviewer {
  readonly id: string;
  /** A verdict per proposal id; a proposal without one is not acted on. An abstention vetoes every proposal. */
  review(now: number, proposals: readonly ProposalForReview[]): Promise<{ readonly verdicts: ReadonlyMap<string, ReviewVerdict>; readonly abstained?: ReviewAbstention }>;
}

/** One analyst's computed grade, and the mode the rules suggest. */
export interface GradeForReview {
  readonly agentId: string;
  readonly score: number;
  readonly returns: number;
  readonly risk: number;
  readonly quality: number;
  readonly consistency: number;
  readonly mode: AgentMode;
  readonly suggestedMode: AgentMode;
  readonly suggestion: string;
  /** The drawdown breach in words, when the analyst is past its budget: it is conservative whatever the review says. */
  readonly breach?: string;
}

export interface ModeVerdict {
  readonly mode: AgentMode;
  readonly reason: string;
  readonly recordId?: string;
}

export interface JudgeReviewer {
  readonly id: string;
  /** A mode per agent it decided on; an agent left out keeps the rules' suggestion. An abstention keeps them all. */
  review(now: number, grades: readonly GradeForReview[]): Promise<{ readonly modes: ReadonlyMap<string, ModeVerdict>; readonly abstained?: ReviewAbstention }>;
}
