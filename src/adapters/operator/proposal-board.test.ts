import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestClock } from '../../core/clock.js';
import { agentId, type EventId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { DeskEvent } from '../../domain/events.js';
import { ProposalBoard, readProposalState } from './proposal-board.js';
import { runFiles } from './run-files.js';

const T = Date.UTC(2024, 1, 17) as UnixMs;

function proposed(id: string, approval: 'required' | 'automatic' = 'required'): DeskEvent {
  return {
    type: 'ParametersProposed',
    id: `ev-${id}` as EventId,
    tsEvent: T,
    tsInit: T,
    proposalId: id,
    agentId: agentId('donchian'),
    current: { entry: 20, exit: 10 },
    proposed: { entry: 17, exit: 19 },
    proposedScore: -2.339,
    currentScore: -3.054,
    approval,
    reason: 'better out of sample',
  } as DeskEvent;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conclave-proposals-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the proposals file and its approval inbox', () => {
  it('shows proposals that wait for approval, applies an approval from the inbox, and lists it as applied', () => {
    const paths = runFiles(dir).proposals;
    const approved: string[] = [];
    const board: ProposalBoard = new ProposalBoard(
      paths,
      (id, by) => {
        approved.push(`${id} by ${by}`);
        board.onEvent({ type: 'ParametersApplied', id: 'ev-a' as EventId, tsEvent: T, tsInit: T, proposalId: id, agentId: agentId('donchian'), parameters: { entry: 17, exit: 19 }, approvedBy: by } as DeskEvent);
      },
      'desk-a',
      new TestClock(T),
    );
    appendFileSync(paths.inbox, `${JSON.stringify({ proposal: 'p-old', by: 'earlier' })}\n`);
    board.start();
    board.onEvent(proposed('p-1'));
    board.onEvent(proposed('p-auto', 'automatic'));
    expect(board.poll()).toEqual(['Proposal p-1 for donchian waits for approval: {"entry":17,"exit":19} (conclave proposals approve p-1)']);
    expect(board.poll()).toEqual([]);
    expect(readProposalState(paths.state).pending.map((p) => [p.id, p.agentId, p.proposedScore])).toEqual([['p-1', 'donchian', -2.339]]);

    appendFileSync(paths.inbox, 'nonsense\n{"proposal":"p-9","by":"bob"}\n{"proposal":"p-1","by":"alice"}\n');
    expect(board.poll()).toEqual([
      `Proposals inbox ${paths.inbox}, line 2: not JSON; ignored`,
      'Approval by bob names no proposal waiting in this run: "p-9"; ignored',
      'Proposal p-1 approved by alice: donchian now trades {"entry":17,"exit":19}',
    ]);
    expect(approved).toEqual(['p-1 by alice']);
    const state = readProposalState(paths.state);
    expect(state.pending).toEqual([]);
    expect(state.applied).toEqual([{ id: 'p-1', agentId: 'donchian', approvedBy: 'alice', appliedAt: '2024-02-17T00:00:00.000Z' }]);
    board.close();
    expect(readProposalState(paths.state).running).toBe(false);
  });
});
