import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BarSeries } from '../../data/bar-series.js';
import { CANONICAL_CSV_HEADER, formatBarsCsvRows } from '../../data/csv/format-bars-csv.js';

const ROWS_PER_WRITE = 65_536;
let temporaryCounter = 0;

/**
 * Writes a series as canonical CSV (`timestamp,open,high,low,close,volume`, epoch ms, shortest round-trip
 * numbers) in chunks, to a temporary file renamed into place, so a reader never sees half a file.
 */
export async function writeBarsCsv(path: string, series: BarSeries): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  temporaryCounter += 1;
  const temporary = `${path}.${process.pid}-${temporaryCounter}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.write(`${CANONICAL_CSV_HEADER}\n`);
    for (let from = 0; from < series.length; from += ROWS_PER_WRITE) {
      await handle.write(formatBarsCsvRows(series, from, Math.min(series.length, from + ROWS_PER_WRITE)));
    }
    await handle.close();
    await rename(temporary, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
