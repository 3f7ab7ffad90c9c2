import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDeskData } from '../../src/adapters/config/load-desk-data.js';
import { EXAMPLE_DESK_YAML } from '../../src/config/example-desk.js';
import { parseDeskConfig } from '../../src/config/parse-desk.js';
import { instrumentId } from '../../src/core/ids.js';

const work = mkdtempSync(join(tmpdir(), 'conclave-desk-layout-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const BTC = instrumentId('SYNTH:BTC/USDT');

/** The example desk reading its bars from `data.csv` with the given extra keys on the file source. */
function deskWith(extra: string): string {
  return EXAMPLE_DESK_YAML.replace(/ {2}'SYNTH:BTC\/USDT':\n(?: {4}.*\n)+/, `  'SYNTH:BTC/USDT': { source: file, path: data.csv${extra} }\n`);
}

describe('a desk file source with its own CSV layout', () => {
  // A semicolon-separated export whose headers no detection knows, prices in the last column but one.
  const rows = Array.from({ length: 300 }, (_, i) => `${(T0 + i * HOUR) / 1000};${100 + i};${101 + i};${99 + i};${100.5 + i};7`);
  writeFileSync(join(work, 'data.csv'), ['when;first;top;bottom;last;qty', ...rows].join('\n'));

  it('reads the columns, delimiter and epoch unit the desk file gives', async () => {
    const { config } = parseDeskConfig(deskWith(', delimiter: ";", epochUnit: s, columns: { timestamp: when, open: first, high: top, low: bottom, close: last, volume: 5 }'), 'desk.yaml');
    const data = await loadDeskData(config, (path) => join(work, path));
    const series = data.series.get(BTC);
    expect(series?.length).toBe(300);
    expect([series?.ts[0], series?.open[0], series?.close[299], series?.volume[0], series?.timeframeMs]).toEqual([T0, 100, 399.5, 7, HOUR]);
  });

  it('names the desk field to fix when the layout is not found', async () => {
    const { config } = parseDeskConfig(deskWith(', delimiter: ";"'), 'desk.yaml');
    await expect(loadDeskData(config, (path) => join(work, path))).rejects.toThrow('data.SYNTH:BTC/USDT.columns');
  });

  it('refuses layout keys of the wrong kind by their path', () => {
    expect(() => parseDeskConfig(deskWith(', delimiter: ";;", epochUnit: minutes, columns: { open: -1 }'), 'desk.yaml')).toThrow(
      /data\["SYNTH:BTC\/USDT"\]\.columns\.open: must be a header name or a 0-based column number[\s\S]*data\["SYNTH:BTC\/USDT"\]\.delimiter: must be one character[\s\S]*data\["SYNTH:BTC\/USDT"\]\.epochUnit: must be s, ms, us or ns/,
    );
  });
});
