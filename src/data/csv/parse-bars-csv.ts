/**
 * CSV candles to a columnar BarSeries, by a hand-written scanner over the string (no split, no slice per field),
 * keeping the line number of every bar for the data check.
 *
 * A row that does not fit the header (too few or too many fields, a value that is not a number, a timestamp that
 * is not one) fails the whole parse with a DataFileError naming the source, line and column. Impossible candles,
 * duplicates and rows out of order are NOT parse errors: they are data, reported by `checkBars`.
 *
 * Fields may be padded with spaces or wrapped in double quotes (a delimiter inside quotes is not supported).
 * Lines end with LF, CRLF or a lone CR (old Mac files). Blank lines are skipped and still counted. A missing price (an empty field or `NaN`) reads as NaN, which the
 * check reports; a missing volume reads as 0 (mark-price, index and funding candles carry none), as in every
 * other format. `Infinity`/`inf` (any case, signed) reads as such, for the check to report.
 *
 * Timestamps: one column of epoch numbers (unit by magnitude, see `epochUnitOf`, or `epochUnit`; fractional ms
 * rounded; an 8-digit `YYYYMMDD` value is a date unless `epochUnit` is given, see `isCompactDateText`) or of date-time text (see timestamp-text.ts: ISO 8601 with or without zone, UTC when none); or a date
 * column and a time column. The form is decided from the first data row and every row must follow it.
 */
import type { InstrumentId } from '../../core/ids.js';
import { DataFileError } from '../data-file-error.js';
import type { SourcedBars } from '../sourced-bars.js';
import { SourcedBarsBuilder } from '../sourced-bars-builder.js';
import { columnName, detectDelimiter, normalizeColumnName, resolveCsvLayout, splitCsvLine, type CsvColumnMapping, type CsvLayout, type CsvOptionNames } from './layout.js';
import { isNumberText, NumberScanner } from './number-scanner.js';
import { isCompactDateText, parseDateText, parseDateTimeText, parseTimeOfDayText } from './timestamp-text.js';

export type EpochUnit = 's' | 'ms' | 'us' | 'ns';

export interface CsvParseOptions {
  readonly instrumentId: InstrumentId;
  /** The name errors and the check use (a file name); default `csv`. */
  readonly source?: string;
  /** Bar length in ms; default: inferred from the timestamps. */
  readonly timeframeMs?: number;
  /** Columns by name or index; roles left out are detected from the header. */
  readonly columns?: CsvColumnMapping;
  /** Take prices from Adj Close: close = Adj Close, open/high/low scaled by Adj Close / Close. Default false. */
  readonly useAdjClose?: boolean;
  /** Whether the first line is a header; default: it is unless its first field is a number or a date. */
  readonly header?: boolean;
  /** Field delimiter; default: whichever of `,` `;` tab `|` is most frequent in the first line. */
  readonly delimiter?: string;
  /**
   * Unit of numeric timestamps; default from the first row's magnitude (see `epochUnitOf`), an 8-digit YYYYMMDD
   * value being a date. Given, every numeric timestamp is an epoch number in this unit.
   */
  readonly epochUnit?: EpochUnit;
  /** How errors name the options above (default: as here; the CLI passes its flags). */
  readonly optionNames?: CsvOptionNames;
}

export interface CsvParseResult extends SourcedBars {
  readonly layout: CsvLayout;
  /** How the timestamps were read: an epoch unit, `text` (ISO 8601 and friends) or `date-time` (two columns). */
  readonly timestampForm: EpochUnit | 'text' | 'date-time';
}

/**
 * The unit of a numeric epoch timestamp by magnitude: below 1e11 seconds (so ms before 1973-03-03 are not
 * recognized), below 1e14 milliseconds, below 1e17 microseconds (Binance's spot dumps since 2025), else ns.
 */
export function epochUnitOf(value: number): EpochUnit {
  const magnitude = Math.abs(value);
  if (magnitude < 1e11) return 's';
  if (magnitude < 1e14) return 'ms';
  if (magnitude < 1e17) return 'us';
  return 'ns';
}

const MS_PER_UNIT: Readonly<Record<EpochUnit, number>> = { s: 1000, ms: 1, us: 1e-3, ns: 1e-6 };

const ROLE_SKIP = 0;
const ROLE_TIMESTAMP = 1;
const ROLE_DATE = 2;
const ROLE_TIME = 3;
const ROLE_OPEN = 4;
const ROLE_HIGH = 5;
const ROLE_LOW = 6;
const ROLE_CLOSE = 7;
const ROLE_VOLUME = 8;
const ROLE_ADJ_CLOSE = 9;

