import type { Clock } from '../../core/clock.js';
import type { DeskEvent } from '../../domain/events.js';
import { JsonLinesInbox, textField } from './json-lines-inbox.js';
import type { StateAndInbox } from './run-files.js';
import { readStateFile, writeStateFile, type EntryShape, type RunStamp } from './state-file.js';

/*
 * The parameter proposals of a running desk that wait for a person's approval (an optimizer with `approval: manual`),
 * shown and approved through two files (run-files.ts names them): `NAME.proposals.json`, written by the run, and
 * `NAME.proposals.ack`, where `conclave proposals approve` appends approvals for the run to apply.
 */

export interface ProposalEntry {
  readonly id: string;
  readonly agentId: string;
  readonly current: Readonly<Record<string, number | string>>;
  readonly proposed: Readonly<Record<string, number | string>>;
  /** Out-of-sample scores over the same walk-forward windows. */
  readonly proposedScore: number;
  readonly currentScore: number;
  readonly reason: string;
  /** ISO 8601, on the desk's (market) clock. */
  readonly proposedAt: string;
}

export interface ProposalState extends RunStamp {
  readonly pending: readonly ProposalEntry[];
  /** The latest applied proposals, newest last. */
  readonly applied: readonly { readonly id: string; readonly agentId: string; readonly approvedBy: string; readonly appliedAt: string }[];
}

const PROPOSAL_ENTRY: EntryShape = {
  id: 'text',
  agentId: 'text',
  current: 'object',
  proposed: 'object',
  proposedScore: 'number-or-null',
  currentScore: 'number-or-null',
  reason: 'text',
  proposedAt: 'text',
};
const APPLIED_ENTRY: EntryShape = { id: 'text', agentId: 'text', approvedBy: 'text', appliedAt: 'text' };

export function readProposalState(path: string): ProposalState {
  return readStateFile<ProposalState>(path, 'proposals', { pending: PROPOSAL_ENTRY, applied: APPLIED_ENTRY });
}

const APPLIED_KEPT = 50;

/**
 * Keeps the proposals file in step with the desk's journal (`onEvent`: proposals that need approval, and the ones
 * applied) and applies the approvals people append to its inbox (`poll`, on the run's ticks). Approvals left in the inbox
 * before the run started are not applied.
 */
export class ProposalBoard {
  private readonly inbox: JsonLinesInbox;
  private readonly pending = new Map<string, ProposalEntry>();
  private readonly applied: ProposalState['applied'][number][] = [];
  /** Proposals not yet announced to the operator. */
  private readonly fresh: string[] = [];
  private changed = true;

  constructor(
    private readonly paths: StateAndInbox,
    private readonly approve: (proposalId: string, approvedBy: string) => void,
    private readonly desk: string,
    private readonly clock: Clock,
  ) {
    this.inbox = new JsonLinesInbox(paths.inbox, 'Proposals inbox');
  }

  onEvent(event: DeskEvent): void {
    if (event.type === 'ParametersProposed' && event.approval === 'required') {
      const { proposalId, agentId, current, proposed, proposedScore, currentScore, reason } = event;
      this.pending.set(proposalId, { id: proposalId, agentId, current, proposed, proposedScore, currentScore, reason, proposedAt: new Date(event.tsEvent).toISOString() });
      this.fresh.push(proposalId);
      this.changed = true;
    } else if (event.type === 'ParametersApplied' && this.pending.delete(event.proposalId)) {
      this.applied.push({ id: event.proposalId, agentId: event.agentId, approvedBy: event.approvedBy, appliedAt: new Date(event.tsEvent).toISOString() });
      if (this.applied.length > APPLIED_KEPT) this.applied.shift();
      this.changed = true;
    }
  }

  start(): void {
    this.inbox.start();
    this.write(true);
  }

  /** Applies new approvals, rewrites the file when the proposals changed; returns what to tell the operator. */
  poll(): string[] {
    const messages = [...this.announce(), ...this.readInbox()];
    if (this.changed) this.write(true);
    return messages;
  }

  private announce(): string[] {
    const messages: string[] = [];
    for (const id of this.fresh.splice(0, this.fresh.length)) {
      const entry = this.pending.get(id);
      if (entry === undefined) continue;
      messages.push(`Proposal ${id} for ${entry.agentId} waits for approval: ${JSON.stringify(entry.proposed)} (conclave proposals approve ${id})`);
    }
    return messages;
  }

  close(): string[] {
    const messages = this.readInbox();
    this.write(false);
    return messages;
  }

  private readInbox(): string[] {
    const messages: string[] = [];
    for (const { line, fields } of this.inbox.read(messages)) {
      const proposal = textField(fields, 'proposal', 500);
      const by = textField(fields, 'by', 100);
      if (proposal === undefined || by === undefined) {
        this.inbox.refuse(messages, line, 'needs "proposal" and "by"');
        continue;
      }
      const entry = this.pending.get(proposal);
      if (entry === undefined) {
        messages.push(`Approval by ${by} names no proposal waiting in this run: "${proposal}"; ignored`);
        continue;
      }
      this.approve(proposal, by);
      messages.push(`Proposal ${proposal} approved by ${by}: ${entry.agentId} now trades ${JSON.stringify(entry.proposed)}`);
    }
    return messages;
  }

  private write(running: boolean): void {
    this.changed = false;
    const state: ProposalState = {
      desk: this.desk,
      pid: process.pid,
      running,
      updatedAt: new Date(this.clock.now()).toISOString(),
      pending: [...this.pending.values()],
      applied: this.applied,
    };
    writeStateFile(this.paths.state, state);
  }
}
