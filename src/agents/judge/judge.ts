/**
 * The judge: on each scheduled evaluation, scores every agent/sleeve (scorecard.ts), steps its mode
 * (mode-policy.ts), and hands the allocation module (portfolio/allocation.ts `targetWeights`) the performance inputs it
 * needs — the judge never moves capital itself. Pure and deterministic: agents are processed in id order, time comes
 * from `now`, and every action is an event carrying its reasons.
 *
 * Drawdown breach (the hard rule): an agent's current drawdown — the last equity point against its running peak
 * (over its `drawdownWindow` when it has one) — at or beyond its drawdown budget (the agent's own, else the
 * scorecard's) forces conservative mode.
 * Trailing risk-adjusted return (for allocation): mean / sample sd of the last `allocationLookback` per-period returns
 * (not annualised, 0 when undefined) — the same statistic as the performance allocation policy.
 * Desk notes: leader and laggard by total score; when every agent's series has the same length, the desk equity
 * (their sum) is checked against the optional desk goals (annualised return target, drawdown ceiling).
 */
import { FixRequestError } from '../../core/errors.js';
import {
  DEFAULT_MODE_POLICY,
  initialModeState,
  stepMode,
  validateModePolicy,
  type AgentMode,
  type AgentModeState,
  type ModeParameters,
  type ModePolicy,
} from './mode-policy.js';
import {
  DEFAULT_SCORECARD_CONFIG,
  annualisedReturn,
  computeScorecard,
  drawdowns,
  periodReturns,
  periodSharpe,
  validateScorecardConfig,
  type ResolvedDecision,
  type Scorecard,
  type ScorecardConfig,
} from './scorecard.js';

export interface AgentRecord {
  /** Agent or sleeve id (the sleeve id the allocation module knows). */
  readonly id: string;
  readonly equity: Float64Array;
  readonly decisions: readonly ResolvedDecision[];
  readonly barsPerYear: number;
  /** The agent's mode state from the previous evaluation; undefined: a new agent, starting in standard now. */
  readonly modeState?: AgentModeState;
  /** The agent's own drawdown budget (fraction); undefined: the scorecard's. */
  readonly drawdownBudget?: number;
  /**
   * How many of the latest equity points the breach rule measures the current drawdown over; undefined: all of them.
   * A sleeve let back into trading after a breach has its budget measured afresh from its return: the loss that
   * breached it is realised and behind it, and would otherwise pin the breach for good.
   */
  readonly drawdownWindow?: number;
}

export interface DeskGoals {
  /** Target annualised return of the whole desk, fraction. */
  readonly targetAnnualReturn?: number;
  /** Desk drawdown ceiling, fraction. */
  readonly drawdownCeiling?: number;
}

export interface JudgeConfig {
  readonly scorecard: ScorecardConfig;
  readonly modePolicy: ModePolicy;
  /** Returns used for the trailing risk-adjusted return handed to allocation; integer ≥ 2. */
  readonly allocationLookback: number;
  readonly deskGoals?: DeskGoals;
}

export const DEFAULT_JUDGE_CONFIG: JudgeConfig = {
  scorecard: DEFAULT_SCORECARD_CONFIG,
  modePolicy: DEFAULT_MODE_POLICY,
  allocationLookback: 30,
};

export type JudgeEvent =
  | { readonly kind: 'agent_scored'; readonly at: number; readonly agentId: string; readonly total: number; readonly reasons: readonly string[] }
  | {
      readonly kind: 'mode_changed';
      readonly at: number;
      readonly agentId: string;
      readonly from: AgentMode;
      readonly to: AgentMode;
      readonly parameters: ModeParameters;
      readonly reasons: readonly string[];
    }
  | { readonly kind: 'desk_note'; readonly at: number; readonly reasons: readonly string[] };

