import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/adapters/journal/jsonl-journal.js';
import { startCli, type CliOutcome, type RunningCli } from '../support/cli-process.js';

const work = mkdtempSync(join(tmpdir(), 'conclave-run-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const start = (...args: string[]): RunningCli => startCli(work, args);
const run = (...args: string[]): Promise<CliOutcome> => start(...args).finished;

describe('conclave run (paper on replay)', () => {
  beforeAll(async () => {
    const init = await run('init', '--out', 'desk.yaml');
    expect(init.status).toBe(0);
    const text = readFileSync(join(work, 'desk.yaml'), 'utf8');
    expect(text).toContain('    bars: 2000\n');
    writeFileSync(join(work, 'desk.yaml'), text.replace('    bars: 2000\n', '    bars: 300\n'));
  });

  it('refuses to start where a folder stands in place of one of its run files, naming it', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'conclave-run-folder-'));
    try {
      writeFileSync(join(elsewhere, 'desk.yaml'), readFileSync(join(work, 'desk.yaml'), 'utf8'));
      mkdirSync(join(elsewhere, 'ALERTS.json'));
      const refused = await startCli(elsewhere, ['run', '--desk', 'desk.yaml', '--mode', 'paper', '--feed', 'replay', '--speed', 'max', '--quiet']).finished;
      expect(refused.status).toBe(2);
      expect(refused.stderr).toBe(`conclave: notifications.alertsFile ${join(elsewhere, 'ALERTS.json')}: is a folder; name a file\n`);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('runs a desk file to the end of its data at max speed and journals its fills', async () => {
    const result = await run('run', '--desk', 'desk.yaml', '--mode', 'paper', '--feed', 'replay', '--speed', 'max', '--journal', 'max.jsonl', '--json', 'max.json', '--quiet');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    const events = readJournal(join(work, 'max.jsonl'));
    const fills = events.filter((e) => e.type === 'OrderFilled');
    expect(fills.length).toBeGreaterThan(5);
    expect(events[0]?.type).toBe('FundsDeposited');
    const json = JSON.parse(readFileSync(join(work, 'max.json'), 'utf8')) as {
      bars: number;
      fills: unknown[];
      paper: Record<string, unknown>;
      desk: { events: Record<string, number>; agents: { id: string; role: string; health: string }[] };
    };
    // Every role the summary line and `conclave status` count, the notifier (the paper run's dispatcher) included.
    expect(json.desk.agents.map((a) => `${a.id} ${a.role}`)).toEqual(['sma analyst', 'bb analyst', 'donchian analyst', 'pm manager', 'judge judge', 'tuner optimizer', 'notifier notifier']);
    expect(json.desk.agents.at(-1)?.health).toBe('healthy');
    expect(json.bars).toBe(300);
    expect(json.fills).toHaveLength(fills.length);
    expect(json.paper).toEqual({ end: 'end-of-data', speed: 0, feed: 'replay', barsProcessed: 300, totalBars: 300 });
    expect(json.desk.events.OrderFilled).toBe(fills.length);
  });

  it('journals the same events from --feed synthetic as from --feed replay of a synthetic desk', async () => {
    const result = await run('run', '--desk', 'desk.yaml', '--feed', 'synthetic', '--speed', '0', '--journal', 'synthetic.jsonl', '--quiet');
    expect(result.status).toBe(0);
    const ids = (path: string): string[] => readJournal(join(work, path)).map((e) => `${e.type}:${e.id}`);
    expect(ids('synthetic.jsonl')).toEqual(ids('max.jsonl'));
  });

  it('stops cleanly on Ctrl-C after the current bar: exit 0, a final summary and a journal that reads back', async () => {
    const running = start('run', '--desk', 'desk.yaml', '--mode', 'paper', '--feed', 'replay', '--speed', '3600', '--journal', 'stopped.jsonl');
    // At speed 3600 an hourly bar takes a wall second: the first summary line shows the run is live.
    await running.waitFor('[paper example-desk x3600] ');
    running.child.kill('SIGINT');
    const result = await running.finished;
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const stopped = /Paper run of example-desk: Stopped on request after (\d+) of 300 bars\./.exec(result.stdout);
    expect(stopped).not.toBeNull();
    expect(Number(stopped?.[1])).toBeLessThan(300);
    expect(result.stdout).toContain('Backtest: desk:example-desk');
    expect(result.stdout).toContain('Desk example-desk: decision mode independent, trading ACTIVE');
    expect(result.stdout).toContain('SIGINT: stopping after the current bar (again to abort)');
    expect(result.stdout).toContain('Journal written to stopped.jsonl');
    const events = readJournal(join(work, 'stopped.jsonl'));
    expect(events[0]?.type).toBe('FundsDeposited');
  }, 60_000);

  it('lets a person acknowledge an alert of a running desk and resume it once the kill switch is gone', async () => {
    writeFileSync(join(work, 'KILL'), 'maintenance');
    try {
      // Ten hourly bars a wall second: the kill switch halts the desk at its first intent, a few seconds in.
      const running = start('run', '--desk', 'desk.yaml', '--speed', '36000');
      await running.waitFor('CRITICAL halt Trading HALTED (kill-switch)');
      // The status line after the halt comes from the tick that wrote the alerts file.
      await running.waitFor('| HALTED |');
      const listed = await run('alerts');
      expect(listed.status).toBe(0);
      const id = /CRITICAL (notification-\S+) {2}Trading HALTED \(kill-switch\)/.exec(listed.stdout)?.[1];
      expect(id, listed.stdout).toBeDefined();
      expect(listed.stdout).toContain('Desk example-desk (pid ');
      const acked = await run('alerts', 'ack', id ?? '', '--by', 'alice');
      expect(acked.stderr).toBe('');
      expect(acked.stdout).toContain(`Acknowledged 1 alert of example-desk as alice: ${id}`);
      await running.waitFor(`Alert ${id} (Trading HALTED (kill-switch)) acknowledged by alice`);
      // Resuming is refused while the kill switch file is there, and goes through once it is gone.
      expect((await run('resume', '--reason', 'all clear', '--by', 'alice')).status).toBe(0);
      await running.waitFor('Could not resume: cannot resume while the kill switch is engaged (KILL present: maintenance)');
      rmSync(join(work, 'KILL'));
      expect((await run('resume', '--reason', 'all clear', '--by', 'alice')).status).toBe(0);
      await running.waitFor('Resumed: all clear (by alice)');
      running.child.kill('SIGINT');
      const finished = await running.finished;
      expect(finished.status).toBe(0);
      expect(finished.stdout).toContain('Desk example-desk: decision mode independent, trading ACTIVE');
      const after = JSON.parse((await run('alerts', '--all', '--json')).stdout) as { running: boolean; open: { id: string }[]; acknowledged: { id: string; acknowledgedBy: string }[] };
      expect(after.running).toBe(false);
      expect(after.open.map((alert) => alert.id)).not.toContain(id);
      expect(after.acknowledged).toEqual([expect.objectContaining({ id, acknowledgedBy: 'alice' })]);
      const late = await run('alerts', 'ack', '--all', '--by', 'alice');
      expect(late.status).toBe(2);
      expect(late.stderr).toContain('has ended: its alerts can no longer be acknowledged');
    } finally {
      rmSync(join(work, 'KILL'), { force: true });
    }
  }, 90_000);

  it('lets a person approve a proposal of the running desk\'s optimizer: conclave proposals lists it and proposals approve applies it', async () => {
    const text = readFileSync(join(work, 'desk.yaml'), 'utf8');
    // The optimizer re-tunes every three days on 500 bars, so it proposes from about bar 550 of 2,000.
    writeFileSync(join(work, 'proposing.yaml'), text.replace('    bars: 300\n', '    bars: 2000\n').replace('    every: 30d\n', '    every: 3d\n').replace('    lookbackBars: 1000\n', '    lookbackBars: 500\n'));
    const running = start('run', '--desk', 'proposing.yaml', '--speed', '180000');
    await running.waitFor('waits for approval');
    const id = /Proposal (proposal:\S+) for \S+ waits for approval/.exec(running.output())?.[1];
    expect(id, running.output()).toBeDefined();
    const listed = await run('proposals');
    expect(listed.stdout).toContain(id);
    const approved = await run('proposals', 'approve', id ?? '', '--by', 'alice');
    expect(approved.stderr).toBe('');
    expect(approved.stdout).toContain(`Approved 1 proposal of example-desk as alice: ${id}`);
    await running.waitFor(`Proposal ${id} approved by alice`);
    running.child.kill('SIGINT');
    expect((await running.finished).status).toBe(0);
    const after = JSON.parse((await run('proposals', '--json')).stdout) as { running: boolean; applied: { id: string; approvedBy: string }[] };
    expect(after.running).toBe(false);
    expect(after.applied).toEqual([expect.objectContaining({ id, approvedBy: 'alice' })]);
  }, 90_000);

  it('refuses live mode: it needs a ccxt venue', async () => {
    const result = await run('run', '--desk', 'desk.yaml', '--mode', 'live');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('--mode live is not available yet: live trading needs a ccxt venue adapter');
  });

  it('refuses an unknown feed', async () => {
    const result = await run('run', '--desk', 'desk.yaml', '--feed', 'kafka');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('--feed must be replay or synthetic, got "kafka"');
  });

  it('refuses a bad speed and a missing desk', async () => {
    const speed = await run('run', '--desk', 'desk.yaml', '--speed', 'fast');
    expect(speed.status).not.toBe(0);
    expect(speed.stderr).toContain('--speed must be a number of market seconds per wall second, or max; got "fast"');
    const missing = await run('run');
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('conclave run needs --desk FILE (or --example for the built-in example desk)');
  });
});
