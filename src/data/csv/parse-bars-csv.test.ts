import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instrumentId } from '../../core/ids.js';
import type { BarSeries } from '../bar-series.js';
import { DataFileError } from '../data-file-error.js';
import { formatBarsCsv } from './format-bars-csv.js';
import { epochUnitOf, parseBarsCsv, type CsvParseOptions } from './parse-bars-csv.js';

const ID = instrumentId('TEST:BTC/USDT');
const parse = (text: string, options: Partial<CsvParseOptions> = {}) => parseBarsCsv(text, { instrumentId: ID, source: 'bars.csv', ...options });

/** Rows as [ts, open, high, low, close, volume] arrays. */
function rows(series: BarSeries): number[][] {
  return Array.from({ length: series.length }, (_, i) => [series.ts, series.open, series.high, series.low, series.close, series.volume].map((column) => column[i] as number));
}

function parseError(text: string, options: Partial<CsvParseOptions> = {}): DataFileError {
  try {
    parse(text, options);
  } catch (error) {
    if (error instanceof DataFileError) return error;
    throw error;
  }
  throw new Error('expected a DataFileError');
}

const T0 = Date.UTC(2024, 0, 2, 13, 45);

describe('canonical CSV', () => {
  it('reads epoch-ms rows with their line numbers and the timeframe', () => {
    const result = parse('timestamp,open,high,low,close,volume\n1515560100000,0.0984,0.0994766,0.09828605,0.0994766,1820.54447418\n1515560400000,0.09946999000000001,0.0997238,0.099,0.09969000000000001,2527.92100293\n');
    expect(rows(result.series)).toEqual([
      [1515560100000, 0.0984, 0.0994766, 0.09828605, 0.0994766, 1820.54447418],
      [1515560400000, 0.09946999000000001, 0.0997238, 0.099, 0.09969000000000001, 2527.92100293],
    ]);
    expect([...result.origins]).toEqual([2, 3]);
    expect(result.series.timeframeMs).toBe(300_000);
    expect(result.timestampForm).toBe('ms');
    expect(result.originKind).toBe('line');
  });

  it('reads sparse 1m bars as 1m bars, though 2m gaps outnumber 1m ones', () => {
    const gaps = [1, 2, 2];
    let ts = Date.UTC(2024, 0, 1);
    const lines = ['timestamp,open,high,low,close,volume'];
    for (let k = 0; k < 500; k++) {
      lines.push(`${ts},100,101,99,100.5,10`);
      ts += gaps[k % 3]! * 60_000;
    }
    expect(parse(lines.join('\n')).series.timeframeMs).toBe(60_000);
  });

  it('reads epoch seconds, microseconds and nanoseconds by magnitude, or as told', () => {
    const body = (t: number) => `timestamp,open,high,low,close,volume\n${t},1,2,0.5,1.5,3\n`;
    expect(parse(body(1515560100)).series.ts[0]).toBe(1515560100000);
    expect(parse(body(1515560100)).timestampForm).toBe('s');
    expect(parse(body(1515560100000000)).series.ts[0]).toBe(1515560100000);
    expect(parse(body(1515560100000000000)).series.ts[0]).toBe(1515560100000);
    expect(parse(body(86_400_000), { epochUnit: 'ms' }).series.ts[0]).toBe(86_400_000);
    expect([epochUnitOf(1.7e9), epochUnitOf(1.7e12), epochUnitOf(1.7e15), epochUnitOf(1.7e18)]).toEqual(['s', 'ms', 'us', 'ns']);
  });

  it('reads ISO 8601 timestamps with Z, an offset, or no zone (UTC)', () => {
    const result = parse('timestamp,open,high,low,close,volume\n2024-01-02T13:45:00Z,1,2,0.5,1.5,3\n2024-01-02T15:46:00+02:00,1,2,0.5,1.5,3\n2024-01-02 13:47:00,1,2,0.5,1.5,3\n');
    expect([...result.series.ts]).toEqual([T0, T0 + 60_000, T0 + 120_000]);
    expect(result.timestampForm).toBe('text');
  });

  it('reads a file without a header positionally, extra columns ignored (Binance kline dumps)', () => {
    const result = parse('1704203100000,1,2,0.5,1.5,3,1704203159999,4.5,10,1,1.5,0\n1704203160000,1.5,2.5,1,2,4,1704203219999,8,12,2,3,0\n');
    expect(rows(result.series)).toEqual([
      [1704203100000, 1, 2, 0.5, 1.5, 3],
      [1704203160000, 1.5, 2.5, 1, 2, 4],
    ]);
    expect([...result.origins]).toEqual([1, 2]);
    expect(result.layout.header).toBeUndefined();
  });

  it('tolerates a BOM, CRLF, blank lines, padding, quotes and another delimiter', () => {
    const text = '\uFEFF"timestamp";"open";"high";"low";"close";"volume"\r\n\r\n1704203100000; 1 ;"2";0.5;1.5;3\r\n   \r\n1704203160000;1;2;0.5;1.5; "4" \r\n';
    const result = parse(text);
    expect(rows(result.series)).toEqual([
      [1704203100000, 1, 2, 0.5, 1.5, 3],
      [1704203160000, 1, 2, 0.5, 1.5, 4],
    ]);
    expect([...result.origins]).toEqual([3, 5]);
  });

  it('reads lone CR line ends (old Mac files) as line ends, with the lines counted as in any other file', () => {
    const text = 'timestamp,open,high,low,close,volume\r1704203100000,1,2,0.5,1.5,3\r\r1704203160000,1,2,0.5,1.5,4\r';
    const result = parse(text);
    expect(rows(result.series)).toEqual([
      [1704203100000, 1, 2, 0.5, 1.5, 3],
      [1704203160000, 1, 2, 0.5, 1.5, 4],
    ]);
    expect([...result.origins]).toEqual([2, 4]);
    expect(rows(parse('1704203100000;1;2;0.5;1.5;3\r1704203160000;1;2;0.5;1.5;4').series)).toHaveLength(2);
    expect(parseError('timestamp,open,high,low,close,volume\r1704203100000,1,2,0.5,1.5,3\r1704203160000,1,2,x,1.5,4\r').message).toBe(
      'bars.csv: line 3, column 4 (low): "x" is not a number; the header "timestamp,open,high,low,close,volume" does not fit this row',
    );
  });

  it('reads a missing volume as 0, a missing price as NaN, and Infinity as such', () => {
    const result = parse('timestamp,open,high,low,close,volume\n1704203100000,1.2,1.3,1.1,1.2,\n1704203160000,,NaN,1,inf,-Infinity\n1704203220000,1,1,1,1,nan\n');
    expect(rows(result.series)).toEqual([
      [1704203100000, 1.2, 1.3, 1.1, 1.2, 0],
      [1704203160000, Number.NaN, Number.NaN, 1, Infinity, -Infinity],
      [1704203220000, 1, 1, 1, 1, 0],
    ]);
  });

  it('gives an empty series for a header alone', () => {
    const result = parse('timestamp,open,high,low,close,volume\n');
    expect(result.series.length).toBe(0);
    expect(result.series.timeframeMs).toBe(0);
  });

  it('reads back exactly what formatBarsCsv writes', () => {
    const value = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));
    const bar = fc.tuple(fc.integer({ min: 1, max: 1_000_000 }), value, value, value, value, value);
    fc.assert(
      fc.property(fc.array(bar, { maxLength: 50 }), (bars) => {
        let t = 1_500_000_000_000;
        const series: BarSeries = {
          instrumentId: ID,
          timeframeMs: 0,
          length: bars.length,
          ts: Float64Array.from(bars, ([step]) => (t += step)),
          open: Float64Array.from(bars, (b) => b[1]),
          high: Float64Array.from(bars, (b) => b[2]),
          low: Float64Array.from(bars, (b) => b[3]),
          close: Float64Array.from(bars, (b) => b[4]),
          volume: Float64Array.from(bars, (b) => b[5]),
        };
        const parsed = parse(formatBarsCsv(series), { epochUnit: 'ms' }).series;
        expect(rows(parsed)).toEqual(rows(series));
      }),
      { numRuns: 300 },
    );
  });
});

