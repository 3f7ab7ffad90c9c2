/**
 * freqtrade's JSON candles: `[[ts_ms, open, high, low, close, volume], ...]` (its `json` data format), timestamps
 * in epoch milliseconds (UTC, bar open time). A `null` price (pandas' NaN) reads as NaN for the check to report; a
 * `null` volume reads as 0 (candles without volume: mark price, funding), as in every format.
 * Origins are record numbers (1-based positions in the array): the file is often a single line.
 */
import type { InstrumentId } from '../../core/ids.js';
import type { BarSeries } from '../bar-series.js';
import { inferTimeframe } from '../infer-timeframe.js';
import { DataFileError } from '../data-file-error.js';
import { sequentialOrigins, type SourcedBars } from '../sourced-bars.js';

export interface FreqtradeJsonOptions {
  readonly instrumentId: InstrumentId;
  /** The name errors and the check use; default `json`. */
  readonly source?: string;
  /** Bar length in ms; default inferred from the timestamps. */
  readonly timeframeMs?: number;
}

const FIELDS = ['timestamp', 'open', 'high', 'low', 'close', 'volume'] as const;
const VOLUME = 5;

export function parseFreqtradeJson(input: string | Uint8Array, options: FreqtradeJsonOptions): SourcedBars {
  const source = options.source ?? 'json';
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new DataFileError('json_invalid', `${source}: not valid JSON (${(error as Error).message})`, source, undefined);
  }
  if (!Array.isArray(document)) {
    throw new DataFileError('json_bad_layout', `${source}: expected an array of [timestamp, open, high, low, close, volume] records`, source, undefined);
  }
  const n = document.length;
  const columns = FIELDS.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const record: unknown = document[i];
    if (!Array.isArray(record) || record.length < FIELDS.length) {
      throw new DataFileError(
        'json_bad_record',
        `${source}: record ${i + 1} is ${JSON.stringify(record)?.slice(0, 80)}, expected [timestamp, open, high, low, close, volume]`,
        source,
        i + 1,
      );
    }
    for (let k = 0; k < FIELDS.length; k++) {
      const value: unknown = record[k];
      const column = columns[k] as Float64Array;
      if (typeof value === 'number') column[i] = value;
      else if (value === null && k > 0) column[i] = k === VOLUME ? 0 : Number.NaN;
      else {
        throw new DataFileError(
          'json_bad_record',
          `${source}: record ${i + 1}, field ${k + 1} (${FIELDS[k]}): ${JSON.stringify(value)} is not a number`,
          source,
          i + 1,
          k + 1,
        );
      }
    }
    const ts = (columns[0] as Float64Array)[i] as number;
    if (!Number.isSafeInteger(ts)) {
      throw new DataFileError('json_bad_record', `${source}: record ${i + 1}: timestamp ${ts} is not whole epoch milliseconds`, source, i + 1, 1);
    }
  }
  const [ts, open, high, low, close, volume] = columns as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
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
