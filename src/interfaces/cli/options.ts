import { InvalidArgumentError } from 'commander';
import { FixRequestError } from '../../core/errors.js';
import { parseDecimalNumber } from '../../core/number-text.js';
import { Fixed } from '../../core/fixed.js';
import { parseTimeframe } from '../../data/timeframe.js';

/** Commander parsers that refuse bad values with a message naming the option. */
export function positiveNumber(name: string): (value: string) => number {
  return (value) => {
    const n = parseDecimalNumber(value) ?? Number.NaN;
    if (!(n > 0)) throw new InvalidArgumentError(`${name} must be a positive number, got "${value}"`);
    return n;
  };
}

export function nonNegativeNumber(name: string): (value: string) => number {
  return (value) => {
    const n = parseDecimalNumber(value) ?? Number.NaN;
    if (!(n >= 0)) throw new InvalidArgumentError(`${name} must be a number >= 0, got "${value}"`);
    return n;
  };
}

/**
 * A decimal >= 0 kept as the text given, for a value that reaches the books (slippage in basis points): both commands
 * parse the same text into the same exact decimal, and a float's rounding never stands between.
 */
export function nonNegativeDecimal(name: string): (value: string) => string {
  return (value) => {
    const text = value.trim();
    let parsed: Fixed | undefined;
    try {
      parsed = Fixed.parse(text);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || parsed.isNegative()) throw new InvalidArgumentError(`${name} must be a number >= 0, got "${value}"`);
    return text;
  };
}

/** A leverage: at least 1 (1 is none). Below 1 a position would need more margin than its notional. */
export function leverageNumber(name: string): (value: string) => number {
  return (value) => {
    const n = parseDecimalNumber(value) ?? Number.NaN;
    if (!(n >= 1)) throw new InvalidArgumentError(`${name} must be a number >= 1 (1 = no leverage), got "${value}"`);
    return n;
  };
}

export function positiveInteger(name: string): (value: string) => number {
  return (value) => {
    const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer, got "${value}"`);
    return n;
  };
}

/** A timeframe option's value in ms (`--to 1h`); a value that is not one is refused naming the option. */
export function timeframeOption(flag: string, text: string): number {
  try {
    return parseTimeframe(text);
  } catch (error) {
    if (error instanceof FixRequestError) throw new FixRequestError(error.code, `${flag} ${error.message}`, { cause: error });
    throw error;
  }
}

/** Repeatable `--param name=value`, collected into an object. */
export function collectParam(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) throw new InvalidArgumentError(`--param must look like name=value, got "${value}"`);
  const name = value.slice(0, eq).trim();
  if (name in previous) throw new InvalidArgumentError(`--param ${name} is given twice`);
  return { ...previous, [name]: value.slice(eq + 1).trim() };
}

/** Repeatable option collected into a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A decimal string for the books (refuses floats' exponent forms and junk). */
export function decimalText(name: string): (value: string) => string {
  return (value) => {
    if (!/^\d+(\.\d+)?$/.test(value.trim())) throw new InvalidArgumentError(`${name} must be a plain decimal like 100000 or 0.001, got "${value}"`);
    return value.trim();
  };
}
