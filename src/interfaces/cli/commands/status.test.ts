import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeAlertState, type AlertEntry, type AlertState } from '../../../adapters/notify/alert-files.js';
import { writeStateFile } from '../../../adapters/operator/state-file.js';
import { deskStatus, renderStatus } from './status.js';

const HALT: AlertEntry = {
  id: 'notification-ev-17',
  severity: 'critical',
  kind: 'halt',
  title: 'Trading HALTED (command)',
  text: 'Trading state changed from ACTIVE to HALTED by command: news (by alice)',
  raisedAt: '2026-11-21T20:15:40.500Z',
  lastSentAt: '2026-11-21T20:15:40.500Z',
  reminders: 0,
};

const STATUS = {
  tradingState: 'HALTED',
  tradingReason: 'news (by alice)',
  equity: '9950.5',
  positions: [{ owner: 'meanrev-bb', instrumentId: 'SYNTH:BTC/USDT', quantity: '0.25', costBasis: '10000' }],
  agents: [
    { id: 'sma', role: 'analyst', health: 'healthy', sleeve: 'trend-sma', mode: 'standard' },
    { id: 'bb', role: 'analyst', health: 'isolated', error: 'threw: feed glitch', sleeve: 'meanrev-bb', mode: 'standard' },
    { id: 'pm', role: 'manager', health: 'healthy', mode: 'independent' },
  ],
} as const;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conclave-status-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function alerts(overrides: Partial<AlertState> = {}): void {
  writeAlertState(join(dir, 'ALERTS.json'), { desk: 'desk-a', pid: process.pid, running: true, updatedAt: '2026-11-21T20:30:41.000Z', ...STATUS, open: [HALT], acknowledged: [], ...overrides });
}

const proposals = (pid: number, pending: number): void =>
  writeStateFile(join(dir, 'ALERTS.proposals.json'), {
    desk: 'desk-a',
    pid,
    running: true,
    updatedAt: '2026-11-21T20:30:41.000Z',
    pending: Array.from({ length: pending }, (_, i) => ({ id: `p-${i}`, agentId: 'sma', current: {}, proposed: {}, proposedScore: 1, currentScore: 0, reason: 'r', proposedAt: '2024-02-17T00:00:00.000Z' })),
    applied: [],
  } as never);

describe('conclave status', () => {
  it("shows a running desk's trading state, equity, positions and agents, and counts its alerts and proposals", () => {
    alerts();
    proposals(process.pid, 2);
    const status = deskStatus({ dir, file: 'ALERTS' });
    expect(status).toEqual({ desk: 'desk-a', pid: process.pid, running: true, live: true, updatedAt: '2026-11-21T20:30:41.000Z', ...STATUS, openAlerts: 1, pendingProposals: 2 });
    expect(renderStatus(status)).toBe(
      [
        `Desk desk-a (pid ${process.pid}, running), as of 2026-11-21T20:30:41.000Z:`,
        '  Trading HALTED: news (by alice)',
        '  Equity 9950.5, 1 open position:',
        '    meanrev-bb  SYNTH:BTC/USDT  0.25 (cost basis 10000)',
        '  Agents:',
        '    sma  analyst  healthy   sleeve trend-sma, mode standard',
        '    bb   analyst  ISOLATED  sleeve meanrev-bb, mode standard: threw: feed glitch (conclave restart --agent bb --reason TEXT)',
        '    pm   manager  healthy   mode independent',
        '  1 open alert (conclave alerts); 2 proposals waiting for approval (conclave proposals)',
      ].join('\n'),
    );
  });

  it('counts no proposals of an earlier run, and says so of a run that ended or wrote no status', () => {
    alerts({ running: false, positions: [], open: [], tradingState: 'ACTIVE', tradingReason: undefined });
    proposals(process.pid + 1_000_000, 3);
    const ended = deskStatus({ dir, file: 'ALERTS' });
    expect(ended).toMatchObject({ live: false, openAlerts: 0, pendingProposals: 0 });
    expect(renderStatus(ended).split('\n').slice(0, 3)).toEqual([`Desk desk-a (pid ${process.pid}, ended), as of 2026-11-21T20:30:41.000Z:`, '  Trading ACTIVE', '  Equity 9950.5, no open positions']);
    // An ended run takes no restart: the isolated analyst is shown without the command the run would refuse.
    expect(renderStatus(ended)).toContain('    bb   analyst  ISOLATED  sleeve meanrev-bb, mode standard: threw: feed glitch\n');

    writeAlertState(join(dir, 'ALERTS.json'), { desk: 'desk-a', pid: process.pid, running: true, updatedAt: '2026-11-21T20:30:41.000Z', open: [], acknowledged: [] });
    expect(renderStatus(deskStatus({ dir, file: 'ALERTS' }))).toBe(
      [
        `Desk desk-a (pid ${process.pid}, running), as of 2026-11-21T20:30:41.000Z:`,
        '  Its alerts file tells nothing of its trading state or agents (a run of an earlier conclave wrote it)',
        '  No open alerts (conclave alerts); no proposals waiting for approval',
      ].join('\n'),
    );
  });

  it('names the file it needs when no run is there', () => {
    expect(() => deskStatus({ dir, file: 'DESKA' })).toThrow(`there is no ${join(dir, 'DESKA.json')}: no desk run (conclave run) has written its alerts in this directory`);
  });
});
