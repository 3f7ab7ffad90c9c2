import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { inProcessCli } from '../support/in-process-cli.js';
import { EXAMPLE_DESK_YAML } from '../../src/config/example-desk.js';
import { registerBacktest } from '../../src/interfaces/cli/commands/backtest.js';
import { registerData } from '../../src/interfaces/cli/commands/data.js';
import { registerEvaluate } from '../../src/interfaces/cli/commands/evaluate.js';
import { registerOptimize } from '../../src/interfaces/cli/commands/optimize.js';
import { registerRun } from '../../src/interfaces/cli/commands/run.js';

const work = mkdtempSync(join(tmpdir(), 'conclave-output-files-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const cli = inProcessCli(registerBacktest, registerOptimize, registerData, registerEvaluate, registerRun);

const HOUR = 3_600_000;
const BARS = ['timestamp,open,high,low,close,volume', ...Array.from({ length: 16 }, (_, i) => `${1_704_067_200_000 + i * HOUR},${100 + i},${101 + i},${99 + i},${100.5 + i},10`)].join('\n') + '\n';
const bars = join(work, 't2.csv');
writeFileSync(bars, BARS);

/** The message a command is refused with, and that it left the data file as it was. */
async function refusal(...args: string[]): Promise<string> {
  const error = await cli.run(...args).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(readFileSync(bars, 'utf8')).toBe(BARS);
  return (error as Error | undefined)?.message ?? 'not refused';
}

describe('output files that would replace an input or each other are refused before the run', () => {
  it('a backtest, optimize or resample output on its own data file, however it is spelt', async () => {
    const run = ['--data', bars, '--strategy', 'buy-and-hold', '--quiet'];
    expect(await refusal('backtest', ...run, '--json', bars)).toBe(`--json ${bars} is the same file as --data ${bars}: writing it would replace the input; name another file`);
    process.chdir(work);
    expect(await refusal('backtest', '--data', 't2.csv', '--strategy', 'buy-and-hold', '--quiet', '--report', bars)).toBe(
      `--report ${bars} is the same file as --data t2.csv: writing it would replace the input; name another file`,
    );
    expect(await refusal('optimize', '--data', 't2.csv', '--strategy', 'sma-cross', '--param', 'fast=2:3:1', '--param', 'slow=5', '--export', './t2.csv', '--quiet')).toBe(
      '--export ./t2.csv is the same file as --data t2.csv: writing it would replace the input; name another file',
    );
    expect(await refusal('data', 'resample', 't2.csv', '--to', '4h', '--out', 't2.csv')).toBe('--out t2.csv is the same file as the input file t2.csv: writing it would replace the input; name another file');
  });

  it('two outputs on one file', async () => {
    process.chdir(work);
    expect(await refusal('backtest', '--data', 't2.csv', '--strategy', 'buy-and-hold', '--quiet', '--json', 'out.json', '--report', join(work, 'out.json'))).toBe(
      `--json out.json and --report ${join(work, 'out.json')} are the same file: one would replace the other; name two different files`,
    );
    expect(await refusal('optimize', '--data', 't2.csv', '--strategy', 'sma-cross', '--param', 'fast=2:3:1', '--param', 'slow=5', '--export', 'same.json', '--json', 'same.json', '--quiet')).toBe(
      '--json same.json and --export same.json are the same file: one would replace the other; name two different files',
    );
    expect(existsSync(join(work, 'out.json')) || existsSync(join(work, 'same.json'))).toBe(false);
  });

  it('a funding file, and a desk evaluation output on its desk file or its data', async () => {
    const funding = join(work, 'funding.csv');
    writeFileSync(funding, BARS);
    expect(await refusal('backtest', '--data', bars, '--symbol', 'BTC/USDT:USDT', '--strategy', 'buy-and-hold', '--funding', `BTC/USDT:USDT=${funding}`, '--json', funding)).toBe(
      `--json ${funding} is the same file as --funding ${funding}: writing it would replace the input; name another file`,
    );
    const desk = join(work, 'desk.yaml');
    writeFileSync(desk, EXAMPLE_DESK_YAML);
    expect(await refusal('evaluate', '--desk', desk, '--json', desk)).toBe(`--json ${desk} is the same file as --desk ${desk}: writing it would replace the input; name another file`);
    expect(await refusal('backtest', '--desk', desk, '--report', desk)).toBe(`--report ${desk} is the same file as --desk ${desk}: writing it would replace the input; name another file`);
  });
});

describe('a paper run', () => {
  it('refuses a journal or JSON result on a file its notification channels write to', async () => {
    process.chdir(work);
    const desk = join(work, 'channel-desk.yaml');
    writeFileSync(
      desk,
      EXAMPLE_DESK_YAML.replace('    - { kind: console, name: console, minSeverity: warning }', '    - { kind: console, name: console, minSeverity: warning }\n    - { kind: jsonl, name: file, path: events.jsonl }').replace(
        'channels: [console]',
        'channels: [console, file]',
      ),
    );
    const events = join(work, 'events.jsonl');
    expect(await refusal('run', '--desk', desk, '--mode', 'paper', '--feed', 'replay', '--speed', '0', '--journal', 'events.jsonl')).toBe(
      `--journal events.jsonl and notifications.channels[1].path ${events} are the same file: one would replace the other; name two different files`,
    );
    expect(existsSync(events)).toBe(false);
  });
});

describe('"-" is standard output for the outputs that can go there, and no file is named "-"', () => {
  it('the HTML report and the resampled CSV go to standard output; a journal cannot', async () => {
    process.chdir(work);
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await cli.run('backtest', '--data', 't2.csv', '--strategy', 'buy-and-hold', '--report', '-')).toBe('');
    expect(written.join('')).toMatch(/^<!DOCTYPE html>[\s\S]*<\/html>\n?$/);
    written.length = 0;
    expect(await cli.run('data', 'resample', 't2.csv', '--to', '4h', '--out', '-')).toBe('');
    expect(written.join('').split('\n').slice(0, 3)).toEqual(['timestamp,open,high,low,close,volume', '1704067200000,100,104,99,103.5,40', '1704081600000,104,108,103,107.5,40']);
    expect(existsSync(join(work, '-'))).toBe(false);
    const desk = join(work, 'desk.yaml');
    writeFileSync(desk, EXAMPLE_DESK_YAML);
    expect(await refusal('backtest', '--desk', desk, '--journal', '-')).toBe('--journal -: this output cannot go to standard output; name a file');
    expect(await refusal('backtest', '--data', 't2.csv', '--strategy', 'buy-and-hold', '--json', '-', '--report', '-')).toBe('--json - and --report - both name standard output; send one of them to a file');
  });
});
