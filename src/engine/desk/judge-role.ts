import { Fixed } from '../../core/fixed.js';
import type { AgentId, Currency } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { TradingCore } from '../trading-core.js';
import { targetWeights, type AllocationPolicy } from '../../portfolio/allocation.js';
import { attributeSleeves } from '../../portfolio/attribution.js';
import { goalProgress, type DeskGoals, type EquityPoint, type GoalProgress } from '../../portfolio/goals.js';
import { planProfitSweep } from '../../portfolio/profit-sweep.js';
import { isRebalanceDue, nextRebalanceAt, type RebalanceSchedule } from '../../portfolio/rebalance-schedule.js';
import { rebalancePlan } from '../../portfolio/rebalance.js';
import type { SleeveDefinition } from '../../portfolio/sleeves.js';
import { evaluate, type JudgeConfig } from '../../agents/judge/judge.js';
import { initialModeState, type AgentModeState } from '../../agents/judge/mode-policy.js';
import type { GradeForReview } from '../../agents/desk/reviewers.js';
import type { AnalystRole } from './analyst-role.js';

export interface JudgeRoleConfig {
  readonly id: AgentId;
  readonly periodMs: number;
  readonly judge: JudgeConfig;
  readonly sleeves: readonly SleeveDefinition[];
  /** Present when capital lives in sleeves (independent and hierarchical modes): reallocation moves it. */
  readonly allocation?: { readonly policy: AllocationPolicy; readonly schedule?: RebalanceSchedule };
  readonly sweepShare?: Fixed;
  /** Netting modes: the analysts share the desk book, so each is graded on the desk's equity and its own calls. */
  readonly sharedBook?: boolean;
  readonly goals?: DeskGoals;
  readonly valuationCurrency: Currency;
  readonly scale: number;
}

const MAX_POINTS = 2000;
const YEAR_MS = 365 * 86_400_000;
const MIN_TRANSFER_SHARE = Fixed.parse('0.00001');

/**
 * The judge: on its schedule it samples each sleeve's equity, grades each analyst 0-100 (returns, risk, decision
 * quality, consistency), moves analysts between conservative/standard/aggressive, puts a sleeve that breached its
 * drawdown budget in REDUCING, sweeps the configured share of new realised profit to each sleeve's reserve, and
 * rebalances capital by policy. Every action is an event with its reasons.
 */
export class JudgeRole {
  /**
   * Per sleeve, a time-weighted performance index rather than its equity: transfers in and out (rebalancing) and
   * sweeps to the reserve are not returns, so each step's return is (equity now - equity before - net inflow) /
   * (equity before + inflow). An idle sleeve's index stays flat however its capital moves; a sleeve emptied by its
   * allocation stays where it was.
   */
  private readonly equity = new Map<string, number[]>();
  private readonly lastSample = new Map<string, { readonly equity: number; readonly inflows: number; readonly index: number }>();
  private readonly deskEquity: EquityPoint[] = [];
  private readonly goalEquity: EquityPoint[] = [];
  /** Set once the goals have been reported after their deadline (the outcome is final then). */
  private goalsFinal = false;
  private readonly modeStates = new Map<AgentId, AgentModeState>();
  /** Sleeves this judge put in REDUCING for a drawdown breach: it lets them back once they are flat. */
  private readonly breached = new Set<string>();
  /** Per sleeve let back after a breach, its review points since: its drawdown budget is measured over them only. */
  private readonly sinceReturn = new Map<string, number>();
  private readonly sweptMarks = new Map<string, Fixed>();
  private lastReview: UnixMs | undefined;
  /** Rebalancing skips moves smaller than this (see `minimumTransfer`). */
  private minTransfer: Fixed;
  private lastRebalance: UnixMs | undefined;
  /** When the allocation's schedule next rebalances (worked out after each rebalance). */
  private nextRebalance: number | undefined;
  /** The last rebalance's target weights, which a performance policy's `maxStep` moves from. */
  private lastTarget: ReadonlyMap<string, Fixed> | undefined;
  evaluations = 0;
  /** The grades of the last evaluation, with the mode the rules suggest (what a model-driven judge reviews). */
  lastGrades: GradeForReview[] = [];

  constructor(
    private readonly core: TradingCore,
    private readonly config: JudgeRoleConfig,
  ) {
    this.minTransfer = Fixed.fromUnits(1n, config.scale);
  }

