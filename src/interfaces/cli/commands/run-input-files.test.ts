import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BarSeries } from '../../../data/bar-series.js';
import { defineInstrument } from '../../../domain/instrument.js';
import { loadPerpetualFiles } from './run-input-files.js';

const work = mkdtempSync(join(tmpdir(), 'conclave-run-input-files-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const HOUR = 3_600_000;
const T0 = 1_704_067_200_000;
const CANDLES = ['timestamp,open,high,low,close,volume', ...Array.from({ length: 6 }, (_, i) => `${T0 + i * HOUR},0.001,0.001,0.001,0.001,0`)].join('\n');
const funding = join(work, 'fund.csv');
const again = join(work, 'fund-again.csv');
for (const path of [funding, again]) writeFileSync(path, CANDLES);

const perpetual = defineInstrument({ id: 'FILE:BTC/USDT:USDT', kind: 'perpetual', tickSize: '0.001', lotSize: '0.001' });
const other = defineInstrument({ id: 'FILE:ETH/USDT:USDT', kind: 'perpetual', tickSize: '0.001', lotSize: '0.001' });

async function refusal(run: Promise<unknown>): Promise<string> {
  return run.then(
    () => 'accepted',
    (error: unknown) => (error as Error).message,
  );
}

describe('loadPerpetualFiles', () => {
  it('refuses a second funding or marks file for the same perpetual, naming both, instead of applying both', async () => {
    const series: BarSeries[] = [];
    expect(await refusal(loadPerpetualFiles({ funding: [funding, funding], cache: false }, [perpetual], series))).toBe(
      `--funding ${funding} and --funding ${funding} are both for FILE:BTC/USDT:USDT: a perpetual takes one funding file; give one`,
    );
    expect(await refusal(loadPerpetualFiles({ marks: [`BTC/USDT:USDT=${funding}`, `BTC/USDT:USDT=${again}`], cache: false }, [perpetual, other], series))).toBe(
      `--marks ${funding} and --marks ${again} are both for FILE:BTC/USDT:USDT: a perpetual takes one marks file; give one`,
    );
  });

  it('takes one funding file per perpetual', async () => {
    const loaded = await loadPerpetualFiles({ funding: [`BTC/USDT:USDT=${funding}`, `ETH/USDT:USDT=${again}`], cache: false }, [perpetual, other], []);
    expect(loaded.funding.map((f) => f.instrumentId)).toEqual([...Array<string>(6).fill('FILE:BTC/USDT:USDT'), ...Array<string>(6).fill('FILE:ETH/USDT:USDT')]);
  });
});
