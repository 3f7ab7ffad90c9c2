import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestClock } from '../../core/clock.js';
import { SeededRandom } from '../../core/random.js';
import type { UnixMs } from '../../core/time.js';
import { Dispatcher } from '../../notify/dispatcher.js';
import { sampleDenial, sampleStateChange } from '../../../test/support/notify-sample-events.js';
import { RecordingChannel } from '../../../test/support/recording-channel.js';
import { AlertBoard } from './alert-board.js';
import { runFiles, type StateAndInbox } from '../operator/run-files.js';
import { readAlertState } from './alert-files.js';
import type { DeskStatus } from '../operator/desk-status.js';
import { ScriptedBooks } from '../../../test/support/scripted-books.js';

const DAY0 = Date.UTC(2026, 0, 5) as UnixMs;
const MINUTE = 60_000;

let dir: string;
let paths: StateAndInbox;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conclave-alerts-'));
  paths = runFiles(dir).alerts;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup(): { clock: TestClock; channel: RecordingChannel; dispatcher: Dispatcher; board: AlertBoard } {
  const clock = new TestClock(DAY0);
  const channel = new RecordingChannel('ops');
  const dispatcher = new Dispatcher({ books: new ScriptedBooks(), clock, random: new SeededRandom(1), channels: [channel], alertResendMs: 15 * MINUTE });
  return { clock, channel, dispatcher, board: new AlertBoard(paths, dispatcher, 'desk-a', clock) };
}

const ack = (alert: string, by: string): void => appendFileSync(paths.inbox, `${JSON.stringify({ alert, by, at: '2026-01-05T00:00:00.000Z' })}\n`);

