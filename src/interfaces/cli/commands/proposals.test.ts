import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { proposalFilePaths } from '../../../adapters/operator/proposal-board.js';
import { writeStateFile } from '../../../adapters/operator/state-file.js';
import { approve } from './proposals.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conclave-proposals-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('conclave proposals approve', () => {
  const state = (running = true): void =>
    writeStateFile(proposalFilePaths(dir).state, {
      desk: 'desk-a',
      pid: process.pid,
      running,
      updatedAt: '2024-02-17T00:00:01.000Z',
      pending: [{ id: 'p-1', agentId: 'donchian', current: {}, proposed: {}, proposedScore: 1, currentScore: 0, reason: 'r', proposedAt: '2024-02-17T00:00:00.000Z' }],
      applied: [],
    } as never);

  it('sends an approval for a waiting proposal, and refuses unknown ids and ended runs', () => {
    state();
    expect(approve(['p-1'], { dir, by: 'alice' })).toBe('Approved 1 proposal of desk-a as alice: p-1 (the run applies it within a second; conclave proposals shows it).');
    expect(() => approve(['p-1', 'p-2'], { dir, by: 'alice' })).toThrow('desk-a has no waiting proposal "p-2" (waiting: p-1)');
    state(false);
    expect(() => approve(['p-1'], { dir, by: 'alice' })).toThrow('has ended: its proposals can no longer be approved');
  });
});
