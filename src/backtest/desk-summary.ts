import type { AgentMode } from '../domain/agent-events.js';
import type { Desk } from '../engine/desk/desk.js';
import type { AgentStatus } from '../engine/desk/desk-setup.js';
import { DESK_OWNER } from '../engine/desk/manager-role.js';
import { DESK_BOOK_MODES } from '../agents/decision-modes/index.js';
import { attributeSleeves } from '../portfolio/attribution.js';
import { leftAtEnd } from './desk-left-over.js';
import { renderUsage, summarizeUsage, type AgentUsage } from '../llm/usage-report.js';
import { AgentActivityTally, type AgentActivity } from './desk-activity.js';

export interface DeskAgentRow {
  readonly id: string;
  readonly role: string;
  readonly health: string;
  readonly mode?: string;
  readonly sleeve?: string;
  readonly lastScore?: number;
  readonly errors?: number;
  /** Why a model-driven agent counts as failing though its brain only abstained. */
  readonly problem?: string;
  /** Analysts: the strategy behind the brain (`llm` for a model-driven one) and the instruments it watches. */
  readonly strategy?: string;
  readonly instruments?: readonly string[];
  /** Analysts: set while it is isolated after it threw (its sleeve REDUCING until an operator restarts it). */
  readonly isolated?: true;
  /** What it did: signals, intents approved and denied, fills, mode changes, its sleeve's capital weight. */
  readonly activity: AgentActivity;
}

/** One ledger owner's books: a sleeve, or (`sleeve: "desk"`, `deskBook: true`) the desk's own book. */
export interface DeskSleeveRow {
  readonly sleeve: string;
  /** The desk's own book: what the netting modes trade, and the master cash not allocated to a sleeve. */
  readonly deskBook?: true;
  readonly equity: number;
  readonly reserve: number;
  readonly realisedPnl: number;
  readonly unrealisedPnl: number;
  readonly fees: number;
  /** Perpetual funding paid (negative when received): with the fees, what separates equity - capital from realised + unrealised. */
  readonly funding: number;
  /** Deposits less withdrawals, transfers between sleeves included: what the return is measured on. */
  readonly capital: number;
  /** (equity - capital) / capital; absent when the book holds no capital (the desk book once the sleeves are funded). */
  readonly return?: number;
  readonly state: string;
}

/** The desk part of a desk run's result (schema "conclave.desk/1"): agents, sleeves, and what was journaled. */
export interface DeskSummary {
  readonly schema: 'conclave.desk/1';
  readonly name: string;
  readonly mode: string;
  readonly tradingState: string;
  readonly agents: readonly DeskAgentRow[];
  /** The sleeves, then the desk book when it holds anything (always in the netting modes): together the desk's equity. */
  readonly sleeves: readonly DeskSleeveRow[];
  /** Settings of the desk file the desk did not use (`file: path: message`), when there are any. */
  readonly warnings?: readonly string[];
  /** What the run left when it ended (the data ran out, or it was stopped): orders still working, with their funds held, and unsellable spot dust. */
  readonly leftAtEnd?: readonly string[];
  /** How many events of each type the journal holds. */
  readonly events: Readonly<Record<string, number>>;
  readonly pendingProposals: readonly string[];
  readonly goals?: { readonly status: string; readonly reason: string };
  /** Model-driven brains: tokens, dollars and latency per agent, and abstentions by agent and cause. */
  readonly models?: { readonly usage: readonly AgentUsage[]; readonly abstentions: Readonly<Record<string, Readonly<Record<string, number>>>> };
}

/**
 * `roles` are the roles the run keeps beside the desk (a paper run's notifier, its dispatcher), listed after the
 * desk's own so the table counts what the summary line and `conclave status` count.
 */