  /**
   * The start of the run, after the initial allocation (which counts as the last rebalance): each sleeve's index
   * and the desk's equity take their first point here, so the first period is graded like every other.
   */
  startedAt(now: UnixMs): void {
    this.lastRebalance = now;
    // What the initial allocation gave: the same policy, before there is any history.
    const policy = this.config.allocation?.policy;
    if (policy !== undefined) this.lastTarget = targetWeights(this.config.sleeves, policy).weights;
    const equity = this.core.deskEquity();
    this.minTransfer = minimumTransfer(equity, this.config.scale);
    for (const row of this.attribution()) push(this.equity, row.sleeveId, this.performanceIndex(row));
    this.deskEquity.push({ ts: now, equity });
  }

  run(now: UnixMs, analysts: ReadonlyMap<AgentId, AnalystRole>, setMode: (analyst: AnalystRole, mode: AnalystRole['mode'], reason: string) => void): void {
    this.evaluations += 1;
    this.lastGrades = [];
    const rows = this.attribution();
    for (const row of rows) push(this.equity, row.sleeveId, this.performanceIndex(row));
    for (const [sleeve, points] of this.sinceReturn) this.sinceReturn.set(sleeve, points + 1);
    this.letBack(analysts);
    const point = { ts: now, equity: this.core.deskEquity() };
    this.deskEquity.push(point);
    if (this.deskEquity.length > MAX_POINTS) this.deskEquity.splice(0, this.deskEquity.length - MAX_POINTS);
    const goals = this.config.goals;
    // The goals keep every point of their own span (start to deadline), untrimmed: the baseline is its first.
    if (goals !== undefined && now >= goals.startTs && now <= goals.deadline) this.goalEquity.push(point);

    const bySleeve = new Map([...analysts.values()].map((a) => [a.sleeve, a]));
    const budgets = new Map(this.config.sleeves.map((s) => [s.id, s.riskBudget.maxDrawdown.toNumber()]));
    const shared = this.config.sharedBook === true ? Float64Array.from(this.deskEquity.map((p) => p.equity.toNumber())) : undefined;
    const records = [...bySleeve.values()].map((analyst) => {
      const modeState = this.modeStateOf(analyst);
      return {
        id: analyst.id,
        equity: shared ?? Float64Array.from(this.equity.get(analyst.sleeve) ?? []),
        decisions: analyst.graded,
        barsPerYear: YEAR_MS / this.config.periodMs,
        ...(modeState === undefined ? {} : { modeState }),
        ...(budgets.has(analyst.sleeve) ? { drawdownBudget: budgets.get(analyst.sleeve) as number } : {}),
        ...(shared === undefined && this.sinceReturn.has(analyst.sleeve) ? { drawdownWindow: this.sinceReturn.get(analyst.sleeve) as number } : {}),
      };
    });
    // Each sleeve with a usable history is graded; one that has none yet (or lost everything) does not hold back the rest.
    const gradable = records.filter((r) => r.equity.length >= 2 && r.equity.every((v) => v > 0));
    const notes = gradable.length > 0 ? this.grade(now, gradable, analysts, setMode) : ['no sleeve has a usable history yet'];
    this.lastReview = now;
    this.sweep(rows, notes);
    this.rebalance(now);
    this.reportGoals(now);
  }

  /**
   * The rules' state for an analyst, on the mode it is actually in: a model-driven judge may have set another mode
   * than the rules suggested (just after the last review), and the rules' streaks and dwell go on from that mode.
   */
  private modeStateOf(analyst: AnalystRole): AgentModeState | undefined {
    const stored = this.modeStates.get(analyst.id);
    if (stored?.mode === analyst.mode || (stored === undefined && analyst.mode === 'standard')) return stored;
    return initialModeState(this.lastReview ?? 0, analyst.mode);
  }

  private performanceIndex(row: ReturnType<typeof attributeSleeves>[number]): number {
    const equity = row.tradeableEquity.toNumber();
    // Capital put in (transfers) less what went to the reserve (sweeps): the money that did not come from trading.
    const inflows = row.capital.sub(row.reserve).toNumber();
    const last = this.lastSample.get(row.sleeveId);
    let index = equity;
    if (last !== undefined) {
      // Money moved in counts as there from the start of the step (a sleeve refilled from dust is not a huge return).
      const flow = inflows - last.inflows;
      const base = last.equity + Math.max(0, flow);
      index = base > 0 ? last.index * (1 + (equity - last.equity - flow) / base) : last.index;
    }
    this.lastSample.set(row.sleeveId, { equity, inflows, index });
    return index;
  }