export interface AgentVerdict {
  readonly agentId: string;
  readonly scorecard: Scorecard;
  readonly drawdownBreached: boolean;
  /** The breach in words ("drawdown budget breached (current drawdown 25.00% ≥ budget 20.00%)"), when breached. */
  readonly breach?: string;
  /** Mode after this evaluation, with its trading parameters. */
  readonly mode: AgentMode;
  readonly parameters: ModeParameters;
  /** Persist and pass back as `modeState` next time. */
  readonly nextModeState: AgentModeState;
}

export interface AllocationInputs {
  /** Per sleeve equity, oldest first: the `equitySeries` argument of `targetWeights`. */
  readonly equitySeries: ReadonlyMap<string, readonly number[]>;
  /** Trailing risk-adjusted return per agent (mean / sd of the last `lookback` returns). */
  readonly trailingRiskAdjusted: ReadonlyMap<string, number>;
  readonly lookback: number;
}

export interface JudgeReport {
  readonly at: number;
  readonly verdicts: readonly AgentVerdict[];
  readonly modeDecisions: readonly { readonly agentId: string; readonly from: AgentMode; readonly to: AgentMode; readonly reason: string }[];
  readonly allocationInputs: AllocationInputs;
  readonly deskNotes: readonly string[];
  /** Everything above as events, in order: per agent scored then mode change, then desk notes. */
  readonly events: readonly JudgeEvent[];
}

const pct = (value: number): string => `${(value * 100).toFixed(2)}%`;

export function evaluate(agents: readonly AgentRecord[], now: number, config: JudgeConfig = DEFAULT_JUDGE_CONFIG): JudgeReport {
  if (!Number.isSafeInteger(now)) throw new FixRequestError('invalid_time', `now must be integer epoch ms, got ${now}`);
  validateScorecardConfig(config.scorecard);
  validateModePolicy(config.modePolicy);
  if (!Number.isInteger(config.allocationLookback) || config.allocationLookback < 2) {
    throw new FixRequestError('invalid_lookback', `allocationLookback must be an integer ≥ 2, got ${config.allocationLookback}`);
  }
  const ids = new Set<string>();
  for (const agent of agents) {
    if (ids.has(agent.id)) throw new FixRequestError('duplicate_agent', `agent ${agent.id} appears twice`);
    ids.add(agent.id);
    if (agent.drawdownBudget !== undefined && !(agent.drawdownBudget > 0 && Number.isFinite(agent.drawdownBudget))) {
      throw new FixRequestError('invalid_drawdown_budget', `agent ${agent.id}: drawdownBudget must be positive, got ${agent.drawdownBudget}`);
    }
    if (agent.drawdownWindow !== undefined && !(Number.isInteger(agent.drawdownWindow) && agent.drawdownWindow >= 1)) {
      throw new FixRequestError('invalid_drawdown_window', `agent ${agent.id}: drawdownWindow must be an integer ≥ 1, got ${agent.drawdownWindow}`);
    }
  }
  const ordered = [...agents].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const verdicts: AgentVerdict[] = [];
  const modeDecisions: { agentId: string; from: AgentMode; to: AgentMode; reason: string }[] = [];
  const events: JudgeEvent[] = [];
  const equitySeries = new Map<string, readonly number[]>();
  const trailing = new Map<string, number>();

  for (const agent of ordered) {
    const budget = agent.drawdownBudget ?? config.scorecard.drawdownBudget;
    const scorecard = computeScorecard(
      { equity: agent.equity, decisions: agent.decisions, barsPerYear: agent.barsPerYear },
      { ...config.scorecard, drawdownBudget: budget },
    );
    const window = agent.drawdownWindow;
    const current = window === undefined || window >= agent.equity.length ? scorecard.metrics.currentDrawdown : drawdowns(agent.equity.subarray(agent.equity.length - window)).current;
    const breached = current >= budget;
    const previous = agent.modeState ?? initialModeState(now);
    const drawdownDetail = `current drawdown ${pct(current)} ≥ budget ${pct(budget)}`;
    const step = stepMode(previous, { score: scorecard.total, drawdownBreached: breached, drawdownDetail, drawdown: { current, budget }, now }, config.modePolicy);
    const parameters = config.modePolicy.modes[step.state.mode];
    verdicts.push({
      agentId: agent.id,
      scorecard,
      drawdownBreached: breached,
      ...(breached ? { breach: `drawdown budget breached (${drawdownDetail})` } : {}),
      mode: step.state.mode,
      parameters,
      nextModeState: step.state,
    });
    events.push({ kind: 'agent_scored', at: now, agentId: agent.id, total: scorecard.total, reasons: scorecard.reasons });
    if (step.decision !== null) {
      const d = step.decision;
      modeDecisions.push({ agentId: agent.id, from: d.from, to: d.to, reason: d.reason });
      events.push({
        kind: 'mode_changed',
        at: now,
        agentId: agent.id,
        from: d.from,
        to: d.to,
        parameters,
        reasons: [
          d.reason,
          `${d.to}: sizing ×${parameters.sizingMultiplier}, acts on conviction ≥ ${parameters.convictionThreshold}`,
          `score ${scorecard.total.toFixed(1)}/100 this evaluation`,
        ],
      });
    }
    equitySeries.set(agent.id, Array.from(agent.equity));
    const returns = periodReturns(agent.equity);
    trailing.set(agent.id, periodSharpe(returns.slice(Math.max(0, returns.length - config.allocationLookback))));
  }

  const deskNotes = deskLevelNotes(ordered, verdicts, config);
  if (deskNotes.length > 0) events.push({ kind: 'desk_note', at: now, reasons: deskNotes });
  return {
    at: now,
    verdicts,
    modeDecisions,
    allocationInputs: { equitySeries, trailingRiskAdjusted: trailing, lookback: config.allocationLookback },
    deskNotes,
    events,
  };
}

