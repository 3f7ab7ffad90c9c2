import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_DESK_YAML } from '../../src/config/example-desk.js';
import { deskBacktestCommand } from '../../src/interfaces/cli/commands/desk-backtest.js';

const work = mkdtempSync(join(tmpdir(), 'conclave-desk-tick-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

/** The example desk without its optimizer, on `data.csv`, its instrument's tick `tick`. */
function deskFile(tick: string): string {
  const yaml = EXAMPLE_DESK_YAML.replace(/ {2}'SYNTH:BTC\/USDT':\n(?: {4}.*\n)+/, "  'SYNTH:BTC/USDT': { source: file, path: data.csv }\n").replace("tickSize: '0.01'", `tickSize: '${tick}'`);
  const path = join(work, `desk-${tick}.yaml`);
  writeFileSync(path, yaml.replace(/ {2}- id: opt[\s\S]*?(?=\n {2}- id: |\n\S)/, ''));
  return path;
}

describe('a desk on file data finer than its instrument tick', () => {
  const rows = Array.from({ length: 120 }, (_, i) => `${T0 + i * HOUR},${30000 + i},${30001.5 + i},${29999 + i},${30000.5 + i},7`);
  writeFileSync(join(work, 'data.csv'), ['timestamp,open,high,low,close,volume', ...rows].join('\n'));

  it('warns that every price is moved to the tick, naming the instrument and its tickSize', async () => {
    const coarse = await deskBacktestCommand({ desk: deskFile('1'), json: join(work, 'coarse.json'), quiet: true });
    expect(coarse.warnings[0]).toMatch(
      /^SYNTH:BTC\/USDT: the prices are finer than the tickSize 1 of instruments\[0\] \(120 of 120 bars have a price between ticks, e\.g\. the high 30001\.5 at 2024-01-01T00:00:00\.000Z, which the simulated venue takes as 3000[12]\): every price is moved to the nearest tick, so fills move by up to half a tick, sometimes in the trader's favour; give the instrument a tickSize that divides the prices$/,
    );
    const fine = await deskBacktestCommand({ desk: deskFile('0.5'), json: join(work, 'fine.json'), quiet: true });
    expect(fine.warnings.filter((w) => w.includes('finer than'))).toEqual([]);
  });
});
