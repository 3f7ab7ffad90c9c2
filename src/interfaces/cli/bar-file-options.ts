/**
 * The options of every command that reads bar files, for CSVs whose layout detection cannot settle: explicit
 * columns, prices from Adj Close, the delimiter, whether there is a header, and the unit of epoch timestamps.
 * They map one to one onto `loadBars`' options.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { LoadBarsOptions } from '../../adapters/files/load-bars.js';
import type { CsvColumn, CsvColumnMapping } from '../../data/csv/layout.js';
import type { EpochUnit } from '../../data/csv/parse-bars-csv.js';

export interface BarFileOptions {
  columns?: CsvColumnMapping;
  adjClose?: boolean;
  delimiter?: string;
  header?: boolean;
  epochUnit?: EpochUnit;
}

/** The command-line roles and the mapping field each fills (`time` and `date` alone are resolved below). */
const ROLES: Readonly<Record<string, keyof CsvColumnMapping>> = {
  timestamp: 'timestamp',
  ts: 'timestamp',
  date: 'date',
  time: 'time',
  open: 'open',
  high: 'high',
  low: 'low',
  close: 'close',
  volume: 'volume',
  'adj-close': 'adjClose',
  adjclose: 'adjClose',
};
const ROLE_LIST = 'timestamp, date, time, open, high, low, close, volume, adj-close';
const EPOCH_UNITS: readonly EpochUnit[] = ['s', 'ms', 'us', 'ns'];
const DELIMITER_NAMES: Readonly<Record<string, string>> = { tab: '\t', '\\t': '\t', comma: ',', semicolon: ';', pipe: '|' };

/**
 * `--columns timestamp=date_utc,open=price_open,...`: each role by header name or 0-based index (digits are an
 * index). As in header detection, `date` or `time` given alone is the one time column; together they are a date
 * column and a time-of-day column.
 */
export function parseColumnMapping(text: string): CsvColumnMapping {
  const mapping: Partial<Record<keyof CsvColumnMapping, CsvColumn>> = {};
  const seen = new Set<string>();
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    const role = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    const column = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (eq < 0 || role === '' || column === '') {
      throw new InvalidArgumentError(`--columns takes role=column pairs separated by commas (e.g. timestamp=date_utc,open=price_open,close=3), got "${part.trim()}"`);
    }
    const field = ROLES[role];
    if (field === undefined) throw new InvalidArgumentError(`--columns: "${role}" is not a role; the roles are ${ROLE_LIST}`);
    if (seen.has(field)) throw new InvalidArgumentError(`--columns: ${role} is given twice`);
    seen.add(field);
    mapping[field] = /^\d+$/.test(column) ? Number(column) : column;
  }
  if (mapping.date === undefined || mapping.time === undefined) {
    const single = mapping.date ?? mapping.time;
    if (single !== undefined) {
      if (mapping.timestamp !== undefined) throw new InvalidArgumentError('--columns: give timestamp, or date (with or without time), not both');
      delete mapping.date;
      delete mapping.time;
      mapping.timestamp = single;
    }
  } else if (mapping.timestamp !== undefined) {
    throw new InvalidArgumentError('--columns: give timestamp, or date and time, not both');
  }
  return mapping;
}

/** `--delimiter`: one character, or `tab` (also `\t`), `comma`, `semicolon`, `pipe`. */
export function parseDelimiter(text: string): string {
  const delimiter = DELIMITER_NAMES[text.toLowerCase()] ?? text;
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r' || /[0-9.\-+ ]/.test(delimiter)) {
    throw new InvalidArgumentError(`--delimiter must be one character other than a quote, digit, sign, point or space (or tab, comma, semicolon, pipe), got "${text}"`);
  }
  return delimiter;
}

export function parseEpochUnit(text: string): EpochUnit {
  if (!(EPOCH_UNITS as readonly string[]).includes(text)) throw new InvalidArgumentError(`--epoch-unit must be s, ms, us or ns, got "${text}"`);
  return text as EpochUnit;
}

/** Declares the bar file options on a command (`scope` says which files they apply to). */
export function addBarFileOptions(command: Command, scope = 'CSV'): Command {
  return command
    .option('--columns <role=column,...>', `${scope}: map columns explicitly by header name or 0-based index, roles ${ROLE_LIST} (e.g. timestamp=date_utc,open=price_open,high=price_high,low=price_low,close=price_close)`, parseColumnMapping)
    .option('--adj-close', `${scope}: take prices from the Adj Close column (open, high and low scaled by Adj Close / Close)`)
    .option('--delimiter <char>', `${scope}: field delimiter, one character or tab (default: detected from the first line)`, parseDelimiter)
    .option('--header', `${scope}: the first line is a header (default: detected)`)
    .option('--no-header', `${scope}: the first line is data (columns by position unless --columns gives indices)`)
    .option('--epoch-unit <unit>', `${scope}: unit of numeric timestamps, s, ms, us or ns (default: by magnitude)`, parseEpochUnit);
}

/** The `loadBars` options the command's bar file options ask for, with errors that name the flags. */
export function barFileLoadOptions(options: BarFileOptions): LoadBarsOptions {
  return {
    ...(options.columns === undefined ? {} : { columns: options.columns }),
    ...(options.adjClose === true ? { useAdjClose: true } : {}),
    ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
    ...(options.header === undefined ? {} : { header: options.header }),
    ...(options.epochUnit === undefined ? {} : { epochUnit: options.epochUnit }),
    optionNames: { columns: '--columns', useAdjClose: '--adj-close' },
  };
}
