import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { readAlertState, type AlertState } from '../../../adapters/notify/alert-files.js';
import type { AgentEntry } from '../../../adapters/operator/desk-status.js';
import { readProposalState } from '../../../adapters/operator/proposal-board.js';
import { runIsLive } from '../../../adapters/operator/state-file.js';
import { addRunFileOptions, runCondition, runFilesOf, type RunFileOptions } from '../operator.js';

interface StatusOptions extends RunFileOptions {
  json?: boolean;
}

/** What `conclave status` tells: the run's alerts file without its alerts (counted; `conclave alerts` lists them). */
export type StatusReport = Omit<AlertState, 'open' | 'acknowledged'> & {
  /** The file says running and its process is still there. */
  readonly live: boolean;
  readonly openAlerts: number;
  readonly pendingProposals: number;
};

export function registerStatus(program: Command): void {
  addRunFileOptions(
    program
      .command('status')
      .description("Show what a running desk is doing: its trading state, equity, open positions, agents' health, and how many alerts and proposals wait"),
  )
    .option('--json', 'print JSON')
    .action((options: StatusOptions) => {
      const status = deskStatus(options);
      console.log(options.json === true ? JSON.stringify(status, null, 2) : renderStatus(status));
    });
}

/** Reads the run's alerts file, and its proposals file when the same run wrote it (an earlier run's is not counted). */
export function deskStatus(options: RunFileOptions): StatusReport {
  const files = runFilesOf(options);
  const { open, acknowledged: _acknowledged, ...state } = readAlertState(files.alerts.state);
  const proposals = existsSync(files.proposals.state) ? readProposalState(files.proposals.state) : undefined;
  const pendingProposals = proposals !== undefined && proposals.pid === state.pid ? proposals.pending.length : 0;
  return { ...state, live: runIsLive(state), openAlerts: open.length, pendingProposals };
}

export function renderStatus(status: StatusReport): string {
  const lines = [`Desk ${status.desk} (pid ${status.pid}, ${runCondition(status, status.live)}), as of ${status.updatedAt}:`];
  if (status.tradingState === undefined && status.agents === undefined) {
    lines.push('  Its alerts file tells nothing of its trading state or agents (a run of an earlier conclave wrote it)');
  } else {
    lines.push(`  Trading ${status.tradingState ?? '?'}${status.tradingReason === undefined ? '' : `: ${status.tradingReason}`}`);
    lines.push(...positionLines(status));
    lines.push(...agentLines(status.agents ?? [], status.live));
  }
  const alerts = status.openAlerts === 0 ? 'No open alerts' : `${status.openAlerts} open alert${status.openAlerts === 1 ? '' : 's'}`;
  const waiting = status.pendingProposals === 0 ? 'no proposals' : `${status.pendingProposals} proposal${status.pendingProposals === 1 ? '' : 's'}`;
  lines.push(`  ${alerts} (conclave alerts); ${waiting} waiting for approval${status.pendingProposals === 0 ? '' : ' (conclave proposals)'}`);
  return lines.join('\n');
}

function positionLines(status: StatusReport): string[] {
  const positions = status.positions ?? [];
  const count = positions.length === 0 ? 'no open positions' : `${positions.length} open position${positions.length === 1 ? '' : 's'}:`;
  const owner = Math.max(0, ...positions.map((p) => p.owner.length));
  const instrument = Math.max(0, ...positions.map((p) => p.instrumentId.length));
  return [
    `  Equity ${status.equity ?? '?'}, ${count}`,
    ...positions.map((p) => `    ${p.owner.padEnd(owner)}  ${p.instrumentId.padEnd(instrument)}  ${p.quantity} (cost basis ${p.costBasis})`),
  ];
}

/** `live`: whether the run is still there to take a restart (the command refuses one for a run that has ended). */
function agentLines(agents: readonly AgentEntry[], live: boolean): string[] {
  if (agents.length === 0) return [];
  const health = (agent: AgentEntry): string => (agent.health === 'healthy' ? agent.health : agent.health.toUpperCase());
  const width = (text: (agent: AgentEntry) => string): number => Math.max(...agents.map((agent) => text(agent).length));
  const [id, role, shown] = [width((a) => a.id), width((a) => a.role), width(health)];
  return [
    '  Agents:',
    ...agents.map((agent) => {
      const where = [agent.sleeve === undefined ? [] : [`sleeve ${agent.sleeve}`], agent.mode === undefined ? [] : [`mode ${agent.mode}`]].flat().join(', ');
      const error = agent.error === undefined ? '' : `: ${agent.error}`;
      // The one thing a person can do about an agent from here.
      const restart = live && agent.health === 'isolated' ? ` (conclave restart --agent ${agent.id} --reason TEXT)` : '';
      return `    ${agent.id.padEnd(id)}  ${agent.role.padEnd(role)}  ${health(agent).padEnd(shown)}  ${where}${error}${restart}`.trimEnd();
    }),
  ];
}
