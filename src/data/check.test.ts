import { describe, expect, it } from 'vitest';
import { instrumentId } from '../core/ids.js';
import { assertBarsUsable, checkBars, describeIssue, refusedIssues } from './check.js';
import { parseBarsCsv } from './csv/parse-bars-csv.js';
import { DataFileError } from './data-file-error.js';
import type { SourcedBars } from './sourced-bars.js';

const ID = instrumentId('TEST:BTC/USDT');
const M = 60_000;
const T0 = Date.UTC(2024, 0, 2);

/** A 1m CSV from rows of [minute, open, high, low, close, volume] (line 1 is the header, so row k is line k + 2). */
function csv(rowsByMinute: readonly (readonly [number, number, number, number, number, number])[]): SourcedBars {
  const body = rowsByMinute.map(([minute, ...values]) => [T0 + minute * M, ...values].join(',')).join('\n');
  return parseBarsCsv(`timestamp,open,high,low,close,volume\n${body}\n`, { instrumentId: ID, source: 'm1.csv', timeframeMs: M });
}

function refusal(bars: SourcedBars): DataFileError {
  try {
    assertBarsUsable(bars);
  } catch (error) {
    if (error instanceof DataFileError) return error;
    throw error;
  }
  throw new Error('expected the bars to be refused');
}

describe('checkBars', () => {
  it('reports nothing for clean bars', () => {
    const report = checkBars(csv([[0, 1, 2, 0.5, 1.5, 3], [1, 1.5, 2, 1, 1.8, 0], [2, 1.8, 1.8, 1.8, 1.8, 1]]));
    expect(report.issues).toEqual([]);
    expect(report.bars).toBe(3);
    expect([report.firstTs, report.lastTs]).toEqual([T0, T0 + 2 * M]);
    expect(() => assertBarsUsable(csv([[0, 1, 2, 0.5, 1.5, 3]]))).not.toThrow();
  });

  it('reports gaps with the number of missing bars, at the bar after the hole', () => {
    const report = checkBars(csv([[0, 1, 2, 0.5, 1.5, 3], [1, 1, 2, 0.5, 1.5, 3], [5, 1, 2, 0.5, 1.5, 3], [7, 1, 2, 0.5, 1.5, 3]]));
    expect(report.issues.map((issue) => [issue.kind, issue.line, issue.missingBars])).toEqual([
      ['gap', 4, 3],
      ['gap', 5, 1],
    ]);
    expect(report.missingBars).toBe(4);
    expect(report.issues.map((issue) => describeIssue(report, issue))).toEqual([
      'm1.csv: line 4: gap: 3 bars missing between 2024-01-02T00:01:00.000Z and 2024-01-02T00:05:00.000Z',
      'm1.csv: line 5: gap: 1 bar missing between 2024-01-02T00:05:00.000Z and 2024-01-02T00:07:00.000Z',
    ]);
    expect(refusedIssues(report)).toEqual([]);
    expect(report.issues[0]?.message).toBe('gap: 3 bars missing between 2024-01-02T00:01:00.000Z and 2024-01-02T00:05:00.000Z');
  });

  it('reports duplicates naming the first line, and whether the values differ', () => {
    const report = checkBars(csv([[0, 1, 2, 0.5, 1.5, 3], [0, 1, 2, 0.5, 1.5, 3], [1, 1, 2, 0.5, 1.5, 3], [1, 1, 2, 0.5, 1.6, 3]]));
    expect(report.issues.map((issue) => [issue.kind, issue.line, issue.message])).toEqual([
      ['duplicate', 3, 'duplicate of line 2 at 2024-01-02T00:00:00.000Z (same values)'],
      ['duplicate', 5, 'duplicate of line 4 at 2024-01-02T00:01:00.000Z (different values)'],
    ]);
  });

  it('reports rows out of order, and duplicates and gaps over the times in order', () => {
    const report = checkBars(csv([[0, 1, 2, 0.5, 1.5, 3], [2, 1, 2, 0.5, 1.5, 3], [1, 1, 2, 0.5, 1.5, 3], [5, 1, 2, 0.5, 1.5, 3], [2, 1, 2, 0.5, 1.5, 3]]));
    expect(report.issues.map((issue) => [issue.kind, issue.line])).toEqual([
      ['out-of-order', 4],
      ['gap', 5],
      ['out-of-order', 6],
      ['duplicate', 6],
    ]);
    expect(report.issues.find((issue) => issue.kind === 'duplicate')?.message).toContain('duplicate of line 3');
    expect(report.counts).toEqual({ 'out-of-order': 2, duplicate: 1, impossible: 0, gap: 1, misaligned: 0 });
  });

  it('reports every kind of impossible candle', () => {
    const report = checkBars(
      csv([
        [0, 1, 0.5, 2, 1, 3], // high < low
        [1, 3, 2, 0.5, 1, 3], // open above high
        [2, 1, 2, 0.5, 0.25, 3], // close below low
        [3, 0, 2, 0, 1, 3], // zero price
        [4, 1, 2, 0.5, 1.5, -1], // negative volume
        [5, Number.NaN, 2, 0.5, 1.5, 3], // NaN
      ]),
    );
    expect(report.issues.map((issue) => [issue.kind, issue.line, issue.message])).toEqual([
      ['impossible', 2, 'impossible candle: high 0.5 is below low 2'],
      ['impossible', 3, 'impossible candle: open or close is above high'],
      ['impossible', 4, 'impossible candle: open or close is below low'],
      ['impossible', 5, 'impossible candle: a price is zero or negative'],
      ['impossible', 6, 'impossible candle: volume is negative'],
      ['impossible', 7, 'impossible candle: a price or volume is not a finite number'],
    ]);
    expect(report.issues.every((issue) => issue.source === 'm1.csv')).toBe(true);
  });

  it('reports bars off the timeframe grid, without phantom gaps', () => {
    const bars = parseBarsCsv(`timestamp,open,high,low,close,volume\n${T0 + 17},1,2,0.5,1.5,3\n${T0 + M + 7},1,2,0.5,1.5,3\n${T0 + 2 * M},1,2,0.5,1.5,3\n`, {
      instrumentId: ID,
      source: 'funding.csv',
    });
    const report = checkBars(bars, { timeframeMs: M });
    expect(report.issues.map((issue) => [issue.kind, issue.line])).toEqual([
      ['misaligned', 2],
      ['misaligned', 3],
    ]);
  });
});

