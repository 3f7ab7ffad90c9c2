import { describe, expect, it } from 'vitest';
import { DataFileError } from '../data-file-error.js';
import { detectDelimiter, normalizeColumnName, resolveCsvLayout, splitCsvLine } from './layout.js';

const layoutOf = (header: string, mapping?: Parameters<typeof resolveCsvLayout>[3], useAdjClose = false) =>
  resolveCsvLayout('test.csv', splitCsvLine(header, ','), header.split(',').length, mapping, useAdjClose);

function layoutError(fn: () => unknown): DataFileError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DataFileError) return error;
    throw error;
  }
  throw new Error('expected a DataFileError');
}

describe('CSV layout detection', () => {
  it('finds the canonical columns', () => {
    const layout = layoutOf('timestamp,open,high,low,close,volume');
    expect([layout.timestamp, layout.open, layout.high, layout.low, layout.close, layout.volume]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(layout.date).toBe(-1);
  });

  it('finds Date and Time as two columns and ignores OpenInterest', () => {
    const layout = layoutOf('Date,Time,Open,High,Low,Close,Volume,OpenInterest');
    expect([layout.timestamp, layout.date, layout.time, layout.open, layout.close, layout.volume]).toEqual([-1, 0, 1, 2, 5, 6]);
    expect(layout.fieldCount).toBe(8);
  });

  it('takes Close as the price in the Adj Close layout and keeps Adj Close for when it is asked for', () => {
    const layout = layoutOf('Date,Open,High,Low,Close,Adj Close,Volume');
    expect([layout.timestamp, layout.close, layout.adjClose, layout.volume]).toEqual([0, 4, -1, 6]);
    expect(layout.useAdjClose).toBe(false);
    const adjusted = layoutOf('Date,Open,High,Low,Close,Adj Close,Volume', undefined, true);
    expect([adjusted.close, adjusted.adjClose, adjusted.useAdjClose]).toEqual([4, 5, true]);
  });

  it('matches names case-insensitively, trimmed, without punctuation or quotes', () => {
    const layout = layoutOf(' "TimeStamp" , OPEN,High ,<LOW>,close,Vol');
    expect([layout.timestamp, layout.open, layout.high, layout.low, layout.close, layout.volume]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(normalizeColumnName('Adj_Close')).toBe('adjclose');
  });

  it('reads a header without volume (volume absent) and prefers a timestamp column to date', () => {
    expect(layoutOf('time,open,high,low,close').volume).toBe(-1);
    expect(layoutOf('date,timestamp,open,high,low,close').timestamp).toBe(1);
  });

  it('lays out a file without a header positionally', () => {
    const layout = resolveCsvLayout('x.csv', undefined, 12, undefined, false);
    expect([layout.timestamp, layout.open, layout.high, layout.low, layout.close, layout.volume]).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('takes explicit columns by name or index over the detected ones', () => {
    const layout = layoutOf('when,o,h,l,last,Adj Close,qty', { timestamp: 'When', close: 4, volume: 'QTY' });
    expect([layout.timestamp, layout.open, layout.close, layout.volume]).toEqual([0, 1, 4, 6]);
    const pair = layoutOf('d,t,open,high,low,close', { date: 0, time: 't' });
    expect([pair.timestamp, pair.date, pair.time]).toEqual([-1, 0, 1]);
  });

  it('names what is missing, with the header, when the layout cannot be found', () => {
    const error = layoutError(() => layoutOf('when,price,size'));
    expect(error.code).toBe('csv_unknown_layout');
    expect(error.message).toContain('timestamp (or date and time), open, high, low, close columns');
    expect(error.message).toContain('"when,price,size"');
    expect(layoutError(() => layoutOf('timestamp,open,high,low,close', undefined, true)).message).toContain('adj close');
    expect(layoutError(() => layoutOf('timestamp,open,high,low,close', { volume: 'qty' })).message).toContain('no column "qty" for volume');
    expect(layoutError(() => layoutOf('timestamp,open,high,low,close', { volume: 9 })).code).toBe('csv_bad_mapping');
    expect(layoutError(() => layoutOf('timestamp,open,high,low,close', { high: 'close' })).message).toBe('test.csv: column "close" cannot be both high and close');
  });
});

describe('duplicated column names', () => {
  it('refuses a column found by a name the header gives twice, naming the column and the file (line 1)', () => {
    const error = layoutError(() => layoutOf('timestamp,open,high,low,close,close'));
    expect([error.code, error.line, error.message]).toEqual([
      'csv_duplicate_column',
      1,
      'test.csv: line 1: the close column "close" appears 2 times in the header, as columns 5 and 6; rename all but one, or map close by 0-based index with the columns option',
    ]);
    // Spelt differently, one name all the same.
    expect(layoutError(() => layoutOf('Date,Open,High,Low,Close,Volume,vol ume')).message).toContain('the volume column "Volume" appears 2 times in the header, as columns 6 and 7');
  });

  it('takes a duplicated name mapped by index, and leaves duplicates among columns it does not read alone', () => {
    expect(layoutOf('timestamp,open,high,low,close,close', { close: 5 }).close).toBe(5);
    expect(layoutOf('timestamp,open,high,low,close,ignore,ignore').close).toBe(4);
  });
});

describe('delimiters', () => {
  it('picks the most frequent of comma, semicolon, tab and bar', () => {
    expect(detectDelimiter('a,b,c')).toBe(',');
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('a|b|c')).toBe('|');
    expect(detectDelimiter('abc')).toBe(',');
  });
});
