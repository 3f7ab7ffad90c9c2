import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixRequestError } from '../../core/errors.js';
import { readAlertState } from '../notify/alert-files.js';
import { readProposalState } from './proposal-board.js';
import { runIsLive } from './state-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conclave-state-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const STAMP = { desk: 'desk-a', pid: process.pid, running: true, updatedAt: '2026-11-21T00:00:00.000Z' };
const ALERT = { id: 'notification-ev-6', severity: 'critical', kind: 'halt', title: 'Trading HALTED (command)', text: 'halted', raisedAt: '2026-11-21T00:00:00.000Z', lastSentAt: '2026-11-21T00:00:00.000Z', reminders: 0 };
const PROPOSAL = { id: 'p-1', agentId: 'donchian', current: { entry: 20 }, proposed: { entry: 17 }, proposedScore: -2.3, currentScore: null, reason: 'r', proposedAt: '2024-02-17T00:00:00.000Z' };

/** What reading `content` as a state file throws, as the CLI would print it. */
function refusal(read: (path: string) => unknown, content: unknown): string {
  const path = join(dir, 'STATE.json');
  writeFileSync(path, JSON.stringify(content));
  try {
    read(path);
  } catch (error) {
    expect(error).toBeInstanceOf(FixRequestError);
    return (error as Error).message.replace(`${path} `, '');
  }
  return 'accepted';
}

describe("a run's state file, read by the operator commands", () => {
  it('is checked entry by entry, and a bad entry is named rather than crashing the command later', () => {
    const alerts = (open: unknown[], acknowledged: unknown[] = []): string => refusal(readAlertState, { ...STAMP, open, acknowledged });
    expect(alerts([ALERT], [{ ...ALERT, acknowledgedBy: 'bob', acknowledgedAt: '2026-11-21T00:01:00.000Z' }])).toBe('accepted');
    expect(alerts([{}])).toBe('is not the alerts file of a conclave run: open[0] has no "id" (text)');
    expect(alerts([null])).toBe('is not the alerts file of a conclave run: open[0] is not an object');
    expect(alerts([ALERT], [null])).toBe('is not the alerts file of a conclave run: acknowledged[0] is not an object');
    expect(alerts([ALERT, { ...ALERT, reminders: '1' }])).toBe('is not the alerts file of a conclave run: open[1] has no "reminders" (a number)');
    expect(alerts([{ ...ALERT, acknowledgedBy: 7 }])).toBe('is not the alerts file of a conclave run: open[0] "acknowledgedBy" must be text when given');

    const proposals = (pending: unknown[], applied: unknown[] = []): string => refusal(readProposalState, { ...STAMP, pending, applied });
    expect(proposals([PROPOSAL], [{ id: 'p-0', agentId: 'donchian', approvedBy: 'alice', appliedAt: '2024-02-16T00:00:00.000Z' }])).toBe('accepted');
    expect(proposals([null])).toBe('is not the proposals file of a conclave run: pending[0] is not an object');
    expect(proposals([{ ...PROPOSAL, proposed: [17] }])).toBe('is not the proposals file of a conclave run: pending[0] has no "proposed" (an object)');
    expect(proposals([], [5])).toBe('is not the proposals file of a conclave run: applied[0] is not an object');
  });

  it("refuses a process id that is not one, which would signal a whole process group or every process", () => {
    for (const pid of [0, -1, 1.5, '4242']) {
      expect(refusal(readAlertState, { ...STAMP, pid, open: [], acknowledged: [] })).toBe(
        `is not the alerts file of a conclave run: "pid" must be a positive whole number (the run's process), got ${JSON.stringify(pid)}`,
      );
    }
    expect(refusal(readAlertState, { pid: 4242, running: true, open: [], acknowledged: [] })).toBe('is not the alerts file of a conclave run: it has no "desk" (text)');
    expect(runIsLive({ ...STAMP, pid: 0 })).toBe(false);
    expect(runIsLive({ ...STAMP, pid: -1 })).toBe(false);
    expect(runIsLive(STAMP)).toBe(true);
  });

  it("checks the desk's status beside the alerts when the run wrote one, and reads a file written before runs did", () => {
    const alerts = (status: Record<string, unknown>): string => refusal(readAlertState, { ...STAMP, ...status, open: [], acknowledged: [] });
    const agent = { id: 'bb', role: 'analyst', health: 'isolated', error: 'threw: feed glitch', sleeve: 'meanrev-bb', mode: 'standard' };
    const position = { owner: 'meanrev-bb', instrumentId: 'SYNTH:BTC/USDT', quantity: '0.25', costBasis: '10000' };
    expect(alerts({})).toBe('accepted');
    expect(alerts({ tradingState: 'HALTED', tradingReason: 'news', equity: '9950.5', positions: [position], agents: [agent] })).toBe('accepted');
    expect(alerts({ agents: [{ ...agent, health: undefined }] })).toBe('is not the alerts file of a conclave run: agents[0] has no "health" (text)');
    expect(alerts({ agents: { bb: agent } })).toBe('is not the alerts file of a conclave run: "agents" must be a list');
    expect(alerts({ positions: [{ ...position, quantity: 0.25 }] })).toBe('is not the alerts file of a conclave run: positions[0] has no "quantity" (text)');
    expect(alerts({ equity: 9950.5 })).toBe('is not the alerts file of a conclave run: "equity" must be text when given');
  });
});
