/**
 * Dates and times as text, read in place (text, start, end) into epoch milliseconds, UTC. Every reader returns
 * NaN for text it does not accept in full; nothing is guessed, and no local time zone is ever consulted.
 *
 * Dates: `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD` (month and day may have one digit), `YYYYMMDD`.
 * Times of day: `HH:MM`, `HH:MM:SS`, `HH:MM:SS.fff` (any number of fraction digits; below a millisecond is
 * truncated), or compact `HHMM` / `HHMMSS` (3 or 5 digits: a leading zero dropped, as spreadsheets do).
 * Date-times: a date, then `T`, `t` or one space, then a time, then optionally `Z` or an offset `±HH:MM`,
 * `±HHMM`, `±HH`. Without a zone the time is UTC. A date alone is midnight UTC.
 */
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (valid for any year; months 1-12). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Reads `count` digits at `at` as a number, or -1 when any is not a digit. */
function digitsAt(text: string, at: number, count: number): number {
  let value = 0;
  for (let k = 0; k < count; k++) {
    const c = text.charCodeAt(at + k);
    if (!isDigit(c)) return -1;
    value = value * 10 + (c - 48);
  }
  return value;
}

/** A cursor for the readers below: each reads from `at` and leaves `at` after what it read. */
class TextCursor {
  at = 0;
  constructor(
    readonly text: string,
    readonly end: number,
  ) {}

  /** One or two digits, or -1. */
  smallNumber(): number {
    const first = this.text.charCodeAt(this.at);
    if (this.at >= this.end || !isDigit(first)) return -1;
    this.at++;
    const second = this.text.charCodeAt(this.at);
    if (this.at < this.end && isDigit(second)) {
      this.at++;
      return (first - 48) * 10 + (second - 48);
    }
    return first - 48;
  }

  /** The run of digits from here (up to `end`), as its length. */
  digitRun(): number {
    let k = this.at;
    while (k < this.end && isDigit(this.text.charCodeAt(k))) k++;
    return k - this.at;
  }

  /** Days since the epoch, or NaN. */
  date(): number {
    const { text } = this;
    const run = this.digitRun();
    let year: number;
    let month: number;
    let day: number;
    if (run === 8) {
      year = digitsAt(text, this.at, 4);
      month = digitsAt(text, this.at + 4, 2);
      day = digitsAt(text, this.at + 6, 2);
      this.at += 8;
    } else if (run === 4) {
      year = digitsAt(text, this.at, 4);
      this.at += 4;
      const separator = text.charCodeAt(this.at);
      if (separator !== 45 && separator !== 47 && separator !== 46) return Number.NaN;
      this.at++;
      month = this.smallNumber();
      if (this.at >= this.end || text.charCodeAt(this.at) !== separator) return Number.NaN;
      this.at++;
      day = this.smallNumber();
    } else {
      return Number.NaN;
    }
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
    return daysFromCivil(year, month, day);
  }

  /** Milliseconds into the day, or NaN: `H:MM`, `HH:MM[:SS[.f...]]`, or compact `HMM`, `HHMM`, `HMMSS`, `HHMMSS`. */
  timeOfDay(): number {
    const { text } = this;
    let hour: number;
    let minute: number;
    let second = 0;
    const run = this.digitRun();
    if (run >= 3 && run <= 6) {
      // Compact: HMM, HHMM, HMMSS, HHMMSS.
      const value = digitsAt(text, this.at, run);
      this.at += run;
      const withSeconds = run >= 5;
      hour = withSeconds ? Math.floor(value / 10_000) : Math.floor(value / 100);
      minute = withSeconds ? Math.floor(value / 100) % 100 : value % 100;
      second = withSeconds ? value % 100 : 0;
    } else {
      hour = this.smallNumber();
      if (hour < 0 || text.charCodeAt(this.at) !== 58 || this.at >= this.end) return Number.NaN;
      this.at++;
      if (this.digitRun() !== 2) return Number.NaN;
      minute = digitsAt(text, this.at, 2);
      this.at += 2;
      if (this.at < this.end && text.charCodeAt(this.at) === 58) {
        this.at++;
        if (this.digitRun() !== 2) return Number.NaN;
        second = digitsAt(text, this.at, 2);
        this.at += 2;
      }
    }
    if (hour > 23 || minute > 59 || second > 59) return Number.NaN;
    let millis = 0;
    if (this.at < this.end && text.charCodeAt(this.at) === 46) {
      this.at++;
      const fraction = this.digitRun();
      if (fraction === 0) return Number.NaN;
      const kept = Math.min(fraction, 3);
      millis = digitsAt(text, this.at, kept) * (kept === 1 ? 100 : kept === 2 ? 10 : 1);
      this.at += fraction;
    }
    return ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  }