const LF = 10;
const CR = 13;

/** Whether the text's first line ends with a CR not followed by an LF (it has no LF, or a CR before its first one). */
function usesLoneCr(text: string): boolean {
  const firstLf = text.indexOf('\n');
  if (firstLf < 0) return text.indexOf('\r') >= 0;
  return firstLf >= 2 && text.lastIndexOf('\r', firstLf - 2) >= 0;
}

/** Parses CSV candles (a string, or UTF-8 bytes) into a series with the line of every bar. */
export function parseBarsCsv(input: string | Uint8Array, options: CsvParseOptions): CsvParseResult {
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
  return new CsvBarParser(text, options).parse();
}

class CsvBarParser {
  private readonly source: string;
  private readonly scanner = new NumberScanner();
  private readonly text: string;
  private readonly length: number;
  private delimiter = 44;
  private layout!: CsvLayout;
  private headerLine = '';
  private pos = 0;
  private line = 1;
  private timeField = 0;
  private dateField = 0;
  private timestampField = 0;

  constructor(
    text: string,
    private readonly options: CsvParseOptions,
  ) {
    this.source = options.source ?? 'csv';
    // Old Mac files end their lines with a lone CR: made LF here, they read as any other file, line for line,
    // and the scanner keeps looking for LF alone. Only the first line is looked at to tell such a file.
    this.text = usesLoneCr(text) ? text.replace(/\r(?!\n)/g, '\n') : text;
    this.length = this.text.length;
    if (this.text.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  parse(): CsvParseResult {
    const { text, options } = this;
    this.skipBlankLines();
    const firstStart = this.pos;
    const firstEnd = this.lineEnd(firstStart);
    const firstLine = text.slice(firstStart, firstEnd);
    const firstLineNumber = this.line;
    if (firstLine.trim() === '') {
      throw new DataFileError('csv_empty', `${this.source}: the file is empty`, this.source, undefined);
    }
    const delimiterText = options.delimiter ?? detectDelimiter(firstLine);
    if (delimiterText.length !== 1) {
      throw new DataFileError('csv_bad_delimiter', `${this.source}: the delimiter must be one character, got "${delimiterText}"`, this.source, undefined);
    }
    this.delimiter = delimiterText.charCodeAt(0);
    const firstFields = splitCsvLine(firstLine, delimiterText);
    const firstField = firstFields[0] ?? '';
    const hasHeader =
      options.header ?? !(isNumberText(firstField) || !Number.isNaN(parseDateTimeText(firstField, 0, firstField.length)));
    this.layout = resolveCsvLayout(this.source, hasHeader ? firstFields : undefined, firstFields.length, options.columns, options.useAdjClose ?? false, options.optionNames);
    this.headerLine = hasHeader ? firstLine.trim() : '';
    if (hasHeader) this.nextLine(firstEnd);
    else this.line = firstLineNumber;

    this.skipBlankLines();
    const timestampForm = this.detectTimestampForm();
    return this.readRows(timestampForm);
  }

  /** Decides how timestamps are written from the first data row. */
  private detectTimestampForm(): CsvParseResult['timestampForm'] {
    const { layout } = this;
    if (layout.date >= 0) return 'date-time';
    if (this.pos >= this.length) return this.options.epochUnit ?? 'ms';
    const fields = splitCsvLine(this.text.slice(this.pos, this.lineEnd(this.pos)), String.fromCharCode(this.delimiter));
    const field = fields[layout.timestamp] ?? '';
    if (!isNumberText(field)) return 'text';
    if (this.options.epochUnit !== undefined) return this.options.epochUnit;
    // 20240102 is a number too: as epoch seconds it would be 1970, so a compact date is read as the date it is.
    const inDateColumn = normalizeColumnName(layout.header?.[layout.timestamp] ?? '') === 'date';
    return isCompactDateText(field, inDateColumn) ? 'text' : epochUnitOf(Number(field));
  }

  private readRows(timestampForm: CsvParseResult['timestampForm']): CsvParseResult {
    const { text, layout, length, scanner } = this;
    const roles = new Uint8Array(layout.fieldCount);
    const assign = (index: number, role: number): void => {
      if (index >= 0) roles[index] = role;
    };
    assign(layout.timestamp, ROLE_TIMESTAMP);
    assign(layout.date, ROLE_DATE);
    assign(layout.time, ROLE_TIME);
    assign(layout.open, ROLE_OPEN);
    assign(layout.high, ROLE_HIGH);
    assign(layout.low, ROLE_LOW);
    assign(layout.close, ROLE_CLOSE);
    assign(layout.volume, ROLE_VOLUME);
    assign(layout.adjClose, ROLE_ADJ_CLOSE);
    const epoch = timestampForm !== 'text' && timestampForm !== 'date-time';
    const msPerUnit = epoch ? MS_PER_UNIT[timestampForm] : 1;
    const useAdjClose = layout.useAdjClose;
    const lastField = layout.fieldCount - 1;
    const delimiter = this.delimiter;

    const firstRowLength = Math.max(8, this.lineEnd(this.pos) - this.pos + 1);
    const bars = new SourcedBarsBuilder(((length - this.pos) / firstRowLength) * 1.05 + 16);

    while (this.pos < length) {
      const first = text.charCodeAt(this.pos);
      if ((first === LF || first === CR || first === 32 || first === 9) && this.isBlankLine()) {
        this.nextLine(this.lineEnd(this.pos));
        continue;
      }
      let t = Number.NaN;
      let dayMs = 0;
      let timeMs = 0;
      let o = Number.NaN;
      let h = Number.NaN;
      let l = Number.NaN;
      let c = Number.NaN;
      let v = 0;
      let adj = Number.NaN;
      for (let field = 0; field <= lastField; field++) {
        const role = roles[field] as number;
        const isLast = field === lastField;
        if (role >= ROLE_OPEN || (role === ROLE_TIMESTAMP && epoch)) {
          let value = scanner.scan(text, this.pos);
          const end = scanner.end;
          const next = end < 0 ? -1 : text.charCodeAt(end);
          if (end >= 0 && (next === delimiter || (isLast && (next === LF || next === CR || end === length)))) {
            this.pos = end;
          } else {
            value = this.slowNumberField(field, role === ROLE_VOLUME ? 0 : Number.NaN, role === ROLE_TIMESTAMP);
          }
          switch (role) {
            case ROLE_TIMESTAMP:
              t = msPerUnit === 1 && Number.isInteger(value) ? value : Math.round(value * msPerUnit);
              if (!Number.isFinite(t)) this.fail('csv_bad_timestamp', field, `"${this.fieldTextAt(field)}" is not a timestamp`);
              break;
            case ROLE_OPEN:
              o = value;
              break;
            case ROLE_HIGH:
              h = value;
              break;
            case ROLE_LOW:
              l = value;
              break;
            case ROLE_CLOSE:
              c = value;
              break;
            case ROLE_VOLUME:
              v = value;
              break;
            default:
              adj = value;
          }
        } else if (role === ROLE_SKIP) {
          this.pos = this.fieldEnd(this.pos);
        } else {
          const start = this.pos;
          const end = this.fieldEnd(start);
          this.pos = end;
          const [from, to] = this.trimField(start, end);
          if (role === ROLE_TIMESTAMP) {
            t = parseDateTimeText(text, from, to);
            if (Number.isNaN(t)) this.fail('csv_bad_timestamp', field, `"${text.slice(from, to)}" is not a date-time (expected ISO 8601, e.g. 2024-01-02T13:45:00Z)`);
          } else if (role === ROLE_DATE) {
            dayMs = parseDateText(text, from, to);
            if (Number.isNaN(dayMs)) this.fail('csv_bad_timestamp', field, `"${text.slice(from, to)}" is not a date (expected e.g. 2024-01-02 or 20240102)`);
          } else {
            timeMs = parseTimeOfDayText(text, from, to);
            if (Number.isNaN(timeMs)) this.fail('csv_bad_timestamp', field, `"${text.slice(from, to)}" is not a time of day (expected e.g. 13:45, 13:45:00 or 134500)`);
          }
        }
        const next = text.charCodeAt(this.pos);
        if (!isLast) {
          if (next !== delimiter) this.failFieldCount();
          this.pos++;
        } else if (next === delimiter) {
          this.failFieldCount();
        }
      }
      if (timestampForm === 'date-time') t = dayMs + timeMs;
      if (useAdjClose) {
        const ratio = adj / c;
        o *= ratio;
        h = Math.max(h * ratio, o, adj);
        l = Math.min(l * ratio, o, adj);
        c = adj;
      }
      bars.push(t, o, h, l, c, v, this.line);
      this.nextLine(this.pos);
    }

    return {
      ...bars.build(this.options.instrumentId, this.source, 'line', this.options.timeframeMs),
      layout,
      timestampForm,
    };
  }

  /** A numeric field the fast path did not take: padded, quoted, empty, `NaN`, or not a number (an error). */
  private slowNumberField(field: number, emptyValue: number, isTimestamp: boolean): number {
    const start = this.pos;
    const end = this.fieldEnd(start);
    this.pos = end;
    const [from, to] = this.trimField(start, end);
    if (from === to) return emptyValue;
    const value = this.scanner.scan(this.text, from);
    if (this.scanner.end === to) return value;
    if (isTimestamp) {
      this.fail('csv_bad_timestamp', field, `"${this.text.slice(from, to)}" is not an epoch timestamp like the first row's`);
    }
    const word = this.text.slice(from, to).toLowerCase();
    if (word === 'nan') return emptyValue;
    if (/^[+-]?inf(inity)?$/.test(word)) return word.startsWith('-') ? -Infinity : Infinity;
    return this.fail('csv_bad_number', field, `"${this.text.slice(from, to)}" is not a number`);
  }

  /** The bounds of a field without surrounding spaces, quotes and a trailing CR. */
  private trimField(start: number, end: number): [number, number] {
    const { text } = this;
    let from = start;
    let to = end;
    while (from < to && (text.charCodeAt(from) === 32 || text.charCodeAt(from) === 9)) from++;
    while (to > from && (text.charCodeAt(to - 1) === 32 || text.charCodeAt(to - 1) === 9 || text.charCodeAt(to - 1) === CR)) to--;
    if (to - from >= 2 && text.charCodeAt(from) === 34 && text.charCodeAt(to - 1) === 34) {
      from++;
      to--;
      while (from < to && text.charCodeAt(from) === 32) from++;
      while (to > from && text.charCodeAt(to - 1) === 32) to--;
    }
    return [from, to];
  }

  /** Where the field starting at `start` ends: the next delimiter, or the end of the line (before a CR). */
  private fieldEnd(start: number): number {
    const { text, delimiter, length } = this;
    let i = start;
    for (; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c === delimiter || c === LF) break;
    }
    if (i > start && text.charCodeAt(i - 1) === CR && (i === length || text.charCodeAt(i) === LF)) i--;
    return i;
  }

  /** The end of the line starting at `start` (the LF, or the end of the text), CR excluded. */
  private lineEnd(start: number): number {
    let end = this.text.indexOf('\n', start);
    if (end < 0) end = this.length;
    return end > start && this.text.charCodeAt(end - 1) === CR ? end - 1 : end;
  }

  /** Moves past the line ending at `end` (which is at a CR, an LF or the end of the text). */
  private nextLine(end: number): void {
    let i = end;
    if (this.text.charCodeAt(i) === CR) i++;
    if (this.text.charCodeAt(i) === LF) i++;
    else if (i < this.length) this.failFieldCount();
    this.pos = i;
    this.line++;
  }

  private isBlankLine(): boolean {
    const end = this.lineEnd(this.pos);
    for (let i = this.pos; i < end; i++) {
      const c = this.text.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== CR) return false;
    }
    return true;
  }

