import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acknowledge } from './commands/alerts.js';
import { sendControl } from './commands/control.js';
import { approve } from './commands/proposals.js';
import { deskStatus } from './commands/status.js';
import { operatorName } from './operator.js';
import { describeSystemError } from './system-errors.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conclave-operator-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Every operator command that reads a run's files, pointed at `at`. */
const COMMANDS: Readonly<Record<string, (at: string) => unknown>> = {
  halt: (at) => sendControl('halt', { reason: 'news', by: 'alice', dir: at, file: 'ALERTS' }),
  resume: (at) => sendControl('resume', { reason: 'ok', by: 'alice', dir: at, file: 'ALERTS' }),
  restart: (at) => sendControl('restart', { agent: 'bb', reason: 'fixed', by: 'alice', dir: at, file: 'ALERTS' }),
  'alerts ack': (at) => acknowledge([], { all: true, by: 'alice', dir: at, file: 'ALERTS' }),
  'proposals approve': (at) => approve(['p-1'], { by: 'alice', dir: at, file: 'ALERTS' }),
  status: (at) => deskStatus({ dir: at, file: 'ALERTS' }),
};

/** What the person at the terminal reads: the command's own message, or the system error as main prints it. */
function told(command: (at: string) => unknown, at: string): string {
  try {
    command(at);
  } catch (error) {
    return describeSystemError(error)?.message ?? (error as Error).message;
  }
  return 'accepted';
}

describe('the operator commands, pointed at no run', () => {
  it('name a --dir that does not exist, or is not a directory, rather than a file missing from it', () => {
    const missing = join(dir, 'nope');
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    for (const [name, command] of Object.entries(COMMANDS)) {
      expect([name, told(command, missing)]).toEqual([name, `--dir ${missing}: there is no such directory`]);
      expect([name, told(command, file)]).toEqual([name, `--dir ${file} is not a directory`]);
    }
  });

  it('say a state file that is a directory is not a file, rather than that it is not JSON', () => {
    mkdirSync(join(dir, 'ALERTS.json'));
    mkdirSync(join(dir, 'ALERTS.proposals.json'));
    for (const [name, command] of Object.entries(COMMANDS)) {
      const [file, what] = name === 'proposals approve' ? ['ALERTS.proposals.json', 'proposals'] : ['ALERTS.json', 'alerts'];
      expect([name, told(command, dir)]).toEqual([name, `${join(dir, file)} is not a file: a run writes its ${what} there`]);
    }
  });
});

describe('who asks', () => {
  it('is --by, else $USER, else $LOGNAME, else the account the command runs as', () => {
    const saved = { USER: process.env.USER, LOGNAME: process.env.LOGNAME };
    try {
      process.env.USER = 'alice';
      expect([operatorName('bob', 'asks'), operatorName(undefined, 'asks')]).toEqual(['bob', 'alice']);
      delete process.env.USER;
      process.env.LOGNAME = 'carol';
      expect(operatorName(undefined, 'asks')).toBe('carol');
      delete process.env.LOGNAME;
      expect(operatorName(undefined, 'asks')).toBe(userInfo().username);
      expect(() => operatorName('  ', 'asks')).toThrow('say who asks with --by NAME');
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