  /** The zone offset in ms to subtract (0 for none or `Z`), or NaN. */
  zone(): number {
    if (this.at >= this.end) return 0;
    const c = this.text.charCodeAt(this.at);
    if (c === 90 || c === 122) {
      this.at++;
      return 0;
    }
    if (c !== 43 && c !== 45) return Number.NaN;
    this.at++;
    if (this.digitRun() < 2) return Number.NaN;
    const hours = digitsAt(this.text, this.at, 2);
    this.at += 2;
    let minutes = 0;
    if (this.at < this.end) {
      if (this.text.charCodeAt(this.at) === 58) this.at++;
      if (this.digitRun() !== 2) return Number.NaN;
      minutes = digitsAt(this.text, this.at, 2);
      this.at += 2;
    }
    if (hours > 23 || minutes > 59) return Number.NaN;
    const offset = (hours * 60 + minutes) * 60_000;
    return c === 45 ? -offset : offset;
  }
}

/** A date alone, as epoch ms at midnight UTC; NaN unless [start, end) is exactly a date. */
export function parseDateText(text: string, start: number, end: number): number {
  const cursor = new TextCursor(text, end);
  cursor.at = start;
  const days = cursor.date();
  return cursor.at === end ? days * DAY_MS : Number.NaN;
}

/** Years an undated 8-digit number is read in as YYYYMMDD rather than as epoch seconds (which would be 1970). */
const COMPACT_DATE_FIRST_YEAR = 1900;
const COMPACT_DATE_LAST_YEAR = 2199;

/**
 * Whether `text` is a compact `YYYYMMDD` date that a numeric timestamp column means as a date. Such a value also
 * passes for a number, and read as epoch seconds it would land in August 1970. In a column headed `date` any
 * valid date counts; elsewhere (a `timestamp` column, a file without a header) the year must be 1900..2199, so
 * an 8-digit epoch-seconds value outside that band keeps its epoch reading.
 */
export function isCompactDateText(text: string, inDateColumn: boolean): boolean {
  if (text.length !== 8 || Number.isNaN(parseDateText(text, 0, 8))) return false;
  const year = digitsAt(text, 0, 4);
  return inDateColumn || (year >= COMPACT_DATE_FIRST_YEAR && year <= COMPACT_DATE_LAST_YEAR);
}

/** A time of day, as ms since midnight; NaN unless [start, end) is exactly a time. */
export function parseTimeOfDayText(text: string, start: number, end: number): number {
  const cursor = new TextCursor(text, end);
  cursor.at = start;
  const ms = cursor.timeOfDay();
  return cursor.at === end ? ms : Number.NaN;
}

/** A date or a date-time (ISO 8601 and the looser forms above), as epoch ms UTC; NaN when not one. */
export function parseDateTimeText(text: string, start: number, end: number): number {
  const cursor = new TextCursor(text, end);
  cursor.at = start;
  const days = cursor.date();
  if (Number.isNaN(days)) return Number.NaN;
  if (cursor.at === end) return days * DAY_MS;
  const separator = text.charCodeAt(cursor.at);
  if (separator !== 84 && separator !== 116 && separator !== 32) return Number.NaN;
  cursor.at++;
  const time = cursor.timeOfDay();
  if (Number.isNaN(time)) return Number.NaN;
  const offset = cursor.zone();
  if (Number.isNaN(offset) || cursor.at !== end) return Number.NaN;
  return days * DAY_MS + time - offset;
}