describe('Date,Time layouts', () => {
  it('reads Date,Time,Open,High,Low,Close,Volume,OpenInterest with 2024-01-02,13:45', () => {
    const result = parse('Date,Time,Open,High,Low,Close,Volume,OpenInterest\n2024-01-02,13:45,100.5,101,100,100.75,12.5,3000\n2024-01-02,13:46,100.75,101.25,100.5,101,8,3001\n');
    expect(rows(result.series)).toEqual([
      [T0, 100.5, 101, 100, 100.75, 12.5],
      [T0 + 60_000, 100.75, 101.25, 100.5, 101, 8],
    ]);
    expect(result.timestampForm).toBe('date-time');
    expect(result.series.timeframeMs).toBe(60_000);
  });

  it('reads compact dates and times, 20240102,134500', () => {
    const result = parse('Date,Time,Open,High,Low,Close,Volume\n20240102,134500,1,2,0.5,1.5,3\n20240102,134600,1,2,0.5,1.5,3\n');
    expect([...result.series.ts]).toEqual([T0, T0 + 60_000]);
  });

  it('reads MetaTrader exports: tab-separated <DATE> <TIME> with dotted dates', () => {
    const result = parse('<DATE>\t<TIME>\t<OPEN>\t<HIGH>\t<LOW>\t<CLOSE>\t<TICKVOL>\t<VOL>\t<SPREAD>\n2024.01.02\t13:45:00\t1\t2\t0.5\t1.5\t77\t3\t2\n');
    expect(rows(result.series)).toEqual([[T0, 1, 2, 0.5, 1.5, 3]]);
  });
});