  private skipBlankLines(): void {
    while (this.pos < this.length && this.isBlankLine()) this.nextLine(this.lineEnd(this.pos));
  }

  private fieldTextAt(field: number): string {
    const fields = splitCsvLine(this.currentLineText(), String.fromCharCode(this.delimiter));
    return fields[field] ?? '';
  }

  private currentLineText(): string {
    let start = this.pos;
    while (start > 0 && this.text.charCodeAt(start - 1) !== LF) start--;
    return this.text.slice(start, this.lineEnd(start));
  }

  private fail(code: string, field: number, what: string): never {
    const fitting = this.headerLine === '' ? 'the columns of the first row' : `the header "${this.headerLine}"`;
    throw new DataFileError(
      code,
      `${this.source}: line ${this.line}, column ${field + 1} (${columnName(this.layout, field)}): ${what}; ${fitting} does not fit this row`,
      this.source,
      this.line,
      field + 1,
    );
  }

  private failFieldCount(): never {
    const count = splitCsvLine(this.currentLineText(), String.fromCharCode(this.delimiter)).length;
    const expected = this.headerLine === '' ? `the first row has ${this.layout.fieldCount}` : `the header "${this.headerLine}" has ${this.layout.fieldCount}`;
    throw new DataFileError(
      'csv_column_count',
      `${this.source}: line ${this.line} has ${count} field${count === 1 ? '' : 's'} but ${expected}`,
      this.source,
      this.line,
    );
  }
}
