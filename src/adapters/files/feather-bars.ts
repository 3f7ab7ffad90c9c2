/**
 * Candles from Arrow IPC files (feather v2: freqtrade's `.feather` data, pandas `to_feather`), decoded with
 * apache-arrow. Buffers compressed with LZ4_FRAME are inflated by our own decoder, registered in apache-arrow's
 * compression registry (apache-arrow ships no codec). ZSTD-compressed files are refused by name.
 *
 * Columns are found by name, case-insensitively: the time in `date`, `timestamp`, `datetime`, `time`, `ts` or
 * `open_time` (an Arrow timestamp of any unit, a date, or integers/floats of epoch ms), then `open`, `high`, `low`,
 * `close`, `volume`. A null or NaN price reads as NaN (the check reports it); a missing volume (no column, null or
 * NaN: mark-price and funding candles) reads as 0, as in every format; a null time is an error naming the record.
 */
import { compressionRegistry, CompressionType, tableFromIPC, type Table, type Vector } from 'apache-arrow';
import type { InstrumentId } from '../../core/ids.js';
import type { BarSeries } from '../../data/bar-series.js';
import { inferTimeframe } from '../../data/infer-timeframe.js';
import { decompressLz4Frame } from '../../data/compression/lz4.js';
import { DataFileError } from '../../data/data-file-error.js';
import { sequentialOrigins, type SourcedBars } from '../../data/sourced-bars.js';

export interface FeatherBarsOptions {
  readonly instrumentId: InstrumentId;
  /** The name errors and the check use; default `feather`. */
  readonly source?: string;
  /** Bar length in ms; default inferred from the timestamps. */
  readonly timeframeMs?: number;
}

const TIME_NAMES = ['date', 'timestamp', 'datetime', 'time', 'ts', 'open_time'];

let codecRegistered = false;
/** Registers the LZ4 frame decoder with apache-arrow (once per process). */
export function registerLz4Codec(): void {
  if (codecRegistered) return;
  compressionRegistry.set(CompressionType.LZ4_FRAME, { decode: decompressLz4Frame });
  codecRegistered = true;
}

function column(table: Table, names: readonly string[]): Vector | undefined {
  for (const field of table.schema.fields) {
    if (names.includes(field.name.toLowerCase())) return table.getChild(field.name) ?? undefined;
  }
  return undefined;
}

export function parseFeatherBars(bytes: Uint8Array, options: FeatherBarsOptions): SourcedBars {
  const source = options.source ?? 'feather';
  registerLz4Codec();
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (error) {
    if (error instanceof DataFileError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataFileError('feather_invalid', `${source}: not a readable Arrow IPC (feather) file: ${reason}`, source, undefined);
  }
  // apache-arrow reads bytes that are no Arrow message at all (text, an empty file) as a table without columns.
  if (table.schema.fields.length === 0) {
    throw new DataFileError('feather_invalid', `${source}: not an Arrow IPC (feather) file: ${bytes.length === 0 ? 'it is empty' : 'no Arrow schema or columns in it'}`, source, undefined);
  }
  const fieldNames = table.schema.fields.map((field) => field.name).join(', ');
  const time = column(table, TIME_NAMES);
  if (time === undefined) {
    throw new DataFileError('feather_bad_layout', `${source}: no time column (date, timestamp, ...) among ${fieldNames}`, source, undefined);
  }
  const prices = (['open', 'high', 'low', 'close'] as const).map((name) => {
    const vector = column(table, [name]);
    if (vector === undefined) throw new DataFileError('feather_bad_layout', `${source}: no ${name} column among ${fieldNames}`, source, undefined);
    return vector;
  });
  const volumeVector = column(table, ['volume']);
  const n = table.numRows;

  const ts = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const value: unknown = time.get(i);
    const ms = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : value instanceof Date ? value.getTime() : Number.NaN;
    if (!Number.isFinite(ms)) {
      throw new DataFileError('feather_bad_record', `${source}: record ${i + 1}: the time is ${String(value)}, not a timestamp`, source, i + 1, 1);
    }
    ts[i] = Math.round(ms);
  }
  const [open, high, low, close] = prices.map((vector) => floatColumn(vector, n)) as [Float64Array, Float64Array, Float64Array, Float64Array];
  let volume = volumeVector === undefined ? new Float64Array(n) : floatColumn(volumeVector, n);
  if (volume.some(Number.isNaN)) volume = Float64Array.from(volume, (value) => (Number.isNaN(value) ? 0 : value));
  const series: BarSeries = {
    instrumentId: options.instrumentId,
    timeframeMs: options.timeframeMs ?? inferTimeframe(ts, n),
    length: n,
    ts,
    open,
    high,
    low,
    close,
    volume,
  };
  return { source, series, origins: sequentialOrigins(n), originKind: 'record' };
}

/** A numeric column as float64, nulls as NaN. */
function floatColumn(vector: Vector, n: number): Float64Array {
  if (vector.nullCount === 0) {
    const values: unknown = vector.toArray();
    if (values instanceof Float64Array) return values.length === n ? values : Float64Array.from(values.subarray(0, n));
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const value: unknown = vector.get(i);
    out[i] = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : Number.NaN;
  }
  return out;
}