describe('compact YYYYMMDD dates in one time column', () => {
  const DAY = 86_400_000;
  const JAN_2 = Date.UTC(2024, 0, 2);

  it('reads a Date column of 20240102 as that day, not as epoch seconds', () => {
    const result = parse('Date,Open,High,Low,Close,Volume\n20240102,10,11,9,10.5,100\n20240103,10.5,12,10,11,200\n');
    expect(rows(result.series)).toEqual([
      [JAN_2, 10, 11, 9, 10.5, 100],
      [JAN_2 + DAY, 10.5, 12, 10, 11, 200],
    ]);
    expect(result.timestampForm).toBe('text');
    expect(result.series.timeframeMs).toBe(DAY);
  });

  it('reads a file without a header that starts with 20240102 as daily bars', () => {
    const result = parse('20240102,10,11,9,10.5,100\n20240103,10.5,12,10,11,200\n');
    expect([...result.series.ts]).toEqual([JAN_2, JAN_2 + DAY]);
    expect([...result.origins]).toEqual([1, 2]);
  });

  it('reads the Adj Close layout with compact dates', () => {
    const result = parse('Date,Open,High,Low,Close,Adj Close,Volume\n20240102,100,110,90,105,52.5,1000\n', { useAdjClose: true });
    expect(rows(result.series)).toEqual([[JAN_2, 50, 55, 45, 52.5, 1000]]);
  });

  it('keeps 8-digit epoch seconds that are no date in 1900..2199 as epoch seconds', () => {
    // 86400000 s is 1972-09-27: as YYYYMMDD it would be month 00.
    expect(parse('timestamp,open,high,low,close,volume\n86400000,1,2,0.5,1.5,3\n').series.ts[0]).toBe(86_400_000_000);
    // 30000101 is a valid date but outside the band for a column not headed date.
    expect(parse('timestamp,open,high,low,close,volume\n30000101,1,2,0.5,1.5,3\n').timestampForm).toBe('s');
  });

  it('reads 20240102 as epoch seconds when the unit is given', () => {
    const result = parse('Date,Open,High,Low,Close,Volume\n20240102,10,11,9,10.5,100\n', { epochUnit: 's' });
    expect(result.series.ts[0]).toBe(20_240_102_000);
    expect(result.timestampForm).toBe('s');
  });
});