  private grade(
    now: UnixMs,
    records: Parameters<typeof evaluate>[0],
    analysts: ReadonlyMap<AgentId, AnalystRole>,
    setMode: (analyst: AnalystRole, mode: AnalystRole['mode'], reason: string) => void,
  ): string[] {
    const report = evaluate(records, now, this.config.judge);
    for (const verdict of report.verdicts) {
      const analyst = analysts.get(verdict.agentId as AgentId);
      if (analyst === undefined) continue;
      this.modeStates.set(analyst.id, verdict.nextModeState);
      const sub = verdict.scorecard.subScores;
      this.core.recordAgentEvent({
        type: 'AgentScored',
        agentId: analyst.id,
        sleeve: analyst.sleeve,
        score: verdict.scorecard.total,
        returns: sub.returns,
        risk: sub.risk,
        quality: sub.decisionQuality,
        consistency: sub.consistency,
        mode: verdict.mode,
        reason: verdict.scorecard.reasons.join(' '),
      });
      const change = report.modeDecisions.find((d) => d.agentId === verdict.agentId);
      this.lastGrades.push({
        agentId: analyst.id,
        score: verdict.scorecard.total,
        returns: sub.returns,
        risk: sub.risk,
        quality: sub.decisionQuality,
        consistency: sub.consistency,
        mode: analyst.mode,
        suggestedMode: change?.to ?? analyst.mode,
        suggestion: change?.reason ?? verdict.scorecard.reasons.join(' '),
        ...(verdict.breach === undefined ? {} : { breach: verdict.breach }),
      });
      if (change !== undefined) setMode(analyst, change.to, change.reason);
      // In the netting modes the sleeves hold no book (the desk book trades on): the breach sets the mode only.
      if (verdict.drawdownBreached && this.config.sharedBook !== true) {
        this.core.setSleeveState(analyst.sleeve, 'REDUCING', `judge: ${analyst.sleeve} breached its drawdown budget (${(verdict.scorecard.metrics.currentDrawdown * 100).toFixed(2)}%)`);
        this.breached.add(analyst.sleeve);
        this.sinceReturn.delete(analyst.sleeve);
      }
    }
    return [...report.deskNotes];
  }

  /**
   * A sleeve in REDUCING for a breach acts only on flat views, so its index stays flat and its drawdown never heals:
   * held there, it would idle for good. Once a review finds it flat (no position, no open order) its loss is
   * realised and behind it; it goes back to ACTIVE and its budget is measured afresh from here. Its analyst stays
   * in the mode the breach forced until its scores earn it back. A sleeve another role moved out of REDUCING is no
   * longer the judge's to let back, and a failing analyst's sleeve waits for its restart.
   */
  private letBack(analysts: ReadonlyMap<AgentId, AnalystRole>): void {
    if (this.breached.size === 0) return;
    const held = new Set<string>();
    for (const { owner, position } of this.core.ledger.allPositions()) if (!position.quantity.isZero()) held.add(owner);
    for (const sleeve of [...this.breached]) {
      if (this.core.risk.ownerState(sleeve) !== 'REDUCING') {
        this.breached.delete(sleeve);
        continue;
      }
      const analyst = [...analysts.values()].find((a) => a.sleeve === sleeve);
      if (analyst?.health !== 'healthy' || held.has(sleeve) || this.core.oms.openCount(sleeve) > 0) continue;
      this.core.setSleeveState(sleeve, 'ACTIVE', `judge: ${sleeve} is flat after its drawdown breach: back to ACTIVE, its drawdown budget measured afresh from here`);
      this.breached.delete(sleeve);
      this.sinceReturn.set(sleeve, 1);
    }
  }

  /**
   * Journals the review (`DeskReviewed`: the desk notes, and each sweep that was due but not made, with why), then
   * sweeps, each sweep with its reason and caused by the review.
   */
  private sweep(rows: ReturnType<typeof attributeSleeves>, notes: readonly string[]): void {
    const share = this.config.sweepShare;
    const inputs = rows.map((row) => ({
      sleeveId: row.sleeveId,
      currency: row.currency,
      realisedPnl: row.realisedPnl.sub(row.fees).sub(row.funding),
      sweptMark: this.sweptMarks.get(row.sleeveId) ?? Fixed.zero(),
      availableCash: row.availableCash,
    }));
    const decisions = share === undefined || share.isZero() ? [] : planProfitSweep(inputs, share, this.config.scale);
    const unmade = decisions.filter((d, i) => !d.amount.isPositive() && (inputs[i] as (typeof inputs)[number]).realisedPnl.gt(d.newMark));
    const review = this.core.recordAgentEvent({ type: 'DeskReviewed', agentId: this.config.id, reason: [...notes, ...unmade.map((d) => d.reason)].join('; ') });
    for (const decision of decisions) {
      this.sweptMarks.set(decision.sleeveId, decision.newMark);
      if (decision.amount.isPositive()) this.core.sweepProfit(decision.sleeveId, decision.currency, decision.amount, decision.reason, review.id);
    }
  }

