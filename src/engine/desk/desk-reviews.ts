import type { AgentId, InstrumentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { AgentMode } from '../../domain/agent-events.js';
import type { AnalystSignal } from '../../agents/decision-modes/index.js';
import { signalCausation } from '../../agents/decision-modes/common.js';
import type { JudgeReviewer, ManagerReviewer, ProposalForReview, ReviewAbstention } from '../../agents/desk/reviewers.js';
import type { TradingCore } from '../trading-core.js';
import type { AnalystRole } from './analyst-role.js';

export interface DeskReviewers {
  readonly manager?: ManagerReviewer;
  readonly judge?: JudgeReviewer;
}

/**
 * The desk's asynchronous reviews: a model-driven manager looks at the opening proposals before the rules size
 * them, and a model-driven judge sets the analysts' modes from the computed grades. Both can only keep or shrink
 * what the rules would do; every verdict and every abstention is journaled.
 */
export class DeskReviews {
  constructor(
    private readonly core: TradingCore,
    readonly reviewers: DeskReviewers,
  ) {}

  /**
   * Reviews the opening views among `fresh` and returns the views to decide on: flat views always, approved ones
   * as they are, resized ones with their conviction scaled down; vetoed, unreviewed and abstained-on ones dropped.
   */
  async reviewProposals(
    now: UnixMs,
    fresh: readonly AnalystSignal[],
    positionOf: (entry: AnalystSignal) => number,
    markOf: (instrumentId: InstrumentId) => number,
  ): Promise<AnalystSignal[]> {
    const reviewer = this.reviewers.manager;
    const opening = fresh.filter((e) => e.signal.direction !== 'flat');
    if (reviewer === undefined || opening.length === 0) return [...fresh];
    const proposals: ProposalForReview[] = opening.map((e) => ({
      id: signalCausation(e),
      analystId: e.analystId,
      instrumentId: e.signal.instrumentId,
      direction: e.signal.direction as 'long' | 'short',
      conviction: e.signal.conviction,
      thesis: e.signal.reason,
      position: positionOf(e),
      mark: markOf(e.signal.instrumentId),
    }));
    const { verdicts, abstained } = await reviewer.review(now, proposals);
    if (abstained !== undefined) this.abstained(reviewer.id, 'manager', abstained);
    const kept: AnalystSignal[] = [];
    for (const entry of fresh) {
      if (entry.signal.direction === 'flat') {
        kept.push(entry);
        continue;
      }
      const signalId = signalCausation(entry);
      const verdict = verdicts.get(signalId);
      const reason = verdict?.reason ?? (abstained === undefined ? 'not reviewed: not acted on' : `the manager abstained (${abstained.cause}): not acted on`);
      const scale = verdict?.scale ?? 0;
      this.core.recordAgentEvent({
        type: 'ProposalReviewed',
        agentId: reviewer.id as AgentId,
        signalId,
        verdict: verdict?.verdict ?? 'veto',
        scale,
        reason,
        ...(verdict?.recordId === undefined ? {} : { recordId: verdict.recordId }),
        causationId: signalId,
      });
      if (scale <= 0) continue;
      kept.push(scale >= 1 ? entry : { ...entry, signal: { ...entry.signal, conviction: entry.signal.conviction * scale }, analystConviction: entry.signal.conviction });
    }
    return kept;
  }

  /** After the rules judge graded (its mode switches held back), the model sets the modes; returns the changes. */
  async reviewGrades(
    now: UnixMs,
    grades: Parameters<JudgeReviewer['review']>[1],
    analysts: ReadonlyMap<AgentId, AnalystRole>,
  ): Promise<{ analyst: AnalystRole; mode: AgentMode; reason: string }[]> {
    const reviewer = this.reviewers.judge;
    if (reviewer === undefined || grades.length === 0) return [];
    const { modes, abstained } = await reviewer.review(now, grades);
    if (abstained !== undefined) this.abstained(reviewer.id, 'judge', abstained);
    const changes: { analyst: AnalystRole; mode: AgentMode; reason: string }[] = [];
    for (const grade of grades) {
      const analyst = analysts.get(grade.agentId as AgentId);
      if (analyst === undefined) continue;
      const verdict = modes.get(grade.agentId);
      let mode = verdict?.mode ?? grade.suggestedMode;
      let reason = verdict === undefined ? `rules: ${grade.suggestion}` : `judge model: ${verdict.reason}${verdict.recordId === undefined ? '' : ` [${verdict.recordId}]`}`;
      // The hard rule holds over the model: a breached drawdown budget means conservative, whatever it graded.
      if (grade.breach !== undefined && mode !== 'conservative') {
        reason = `${grade.breach}: conservative whatever the judge model said${verdict === undefined ? '' : ` (${verdict.reason})`}`;
        mode = 'conservative';
      }
      if (mode !== analyst.mode) changes.push({ analyst, mode, reason });
    }
    return changes;
  }

  private abstained(agentId: string, role: 'manager' | 'judge', abstention: ReviewAbstention): void {
    this.core.recordAgentEvent({
      type: 'BrainAbstained',
      agentId: agentId as AgentId,
      role,
      cause: abstention.cause,
      detail: abstention.detail.slice(0, 500),
      ...(abstention.recordId === undefined ? {} : { recordId: abstention.recordId }),
    });
  }
}
