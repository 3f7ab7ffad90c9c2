/**
 * Agent modes and the judge's switching policy. Pure: state in, state and an optional decision out.
 *
 * Modes set how an agent trades: a sizing multiplier applied to its position sizes and the conviction a signal needs
 * before the agent acts on it (defaults: conservative ×0.5 at ≥ 0.7, standard ×1 at ≥ 0.5, aggressive ×1.5 at ≥ 0.35).
 *
 * Each evaluation updates four streaks (consecutive evaluations meeting a condition; a miss resets to 0):
 *   high    score ≥ promoteAtOrAbove (75)        low     score < demoteBelow (40)
 *   fading  score < aggressiveExitBelow (65)      recover score ≥ conservativeExitAtOrAbove (50)
 * Transitions, checked in this order:
 *   0. hard rule: drawdownBreached and mode ≠ conservative → conservative now, ignoring streaks and dwell.
 *   1. dwell: no other switch until now − since ≥ minDwellMs.
 *   2. standard → aggressive when high ≥ promoteAfter (3); standard → conservative when low ≥ demoteAfter (2).
 *   3. aggressive → conservative when low ≥ demoteAfter; aggressive → standard when fading ≥ exitAfter (2).
 *   4. conservative → standard when recover ≥ recoverAfter (3) and the drawdown is back below recoveryFraction (0.8)
 *      of its budget: a review under the budget but inside that margin does not count toward recovery, so a drawdown
 *      hovering at its budget keeps the agent conservative instead of cycling it back to standard every few reviews.
 * Hysteresis: the exit thresholds (65, 50) sit inside the entry thresholds (75, 40), and every switch needs a streak,
 * so a score oscillating around any one threshold never switches back and forth. Streaks reset on every switch.
 */
import { FixRequestError } from '../../core/errors.js';

export type AgentMode = 'conservative' | 'standard' | 'aggressive';

export interface ModeParameters {
  /** Multiplies the agent's position sizes. */
  readonly sizingMultiplier: number;
  /** Minimum signal conviction (0..1) the agent acts on. */
  readonly convictionThreshold: number;
}

export interface ModePolicy {
  readonly modes: Readonly<Record<AgentMode, ModeParameters>>;
  readonly promoteAtOrAbove: number;
  readonly promoteAfter: number;
  readonly demoteBelow: number;
  readonly demoteAfter: number;
  readonly aggressiveExitBelow: number;
  readonly exitAfter: number;
  readonly conservativeExitAtOrAbove: number;
  readonly recoverAfter: number;
  /** Minimum time in a mode before a score-driven switch, ms. */
  readonly minDwellMs: number;
  /** Conservative is left only once the drawdown is below this fraction of its budget, in (0, 1]. */
  readonly recoveryFraction: number;
}

export const DEFAULT_MODE_POLICY: ModePolicy = {
  modes: {
    conservative: { sizingMultiplier: 0.5, convictionThreshold: 0.7 },
    standard: { sizingMultiplier: 1, convictionThreshold: 0.5 },
    aggressive: { sizingMultiplier: 1.5, convictionThreshold: 0.35 },
  },
  promoteAtOrAbove: 75,
  promoteAfter: 3,
  demoteBelow: 40,
  demoteAfter: 2,
  aggressiveExitBelow: 65,
  exitAfter: 2,
  conservativeExitAtOrAbove: 50,
  recoverAfter: 3,
  minDwellMs: 0,
  recoveryFraction: 0.8,
};

export interface Streaks {
  readonly high: number;
  readonly low: number;
  readonly fading: number;
  readonly recover: number;
}

export interface AgentModeState {
  readonly mode: AgentMode;
  /** When the agent entered this mode, epoch ms. */
  readonly since: number;
  readonly streaks: Streaks;
}

export interface ModeDecision {
  readonly from: AgentMode;
  readonly to: AgentMode;
  readonly at: number;
  readonly reason: string;
}

export interface ModeInput {
  readonly score: number;
  readonly drawdownBreached: boolean;
  /** Words for the breach (e.g. "drawdown 25.00% ≥ budget 20.00%"), used in the reason. */
  readonly drawdownDetail?: string;
  /** The drawdown against its budget (fractions), for the recovery margin; without it, recovered means not breached. */
  readonly drawdown?: { readonly current: number; readonly budget: number };
  readonly now: number;
}

export interface ModeStep {
  readonly state: AgentModeState;
  readonly decision: ModeDecision | null;
}

const NO_STREAKS: Streaks = { high: 0, low: 0, fading: 0, recover: 0 };

export function initialModeState(since: number, mode: AgentMode = 'standard'): AgentModeState {
  return { mode, since, streaks: NO_STREAKS };
}

