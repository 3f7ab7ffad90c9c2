/**
 * Which CSV column holds what: detected from the header, overridden by an explicit mapping.
 *
 * Header names are matched case-insensitively, ignoring spaces, punctuation and brackets (`Adj Close`,
 * `adj_close` and `<ADJCLOSE>` are one name). Recognized names:
 * - time: `timestamp`, `datetime`, `ts`, `open_time`, `unix`, `epoch` (one column); or `date` and `time`
 *   together (two columns); or `date` alone; or `time` alone;
 * - `open`/`o`, `high`/`h`, `low`/`l`, `close`/`c`, `volume`/`vol`/`v`, `adj close`/`adjusted close`.
 * Other columns (`OpenInterest`, `close_time`, `trades` ...) are ignored. Without a volume column volume is 0.
 */
import { DataFileError } from '../data-file-error.js';

/** A column by header name (matched like detection) or by 0-based index. */
export type CsvColumn = string | number;

/** Explicit columns; any role left out is detected from the header as usual. */
export interface CsvColumnMapping {
  readonly timestamp?: CsvColumn;
  readonly date?: CsvColumn;
  readonly time?: CsvColumn;
  readonly open?: CsvColumn;
  readonly high?: CsvColumn;
  readonly low?: CsvColumn;
  readonly close?: CsvColumn;
  readonly volume?: CsvColumn;
  readonly adjClose?: CsvColumn;
}

/** Column indices (-1 when absent) for one file. Either `timestamp` or `date` is set. */
export interface CsvLayout {
  readonly fieldCount: number;
  /** The header's fields as written, or undefined for a file without a header. */
  readonly header: readonly string[] | undefined;
  readonly timestamp: number;
  readonly date: number;
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly adjClose: number;
  readonly useAdjClose: boolean;
}

type Role = Exclude<keyof CsvLayout, 'fieldCount' | 'header' | 'useAdjClose'>;

/**
 * How an error names the options that fix a layout: a library caller reads `columns` and `useAdjClose`, someone at
 * the command line reads the flags the CLI passes here.
 */
export interface CsvOptionNames {
  readonly columns: string;
  readonly useAdjClose: string;
}

const LIBRARY_OPTION_NAMES: CsvOptionNames = { columns: 'the columns option', useAdjClose: 'useAdjClose' };

const SINGLE_TIME_NAMES = ['timestamp', 'datetime', 'ts', 'opentime', 'unix', 'unixtime', 'epoch'];
const NAMES: Readonly<Record<'open' | 'high' | 'low' | 'close' | 'volume' | 'adjClose', readonly string[]>> = {
  open: ['open', 'o'],
  high: ['high', 'h'],
  low: ['low', 'l'],
  close: ['close', 'c'],
  volume: ['volume', 'vol', 'v'],
  adjClose: ['adjclose', 'adjustedclose'],
};

export function normalizeColumnName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Splits a header or a first row: fields trimmed, surrounding double quotes removed. */
export function splitCsvLine(line: string, delimiter: string): string[] {
  return line.split(delimiter).map((field) => field.trim().replace(/^"(.*)"$/, '$1').trim());
}

