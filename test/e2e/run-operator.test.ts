import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type CliOutcome } from '../support/cli-process.js';

const work = mkdtempSync(join(tmpdir(), 'conclave-run-operator-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (...args: string[]): Promise<CliOutcome> => startCli(work, args).finished;

describe('two desks run from one directory', () => {
  beforeAll(async () => {
    expect((await run('init', '--out', 'desk.yaml')).status).toBe(0);
    const text = readFileSync(join(work, 'desk.yaml'), 'utf8').replace('    bars: 2000\n', '    bars: 300\n');
    expect(text).toContain('  alertsFile: ALERTS ');
    writeFileSync(join(work, 'a.yaml'), text.replace('  alertsFile: ALERTS ', '  alertsFile: DESKA ').replace('name: example-desk', 'name: desk-a'));
    writeFileSync(join(work, 'b.yaml'), text.replace('  alertsFile: ALERTS ', '  alertsFile: DESKB ').replace('name: example-desk', 'name: desk-b'));
  });

  it('halts only the desk named by its alerts file, shows each run\'s status, and refuses a second run of a desk whose run is still going', async () => {
    // An hourly bar a wall second: both runs are still going while the operator works.
    const a = startCli(work, ['run', '--desk', 'a.yaml', '--speed', '3600']);
    const b = startCli(work, ['run', '--desk', 'b.yaml', '--speed', '3600']);
    await Promise.all([a.waitFor('[paper desk-a x3600] '), b.waitFor('[paper desk-b x3600] ')]);

    const again = await run('run', '--desk', 'a.yaml', '--speed', '3600');
    expect(again.status).toBe(2);
    expect(again.stderr).toContain(`${join(work, 'DESKA.json')} belongs to the run of desk-a that is still going (pid ${a.child.pid})`);

    const halt = await run('halt', '--file', 'DESKA', '--reason', 'only A', '--by', 'alice');
    expect(halt.stderr).toBe('');
    expect(halt.stdout).toContain(`Asked desk-a (pid ${a.child.pid}) to halt: only A (by alice)`);
    await a.waitFor('Halted: only A (by alice)');
    await a.waitFor('| HALTED |');
    // Another terminal sees what each run is doing.
    const statusA = await run('status', '--file', 'DESKA', '--json');
    expect(statusA.stderr).toBe('');
    const seen = JSON.parse(statusA.stdout) as Record<string, unknown>;
    expect(seen).toMatchObject({ desk: 'desk-a', pid: a.child.pid, running: true, live: true, tradingState: 'HALTED', tradingReason: 'only A (by alice)', pendingProposals: 0 });
    expect(seen.openAlerts).toBeGreaterThanOrEqual(1);
    expect(seen.agents).toEqual([
      { id: 'sma', role: 'analyst', health: 'healthy', sleeve: 'trend-sma', mode: 'standard' },
      { id: 'bb', role: 'analyst', health: 'healthy', sleeve: 'meanrev-bb', mode: 'standard' },
      { id: 'donchian', role: 'analyst', health: 'healthy', sleeve: 'breakout-donchian', mode: 'standard' },
      { id: 'pm', role: 'manager', health: 'healthy', mode: 'independent' },
      { id: 'judge', role: 'judge', health: 'healthy' },
      { id: 'tuner', role: 'optimizer', health: 'healthy' },
      { id: 'notifier', role: 'notifier', health: 'healthy' },
    ]);
    const statusB = await run('status', '--file', 'DESKB');
    expect(statusB.status).toBe(0);
    expect(statusB.stdout).toContain(`Desk desk-b (pid ${b.child.pid}, running), as of `);
    expect(statusB.stdout).toContain('  Trading ACTIVE\n');
    const restart = await run('restart', '--file', 'DESKA', '--agent', 'sma', '--reason', 'x', '--by', 'alice');
    expect(restart.status).toBe(2);
    expect(restart.stderr).toContain('sma is not isolated (it is healthy): only an analyst isolated after it threw is restarted');
    a.child.kill('SIGINT');
    b.child.kill('SIGINT');
    const [endA, endB] = await Promise.all([a.finished, b.finished]);
    expect(endA.status).toBe(0);
    expect(endB.status).toBe(0);
    expect(endA.stdout).toContain('Desk desk-a: decision mode independent, trading HALTED');
    expect(endB.stdout).not.toContain('Halted:');
    expect(endB.stdout).toContain('Desk desk-b: decision mode independent, trading ACTIVE');
  }, 120_000);
});
