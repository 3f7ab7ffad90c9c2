import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(join(tmpdir(), 'conclave-cli-errors-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const entry = ['--import', import.meta.resolve('tsx'), join(root, 'src/interfaces/cli/main.ts')];

function conclave(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [...entry, ...args], { cwd: work, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const CSV = ['timestamp,open,high,low,close,volume', ...Array.from({ length: 30_000 }, (_, i) => `${1_700_000_000_000 + i * 60_000},${100 + (i % 7)},${108},${99},${100 + (i % 5)},10`)].join('\n');

describe('the CLI on paths it cannot use: one line naming the problem, never a stack trace', () => {
  it('a folder given as the data file', () => {
    mkdirSync(join(work, 'folder'), { recursive: true });
    const run = conclave('backtest', '--data', 'folder', '--strategy', 'sma-cross', '--symbol', 'BTC/USDT');
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('conclave: folder: is a directory; give a bar file');
  });

  it('an output file in a folder that does not exist, refused before the run', () => {
    writeFileSync(join(work, 'bars.csv'), CSV);
    for (const args of [
      ['backtest', '--data', 'bars.csv', '--symbol', 'BTC/USDT', '--strategy', 'sma-cross', '--json', 'missing/out.json'],
      ['backtest', '--data', 'bars.csv', '--symbol', 'BTC/USDT', '--strategy', 'sma-cross', '--report', 'missing/report.html'],
      ['init', '--out', 'missing/desk.yaml'],
    ]) {
      const run = conclave(...args);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/^conclave: --\w+ missing\/\S+: the folder .*missing does not exist; create it or choose another path\n$/);
    }
  });

  it('output piped into a reader that stops early ends quietly', async () => {
    writeFileSync(join(work, 'BTC_USDT-1m.csv'), CSV);
    const child = spawn(process.execPath, [...entry, 'indicators', '--data', 'BTC_USDT-1m.csv', '--ind', 'sma:3', '--csv'], { cwd: work });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });
});