describe('the Adj Close layout', () => {
  const YAHOO = 'Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,100,110,90,105,52.5,1000\n2024-01-03,105,106,100,104,52,2000\n';

  it('takes Close as the price by default', () => {
    expect(rows(parse(YAHOO).series)).toEqual([
      [Date.UTC(2024, 0, 2), 100, 110, 90, 105, 1000],
      [Date.UTC(2024, 0, 3), 105, 106, 100, 104, 2000],
    ]);
    expect(parse(YAHOO).series.timeframeMs).toBe(86_400_000);
  });

  it('takes Adj Close when asked, scaling open, high and low by Adj Close / Close', () => {
    expect(rows(parse(YAHOO, { useAdjClose: true }).series)).toEqual([
      [Date.UTC(2024, 0, 2), 50, 55, 45, 52.5, 1000],
      [Date.UTC(2024, 0, 3), 52.5, 53, 50, 52, 2000],
    ]);
  });
});

describe('a header that does not fit its rows', () => {
  const HEADER = 'timestamp,open,high,low,close,volume\n';

  it('names the line when a row has too few fields', () => {
    const error = parseError(`${HEADER}1000,1,2,0.5,1.5,3\n2000,1,2,0.5\n`);
    expect(error.code).toBe('csv_column_count');
    expect([error.source, error.line]).toEqual(['bars.csv', 3]);
    expect(error.message).toBe('bars.csv: line 3 has 4 fields but the header "timestamp,open,high,low,close,volume" has 6');
  });

  it('names the line when a row has too many fields', () => {
    const error = parseError(`${HEADER}\n1000,1,2,0.5,1.5,3,99\n`);
    expect([error.code, error.line]).toEqual(['csv_column_count', 3]);
    expect(error.message).toContain('line 3 has 7 fields');
  });

  it('names the line and column of a value that is not a number', () => {
    const error = parseError(`${HEADER}1000,1,2,0.5,1.5,3\n2000,1,2..5,0.5,1.5,3\n`);
    expect([error.code, error.line, error.column]).toEqual(['csv_bad_number', 3, 3]);
    expect(error.message).toBe(
      'bars.csv: line 3, column 3 (high): "2..5" is not a number; the header "timestamp,open,high,low,close,volume" does not fit this row',
    );
  });

  it('names the line and column of a timestamp that is not one', () => {
    const epoch = parseError(`${HEADER}1000,1,2,0.5,1.5,3\n2024-01-02,1,2,0.5,1.5,3\n`);
    expect([epoch.code, epoch.line, epoch.column]).toEqual(['csv_bad_timestamp', 3, 1]);
    const iso = parseError(`${HEADER}2024-01-02T00:00:00Z,1,2,0.5,1.5,3\n2024-02-30T00:00:00Z,1,2,0.5,1.5,3\n`);
    expect([iso.code, iso.line, iso.column]).toEqual(['csv_bad_timestamp', 3, 1]);
    const time = parseError('Date,Time,Open,High,Low,Close,Volume\n2024-01-02,13:45,1,2,0.5,1.5,3\n\n2024-01-02,13:75,1,2,0.5,1.5,3\n');
    expect([time.code, time.line, time.column]).toEqual(['csv_bad_timestamp', 4, 2]);
    expect(time.message).toContain('(Time): "13:75" is not a time of day');
  });

  it('catches a header whose columns are in another order than the rows', () => {
    // The header says Date,Time but the rows are canonical epoch-ms rows.
    const error = parseError('Date,Time,Open,High,Low,Close,Volume\n1515560100000,0.0984,0.0994766,0.09828605,0.0994766,1820.5,7\n');
    expect([error.code, error.line, error.column]).toEqual(['csv_bad_timestamp', 2, 1]);
  });

  it('refuses an empty file', () => {
    expect(parseError('\n\n').code).toBe('csv_empty');
  });
});

describe('input as bytes', () => {
  it('decodes UTF-8 bytes', () => {
    const bytes = new TextEncoder().encode('timestamp,open,high,low,close,volume\n1704203100000,1,2,0.5,1.5,3\n');
    expect(rows(parseBarsCsv(bytes, { instrumentId: ID }).series)).toEqual([[1704203100000, 1, 2, 0.5, 1.5, 3]]);
  });
});