export function summariseDesk(desk: Desk, warnings: readonly string[] = [], roles: readonly AgentStatus[] = []): DeskSummary {
  const events: Record<string, number> = {};
  const scores = new Map<string, number>();
  let goals: DeskSummary['goals'];
  const abstentions: Record<string, Record<string, number>> = {};
  const tally = new AgentActivityTally((id) => desk.core.oms.get(id)?.spec.agentId);
  const length = desk.core.store.length;
  for (let offset = 0; offset < length; offset += 10_000) {
    for (const event of desk.core.store.read(offset, 10_000)) {
      events[event.type] = (events[event.type] ?? 0) + 1;
      tally.onEvent(event);
      if (event.type === 'AgentScored') scores.set(event.agentId, event.score);
      else if (event.type === 'GoalsReported') goals = { status: event.status, reason: event.reason };
      else if (event.type === 'BrainAbstained') {
        const byCause = (abstentions[event.agentId] ??= {});
        byCause[event.cause] = (byCause[event.cause] ?? 0) + 1;
      }
    }
  }
  // The last report can be a review period old: progress is worked out once more from the books at the end.
  const progress = desk.judge?.goalsAt(desk.clock.now());
  if (progress !== undefined) goals = { status: progress.status, reason: progress.sentences.join(' ') };
  const currency = desk.setup.valuationCurrency;
  const sleeveIds = [...new Set([...desk.analysts.values()].map((a) => a.sleeve))];
  // At the latest closes: a run stopped between the journal's marks (daily, and at fills) adds up to its equity.
  const prices = desk.core.priceNow;
  const [book] = attributeSleeves(desk.core.ledger, [{ id: DESK_OWNER, currency }], prices);
  const showBook = book !== undefined && (DESK_BOOK_MODES.has(desk.manager.mode) || !book.equity.isZero() || !book.realisedPnl.isZero() || !book.fees.isZero());
  const owners = [...sleeveIds, ...(showBook ? [DESK_OWNER] : [])];
  const sleeves = attributeSleeves(desk.core.ledger, owners.map((id) => ({ id, currency })), prices).map((row) => ({
    sleeve: row.sleeveId,
    ...(row.sleeveId === DESK_OWNER ? { deskBook: true as const } : {}),
    equity: row.equity.toNumber(),
    reserve: row.reserve.toNumber(),
    realisedPnl: row.realisedPnl.toNumber(),
    unrealisedPnl: row.unrealisedPnl.toNumber(),
    fees: row.fees.toNumber(),
    funding: row.funding.toNumber(),
    capital: row.capital.toNumber(),
    ...(row.capital.isPositive() ? { return: row.totalPnl.toNumber() / row.capital.toNumber() } : {}),
    state: desk.core.risk.stateFor(row.sleeveId),
  }));
  const agents: DeskAgentRow[] = [...desk.status(), ...roles].map((row) => {
    const score = scores.get(row.id);
    const analyst = desk.analysts.get(row.id);
    const about = analyst === undefined ? {} : {
      strategy: analyst.strategyName,
      instruments: [...analyst.instruments],
      ...(analyst.health === 'failing' && analyst.errors > 0 ? { isolated: true as const } : {}),
    };
    return { ...row, ...(score === undefined ? {} : { lastScore: score }), ...about, activity: tally.activityOf(row.id, row.sleeve) };
  });
  const left = leftAtEnd(desk);
  return {
    schema: 'conclave.desk/1',
    name: desk.setup.name,
    mode: desk.manager.mode,
    tradingState: desk.core.tradingState,
    agents,
    sleeves,
    events,
    pendingProposals: desk.optimizer === undefined ? [] : [...desk.optimizer.pending.keys()],
    ...(warnings.length === 0 ? {} : { warnings }),
    ...(left.length === 0 ? {} : { leftAtEnd: left }),
    ...(goals === undefined ? {} : { goals }),
    ...(desk.setup.gateways === undefined ? {} : { models: { usage: summarizeUsage(desk.setup.gateways.flatMap((g) => g.usage)), abstentions } }),
  };
}

