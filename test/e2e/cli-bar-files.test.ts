import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../support/cli-process.js';

const work = mkdtempSync(join(tmpdir(), 'conclave-cli-bar-files-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const conclave = cliRunner(work);

const H = 3_600_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

/** Hourly bars in a layout no header detection knows: semicolons, vendor names, an Adj Close at half the close. */
const VENDOR = [
  'date_utc;price_open;price_high;price_low;price_close;Adj Close;qty',
  ...Array.from({ length: 6 }, (_, k) => `2024-01-01 0${k}:00;${10 + k};${12 + k};${9 + k};${11 + k};${(11 + k) / 2};${100 * (k + 1)}`),
].join('\n');
const VENDOR_COLUMNS = 'time=date_utc,open=price_open,high=price_high,low=price_low,close=price_close,volume=qty';

/** `timestamp,close,...` rows of `conclave indicators` as numbers (NaN for an empty cell). */
function indicatorRows(stdout: string): number[][] {
  return stdout.trim().split('\n').slice(1).map((line) => line.split(',').map((cell) => (cell === '' ? Number.NaN : Number(cell))));
}

describe('bar file options on the commands that read bars', () => {
  it('indicators: a layout detection cannot read is refused naming --columns, and read with it', () => {
    writeFileSync(join(work, 'vendor.csv'), VENDOR);
    const refused = conclave('indicators', '--data', 'vendor.csv', '--ind', 'sma:2');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('or map the columns explicitly with --columns (timestamp, open, high, low, close by header name or 0-based index)');
    const run = conclave('indicators', '--data', 'vendor.csv', '--ind', 'sma:2', '--columns', VENDOR_COLUMNS);
    expect(run.stderr).toBe('');
    expect(indicatorRows(run.stdout).slice(0, 3)).toEqual([
      [T0, 11, Number.NaN],
      [T0 + H, 12, 11.5],
      [T0 + 2 * H, 13, 12.5],
    ]);
  });

  it('indicators: a mapping by index and --adj-close, each served its own cache entry', () => {
    writeFileSync(join(work, 'vendor.csv'), VENDOR);
    const byIndex = ['--columns', 'time=0,open=1,high=2,low=3,close=4,adj-close=5,volume=6'];
    const adjusted = conclave('indicators', '--data', 'vendor.csv', '--ind', 'sma:2', ...byIndex, '--adj-close');
    expect(adjusted.stderr).toBe('');
    expect(indicatorRows(adjusted.stdout).map((row) => row[1])).toEqual([5.5, 6, 6.5, 7, 7.5, 8]);
    // Same file, same cache folder: the bars cached for one set of options are not served to another.
    const plain = conclave('indicators', '--data', 'vendor.csv', '--ind', 'sma:2', ...byIndex);
    expect(indicatorRows(plain.stdout).map((row) => row[1])).toEqual([11, 12, 13, 14, 15, 16]);
    const again = conclave('indicators', '--data', 'vendor.csv', '--ind', 'sma:2', ...byIndex, '--adj-close');
    expect(again.stdout).toBe(adjusted.stdout);
  });

  it('indicators: --adj-close on a file without Adj Close names the option', () => {
    writeFileSync(join(work, 'plain.csv'), `timestamp,open,high,low,close,volume\n${T0},1,2,0.5,1.5,3\n`);
    const run = conclave('indicators', '--data', 'plain.csv', '--ind', 'sma:1', '--adj-close');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('cannot find the adj close (asked for with --adj-close) column');
  });

  it('backtest: trades the bars --columns and --adj-close describe', () => {
    writeFileSync(join(work, 'vendor.csv'), VENDOR);
    const run = conclave('backtest', '--data', 'vendor.csv', '--columns', `${VENDOR_COLUMNS},adj-close=Adj Close`, '--adj-close', '--strategy', 'buy-and-hold', '--json', '-');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as { bars: number; startTs: number; endTs: number; fills: { ts: number; price: number }[] };
    expect([result.bars, result.startTs]).toEqual([6, T0]);
    // Bought at the open of the second bar, scaled by Adj Close / Close: 11 * 6 / 12.
    expect(result.fills[0]).toMatchObject({ ts: T0 + H, price: 5.5 });
  });

  it('data check: a tab-separated file without a header, epoch milliseconds that look like seconds', () => {
    writeFileSync(join(work, 'early.tsv'), [DAY, 2 * DAY, 4 * DAY].map((t) => `${t}\t1\t2\t0.5\t1.5\t3`).join('\n'));
    const run = conclave('data', 'check', 'early.tsv', '--no-header', '--delimiter', 'tab', '--epoch-unit', 'ms', '--columns', 'timestamp=0,open=1,high=2,low=3,close=4,volume=5');
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')[0]).toBe('early.tsv: 3 bars of 1d, 1970-01-02T00:00:00.000Z .. 1970-01-05T00:00:00.000Z');
    expect(run.stdout).toContain('1 gap');
  });

  it('refuses bad option values with exit 2 and a message naming the option', () => {
    writeFileSync(join(work, 'plain.csv'), `timestamp,open,high,low,close,volume\n${T0},1,2,0.5,1.5,3\n`);
    const commands = [
      ['indicators', '--data', 'plain.csv', '--ind', 'sma:1'],
      ['data', 'check', 'plain.csv'],
      ['data', 'resample', 'plain.csv', '--to', '1h', '--out', 'x.csv'],
      ['backtest', '--data', 'plain.csv', '--strategy', 'buy-and-hold'],
    ];
    let next = 0;
    for (const [args, message] of [
      [['--columns', 'price=1'], '--columns: "price" is not a role; the roles are timestamp, date, time, open, high, low, close, volume, adj-close'],
      [['--columns', 'close'], '--columns takes role=column pairs separated by commas'],
      [['--columns', 'close=1,close=2'], '--columns: close is given twice'],
      [['--columns', 'timestamp=0,date=1'], '--columns: give timestamp, or date (with or without time), not both'],
      [['--epoch-unit', 'sec'], '--epoch-unit must be s, ms, us or ns, got "sec"'],
      [['--delimiter', '::'], '--delimiter must be one character'],
      [['--columns', 'open=x', '--adj-close', '--epoch-unit', 'h'], '--epoch-unit must be s, ms, us or ns, got "h"'],
      [['--columns', 'date=Day'], 'there is no column "Day" for timestamp in the header "timestamp,open,high,low,close,volume"'],
    ] as const) {
      const run = conclave(...(commands[next++ % commands.length] as string[]), ...args);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });
});

describe('conclave data resample', () => {
  const daily = (days: number): string =>
    ['timestamp,open,high,low,close,volume', ...Array.from({ length: days }, (_, k) => `${T0 + k * DAY},${1 + k},${2 + k},${0.5 + k},${1.5 + k},1`)].join('\n');

  it('makes weekly bars that start on Monday 00:00 UTC', () => {
    // 2024-01-01 is a Monday: two whole weeks.
    writeFileSync(join(work, 'days.csv'), daily(14));
    const run = conclave('data', 'resample', 'days.csv', '--to', '1w', '--out', 'weeks.csv');
    expect(run.stderr).toBe('');
    expect(readFileSync(join(work, 'weeks.csv'), 'utf8').trim().split('\n')).toEqual([
      'timestamp,open,high,low,close,volume',
      `${T0},1,8,0.5,7.5,7`,
      `${T0 + 7 * DAY},8,15,7.5,14.5,7`,
    ]);
  });

  it('reads sparse 1m bars as 1m bars: checked, resampled, and --from finer than their spacing taken', () => {
    // 500 bars 1, 2, 2, 1, 2, 2 ... minutes apart: more 2m gaps than 1m ones.
    const gaps = [1, 2, 2];
    const times = [T0];
    for (let k = 1; k < 500; k++) times.push(times[k - 1]! + gaps[(k - 1) % 3]! * 60_000);
    writeFileSync(join(work, 'sparse.csv'), ['timestamp,open,high,low,close,volume', ...times.map((t) => `${t},1,2,0.5,1.5,1`)].join('\n'));
    const check = conclave('data', 'check', 'sparse.csv');
    expect(check.stdout.split('\n').slice(0, 2)).toEqual(['sparse.csv: 500 bars of 1m, 2024-01-01T00:00:00.000Z .. 2024-01-01T13:51:00.000Z', 'issues: 332 gap (332 bars missing)']);
    const resampled = conclave('data', 'resample', 'sparse.csv', '--to', '5m', '--out', 'sparse-5m.csv');
    expect(resampled.stderr).toBe('');
    expect(resampled.stdout.trim()).toBe('500 bars -> 166 bars of 5m -> sparse-5m.csv');
    // Bars all 2m apart may be 1m bars with every other one missing: --from 1m says which.
    writeFileSync(join(work, 'every-other.csv'), ['timestamp,open,high,low,close,volume', ...Array.from({ length: 30 }, (_, k) => `${T0 + k * 120_000},1,2,0.5,1.5,1`)].join('\n'));
    const given = conclave('data', 'resample', 'every-other.csv', '--from', '1m', '--to', '5m', '--out', 'every-other-5m.csv');
    expect(given.stderr).toBe('');
    expect(given.stdout.trim()).toBe('30 bars -> 11 bars of 5m -> every-other-5m.csv');
  });

  it('names the file when its bars cannot tell the source timeframe, and takes it from --from', () => {
    writeFileSync(join(work, 'single.csv'), daily(1));
    writeFileSync(join(work, 'none.csv'), daily(0));
    const single = conclave('data', 'resample', 'single.csv', '--to', '1w', '--out', 'out.csv');
    expect(single.status).toBe(2);
    expect(single.stderr.trim()).toBe('conclave: single.csv: a single bar does not tell its timeframe; give it with --from (e.g. --from 1m)');
    const none = conclave('data', 'resample', 'none.csv', '--to', '1w', '--out', 'out.csv');
    expect(none.status).toBe(2);
    expect(none.stderr.trim()).toBe('conclave: none.csv has no bars to resample');
    const given = conclave('data', 'resample', 'single.csv', '--from', '1d', '--to', '1w', '--out', 'out.csv', '--keep-incomplete');
    expect(given.stderr).toBe('');
    expect(readFileSync(join(work, 'out.csv'), 'utf8').trim().split('\n')[1]).toBe(`${T0},1,2,0.5,1.5,1`);
  });

  it('refuses a --from the bars or the file name contradict, and a timeframe that is not one, naming the option', () => {
    writeFileSync(join(work, 'days.csv'), daily(14));
    const contradicted = conclave('data', 'resample', 'days.csv', '--from', '5d', '--to', '1w', '--out', 'out.csv');
    expect(contradicted.status).toBe(2);
    expect(contradicted.stderr.trim()).toBe('conclave: --from 5d: the bars of days.csv are 1d apart, which 5d bars cannot be');
    writeFileSync(join(work, 'DAYS_USDT-1d.csv'), daily(14));
    const named = conclave('data', 'resample', 'DAYS_USDT-1d.csv', '--from', '1h', '--to', '1w', '--out', 'out.csv');
    expect(named.status).toBe(2);
    expect(named.stderr.trim()).toBe('conclave: --from 1h: the bars of DAYS_USDT-1d.csv are 1d bars');
    const bad = conclave('data', 'resample', 'days.csv', '--from', '1x', '--to', '1w', '--out', 'out.csv');
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('conclave: --from "1x" is not a timeframe; expected a count and a unit s, m, h, d or w, e.g. 5m, 1h, 1d');
  });
});
