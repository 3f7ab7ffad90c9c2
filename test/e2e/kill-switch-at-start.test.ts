import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../support/cli-process.js';
import { EXAMPLE_DESK_YAML } from '../../src/config/example-desk.js';
import type { DeskBacktestResult } from '../../src/interfaces/cli/commands/desk-backtest.js';

const work = mkdtempSync(join(tmpdir(), 'conclave-kill-at-start-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const conclave = cliRunner(work, 180_000);

/** The example desk on 400 bars, without its optimizer (its search is not what these tests are about). */
const SMALL_DESK = EXAMPLE_DESK_YAML.replace('bars: 2000', 'bars: 400').replace(/ {2}- id: tuner[\s\S]*?approval: manual[^\n]*\n/, '');

describe('a kill switch file left where a run starts', () => {
  writeFileSync(join(work, 'desk.yaml'), SMALL_DESK);
  writeFileSync(join(work, 'KILL'), 'stopped by ops');

  it('does not empty a backtest, which replays history, and is named in its warnings', () => {
    const run = conclave('backtest', '--desk', 'desk.yaml', '--json', '-');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as DeskBacktestResult;
    const warning = `the kill switch file ${join(work, 'KILL')} is present: a backtest replays history and does not read it (it halts paper and live runs)`;
    expect(result.warnings).toContain(warning);
    expect(run.stderr).toContain(`Warning: ${warning}`);
    expect(result.desk.tradingState).toBe('ACTIVE');
    expect(result.fills.length).toBeGreaterThan(0);
  });

  it('is named the same way by evaluate, which trades as the backtest does', () => {
    const run = conclave('evaluate', '--desk', 'desk.yaml', '--seeds', '1', '--periods', '1', '--quiet');
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(`Warning: the kill switch file ${join(work, 'KILL')} is present: a backtest replays history and does not read it`);
  });

  it('halts a paper run from its first bar, saying so', () => {
    const run = conclave('run', '--desk', 'desk.yaml', '--speed', 'max', '--json', '-');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as DeskBacktestResult;
    const warning = `the kill switch file ${join(work, 'KILL')} is present (stopped by ops): the desk starts HALTED and trades nothing until it is removed`;
    expect(result.warnings).toContain(warning);
    expect(run.stderr).toContain(`Warning: ${warning}`);
    expect(result.desk.tradingState).toBe('HALTED');
    expect(result.fills).toEqual([]);
  });
});