describe('the alerts file and its acknowledgement inbox', () => {
  it("tells what the desk is doing beside its alerts, rewritten when that changes", () => {
    const clock = new TestClock(DAY0);
    const dispatcher = new Dispatcher({ books: new ScriptedBooks(), clock, random: new SeededRandom(1), channels: [] });
    let status: DeskStatus = { tradingState: 'ACTIVE', equity: '10000', positions: [], agents: [{ id: 'bb', role: 'analyst', health: 'healthy', sleeve: 'meanrev-bb', mode: 'standard' }] };
    const board = new AlertBoard(paths, dispatcher, 'desk-a', clock, () => status);
    board.start();
    expect(readAlertState(paths.state)).toEqual({ desk: 'desk-a', pid: process.pid, running: true, updatedAt: '2026-01-05T00:00:00.000Z', ...status, open: [], acknowledged: [] });
    clock.advanceBy(MINUTE);
    board.poll();
    // Nothing changed: the file is not rewritten.
    expect(readAlertState(paths.state).updatedAt).toBe('2026-01-05T00:00:00.000Z');
    status = {
      tradingState: 'HALTED',
      tradingReason: 'news (by alice)',
      equity: '9950.5',
      positions: [{ owner: 'meanrev-bb', instrumentId: 'SYNTH:BTC/USDT', quantity: '0.25', costBasis: '10000' }],
      agents: [{ id: 'bb', role: 'analyst', health: 'isolated', error: 'threw: feed glitch', sleeve: 'meanrev-bb', mode: 'standard' }],
    };
    board.poll();
    expect(readAlertState(paths.state)).toMatchObject({ updatedAt: '2026-01-05T00:01:00.000Z', ...status });
    board.close();
    expect(readAlertState(paths.state)).toMatchObject({ running: false, ...status });
  });

  it('shows a critical alert, applies an acknowledgement from the inbox and stops the reminders', async () => {
    const { clock, channel, dispatcher, board } = setup();
    board.start();
    expect(readAlertState(paths.state)).toEqual({ desk: 'desk-a', pid: process.pid, running: true, updatedAt: '2026-01-05T00:00:00.000Z', open: [], acknowledged: [] });

    dispatcher.onEvent(sampleStateChange('h1', DAY0, 'ACTIVE', 'HALTED'));
    await dispatcher.flush();
    expect(board.poll()).toEqual([]);
    const open = readAlertState(paths.state).open;
    expect(open).toEqual([
      {
        id: 'notification-h1',
        severity: 'critical',
        kind: 'halt',
        title: 'Trading HALTED (daily-loss)',
        text: channel.sent[0]?.text,
        raisedAt: '2026-01-05T00:00:00.000Z',
        lastSentAt: '2026-01-05T00:00:00.000Z',
        reminders: 0,
      },
    ]);

    clock.advanceBy(15 * MINUTE);
    await dispatcher.flush();
    expect(channel.sent.map((n) => n.id)).toEqual(['notification-h1', 'notification-h1-reminder-1']);
    expect(channel.sent[1]?.text).toContain('conclave alerts ack notification-h1 stops these');
    board.poll();
    expect(readAlertState(paths.state).open[0]).toMatchObject({ reminders: 1, lastSentAt: '2026-01-05T00:15:00.000Z' });

    clock.advanceBy(MINUTE);
    ack('notification-h1', 'alice');
    expect(board.poll()).toEqual(['Alert notification-h1 (Trading HALTED (daily-loss)) acknowledged by alice']);
    const state = readAlertState(paths.state);
    expect(state.open).toEqual([]);
    expect(state.acknowledged).toEqual([expect.objectContaining({ id: 'notification-h1', acknowledgedBy: 'alice', acknowledgedAt: '2026-01-05T00:16:00.000Z', reminders: 1 })]);
    expect(state.updatedAt).toBe('2026-01-05T00:16:00.000Z');

    clock.advanceBy(60 * MINUTE);
    await dispatcher.flush();
    expect(channel.sent).toHaveLength(2);
    expect(board.close()).toEqual([]);
    expect(readAlertState(paths.state).running).toBe(false);
  });

  it('ignores what the inbox held before the run, and tells of bad lines, unknown ids and repeats', () => {
    writeFileSync(paths.inbox, `${JSON.stringify({ alert: 'notification-d1', by: 'earlier-run', at: '' })}\n`);
    const { dispatcher, board } = setup();
    board.start();
    dispatcher.onEvent(sampleDenial('d1', DAY0, 'max_open_orders'));
    expect(board.poll()).toEqual([]);
    expect(readAlertState(paths.state).open.map((a) => a.id)).toEqual(['notification-d1']);

    appendFileSync(paths.inbox, 'not json\n{"alert":"notification-d1"}\n');
    ack('notification-zz', 'bob');
    expect(board.poll()).toEqual([
      `Alerts inbox ${paths.inbox}, line 2: not JSON; ignored`,
      `Alerts inbox ${paths.inbox}, line 3: no "by" (who acknowledges); ignored`,
      'Acknowledgement by bob names no alert of this run: "notification-zz"; ignored',
    ]);
    ack('notification-d1', 'bob');
    ack('notification-d1', 'carol');
    expect(board.poll()).toEqual(['Alert notification-d1 (Denied: max_open_orders on BINANCE:BTC/USDT) acknowledged by bob', 'Alert notification-d1 was already acknowledged by bob']);
    expect(dispatcher.alert('notification-d1')?.acknowledgedBy).toBe('bob');
  });

  it('reads a line only once its newline is there', () => {
    const { dispatcher, board } = setup();
    board.start();
    dispatcher.onEvent(sampleStateChange('h2', DAY0, 'ACTIVE', 'HALTED'));
    const line = JSON.stringify({ alert: 'notification-h2', by: 'dana', at: '' });
    appendFileSync(paths.inbox, line.slice(0, 20));
    expect(board.poll()).toEqual([]);
    expect(dispatcher.openAlerts()).toHaveLength(1);
    appendFileSync(paths.inbox, `${line.slice(20)}\n`);
    expect(board.poll()).toEqual(['Alert notification-h2 (Trading HALTED (daily-loss)) acknowledged by dana']);
  });

  it('rewrites the alerts file only when the alerts change', () => {
    const { clock, dispatcher, board } = setup();
    board.start();
    dispatcher.onEvent(sampleStateChange('h3', DAY0, 'ACTIVE', 'HALTED'));
    board.poll();
    const first = readFileSync(paths.state, 'utf8');
    clock.advanceBy(MINUTE);
    board.poll();
    expect(readFileSync(paths.state, 'utf8')).toBe(first);
  });
});