  /** Rebalances between reviews when the allocation's schedule says so (a check of the clock when it does not). */
  rebalanceIfDue(now: UnixMs): void {
    const schedule = this.config.allocation?.schedule;
    if (schedule === undefined) return;
    // Asked every bar: the next time is worked out once per rebalance.
    this.nextRebalance ??= this.lastRebalance === undefined ? now : nextRebalanceAt(this.lastRebalance, schedule);
    if (now < this.nextRebalance) return;
    this.rebalance(now);
  }

  private attribution(): ReturnType<typeof attributeSleeves> {
    return attributeSleeves(this.core.ledger, this.config.sleeves.map((s) => ({ id: s.id, currency: this.config.valuationCurrency })));
  }

  /**
   * Plans from the books as they are now, never from rows read earlier in the review: a sweep just before moved
   * cash into the reserve, and the plan gives at most each source's available cash.
   */
  private rebalance(now: UnixMs): void {
    const allocation = this.config.allocation;
    if (allocation?.schedule === undefined || !isRebalanceDue(this.lastRebalance, now, allocation.schedule)) return;
    const rows = this.attribution();
    this.lastRebalance = now;
    this.nextRebalance = undefined;
    const series = new Map([...this.equity.entries()].map(([id, points]) => [id, points as readonly number[]]));
    const target = targetWeights(this.config.sleeves, allocation.policy, series, this.lastTarget);
    this.lastTarget = target.weights;
    const equity = new Map(rows.map((r) => [r.sleeveId, r.tradeableEquity]));
    const cash = new Map(rows.map((r) => [r.sleeveId, r.availableCash]));
    const total = rows.reduce((sum, r) => sum.add(r.tradeableEquity), Fixed.zero(this.config.scale));
    // A sleeve that may only reduce (past its drawdown budget, or its analyst isolated) cannot put new capital to work.
    const noInflow = new Map<string, string>();
    for (const { id } of this.config.sleeves) {
      const state = this.core.risk.ownerState(id);
      if (state !== 'ACTIVE') noInflow.set(id, `${id} is ${state} and may not open a position`);
    }
    const plan = rebalancePlan(target.weights, equity, cash, total, { scale: this.config.scale, minTransfer: this.minTransfer, noInflow });
    const reallocated = this.core.recordAgentEvent({
      type: 'CapitalReallocated',
      policy: allocation.policy.kind,
      weights: this.config.sleeves.map((s) => ({ sleeve: s.id, weight: target.weights.get(s.id) ?? Fixed.zero() })),
      reason: [...target.reasons, ...plan.transfers.map((t) => t.reason), ...plan.notes].join('; '),
    });
    for (const transfer of plan.transfers) {
      this.core.transfer(transfer.from, transfer.to, this.config.valuationCurrency, transfer.amount, reallocated.id);
    }
  }

  /**
   * Progress toward the goals at `now`, from the reviews' points and the books as they are now (not journaled): the
   * end of a run is rarely a review time, and the last report can be up to a review period old. After the deadline
   * the outcome stays the one frozen at it.
   */
  goalsAt(now: UnixMs): GoalProgress | undefined {
    const goals = this.config.goals;
    if (goals === undefined || now < goals.startTs) return undefined;
    // Now is valued at the latest closes, not the last daily mark: a run stopped between marks reads as its equity.
    const points = now <= goals.deadline ? [...this.goalEquity, { ts: now, equity: this.core.deskEquity(this.core.priceNow) }] : this.goalEquity;
    return points.length === 0 ? undefined : goalProgress(goals, points, now);
  }

  private reportGoals(now: UnixMs): void {
    const goals = this.config.goals;
    if (goals === undefined || now < goals.startTs || this.goalEquity.length === 0 || this.goalsFinal) return;
    if (now >= goals.deadline) this.goalsFinal = true;
    const progress = goalProgress(goals, this.goalEquity, now);
    this.core.recordAgentEvent({
      type: 'GoalsReported',
      status: progress.status,
      returnSoFar: progress.returnSoFar.toNumber(),
      drawdown: progress.maxDrawdown.toNumber(),
      reason: progress.sentences.join(' '),
    });
  }
}

/**
 * The smallest move a rebalance makes: 0.001% of the desk's equity at the start (1 on a desk of 100,000 USDT,
 * 0.00003 on one of 3 BTC), at least one unit of the currency's scale. A fixed amount of the valuation currency
 * would mean nothing on some desks and everything on others.
 */
function minimumTransfer(deskEquity: Fixed, scale: number): Fixed {
  const unit = Fixed.fromUnits(1n, scale);
  const share = deskEquity.mul(MIN_TRANSFER_SHARE).quantize(unit, 'down');
  return share.gt(unit) ? share : unit;
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else {
    list.push(value);
    if (list.length > MAX_POINTS) list.splice(0, list.length - MAX_POINTS);
  }
}
