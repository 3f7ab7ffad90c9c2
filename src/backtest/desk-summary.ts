import type { AgentMode } from '../domain/agent-events.js';
import type { Desk } from '../engine/desk/desk.js';
import { DESK_OWNER } from '../engine/desk/manager-role.js';
import { DESK_BOOK_MODES } from '../agents/decision-modes/index.js';
import { attributeSleeves } from '../portfolio/attribution.js';
import { leftAtEnd } from './desk-left-over.js';
import { renderUsage, summarizeUsage, type AgentUsage } from '../llm/usage-report.js';

export interface DeskAgentRow {
  readonly id: string;
  readonly role: string;
  readonly health: string;
  readonly mode?: string;
  readonly sleeve?: string;
  readonly lastScore?: number;
  readonly errors?: number;
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
  /** What the run left when the data ended: orders still working, with their funds held, and unsellable spot dust. */
  readonly leftAtEnd?: readonly string[];
  /** How many events of each type the journal holds. */
  readonly events: Readonly<Record<string, number>>;
  readonly pendingProposals: readonly string[];
  readonly goals?: { readonly status: string; readonly reason: string };
  /** Model-driven brains: tokens, dollars and latency per agent, and abstentions by agent and cause. */
  readonly models?: { readonly usage: readonly AgentUsage[]; readonly abstentions: Readonly<Record<string, Readonly<Record<string, number>>>> };
}

export function summariseDesk(desk: Desk, warnings: readonly string[] = []): DeskSummary {
  const events: Record<string, number> = {};
  const scores = new Map<string, number>();
  let goals: DeskSummary['goals'];
  const abstentions: Record<string, Record<string, number>> = {};
  const length = desk.core.store.length;
  for (let offset = 0; offset < length; offset += 10_000) {
    for (const event of desk.core.store.read(offset, 10_000)) {
      events[event.type] = (events[event.type] ?? 0) + 1;
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
  const [book] = attributeSleeves(desk.core.ledger, [{ id: DESK_OWNER, currency }]);
  const showBook = book !== undefined && (DESK_BOOK_MODES.has(desk.manager.mode) || !book.equity.isZero() || !book.realisedPnl.isZero() || !book.fees.isZero());
  const owners = [...sleeveIds, ...(showBook ? [DESK_OWNER] : [])];
  const sleeves = attributeSleeves(desk.core.ledger, owners.map((id) => ({ id, currency }))).map((row) => ({
    sleeve: row.sleeveId,
    ...(row.sleeveId === DESK_OWNER ? { deskBook: true as const } : {}),
    equity: row.equity.toNumber(),
    reserve: row.reserve.toNumber(),
    realisedPnl: row.realisedPnl.toNumber(),
    unrealisedPnl: row.unrealisedPnl.toNumber(),
    fees: row.fees.toNumber(),
    state: desk.core.risk.stateFor(row.sleeveId),
  }));
  const agents: DeskAgentRow[] = desk.status().map((row) => {
    const score = scores.get(row.id);
    return { ...row, ...(score === undefined ? {} : { lastScore: score }) };
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
const money = (value: number): string => value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** The desk summary as terminal lines. */
export function renderDeskSummary(summary: DeskSummary): string {
  const lines = [`Desk ${summary.name}: decision mode ${summary.mode}, trading ${summary.tradingState}`, '', '  Agents'];
  for (const agent of summary.agents) {
    const mode = agent.mode === undefined ? '' : ` mode ${agent.mode as AgentMode | string}`;
    const score = agent.lastScore === undefined ? '' : ` score ${agent.lastScore.toFixed(1)}`;
    const sleeve = agent.sleeve === undefined ? '' : ` sleeve ${agent.sleeve}`;
    const errors = agent.errors !== undefined && agent.errors > 0 ? ` errors ${agent.errors}` : '';
    lines.push(`    ${pad(agent.id, 12)} ${pad(agent.role, 8)} ${pad(agent.health, 8)}${mode}${score}${sleeve}${errors}`);
  }
  if (summary.sleeves.length > 0) {
    lines.push('', `    ${pad('sleeve', 20)} ${pad('equity', 14)} ${pad('reserve', 12)} ${pad('realised', 12)} ${pad('unrealised', 12)} state`);
    for (const s of summary.sleeves) {
      lines.push(`    ${pad(s.deskBook === true ? 'desk book' : s.sleeve, 20)} ${pad(money(s.equity), 14)} ${pad(money(s.reserve), 12)} ${pad(money(s.realisedPnl), 12)} ${pad(money(s.unrealisedPnl), 12)} ${s.state}`);
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
