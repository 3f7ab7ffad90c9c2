import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { FixRequestError } from '../../../core/errors.js';
import { readProposalState, type ProposalEntry, type ProposalState } from '../../../adapters/operator/proposal-board.js';
import { readAlertState } from '../../../adapters/notify/alert-files.js';
import { appendRequest } from '../../../adapters/operator/json-lines-inbox.js';
import type { RunFiles } from '../../../adapters/operator/run-files.js';
import { runIsLive } from '../../../adapters/operator/state-file.js';
import { addRunFileOptions, operatorName, requestTime, runCondition, runFilesOf, type RunFileOptions } from '../operator.js';

interface ListOptions extends RunFileOptions {
  json?: boolean;
}

interface ApproveOptions extends RunFileOptions {
  by?: string;
}

export function registerProposals(program: Command): void {
  const proposals = addRunFileOptions(
    program
      .command('proposals')
      .description("Show the parameter proposals a running desk's optimizer waits to have approved (conclave run keeps them in ALERTS.proposals.json, or NAME.proposals.json for its alertsFile)")
      .enablePositionalOptions(),
  )
    .option('--json', 'print JSON')
    .action((options: ListOptions) => {
      const state = readProposals(runFilesOf(options));
      if (options.json === true) console.log(JSON.stringify({ ...state, live: runIsLive(state) }, null, 2));
      else console.log(renderProposals(state, runIsLive(state)));
    });
  addRunFileOptions(
    proposals
      .command('approve')
      .description('Approve proposals of a running desk: the analyst trades the proposed parameters from its next bar')
      .argument('<ids...>', 'proposal ids, as conclave proposals lists them')
      .option('--by <name>', 'who approves (default: $USER)'),
  ).action((ids: string[], options: ApproveOptions) => {
      console.log(approve(ids, options));
    });
}

/** Appends the approvals to the run's inbox, after checking every id against its waiting proposals (all or none go). */
export function approve(ids: readonly string[], options: ApproveOptions): string {
  const by = operatorName(options.by, 'approves');
  const files = runFilesOf(options);
  const paths = files.proposals;
  const state = readProposals(files);
  if (!runIsLive(state)) throw new FixRequestError('run_ended', `the run of ${state.desk} that wrote ${paths.state} (pid ${state.pid}) has ended: its proposals can no longer be approved`);
  const waiting = new Set(state.pending.map((proposal) => proposal.id));
  const unknown = ids.filter((id) => !waiting.has(id));
  if (unknown.length > 0) {
    const known = waiting.size === 0 ? 'none is waiting' : `waiting: ${[...waiting].join(', ')}`;
    throw new FixRequestError('unknown_proposal', `${state.desk} has no waiting proposal ${unknown.map((id) => `"${id}"`).join(', ')} (${known})`);
  }
  const at = requestTime();
  const chosen = [...new Set(ids)];
  for (const id of chosen) appendRequest(paths.inbox, { proposal: id, by, at });
  return `Approved ${chosen.length} proposal${chosen.length === 1 ? '' : 's'} of ${state.desk} as ${by}: ${chosen.join(', ')} (the run applies it within a second; conclave proposals shows it).`;
}

/**
 * The run's proposals. Only a desk whose optimizer waits for approval keeps them: a run that keeps none (its alerts
 * file is there) is said to be one, rather than that no run is there.
 */
function readProposals(files: RunFiles): ProposalState {
  if (!existsSync(files.proposals.state) && existsSync(files.alerts.state)) {
    const run = readAlertState(files.alerts.state);
    throw new FixRequestError(
      'no_proposals',
      `the run of ${run.desk} (pid ${run.pid}) keeps no proposals (there is no ${files.proposals.state}): only an optimizer whose approval is manual waits for one`,
    );
  }
  return readProposalState(files.proposals.state);
}

export function renderProposals(state: ProposalState, live: boolean): string {
  const how = runCondition(state, live);
  const lines = [`Desk ${state.desk} (pid ${state.pid}, ${how}), proposals as of ${state.updatedAt}:`];
  if (state.pending.length === 0) lines.push('  None waiting for approval.');
  for (const proposal of state.pending) lines.push(...describe(proposal));
  if (state.applied.length > 0) lines.push(`  ${state.applied.length} applied, the latest: ${state.applied.map((a) => `${a.id} by ${a.approvedBy}`).slice(-3).join('; ')}`);
  if (live && state.pending.length > 0) lines.push('  Approve with: conclave proposals approve ID');
  return lines.join('\n');
}

function describe(proposal: ProposalEntry): string[] {
  const score = (value: number): string => (Number.isFinite(value) ? value.toFixed(3) : String(value));
  return [
    `    ${proposal.id}  ${proposal.agentId}: ${JSON.stringify(proposal.current)} -> ${JSON.stringify(proposal.proposed)}`,
    `             out-of-sample score ${score(proposal.currentScore)} -> ${score(proposal.proposedScore)}, proposed ${proposal.proposedAt}`,
    `             ${proposal.reason}`,
  ];
}
