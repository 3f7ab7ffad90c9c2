import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleDesk } from '../../../test/support/desk-config.js';
import { loadDeskData } from './load-desk-data.js';

const work = mkdtempSync(join(tmpdir(), 'conclave-desk-data-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const T0 = 1_699_999_200_000;
const HOUR = 3_600_000;
writeFileSync(join(work, 'perp.csv'), ['timestamp,open,high,low,close,volume', ...Array.from({ length: 24 }, (_, i) => `${T0 + i * HOUR},1,1.01,0.99,1,100`)].join('\n'));
writeFileSync(join(work, 'funding.csv'), ['timestamp,open,high,low,close,volume', `${T0 + 8 * HOUR},0.0001,0,0,0,0`, `${T0 + 16 * HOUR},-0.0002,0,0,0,0`].join('\n'));
writeFileSync(join(work, 'mark.csv'), ['timestamp,open,high,low,close,volume', ...Array.from({ length: 24 }, (_, i) => `${T0 + i * HOUR},1,1.3,0.98,${1 + (i + 1) / 100},0`)].join('\n'));
writeFileSync(join(work, 'short-mark.csv'), ['timestamp,open,high,low,close,volume', `${T0},1,1.02,0.98,1.01,0`, `${T0 + HOUR},1.01,1.03,1,1.02,0`].join('\n'));

function deskOn(id: string, source: Record<string, string>) {
  return exampleDesk((doc) => {
    doc.instruments[0].id = id;
    if (id.split(':').length === 3) doc.instruments[0].maxLeverage = '5';
    doc.data = { [id]: { source: 'file', ...source } };
    doc.agents = doc.agents.filter((a: { role: string }) => a.role !== 'optimizer');
  });
}

describe('loadDeskData: a perpetual from files', () => {
  it("reads the perpetual's funding rates and its marks (each known at its candle's close)", async () => {
    const config = deskOn('SYNTH:XRP/USDT:USDT', { path: 'perp.csv', funding: 'funding.csv', marks: 'mark.csv' });
    const data = await loadDeskData(config, (path) => join(work, path));
    expect(data.series.get('SYNTH:XRP/USDT:USDT' as never)?.length).toBe(24);
    expect(data.extras.filter((e) => e.type === 'funding-rate').map((e) => [e.ts - T0, e.type === 'funding-rate' ? e.rate : 0])).toEqual([
      [8 * HOUR, 0.0001],
      [16 * HOUR, -0.0002],
    ]);
    expect(data.extras.filter((e) => e.type === 'mark-price').map((e) => [e.ts - T0, e.type === 'mark-price' ? e.price : 0]).slice(0, 2)).toEqual([
      [HOUR, 1.01],
      [2 * HOUR, 1.02],
    ]);
  });

  it('refuses marks that end before the bars (past them liquidation would never be checked)', async () => {
    const config = deskOn('SYNTH:XRP/USDT:USDT', { path: 'perp.csv', marks: 'short-mark.csv' });
    await expect(loadDeskData(config, (path) => join(work, path))).rejects.toThrow(/data\.SYNTH:XRP\/USDT:USDT\.marks short-mark\.csv: .*the marks end at .* but the bars of SYNTH:XRP\/USDT:USDT run to/);
  });

  it('refuses funding for a spot instrument, naming the data entry', async () => {
    const config = deskOn('SYNTH:XRP/USDT', { path: 'perp.csv', funding: 'funding.csv' });
    await expect(loadDeskData(config, (path) => join(work, path))).rejects.toThrow('data.SYNTH:XRP/USDT: funding and marks belong to perpetuals');
  });
});
