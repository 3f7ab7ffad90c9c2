import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileKillSwitch, KILL_SWITCH_FILE } from './file-kill-switch.js';

describe('the kill switch file', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const runDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'conclave-ks-'));
    dirs.push(dir);
    return dir;
  };

  it('is engaged exactly while .kill_switch exists in the run directory, with its text as the reason', () => {
    const dir = runDir();
    const ks = new FileKillSwitch(dir);
    expect(ks.engaged()).toEqual({ engaged: false, detail: '' });
    writeFileSync(join(dir, KILL_SWITCH_FILE), 'market is broken\n');
    expect(ks.engaged()).toEqual({ engaged: true, detail: '.kill_switch present: market is broken' });
    rmSync(join(dir, KILL_SWITCH_FILE));
    expect(ks.engaged().engaged).toBe(false);
  });

  it('an empty file is enough', () => {
    const dir = runDir();
    writeFileSync(join(dir, KILL_SWITCH_FILE), '');
    expect(new FileKillSwitch(dir).engaged()).toEqual({ engaged: true, detail: '.kill_switch present' });
  });
});
