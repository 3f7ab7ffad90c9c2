/**
 * Field schemas shared by the desk configuration: exact decimals as strings, durations as `30s`/`5m`/`1h`/`1d`,
 * environment variable names for secrets. Messages never echo the offending value (it could be a secret).
 */
import { z } from 'zod';
import { Fixed } from '../core/fixed.js';

const DECIMAL = /^-?\d+(\.\d+)?$/;

function parseDecimal(text: string): Fixed | undefined {
  if (!DECIMAL.test(text)) return undefined;
  try {
    return Fixed.parse(text);
  } catch {
    return undefined;
  }
}

const ONE = Fixed.fromInt(1);

type DecimalRule = 'any' | 'non-negative' | 'positive' | 'fraction' | 'positive-fraction';

const RULE_TEXT: Record<DecimalRule, string> = {
  any: 'a decimal',
  'non-negative': 'a decimal, zero or more',
  positive: 'a positive decimal',
  fraction: 'a decimal fraction from 0 to 1',
  'positive-fraction': 'a decimal fraction above 0, at most 1',
};

function fits(value: Fixed, rule: DecimalRule): boolean {
  switch (rule) {
    case 'any':
      return true;
    case 'non-negative':
      return !value.isNegative();
    case 'positive':
      return value.isPositive();
    case 'fraction':
      return !value.isNegative() && value.lte(ONE);
    case 'positive-fraction':
      return value.isPositive() && value.lte(ONE);
  }
}

/**
 * A decimal written as a quoted string (YAML numbers are binary floats and lose exactness). `also` is a further
 * rule on the value, returning what is wrong with it.
 */
export function decimal(rule: DecimalRule = 'any', also?: (value: Fixed) => string | undefined) {
  return z
    .string({ error: `must be ${RULE_TEXT[rule]} written as a quoted string, e.g. '0.01'` })
    .superRefine((text, ctx) => {
      const value = parseDecimal(text.trim());
      if (value === undefined || !fits(value, rule)) ctx.addIssue({ code: 'custom', message: `must be ${RULE_TEXT[rule]} (e.g. '0.01')` });
      else {
        const problem = also?.(value);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      }
    })
    .transform((text) => text.trim());
}

export function decimalValue(text: string): Fixed {
  return Fixed.parse(text);
}

const DURATION = /^(\d+)(ms|s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses `250ms`, `30s`, `5m`, `1h`, `1d`, `1w` to milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (match === null) return undefined;
  const amount = Number(match[1]);
  const unit = UNIT_MS[match[2] ?? ''];
  if (unit === undefined || !Number.isSafeInteger(amount)) return undefined;
  return amount * unit;
}

/** A duration string parsed to milliseconds (positive). */
export function duration() {
  const message = "must be a duration like '30s', '5m', '1h' or '1d' (units ms, s, m, h, d, w)";
  return z
    .string({ error: message })
    .superRefine((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined) ctx.addIssue({ code: 'custom', message });
      else if (ms <= 0) ctx.addIssue({ code: 'custom', message: `must be longer than 0, got '${text}'` });
    })
    .transform((text) => parseDuration(text) ?? 0);
}

/** The name of an environment variable holding a secret: the secret itself never goes in the file. */
export const envName = z
  .string({ error: 'must name an environment variable, e.g. ANTHROPIC_API_KEY' })
  .regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'must name an environment variable (A-Z, 0-9, _), not hold the secret itself' });

export const currencyCode = z.string({ error: 'must be a currency code such as USDT' }).regex(/^[A-Z0-9]{2,12}$/, { error: 'must be a currency code such as USDT (capitals and digits)' });

export const identifier = z
  .string({ error: 'must be an identifier' })
  .regex(/^[a-z0-9][a-z0-9._-]*$/i, { error: 'must be an identifier (letters, digits, . _ -), starting with a letter or digit' });

export const instrumentRef = z
  .string({ error: 'must be an instrument id like SYNTH:BTC/USDT' })
  .regex(/^[A-Z0-9_-]+:[A-Z0-9]+\/[A-Z0-9]+(:[A-Z0-9]+)?$/, { error: 'must be an instrument id like SYNTH:BTC/USDT or VENUE:BTC/USDT:USDT' });

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|([+-])(\d{2}):(\d{2})))?$/;

/**
 * Epoch ms of an ISO date or date-time with a zone; undefined when malformed or not on the calendar. Date.parse
 * would roll 2024-02-31 over to March 2: a date a reader never wrote must not become the desk's deadline.
 */
function parseIsoDate(text: string): number | undefined {
  const match = ISO_DATE.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = [1, 2, 3, 4, 5, 6, 10, 11].map((i) => Number(match[i] ?? 0)) as [number, number, number, number, number, number, number, number];
  const ms = match[7] === undefined ? 0 : Number(`0.${match[7]}`) * 1000;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const day0 = new Date(Date.UTC(year, month - 1, day));
  if (day0.getUTCFullYear() !== year || day0.getUTCMonth() !== month - 1 || day0.getUTCDate() !== day) return undefined;
  const offset = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return Date.UTC(year, month - 1, day, hour, minute, second) + Math.floor(ms) - offset;
}

/** An ISO date (`2024-01-01`) or date-time with a zone, parsed to epoch ms. A date is no secret: errors name it. */
export function isoDate() {
  const message = "must be an ISO date like '2024-01-01' or '2024-01-01T00:00:00Z'";
  return z
    .string({ error: message })
    .superRefine((text, ctx) => {
      if (!ISO_DATE.test(text)) ctx.addIssue({ code: 'custom', message });
      else if (parseIsoDate(text) === undefined) ctx.addIssue({ code: 'custom', message: `'${text}' is not a real date or time` });
    })
    .transform((text) => parseIsoDate(text) ?? Number.NaN);
}
