/**
 * The desk report's "Agents" section: who did what. One row per analyst with its brain, instruments, what it did
 * (signals, intents approved and denied, fills), its sleeve's books (funding included) and return, the judge's last score and mode,
 * its sleeve's capital weight at the start and the end, and whether it was isolated; then the other roles, and the
 * desk book when it holds anything. All text is escaped.
 */
import type { DeskAgentRow, DeskSleeveRow, DeskSummary } from '../desk-summary.js';
import { escapeHtml, formatMoney, formatNumber, formatPercent } from './format.js';
import { toneOf } from './metric-rows.js';

const HEAD =
  '<tr><th class="text">Agent</th><th class="text">Brain</th><th class="text">Instruments</th><th class="text">Sleeve</th>' +
  '<th>Signals</th><th>Approved</th><th>Denied</th><th>Fills</th><th>Realised</th><th>Unrealised</th><th>Fees</th><th>Funding</th>' +
  '<th>Return</th><th>Score</th><th class="text">Mode</th><th>Weight</th><th class="text">Health</th></tr>';

const money = (value: number | undefined, key: string): string =>
  value === undefined ? `<td class="muted" data-field="${key}"></td>` : `<td class="${toneOf(value)}" data-field="${key}">${escapeHtml(formatMoney(value))}</td>`;

const count = (value: number, key: string): string => `<td data-field="${key}">${formatNumber(value, 0)}</td>`;

/** The mode it ended in, and the judge's changes on the way (`standard → aggressive → standard`). */
function modeText(agent: DeskAgentRow): string {
  const changes = agent.activity.modeChanges;
  if (agent.mode === undefined) return '';
  if (changes.length === 0) return agent.mode;
  const path = changes.length <= 3 ? `: ${changes.join(', ')}` : `, the last ${changes[changes.length - 1] ?? ''}`;
  return `${agent.mode} (${changes.length} ${changes.length === 1 ? 'change' : 'changes'}${path})`;
}

function healthText(agent: DeskAgentRow): string {
  const errors = agent.errors ?? 0;
  if (agent.isolated === true) return `isolated (${errors} ${errors === 1 ? 'error' : 'errors'})`;
  const problem = agent.problem === undefined ? '' : `: ${agent.problem}`;
  return errors > 0 ? `${agent.health}, restarted after ${errors} ${errors === 1 ? 'error' : 'errors'}${problem}` : `${agent.health}${problem}`;
}

function analystRow(agent: DeskAgentRow, sleeve: DeskSleeveRow | undefined): string {
  const a = agent.activity;
  const weight = a.weightStart === undefined ? '' : `${formatPercent(a.weightStart, 1)} → ${formatPercent(a.weightEnd ?? a.weightStart, 1)}`;
  const made = sleeve?.return;
  return (
    `<tr data-agent="${escapeHtml(agent.id)}"><td class="text">${escapeHtml(agent.id)}</td>` +
    `<td class="text">${escapeHtml(agent.strategy ?? '')}</td><td class="text">${escapeHtml((agent.instruments ?? []).join(', '))}</td>` +
    `<td class="text">${escapeHtml(agent.sleeve ?? '')}</td>` +
    count(a.signals, 'signals') + count(a.approved, 'approved') + count(a.denied, 'denied') + count(a.fills, 'fills') +
    money(sleeve?.realisedPnl, 'realised') + money(sleeve?.unrealisedPnl, 'unrealised') +
    `<td data-field="fees">${sleeve === undefined ? '' : escapeHtml(formatMoney(sleeve.fees))}</td>` +
    `<td data-field="funding">${sleeve === undefined ? '' : escapeHtml(formatMoney(sleeve.funding))}</td>` +
    `<td class="${made === undefined ? 'muted' : toneOf(made)}" data-field="return">${made === undefined ? '' : escapeHtml(formatPercent(made, 2, true))}</td>` +
    `<td data-field="score">${agent.lastScore === undefined ? '' : escapeHtml(formatNumber(agent.lastScore, 1))}</td>` +
    `<td class="text" data-field="mode">${escapeHtml(modeText(agent))}</td><td data-field="weight">${escapeHtml(weight)}</td>` +
    `<td class="${agent.health === 'healthy' ? 'text' : 'text negative'}" data-field="health">${escapeHtml(healthText(agent))}</td></tr>`
  );
}

/** The other roles, one line each: what they decided, when they traded (the manager in the netting modes). */
function otherRole(agent: DeskAgentRow): string {
  const a = agent.activity;
  const traded = a.approved + a.denied + a.fills > 0 ? `: ${a.approved} approved, ${a.denied} denied, ${a.fills} fills` : '';
  const mode = agent.mode === undefined ? '' : `, mode ${agent.mode}`;
  return `<li data-agent="${escapeHtml(agent.id)}">${escapeHtml(`${agent.id} (${agent.role}${mode}), ${healthText(agent)}${traded}`)}</li>`;
}

export function agentsSection(desk: DeskSummary): string {
  const sleeves = new Map(desk.sleeves.map((s) => [s.sleeve, s]));
  const analysts = desk.agents.filter((a) => a.role === 'analyst');
  const others = desk.agents.filter((a) => a.role !== 'analyst');
  const parts = [
    `<p class="note">Decision mode ${escapeHtml(desk.mode)}, trading ${escapeHtml(desk.tradingState)}. Books are the sleeve's (realised and unrealised PnL, fees, funding paid on perpetuals (negative when received), ` +
      'return on the capital it was given); weight is its capital weight in the first and the last allocation. Approved and denied count ' +
      'every order the gate judged for the agent, its entries\' stop-loss and take-profit exits included.</p>',
  ];
  if (analysts.length === 0) parts.push('<p class="muted">No analysts.</p>');
  else {
    const rows = analysts.map((agent) => analystRow(agent, agent.sleeve === undefined ? undefined : sleeves.get(agent.sleeve))).join('');
    parts.push(`<div class="scroll"><table class="agents"><thead>${HEAD}</thead><tbody>${rows}</tbody></table></div>`);
  }
  const book = desk.sleeves.find((s) => s.deskBook === true);
  if (book !== undefined) {
    parts.push(
      `<p class="note">Desk book (what the netting modes trade, and cash not given to a sleeve): equity ${escapeHtml(formatMoney(book.equity))}, ` +
        `realised ${escapeHtml(formatMoney(book.realisedPnl))}, unrealised ${escapeHtml(formatMoney(book.unrealisedPnl))}, fees ${escapeHtml(formatMoney(book.fees))}, funding ${escapeHtml(formatMoney(book.funding))}.</p>`,
    );
  }
  if (others.length > 0) parts.push(`<ul class="roles">${others.map(otherRole).join('')}</ul>`);
  return parts.join('\n');
}
