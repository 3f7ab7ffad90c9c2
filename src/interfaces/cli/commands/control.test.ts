import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeAlertState } from '../../../adapters/notify/alert-files.js';
import type { AgentEntry } from '../../../adapters/operator/desk-status.js';
import { sendControl } from './control.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conclave-control-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const alive = (running: boolean, name = 'ALERTS', desk = 'desk-a'): void =>
  writeAlertState(join(dir, `${name}.json`), { desk, pid: process.pid, running, updatedAt: '2026-11-21T00:00:00.000Z', open: [], acknowledged: [] });

describe('conclave halt and conclave resume', () => {
  it('ask a running desk, and refuse when no run is there or it has ended', () => {
    expect(() => sendControl('halt', { reason: 'news', by: 'alice', dir, file: 'ALERTS' })).toThrow('no desk run (conclave run) has written its alerts in this directory');
    alive(true);
    expect(sendControl('halt', { reason: ' news ', by: 'alice', dir, file: 'ALERTS' })).toBe(
      `Asked desk-a (pid ${process.pid}) to halt: news (by alice); the run applies it within a second and says so.`,
    );
    expect(JSON.parse(readFileSync(join(dir, 'ALERTS.control'), 'utf8'))).toMatchObject({ command: 'halt', reason: 'news', by: 'alice' });
    expect(() => sendControl('resume', { reason: ' ', by: 'alice', dir, file: 'ALERTS' })).toThrow('--reason must say why');
    alive(false);
    expect(() => sendControl('resume', { reason: 'ok', by: 'alice', dir, file: 'ALERTS' })).toThrow('has ended: there is nothing to resume');
  });

  it('reach only the run whose alerts file is named when two desks run in one directory', () => {
    alive(true, 'DESKA', 'desk-a');
    alive(true, 'DESKB', 'desk-b');
    expect(sendControl('halt', { reason: 'only A', by: 'alice', dir, file: 'DESKA' })).toBe(
      `Asked desk-a (pid ${process.pid}) to halt: only A (by alice); the run applies it within a second and says so.`,
    );
    expect(JSON.parse(readFileSync(join(dir, 'DESKA.control'), 'utf8'))).toMatchObject({ command: 'halt', reason: 'only A', by: 'alice' });
    expect(existsSync(join(dir, 'DESKB.control'))).toBe(false);
    expect(existsSync(join(dir, 'CONTROL.ack'))).toBe(false);
  });

  it('conclave restart asks the run to restart the analyst named, and refuses without one or when the run has ended', () => {
    alive(true);
    expect(sendControl('restart', { agent: ' bb ', reason: 'feed fixed', by: 'alice', dir, file: 'ALERTS' })).toBe(
      `Asked desk-a (pid ${process.pid}) to restart bb: feed fixed (by alice); the run applies it within a second and says so.`,
    );
    expect(JSON.parse(readFileSync(join(dir, 'ALERTS.control'), 'utf8'))).toMatchObject({ command: 'restart', agent: 'bb', reason: 'feed fixed', by: 'alice' });
    expect(() => sendControl('restart', { agent: ' ', reason: 'x', by: 'alice', dir, file: 'ALERTS' })).toThrow('--agent must name the analyst to restart');
    alive(false);
    expect(() => sendControl('restart', { agent: 'bb', reason: 'x', by: 'alice', dir, file: 'ALERTS' })).toThrow(
      `the run of desk-a (pid ${process.pid}) has ended: there is nothing to restart bb`,
    );
  });

  it('conclave restart refuses at once, sending nothing, an agent the run does not have or an analyst that is not isolated', () => {
    const agents: AgentEntry[] = [
      { id: 'sma', role: 'analyst', health: 'healthy', sleeve: 'trend-sma', mode: 'standard' },
      { id: 'bb', role: 'analyst', health: 'isolated', error: 'threw: feed glitch', sleeve: 'meanrev-bb', mode: 'standard' },
      { id: 'llm', role: 'analyst', health: 'failing', error: 'its model failed its last 3 calls', sleeve: 'llm', mode: 'standard' },
      { id: 'pm', role: 'manager', health: 'healthy', mode: 'independent' },
    ];
    const state = { desk: 'desk-a', pid: process.pid, running: true, updatedAt: '2026-11-21T00:00:00.000Z', open: [], acknowledged: [] };
    writeAlertState(join(dir, 'ALERTS.json'), { ...state, tradingState: 'ACTIVE', equity: '10000', positions: [], agents });
    const restart = (agent: string) => (): string => sendControl('restart', { agent, reason: 'fixed', by: 'alice', dir, file: 'ALERTS' });
    expect(restart('zz')).toThrow('desk-a has no analyst zz: its analysts are sma, bb, llm');
    expect(restart('pm')).toThrow('pm is the manager of desk-a, not an analyst: only an analyst is restarted (its analysts are sma, bb, llm)');
    expect(restart('sma')).toThrow('sma is not isolated (it is healthy): only an analyst isolated after it threw is restarted');
    expect(restart('llm')).toThrow('llm is not isolated (it is failing: its model failed its last 3 calls): only an analyst isolated after it threw is restarted');
    expect(existsSync(join(dir, 'ALERTS.control'))).toBe(false);
    expect(restart('bb')()).toBe(`Asked desk-a (pid ${process.pid}) to restart bb: fixed (by alice); the run applies it within a second and says so.`);
    expect(JSON.parse(readFileSync(join(dir, 'ALERTS.control'), 'utf8'))).toMatchObject({ command: 'restart', agent: 'bb' });
  });
});