describe('assertBarsUsable (strict loading)', () => {
  it('refuses the first out-of-order, duplicate or impossible bar, and counts the rest', () => {
    const error = refusal(csv([[0, 1, 2, 0.5, 1.5, 3], [2, 1, 2, 0.5, 1.5, 3], [1, 1, 2, 0.5, 1.5, 3], [1, 1, 2, 0.5, 1.5, 3], [3, 1, 0.5, 2, 1, 3]]));
    expect([error.code, error.source, error.line]).toEqual(['bad_bars', 'm1.csv', 4]);
    expect(error.message).toBe(
      'm1.csv: line 4: out of order: 2024-01-02T00:01:00.000Z comes after 2024-01-02T00:02:00.000Z (line 3); ' +
        'and 2 more problems (1 out-of-order, 1 duplicate, 1 impossible in all); run the data check for the full list, or fix the file',
    );
  });

  it('lets gaps and misaligned bars through', () => {
    expect(() => assertBarsUsable(csv([[0, 1, 2, 0.5, 1.5, 3], [9, 1, 2, 0.5, 1.5, 3]]))).not.toThrow();
  });

  it('names a single problem without "more"', () => {
    expect(refusal(csv([[0, 1, 2, 0.5, 1.5, -3]])).message).toBe(
      'm1.csv: line 2: impossible candle: volume is negative; run the data check for the full list, or fix the file',
    );
  });
});
