import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inProcessCli } from '../support/in-process-cli.js';
import { EXAMPLE_DESK_YAML } from '../../src/config/example-desk.js';
import { registerDeskConfig } from '../../src/interfaces/cli/commands/desk-config.js';

const work = mkdtempSync(join(tmpdir(), 'conclave-desk-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cli = inProcessCli(registerDeskConfig);
const conclave = cli.run;

describe('conclave init and check', () => {
  it('init writes the example desk, and check validates and summarises it', async () => {
    const path = join(work, 'desk.yaml');
    expect(await conclave('init', '--out', path)).toContain(`Wrote ${path}`);
    expect(readFileSync(path, 'utf8')).toBe(EXAMPLE_DESK_YAML);
    cli.clear();
    const summary = await conclave('check', '--desk', path);
    expect(summary).toContain(`${path} is valid.`);
    expect(summary).toContain('Desk example-desk: mode backtest');
    expect(summary).toContain('instruments (1): SYNTH:BTC/USDT');
    expect(summary).toContain('sma: analyst (rules) sma-cross -> sleeve trend-sma');
    expect(summary).toContain('judge: judge (rules), every 1d');
    expect(summary).toContain('tuner: optimizer (rules), every 30d');
    expect(summary).toContain('sleeves (3): trend-sma, meanrev-bb, breakout-donchian; allocation equal');
    expect(summary).toContain('decision mode: independent');
  });

  it('check warns, by path and line, of the capital settings a netting mode does not use', async () => {
    const path = join(work, 'consensus.yaml');
    writeFileSync(path, EXAMPLE_DESK_YAML.replace('manager:\n  mode: independent', "manager: { mode: consensus, k: 2, size: { kind: notional, perConviction: '10000' } }"));
    const summary = await conclave('check', '--desk', path);
    expect(summary).toContain(`${path} is valid.`);
    const warnings = summary.slice(summary.indexOf('Warnings:')).split('\n').slice(1);
    expect(warnings.slice(0, 4)).toEqual([
      `  ${path}: capital.allocation: ignored: consensus mode trades one desk book, not the sleeves, so no capital is allocated to them (line 54)`,
      `  ${path}: capital.rebalance: ignored: consensus mode trades one desk book, not the sleeves, so no capital is moved between them (line 55)`,
      `  ${path}: capital.profitSweep: ignored: consensus mode trades one desk book, not the sleeves, so no profit is swept into their reserves (line 56)`,
      `  ${path}: capital.sleeves[0].maxGrossExposure: ignored: consensus mode trades one desk book, not the sleeves; the desk book is bounded by risk.limits.maxGrossExposure (line 51)`,
    ]);
    expect(warnings).toHaveLength(6);
  });

  it('init refuses to overwrite without --force', async () => {
    const path = join(work, 'existing.yaml');
    writeFileSync(path, 'mine');
    await expect(conclave('init', '--out', path)).rejects.toMatchObject({ code: 'file_exists' });
    expect(readFileSync(path, 'utf8')).toBe('mine');
    await conclave('init', '--out', path, '--force');
    expect(readFileSync(path, 'utf8')).toBe(EXAMPLE_DESK_YAML);
  });

  it('check lists every problem of an invalid desk by its path', async () => {
    const path = join(work, 'broken.yaml');
    writeFileSync(path, EXAMPLE_DESK_YAML.replace('mode: backtest', 'mode: yolo').replace("tickSize: '0.01'", 'tickSize: 0.01').replace('killSwitchFile: KILL', 'killSwitchFile: KILL\n  panic: true'));
    const error = await conclave('check', '--desk', path).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'invalid_config', retryable: false });
    const lines = (error as Error).message.split('\n');
    expect(lines).toEqual([
      `${path}: desk.mode: must be backtest, paper or live (line 11)`,
      `${path}: instruments[0].tickSize: must be a positive decimal written as a quoted string, e.g. '0.01' (line 17)`,
      `${path}: risk.panic: unknown key (check the spelling; secrets go in environment variables named by *Env fields) (line 131)`,
    ]);
  });

  it('check needs --desk and reports a missing file', async () => {
    await expect(conclave('check')).rejects.toThrow();
    expect(existsSync(join(work, 'absent.yaml'))).toBe(false);
    await expect(conclave('check', '--desk', join(work, 'absent.yaml'))).rejects.toMatchObject({ code: 'desk_not_found' });
  });

  it('check names the data files a desk refers to that are not there', async () => {
    const path = join(work, 'files.yaml');
    writeFileSync(path, EXAMPLE_DESK_YAML.replace(/ {2}'SYNTH:BTC\/USDT':\n(?: {4}.*\n)+/, "  'SYNTH:BTC/USDT': { source: file, path: missing/btc.csv }\n"));
    await expect(conclave('check', '--desk', path)).rejects.toMatchObject({
      code: 'desk_data_missing',
      message: `${path}: data.SYNTH:BTC/USDT.path: no such file ${join(work, 'missing/btc.csv')}`,
    });
  });

  it('check refuses a JSONL channel whose folder is not there, as conclave run would', async () => {
    const path = join(work, 'channel.yaml');
    writeFileSync(path, EXAMPLE_DESK_YAML.replace('    - { kind: console, name: console, minSeverity: warning }', '    - { kind: console, name: console, minSeverity: warning }\n    - { kind: jsonl, name: log, path: nodir/notes.jsonl }'));
    const error = await conclave('check', '--desk', path).catch((caught: unknown) => caught);
    expect((error as Error).message).toContain('notifications channel log, path nodir/notes.jsonl');
  });
});