/** Throws FixRequestError naming every problem. */
export function validateModePolicy(policy: ModePolicy): void {
  const problems: string[] = [];
  for (const mode of ['conservative', 'standard', 'aggressive'] as const) {
    const p = policy.modes[mode];
    if (!Number.isFinite(p.sizingMultiplier) || p.sizingMultiplier < 0) problems.push(`modes.${mode}.sizingMultiplier: must be ≥ 0`);
    if (!Number.isFinite(p.convictionThreshold) || p.convictionThreshold < 0 || p.convictionThreshold > 1) {
      problems.push(`modes.${mode}.convictionThreshold: must be within [0, 1]`);
    }
  }
  for (const name of ['promoteAfter', 'demoteAfter', 'exitAfter', 'recoverAfter'] as const) {
    if (!Number.isInteger(policy[name]) || policy[name] < 1) problems.push(`${name}: must be an integer ≥ 1`);
  }
  if (!(policy.demoteBelow < policy.conservativeExitAtOrAbove)) problems.push('demoteBelow must be below conservativeExitAtOrAbove (hysteresis)');
  if (!(policy.aggressiveExitBelow < policy.promoteAtOrAbove)) problems.push('aggressiveExitBelow must be below promoteAtOrAbove (hysteresis)');
  if (!(policy.conservativeExitAtOrAbove <= policy.aggressiveExitBelow)) problems.push('conservativeExitAtOrAbove must not exceed aggressiveExitBelow');
  if (!Number.isFinite(policy.minDwellMs) || policy.minDwellMs < 0) problems.push('minDwellMs: must be ≥ 0');
  if (!(policy.recoveryFraction > 0 && policy.recoveryFraction <= 1)) problems.push('recoveryFraction: must be within (0, 1]');
  if (problems.length > 0) throw new FixRequestError('invalid_mode_policy', `invalid mode policy: ${problems.join('; ')}`);
}

/** One evaluation: updates the streaks and decides whether the agent's mode changes. */
export function stepMode(state: AgentModeState, input: ModeInput, policy: ModePolicy = DEFAULT_MODE_POLICY): ModeStep {
  validateModePolicy(policy);
  if (!Number.isFinite(input.score)) throw new FixRequestError('invalid_score', `a score must be finite, got ${input.score}`);
  const s = input.score;
  const prev = state.streaks;
  const streaks: Streaks = {
    high: s >= policy.promoteAtOrAbove ? prev.high + 1 : 0,
    low: s < policy.demoteBelow ? prev.low + 1 : 0,
    fading: s < policy.aggressiveExitBelow ? prev.fading + 1 : 0,
    recover: s >= policy.conservativeExitAtOrAbove ? prev.recover + 1 : 0,
  };
  const stay: ModeStep = { state: { ...state, streaks }, decision: null };
  const score = s.toFixed(1);
  const switchTo = (to: AgentMode, reason: string): ModeStep => ({
    state: { mode: to, since: input.now, streaks: NO_STREAKS },
    decision: { from: state.mode, to, at: input.now, reason },
  });

  if (input.drawdownBreached) {
    // While breached, recovery does not count toward leaving conservative.
    if (state.mode === 'conservative') return { state: { ...state, streaks: { ...streaks, recover: 0 } }, decision: null };
    return switchTo('conservative', `drawdown budget breached${input.drawdownDetail ? ` (${input.drawdownDetail})` : ''}: forced to conservative immediately`);
  }
  const margin = recoveryMargin(input, policy);
  // Under the budget but inside the margin: not recovered yet, so it does not count toward leaving conservative.
  if (state.mode === 'conservative' && margin !== undefined && !margin.recovered) return { state: { ...state, streaks: { ...streaks, recover: 0 } }, decision: null };
  const dwelt = input.now - state.since;
  if (dwelt < policy.minDwellMs) return stay;

  switch (state.mode) {
    case 'standard':
      if (streaks.high >= policy.promoteAfter) {
        return switchTo('aggressive', `score ${score} ≥ ${policy.promoteAtOrAbove} for ${streaks.high} consecutive evaluations (needs ${policy.promoteAfter})`);
      }
      if (streaks.low >= policy.demoteAfter) {
        return switchTo('conservative', `score ${score} < ${policy.demoteBelow} for ${streaks.low} consecutive evaluations (needs ${policy.demoteAfter})`);
      }
      return stay;
    case 'aggressive':
      if (streaks.low >= policy.demoteAfter) {
        return switchTo('conservative', `score ${score} < ${policy.demoteBelow} for ${streaks.low} consecutive evaluations (needs ${policy.demoteAfter})`);
      }
      if (streaks.fading >= policy.exitAfter) {
        return switchTo('standard', `score ${score} < ${policy.aggressiveExitBelow} for ${streaks.fading} consecutive evaluations (needs ${policy.exitAfter})`);
      }
      return stay;
    case 'conservative':
      if (streaks.recover >= policy.recoverAfter) {
        const why = margin === undefined ? 'the drawdown budget holds' : margin.words;
        return switchTo('standard', `score ${score} ≥ ${policy.conservativeExitAtOrAbove} for ${streaks.recover} consecutive evaluations (needs ${policy.recoverAfter}) and ${why}`);
      }
      return stay;
  }
}

const pct = (value: number): string => `${(value * 100).toFixed(2)}%`;

/** Whether the drawdown is back below the recovery margin, in words; undefined when the input gives no drawdown. */
function recoveryMargin(input: ModeInput, policy: ModePolicy): { readonly recovered: boolean; readonly words: string } | undefined {
  const drawdown = input.drawdown;
  if (drawdown === undefined) return undefined;
  const line = drawdown.budget * policy.recoveryFraction;
  const fraction = `${Math.round(policy.recoveryFraction * 10_000) / 100}%`;
  return { recovered: drawdown.current < line, words: `the drawdown ${pct(drawdown.current)} is below ${fraction} of its budget ${pct(drawdown.budget)} (${pct(line)})` };
}
