import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeAlertState } from '../../../adapters/notify/alert-files.js';
import { writeStateFile } from '../../../adapters/operator/state-file.js';
import { approve } from './proposals.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conclave-proposals-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('conclave proposals approve', () => {
  const state = (running = true, name = 'ALERTS', desk = 'desk-a'): void =>
    writeStateFile(join(dir, `${name}.proposals.json`), {
      desk,
      pid: process.pid,
      running,
      updatedAt: '2024-02-17T00:00:01.000Z',
      pending: [{ id: 'p-1', agentId: 'donchian', current: {}, proposed: {}, proposedScore: 1, currentScore: 0, reason: 'r', proposedAt: '2024-02-17T00:00:00.000Z' }],
      applied: [],
    } as never);

  it('sends an approval for a waiting proposal, and refuses unknown ids and ended runs', () => {
    state();
    expect(approve(['p-1'], { dir, by: 'alice', file: 'ALERTS' })).toBe('Approved 1 proposal of desk-a as alice: p-1 (the run applies it within a second; conclave proposals shows it).');
    expect(() => approve(['p-1', 'p-2'], { dir, by: 'alice', file: 'ALERTS' })).toThrow('desk-a has no waiting proposal "p-2" (waiting: p-1)');
    state(false);
    expect(() => approve(['p-1'], { dir, by: 'alice', file: 'ALERTS' })).toThrow('has ended: its proposals can no longer be approved');
  });

  it('approves in the run whose alerts file is named when two desks run in one directory', () => {
    state(true, 'DESKA', 'desk-a');
    state(true, 'DESKB', 'desk-b');
    expect(approve(['p-1'], { dir, by: 'alice', file: 'DESKB' })).toContain('Approved 1 proposal of desk-b as alice: p-1');
    expect(JSON.parse(readFileSync(join(dir, 'DESKB.proposals.ack'), 'utf8'))).toMatchObject({ proposal: 'p-1', by: 'alice' });
    expect(existsSync(join(dir, 'DESKA.proposals.ack'))).toBe(false);
  });

  it('says of a run that keeps no proposals that it keeps none, rather than that no run is there', () => {
    writeAlertState(join(dir, 'ALERTS.json'), { desk: 'desk-a', pid: process.pid, running: true, updatedAt: '2024-02-17T00:00:01.000Z', open: [], acknowledged: [] });
    expect(() => approve(['p-1'], { dir, by: 'alice', file: 'ALERTS' })).toThrow(
      `the run of desk-a (pid ${process.pid}) keeps no proposals (there is no ${join(dir, 'ALERTS.proposals.json')}): only an optimizer whose approval is manual waits for one`,
    );
    expect(existsSync(join(dir, 'ALERTS.proposals.ack'))).toBe(false);
  });
});
