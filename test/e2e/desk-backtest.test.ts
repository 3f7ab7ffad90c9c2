import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { inProcessCli } from '../support/in-process-cli.js';
import { EXAMPLE_DESK_YAML } from '../../src/config/example-desk.js';
import { readJournal } from '../../src/adapters/journal/jsonl-journal.js';
import { registerBacktest } from '../../src/interfaces/cli/commands/backtest.js';
import { registerExplain } from '../../src/interfaces/cli/commands/explain.js';
import type { DeskBacktestResult } from '../../src/interfaces/cli/commands/desk-backtest.js';

const work = mkdtempSync(join(tmpdir(), 'conclave-desk-backtest-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cli = inProcessCli(registerBacktest, registerExplain);
const conclave = cli.run;

/** The example desk on 600 bars, without its optimizer (a slow search is not what these tests are about). */
const SMALL_DESK = EXAMPLE_DESK_YAML.replace('bars: 2000', 'bars: 600').replace(/ {2}- id: tuner[\s\S]*?approval: manual[^\n]*\n/, '');

describe('conclave backtest --desk', () => {
  it('runs the whole desk, writes the result with its desk section and a journal that explain walks', async () => {
    const desk = join(work, 'desk.yaml');
    writeFileSync(desk, SMALL_DESK);
    const json = join(work, 'result.json');
    const journal = join(work, 'journal.jsonl');
    const report = join(work, 'report.html');
    const printed = await conclave('backtest', '--desk', desk, '--json', json, '--journal', journal, '--report', report, '--quiet');
    expect(printed).toBe('');
    const result = JSON.parse(readFileSync(json, 'utf8')) as DeskBacktestResult;
    expect(result.schema).toBe('conclave.backtest/1');
    expect(result.strategy).toBe('desk:example-desk');
    expect(result.bars).toBe(600);
    expect(result.fills.length).toBeGreaterThan(10);
    expect(result.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(result.desk.schema).toBe('conclave.desk/1');
    // Every role the desk runs (the optimizer is left out of this desk; the notifier belongs to a paper run).
    expect(result.desk.agents.map((a) => `${a.id} ${a.role}`)).toEqual(['sma analyst', 'bb analyst', 'donchian analyst', 'pm manager', 'judge judge']);
    expect(result.desk.sleeves.map((s) => s.sleeve)).toEqual(['trend-sma', 'meanrev-bb', 'breakout-donchian']);
    expect(result.desk.events.OrderFilled).toBe(result.fills.length);
    expect(existsSync(report)).toBe(true);
    // The report says who did what: the Agents section has a row per analyst with its journaled counts.
    const sma = result.desk.agents.find((a) => a.id === 'sma');
    expect(readFileSync(report, 'utf8')).toContain(`<tr data-agent="sma"><td class="text">sma</td><td class="text">sma-cross</td>`);
    expect(readFileSync(report, 'utf8')).toContain(`<td data-field="signals">${sma?.activity.signals}</td>`);

    const events = readJournal(journal);
    expect(events.filter((e) => e.type === 'OrderFilled')).toHaveLength(result.fills.length);
    const decision = events.find((e) => e.type === 'DecisionMade' && e.intentId !== undefined);
    const approved = events.find((e) => e.type === 'IntentApproved' && decision?.type === 'DecisionMade' && e.intent.id === decision.intentId);
    if (approved?.type !== 'IntentApproved') throw new Error('no approved decision in the journal');
    cli.clear();
    const chain = await conclave('explain', approved.clientOrderId, '--journal', journal);
    expect(chain).toContain('Signals:');
    expect(chain).toContain('SignalEmitted');
    expect(chain).toContain('DecisionMade');
    expect(chain).toContain(`IntentApproved`);
    expect(chain).toContain(approved.clientOrderId);
    expect(chain).toContain(`Behind it: analyst ${decision?.type === 'DecisionMade' ? decision.agentId : ''}, for sleeve ${approved.intent.owner}.`);

    // The same desk again gives the same fills.
    cli.clear();
    const again = join(work, 'again.json');
    await conclave('backtest', '--desk', desk, '--json', again, '--quiet');
    expect((JSON.parse(readFileSync(again, 'utf8')) as { fingerprint: string }).fingerprint).toBe(result.fingerprint);
  });

  it('prints the desk summary after the backtest summary', async () => {
    const desk = join(work, 'print.yaml');
    writeFileSync(desk, SMALL_DESK);
    const printed = await conclave('backtest', '--desk', desk);
    expect(printed).toContain('Fingerprint');
    expect(printed).toContain('Desk example-desk: decision mode independent, trading ACTIVE');
    expect(printed).toMatch(/sma +analyst +healthy/);
    expect(printed).toMatch(/Journal: \d+ signals, \d+ decisions, \d+ approved, \d+ denied, \d+ fills/);
  });

  it('reports every problem of a bad desk file by its path, and refuses a journal that already has events', async () => {
    const bad = join(work, 'bad.yaml');
    writeFileSync(bad, SMALL_DESK.replace("maxOrderNotional: '20000'", "maxOrderNotional: 'lots'").replace("maxOpenOrders: 10", 'maxOpenOrders: -1'));
    const error = (await conclave('backtest', '--desk', bad).catch((caught: unknown) => caught)) as Error & { code: string };
    expect(error.code).toBe('invalid_config');
    expect(error.message.split('\n')).toEqual([
      `${bad}: risk.limits.maxOrderNotional: must be a positive decimal (e.g. '0.01') (line 115)`,
      `${bad}: risk.limits.maxOpenOrders: must be positive (line 119)`,
    ]);
    writeFileSync(bad, SMALL_DESK.replace('strategy: sma-cross', 'strategy: sma-crosss'));
    const unknown = (await conclave('backtest', '--desk', bad).catch((caught: unknown) => caught)) as Error;
    expect(unknown.message).toContain('agents[0].strategy: unknown strategy "sma-crosss"');
    const desk = join(work, 'twice.yaml');
    writeFileSync(desk, SMALL_DESK);
    const journal = join(work, 'twice.jsonl');
    await conclave('backtest', '--desk', desk, '--journal', journal, '--quiet');
    const lines = readFileSync(journal, 'utf8');
    await expect(conclave('backtest', '--desk', desk, '--journal', journal, '--quiet')).rejects.toThrow(/already holds \d+ events/);
    expect(readFileSync(journal, 'utf8')).toBe(lines);
    await expect(conclave('backtest', '--strategy', 'sma-cross')).rejects.toThrow(/needs --data and --strategy, or --desk/);
    await expect(conclave('backtest', '--desk', desk, '--cash', '5', '--fee', '0.5', '--quiet')).rejects.toThrow('--fee, --cash do not apply with --desk: the desk file sets its data, agents, capital and costs');
  });

  it('in a netting mode shows the desk book, so the rows add up to the final equity, and warns of the capital settings it ignores', async () => {
    const desk = join(work, 'weighted.yaml');
    writeFileSync(desk, SMALL_DESK.replace('manager:\n  mode: independent', "manager: { mode: weighted, weights: { sma: '1', bb: '0.5', donchian: '1' } }"));
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')));
    const json = join(work, 'weighted.json');
    const printed = await conclave('backtest', '--desk', desk, '--json', json);
    const result = JSON.parse(readFileSync(json, 'utf8')) as DeskBacktestResult;
    const book = result.desk.sleeves.find((row) => row.deskBook === true);
    expect(book?.sleeve).toBe('desk');
    expect(book?.equity).toBeGreaterThan(90_000);
    const total = result.desk.sleeves.reduce((sum, row) => sum + row.equity, 0);
    expect(total).toBeCloseTo(result.finalEquity, 2);
    expect(printed).toMatch(/desk book +\d/);
    const warned = [
      `${desk}: capital.allocation: ignored: weighted mode trades one desk book, not the sleeves, so no capital is allocated to them (line 54)`,
      `${desk}: capital.rebalance: ignored: weighted mode trades one desk book, not the sleeves, so no capital is moved between them (line 55)`,
      `${desk}: capital.profitSweep: ignored: weighted mode trades one desk book, not the sleeves, so no profit is swept into their reserves (line 56)`,
    ];
    for (const line of warned) {
      expect(errors).toContain(`Warning: ${line}`);
      expect(result.desk.warnings).toContain(line);
      expect(printed).toContain(line);
    }
    expect(result.desk.warnings?.filter((line) => line.includes('maxGrossExposure'))).toHaveLength(3);
  });
});
