import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixRequestError } from '../../core/errors.js';
import type { TradingState } from '../../domain/events.js';
import { ControlInbox } from './control-inbox.js';
import { appendRequest } from './json-lines-inbox.js';
import { runFiles } from './run-files.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conclave-control-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('halting and resuming a running desk through its control inbox', () => {
  it('applies halt and resume requests in order, says when the desk refuses, and skips what an earlier run left', () => {
    const path = runFiles(dir).control;
    appendRequest(path, { command: 'halt', reason: 'old', by: 'earlier', at: '' });
    const done: string[] = [];
    let killSwitch = true;
    let state: TradingState = 'ACTIVE';
    const inbox = new ControlInbox(path, {
      halt: (reason) => {
        done.push(`halt ${reason}`);
        state = 'HALTED';
      },
      resume: (reason) => {
        if (killSwitch) throw new FixRequestError('kill_switch_engaged', 'cannot resume while the kill switch is engaged (KILL present)');
        done.push(`resume ${reason}`);
        state = 'ACTIVE';
      },
      restart: () => undefined,
      tradingState: () => state,
    });
    inbox.start();
    expect(inbox.poll()).toEqual([]);
    appendRequest(path, { command: 'halt', reason: 'news at 14:00', by: 'alice', at: '' });
    appendRequest(path, { command: 'resume', reason: 'checked', by: 'bob', at: '' });
    appendFileSync(path, '{"command":"sell everything","reason":"x","by":"eve"}\n');
    expect(inbox.poll()).toEqual([
      'Halted: news at 14:00 (by alice)',
      'Could not resume: cannot resume while the kill switch is engaged (KILL present)',
      `Control inbox ${path}, line 4: needs "command" (halt, resume or restart), "reason" and "by"; ignored`,
    ]);
    killSwitch = false;
    appendRequest(path, { command: 'resume', reason: 'checked', by: 'bob', at: '' });
    expect(inbox.poll()).toEqual(['Resumed: checked (by bob)']);
    expect(done).toEqual(['halt news at 14:00 (by alice)', 'resume checked (by bob)']);
  });

  it('says so when the desk is already in the state asked for, and changes nothing', () => {
    const path = runFiles(dir).control;
    const done: string[] = [];
    let state: TradingState = 'HALTED';
    const inbox = new ControlInbox(path, {
      halt: (reason) => done.push(`halt ${reason}`),
      resume: (reason) => {
        done.push(`resume ${reason}`);
        state = 'ACTIVE';
      },
      restart: () => undefined,
      tradingState: () => state,
    });
    inbox.start();
    appendRequest(path, { command: 'halt', reason: 'again', by: 'alice', at: '' });
    appendRequest(path, { command: 'resume', reason: 'all clear', by: 'bob', at: '' });
    appendRequest(path, { command: 'resume', reason: 'twice', by: 'bob', at: '' });
    expect(inbox.poll()).toEqual([
      'The desk is already HALTED; nothing changed: again (by alice)',
      'Resumed: all clear (by bob)',
      'The desk is already ACTIVE; nothing changed: twice (by bob)',
    ]);
    expect(done).toEqual(['resume all clear (by bob)']);
  });

  it('restarts the analyst named, says why the desk refuses one, and refuses a restart that names none', () => {
    const path = runFiles(dir).control;
    const restarted: string[] = [];
    const inbox = new ControlInbox(path, {
      halt: () => undefined,
      resume: () => undefined,
      restart: (agent, reason) => {
        if (agent !== 'bb') throw new FixRequestError('agent_not_isolated', `${agent} is not isolated (it is healthy)`);
        restarted.push(`${agent} ${reason}`);
      },
      tradingState: () => 'ACTIVE',
    });
    inbox.start();
    appendRequest(path, { command: 'restart', agent: 'sma', reason: 'try', by: 'alice', at: '' });
    appendRequest(path, { command: 'restart', agent: 'bb', reason: 'feed fixed', by: 'alice', at: '' });
    appendRequest(path, { command: 'restart', reason: 'who?', by: 'alice', at: '' });
    expect(inbox.poll()).toEqual([
      'Could not restart sma: sma is not isolated (it is healthy)',
      'Restarted bb: feed fixed (by alice)',
      `Control inbox ${path}, line 3: a restart needs "agent"; ignored`,
    ]);
    expect(restarted).toEqual(['bb feed fixed (by alice)']);
  });
});