/** The delimiter among `,` `;` tab `|` that occurs most in the first line (`,` when none does). */
export function detectDelimiter(firstLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const candidate of [',', ';', '\t', '|']) {
    const count = firstLine.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

function detectRoles(names: readonly string[]): Partial<Record<Role, number>> {
  const find = (candidates: readonly string[]): number | undefined => {
    for (const candidate of candidates) {
      const index = names.indexOf(candidate);
      if (index >= 0) return index;
    }
    return undefined;
  };
  const roles: Partial<Record<Role, number>> = {};
  const single = find(SINGLE_TIME_NAMES);
  const date = find(['date']);
  const time = find(['time']);
  if (single !== undefined) roles.timestamp = single;
  else if (date !== undefined && time !== undefined) {
    roles.date = date;
    roles.time = time;
  } else if (date !== undefined) roles.timestamp = date;
  else if (time !== undefined) roles.timestamp = time;
  for (const role of ['open', 'high', 'low', 'close', 'volume', 'adjClose'] as const) {
    const index = find(NAMES[role]);
    if (index !== undefined) roles[role] = index;
  }
  return roles;
}

/**
 * The layout of a file from its header (or positional, `timestamp,open,high,low,close,volume,...`, for a file
 * without one) and an optional explicit mapping. Fails with a FixRequestError that shows the header when a
 * required column cannot be found.
 */
export function resolveCsvLayout(
  source: string,
  header: readonly string[] | undefined,
  fieldCount: number,
  mapping: CsvColumnMapping | undefined,
  useAdjClose: boolean,
  optionNames: CsvOptionNames = LIBRARY_OPTION_NAMES,
): CsvLayout {
  const names = header?.map(normalizeColumnName);
  const shown = header === undefined ? `a file without a header (${fieldCount} columns)` : `the header "${header.join(',')}"`;
  const detected: Partial<Record<Role, number>> =
    names !== undefined ? detectRoles(names) : fieldCount >= 6 ? { timestamp: 0, open: 1, high: 2, low: 3, close: 4, volume: 5 } : {};

  const resolve = (role: Role, column: CsvColumn): number => {
    if (typeof column === 'number') {
      if (Number.isInteger(column) && column >= 0 && column < fieldCount) return column;
      throw new DataFileError('csv_bad_mapping', `${source}: column index ${column} for ${role} is outside the ${fieldCount} columns of ${shown}`, source, 1);
    }
    const index = names?.indexOf(normalizeColumnName(column)) ?? -1;
    if (index < 0) throw new DataFileError('csv_bad_mapping', `${source}: there is no column "${column}" for ${role} in ${shown}`, source, 1);
    return index;
  };
  const roles: Partial<Record<Role, number>> = { ...detected };
  if (mapping !== undefined) {
    if (mapping.timestamp !== undefined || mapping.date !== undefined) {
      delete roles.timestamp;
      delete roles.date;
      delete roles.time;
    }
    for (const role of ['timestamp', 'date', 'time', 'open', 'high', 'low', 'close', 'volume', 'adjClose'] as const) {
      const column = mapping[role];
      if (column !== undefined) roles[role] = resolve(role, column);
    }
  }
  if (roles.time !== undefined && roles.date === undefined) {
    throw new DataFileError('csv_bad_mapping', `${source}: a time column needs a date column beside it`, source, 1);
  }
  const missing: string[] = [];
  if (roles.timestamp === undefined && roles.date === undefined) missing.push('timestamp (or date and time)');
  for (const role of ['open', 'high', 'low', 'close'] as const) if (roles[role] === undefined) missing.push(role);
  if (useAdjClose && roles.adjClose === undefined) missing.push(`adj close (asked for with ${optionNames.useAdjClose})`);
  if (missing.length > 0) {
    throw new DataFileError(
      'csv_unknown_layout',
      `${source}: cannot find the ${missing.join(', ')} column${missing.length > 1 ? 's' : ''} in ${shown}; ` +
        'expected timestamp,open,high,low,close,volume or Date,Time,Open,High,Low,Close,Volume or Date,Open,High,Low,Close,Adj Close,Volume, ' +
        `or map the columns explicitly with ${optionNames.columns} (timestamp, open, high, low, close by header name or 0-based index)`,
      source,
      1,
    );
  }
  if (!useAdjClose) delete roles.adjClose;
  if (header !== undefined && names !== undefined) assertNamedOnce(source, header, names, roles, mapping, optionNames);
  const used = new Map<number, Role>();
  for (const [role, index] of Object.entries(roles) as [Role, number][]) {
    const other = used.get(index);
    if (other !== undefined) {
      const name = header?.[index] ?? `column ${index + 1}`;
      throw new DataFileError('csv_bad_mapping', `${source}: column "${name}" cannot be both ${other} and ${role}`, source, 1);
    }
    used.set(index, role);
  }
  return {
    fieldCount,
    header,
    timestamp: roles.timestamp ?? -1,
    date: roles.date ?? -1,
    time: roles.time ?? -1,
    open: roles.open ?? -1,
    high: roles.high ?? -1,
    low: roles.low ?? -1,
    close: roles.close ?? -1,
    volume: roles.volume ?? -1,
    adjClose: roles.adjClose ?? -1,
    useAdjClose,
  };
}

/**
 * A column found by its name must be the only one of that name: with two `close` columns the first would be taken
 * silently, and it may not be the one meant. Columns mapped by index are what was asked for.
 */
function assertNamedOnce(
  source: string,
  header: readonly string[],
  names: readonly string[],
  roles: Partial<Record<Role, number>>,
  mapping: CsvColumnMapping | undefined,
  optionNames: CsvOptionNames,
): void {
  for (const [role, index] of Object.entries(roles) as [Role, number][]) {
    if (typeof mapping?.[role] === 'number') continue;
    const name = names[index];
    const positions = names.flatMap((other, at) => (other === name ? [at + 1] : []));
    if (positions.length > 1) {
      throw new DataFileError(
        'csv_duplicate_column',
        `${source}: line 1: the ${role} column "${String(header[index])}" appears ${positions.length} times in the header, as columns ${positions.join(' and ')}; rename all but one, or map ${role} by 0-based index with ${optionNames.columns}`,
        source,
        1,
      );
    }
  }
}

/** The name of column `index` for messages: its header name, or `column N`. */
export function columnName(layout: CsvLayout, index: number): string {
  return layout.header?.[index] ?? `column ${index + 1}`;
}
