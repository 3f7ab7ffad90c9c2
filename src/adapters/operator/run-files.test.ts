import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertNoLiveRun, runFiles } from './run-files.js';
import { writeStateFile } from './state-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conclave-run-files-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("a run's files", () => {
  it('are all named after the alerts file, so two desks in one directory never share one', () => {
    expect(runFiles(dir, 'DESKA')).toEqual({
      alerts: { state: join(dir, 'DESKA.json'), inbox: join(dir, 'DESKA.ack') },
      proposals: { state: join(dir, 'DESKA.proposals.json'), inbox: join(dir, 'DESKA.proposals.ack') },
      control: join(dir, 'DESKA.control'),
    });
    expect(runFiles(dir).control).toBe(join(dir, 'ALERTS.control'));
    expect(() => runFiles(dir, '../elsewhere')).toThrow('the alerts file must be a plain file name, got "../elsewhere"');
  });

  it('refuse a new run while the run that wrote them is still going, naming the file and its process', () => {
    const files = runFiles(dir, 'DESKA');
    expect(() => assertNoLiveRun(files)).not.toThrow();
    const stamp = { desk: 'desk-a', pid: process.pid, updatedAt: '2026-11-21T00:00:00.000Z', open: [], acknowledged: [] };
    writeStateFile(files.alerts.state, { ...stamp, running: true });
    expect(() => assertNoLiveRun(files)).toThrow(
      `${files.alerts.state} belongs to the run of desk-a that is still going (pid ${process.pid}): stop that run first, or give this desk its own notifications.alertsFile`,
    );
    // Another name is another run's business.
    expect(() => assertNoLiveRun(runFiles(dir, 'DESKB'))).not.toThrow();
    writeStateFile(files.alerts.state, { ...stamp, running: false });
    expect(() => assertNoLiveRun(files)).not.toThrow();
    // What no run could have left is rewritten by the new one.
    writeFileSync(files.alerts.state, '{"half": ');
    expect(() => assertNoLiveRun(files)).not.toThrow();
  });

  it('are all ignored by git in the repository root, where `npm start` writes them with the default name and the kill switch file', () => {
    const ignored = new Set(readFileSync(new URL('../../../.gitignore', import.meta.url), 'utf8').split('\n').map((line) => line.trim()));
    const files = runFiles('/');
    const written = [files.alerts.state, files.alerts.inbox, files.proposals.state, files.proposals.inbox, files.control, '/KILL'];
    expect(written.filter((path) => !ignored.has(path))).toEqual([]);
    // Names no run writes any more are not kept.
    expect([...ignored].filter((line) => /^\/(PROPOSALS|CONTROL)\./.test(line))).toEqual([]);
  });
});
