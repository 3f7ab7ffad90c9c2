/**
 * Numbers written by people (a command's option, a parameter, an indicator's period) are read by one strict grammar:
 * a decimal, with an optional sign, fraction and exponent. JavaScript's Number() also takes hex (0x10), binary
 * (0b11), octal (0o7), surrounding blanks and "Infinity", which made a typo a silent other number.
 */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The finite number a decimal text writes, or undefined ("", "abc", "0x10", " 3", "1e999" are not). */
export function parseDecimalNumber(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