function deskLevelNotes(agents: readonly AgentRecord[], verdicts: readonly AgentVerdict[], config: JudgeConfig): string[] {
  const notes: string[] = [];
  if (verdicts.length === 0) return ['no agents to judge'];
  let best = verdicts[0] as AgentVerdict;
  let worst = best;
  for (const v of verdicts) {
    if (v.scorecard.total > best.scorecard.total) best = v;
    if (v.scorecard.total < worst.scorecard.total) worst = v;
  }
  notes.push(`${verdicts.length} agents judged; leader ${best.agentId} at ${best.scorecard.total.toFixed(1)}, laggard ${worst.agentId} at ${worst.scorecard.total.toFixed(1)}`);
  const modes = { conservative: 0, standard: 0, aggressive: 0 };
  for (const v of verdicts) modes[v.mode] += 1;
  notes.push(`modes: ${modes.aggressive} aggressive, ${modes.standard} standard, ${modes.conservative} conservative`);
  const breached = verdicts.filter((v) => v.drawdownBreached).map((v) => v.agentId);
  if (breached.length > 0) notes.push(`drawdown budget breached by ${breached.join(', ')}`);

  const goals = config.deskGoals;
  if (goals === undefined) return notes;
  const first = agents[0] as AgentRecord;
  const length = first.equity.length;
  if (!agents.every((a) => a.equity.length === length && a.barsPerYear === first.barsPerYear)) {
    notes.push('desk goals not checked: agents have equity series of different lengths or period lengths');
    return notes;
  }
  const desk = new Float64Array(length);
  for (const a of agents) for (let i = 0; i < length; i++) desk[i] = (desk[i] as number) + (a.equity[i] as number);
  const annual = annualisedReturn(desk, first.barsPerYear);
  const dd = drawdowns(desk);
  if (goals.targetAnnualReturn !== undefined) {
    notes.push(
      `desk annualised return ${pct(annual)} ${annual >= goals.targetAnnualReturn ? 'meets' : 'is below'} the target of ${pct(goals.targetAnnualReturn)}`,
    );
  }
  if (goals.drawdownCeiling !== undefined) {
    notes.push(
      `desk max drawdown ${pct(dd.max)} ${dd.max <= goals.drawdownCeiling ? 'is within' : 'breaches'} the ceiling of ${pct(goals.drawdownCeiling)}`,
    );
  }
  return notes;
}
