import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeAlertState, type AlertEntry, type AlertState } from '../../../adapters/notify/alert-files.js';
import { acknowledge, renderAlerts } from './alerts.js';

const HALT: AlertEntry = {
  id: 'notification-ev-17',
  severity: 'critical',
  kind: 'halt',
  title: 'Trading HALTED (kill-switch)',
  text: 'Trading state changed from ACTIVE to HALTED by kill-switch: kill switch: KILL present',
  raisedAt: '2026-11-21T20:15:40.500Z',
  lastSentAt: '2026-11-21T20:30:40.500Z',
  reminders: 1,
};
const DENIAL: AlertEntry = { ...HALT, id: 'notification-ev-18', severity: 'warning', kind: 'denial', title: 'Denied: trading_halted on SYNTH:BTC/USDT', text: 'Risk denied an intent', reminders: 0 };
const DONE: AlertEntry = { ...DENIAL, id: 'notification-ev-9', acknowledgedBy: 'bob', acknowledgedAt: '2026-11-21T20:10:00.000Z' };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conclave-alerts-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function state(overrides: Partial<AlertState> = {}): AlertState {
  const value: AlertState = { desk: 'desk-a', pid: process.pid, running: true, updatedAt: '2026-11-21T20:30:41.000Z', open: [HALT, DENIAL], acknowledged: [DONE], ...overrides };
  writeAlertState(join(dir, 'ALERTS.json'), value);
  return value;
}

const inbox = (): unknown[] =>
  readFileSync(join(dir, 'ALERTS.ack'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);

describe('conclave alerts ack', () => {
  it('sends the named alerts to the running desk, and says which were already acknowledged', () => {
    state();
    const message = acknowledge(['notification-ev-17', 'notification-ev-9'], { file: 'ALERTS', dir, by: 'alice' });
    expect(message).toBe(
      'Acknowledged 1 alert of desk-a as alice: notification-ev-17 (the run applies it within a second; conclave alerts shows it).\n' +
        'notification-ev-9 was already acknowledged by bob at 2026-11-21T20:10:00.000Z',
    );
    expect(inbox()).toEqual([{ alert: 'notification-ev-17', by: 'alice', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown }]);
  });

  it('acknowledges every open alert with --all', () => {
    state();
    expect(acknowledge([], { file: 'ALERTS', dir, by: 'carol', all: true })).toContain('Acknowledged 2 alerts of desk-a as carol: notification-ev-17, notification-ev-18');
    expect(inbox().map((line) => (line as { alert: string }).alert)).toEqual(['notification-ev-17', 'notification-ev-18']);
  });

  it('refuses an unknown id and sends none of the others', () => {
    state();
    expect(() => acknowledge(['notification-ev-17', 'notification-nope'], { file: 'ALERTS', dir, by: 'alice' })).toThrow(
      'desk-a has no alert "notification-nope" (open: notification-ev-17, notification-ev-18)',
    );
    expect(existsSync(join(dir, 'ALERTS.ack'))).toBe(false);
  });

  it('refuses a run that has ended, cleanly or not', () => {
    state({ running: false });
    expect(() => acknowledge(['notification-ev-17'], { file: 'ALERTS', dir, by: 'alice' })).toThrow(`the run of desk-a that wrote ${join(dir, 'ALERTS.json')} (pid ${process.pid}) has ended`);
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    state({ pid: gone });
    expect(() => acknowledge(['notification-ev-17'], { file: 'ALERTS', dir, by: 'alice' })).toThrow(`(pid ${gone}) has ended`);
    expect(existsSync(join(dir, 'ALERTS.ack'))).toBe(false);
  });

  it('refuses requests that name nothing, both ids and --all, no alerts file, or a file that is not one', () => {
    expect(() => acknowledge([], { file: 'ALERTS', dir, by: 'alice' })).toThrow('name the alerts to acknowledge (conclave alerts lists them), or give --all');
    expect(() => acknowledge(['x'], { file: 'ALERTS', dir, by: 'alice', all: true })).toThrow('give alert ids or --all, not both');
    expect(() => acknowledge(['x'], { file: 'ALERTS', dir, by: ' ' })).toThrow('say who acknowledges with --by NAME');
    expect(() => acknowledge(['x'], { file: 'ALERTS', dir, by: 'alice' })).toThrow(`there is no ${join(dir, 'ALERTS.json')}: no desk run (conclave run) has written its alerts in this directory`);
    expect(() => acknowledge(['x'], { file: '../ALERTS', dir, by: 'alice' })).toThrow('the alerts file must be a plain file name, got "../ALERTS"');
    writeFileSync(join(dir, 'ALERTS.json'), '{"open": 3}');
    expect(() => acknowledge(['x'], { file: 'ALERTS', dir, by: 'alice' })).toThrow('is not the alerts file of a conclave run');
  });
});

describe('conclave alerts', () => {
  it('lists the open alerts, and the acknowledged ones when asked', () => {
    const value = state();
    expect(renderAlerts(value, true, true)).toBe(
      [
        'Desk desk-a (pid ' + process.pid + ', running), alerts as of 2026-11-21T20:30:41.000Z:',
        '  2 open:',
        '    CRITICAL notification-ev-17  Trading HALTED (kill-switch)',
        '             raised 2026-11-21T20:15:40.500Z, 1 reminder',
        '             Trading state changed from ACTIVE to HALTED by kill-switch: kill switch: KILL present',
        '    WARNING  notification-ev-18  Denied: trading_halted on SYNTH:BTC/USDT',
        '             raised 2026-11-21T20:15:40.500Z',
        '             Risk denied an intent',
        '  1 acknowledged (latest last):',
        '    WARNING  notification-ev-9  Denied: trading_halted on SYNTH:BTC/USDT',
        '             raised 2026-11-21T20:15:40.500Z, acknowledged by bob at 2026-11-21T20:10:00.000Z',
        '             Risk denied an intent',
        '  Acknowledge with: conclave alerts ack ID (or --all)',
      ].join('\n'),
    );
    expect(renderAlerts({ ...value, running: false, open: [] }, false, false)).toBe(`Desk desk-a (pid ${process.pid}, ended), alerts as of 2026-11-21T20:30:41.000Z:\n  No open alerts.`);
  });
});