const pad = (text: string, width: number): string => (text.length >= width ? text : text + ' '.repeat(width - text.length));
const percent = (fraction: number, decimals = 1): string => `${(fraction * 100).toFixed(decimals)}%`;
const money = (value: number): string => value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** The desk summary as terminal lines. */
export function renderDeskSummary(summary: DeskSummary): string {
  const lines = [`Desk ${summary.name}: decision mode ${summary.mode}, trading ${summary.tradingState}`, '', '  Agents'];
  lines.push(`    ${pad('agent', 12)} ${pad('role', 9)} ${pad('health', 8)} ${pad('brain', 16)} ${pad('mode', 24)} ${pad('score', 6)} ${pad('signals', 8)} ${pad('approved', 9)} ${pad('denied', 7)} ${pad('fills', 6)} ${pad('weight', 16)} sleeve`);
  for (const agent of summary.agents) {
    const { activity } = agent;
    const changes = activity.modeChanges.length;
    const mode = agent.mode === undefined ? '' : `${agent.mode as AgentMode | string}${changes === 0 ? '' : ` (${changes} ${changes === 1 ? 'change' : 'changes'})`}`;
    // A role that trades nothing (the judge, the manager in the independent mode) gets no counts, rather than zeros.
    const counted = agent.role === 'analyst' || activity.signals + activity.approved + activity.denied + activity.fills > 0;
    const count = (n: number, width: number): string => pad(counted ? String(n) : '', width);
    const score = agent.lastScore === undefined ? '' : agent.lastScore.toFixed(1);
    const weight = activity.weightStart === undefined ? '' : `${percent(activity.weightStart)} → ${percent(activity.weightEnd ?? activity.weightStart)}`;
    const errors = agent.errors !== undefined && agent.errors > 0 ? `${agent.isolated === true ? ' isolated,' : ''} errors ${agent.errors}` : '';
    lines.push(
      (`    ${pad(agent.id, 12)} ${pad(agent.role, 9)} ${pad(agent.health, 8)} ${pad(agent.strategy ?? '', 16)} ${pad(mode, 24)} ${pad(score, 6)} ` +
        `${count(activity.signals, 8)} ${count(activity.approved, 9)} ${count(activity.denied, 7)} ${count(activity.fills, 6)} ${pad(weight, 16)} ${agent.sleeve ?? ''}${errors}`).trimEnd(),
    );
  }
  if (summary.sleeves.length > 0) {
    lines.push('', `    ${pad('sleeve', 20)} ${pad('equity', 14)} ${pad('reserve', 12)} ${pad('realised', 12)} ${pad('unrealised', 12)} ${pad('fees', 10)} ${pad('funding', 10)} ${pad('return', 9)} state`);
    for (const s of summary.sleeves) {
      const made = s.return === undefined ? '' : `${s.return >= 0 ? '+' : ''}${percent(s.return, 2)}`;
      lines.push(`    ${pad(s.deskBook === true ? 'desk book' : s.sleeve, 20)} ${pad(money(s.equity), 14)} ${pad(money(s.reserve), 12)} ${pad(money(s.realisedPnl), 12)} ${pad(money(s.unrealisedPnl), 12)} ${pad(money(s.fees), 10)} ${pad(money(s.funding), 10)} ${pad(made, 9)} ${s.state}`);
    }
  }
  const e = summary.events;
  lines.push(
    '',
    `  Journal: ${e.SignalEmitted ?? 0} signals, ${e.DecisionMade ?? 0} decisions, ${e.IntentApproved ?? 0} approved, ${e.IntentDenied ?? 0} denied, ${e.OrderFilled ?? 0} fills, ${e.AgentScored ?? 0} grades, ${e.StrategyErrored ?? 0} agent errors`,
  );
  if (summary.goals !== undefined) lines.push(`  Goals: ${summary.goals.status}. ${summary.goals.reason}`);
  if (summary.warnings !== undefined) lines.push('  Warnings:', ...summary.warnings.map((line) => `    ${line}`));
  if (summary.leftAtEnd !== undefined) lines.push('  Left at the end:', ...summary.leftAtEnd.map((line) => `    ${line}`));
  if (summary.pendingProposals.length > 0) lines.push(`  Parameter proposals awaiting approval: ${summary.pendingProposals.join(', ')}`);
  if (summary.models !== undefined) {
    lines.push('', ...renderUsage(summary.models.usage).map((line) => `  ${line}`));
    const abstained = Object.entries(summary.models.abstentions).map(([agent, causes]) => `${agent}: ${Object.entries(causes).map(([cause, n]) => `${cause} ${n}`).join(', ')}`);
    lines.push(`  Abstentions: ${abstained.length === 0 ? 'none' : abstained.join('; ')}`);
  }
  return lines.join('\n');
}
