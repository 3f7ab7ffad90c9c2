/**
 * Reads a decimal number in place from a string, without slicing it: the inner loop of CSV parsing.
 *
 * Accepted: `[+-]? digits [. digits]? ([eE] [+-]? digits)?`, with digits on at least one side of the point
 * (`1`, `-0.5`, `.5`, `1.`, `1e-7`, `2.5E+3`). The value is always exactly `Number(text)`: the digits are gathered
 * into an integer mantissa, and when it is below 2^53 and the decimal exponent within ±22 both the mantissa and
 * the power of ten are exact doubles, so one IEEE multiplication or division rounds correctly (Clinger's fast
 * path). Anything else (17+ significant digits, tiny or huge exponents) falls back to `Number()` on the slice.
 */
const TWO_POW_53 = 9_007_199_254_740_992;
const POWERS_OF_TEN = new Float64Array(23);
for (let k = 0; k < POWERS_OF_TEN.length; k++) POWERS_OF_TEN[k] = 10 ** k;

export class NumberScanner {
  /** Where the last scan stopped (the first character not part of the number), or -1 when there was no number. */
  end = -1;

  /** Scans a number starting at `at`; returns it and sets `end`. Returns NaN with `end` -1 when none starts there. */
  scan(text: string, at: number): number {
    let i = at;
    let c = text.charCodeAt(i);
    let negative = false;
    if (c === 45) {
      negative = true;
      c = text.charCodeAt(++i);
    } else if (c === 43) {
      c = text.charCodeAt(++i);
    }
    let mantissa = 0;
    let digits = 0;
    let exponent = 0;
    while (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      c = text.charCodeAt(++i);
    }
    if (c === 46) {
      c = text.charCodeAt(++i);
      while (c >= 48 && c <= 57) {
        mantissa = mantissa * 10 + (c - 48);
        digits++;
        exponent--;
        c = text.charCodeAt(++i);
      }
    }
    if (digits === 0) {
      this.end = -1;
      return Number.NaN;
    }
    if (c === 101 || c === 69) {
      let j = i + 1;
      let e = text.charCodeAt(j);
      let exponentNegative = false;
      if (e === 45) {
        exponentNegative = true;
        e = text.charCodeAt(++j);
      } else if (e === 43) {
        e = text.charCodeAt(++j);
      }
      if (!(e >= 48 && e <= 57)) {
        this.end = -1;
        return Number.NaN;
      }
      let value = 0;
      while (e >= 48 && e <= 57) {
        if (value < 100_000) value = value * 10 + (e - 48);
        e = text.charCodeAt(++j);
      }
      exponent += exponentNegative ? -value : value;
      i = j;
    }
    this.end = i;
    if (mantissa < TWO_POW_53) {
      if (exponent === 0) return negative ? -mantissa : mantissa;
      if (exponent < 0 && exponent >= -22) {
        const value = mantissa / (POWERS_OF_TEN[-exponent] as number);
        return negative ? -value : value;
      }
      if (exponent > 0 && exponent <= 22) {
        const value = mantissa * (POWERS_OF_TEN[exponent] as number);
        return negative ? -value : value;
      }
    }
    if (exponent < 0 && exponent >= -22) {
      const value = quotientOfLongDigits(text, at, i, -exponent);
      if (!Number.isNaN(value)) return negative ? -value : value;
    }
    return Number(text.slice(at, i));
  }
}

/*
 * Exact division for 16 to 19 significant digits (a mantissa past 2^53 that Clinger's path cannot take).
 * The digits D are split exactly into two doubles Dh + Dl, q = fl(Dh / 10^k) is within about one ulp of D / 10^k,
 * and the residual r = D - q * 10^k is computed with error-free products (Veltkamp/Dekker) so that q, or a
 * neighbour, is accepted only when D / 10^k lies strictly inside its rounding interval by a margin far larger than
 * the residual's own rounding error. Anything closer to a midpoint returns NaN and the caller uses Number().
 */
const SPLITTER = 134_217_729; // 2^27 + 1
const POWER_HIGH = new Float64Array(23);
const POWER_LOW = new Float64Array(23);
for (let k = 0; k < 23; k++) {
  const power = POWERS_OF_TEN[k] as number;
  const c = SPLITTER * power;
  POWER_HIGH[k] = c - (c - power);
  POWER_LOW[k] = power - (POWER_HIGH[k] as number);
}
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const LOW_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HIGH_WORD = 1 - LOW_WORD;

/** The next double above a positive finite x. */
function nextUp(x: number): number {
  bits[0] = x;
  if (words[LOW_WORD] === 0xffffffff) {
    words[LOW_WORD] = 0;
    words[HIGH_WORD] = (words[HIGH_WORD] as number) + 1;
  } else {
    words[LOW_WORD] = (words[LOW_WORD] as number) + 1;
  }
  return bits[0] as number;
}

/** The next double below a positive finite x. */
function nextDown(x: number): number {
  bits[0] = x;
  if (words[LOW_WORD] === 0) {
    words[LOW_WORD] = 0xffffffff;
    words[HIGH_WORD] = (words[HIGH_WORD] as number) - 1;
  } else {
    words[LOW_WORD] = (words[LOW_WORD] as number) - 1;
  }
  return bits[0] as number;
}

let productError = 0;
/** a * 10^k rounded; the exact rounding error is left in `productError`. */
function twoProductPower(a: number, k: number): number {
  const product = a * (POWERS_OF_TEN[k] as number);
  const c = SPLITTER * a;
  const high = c - (c - a);
  const low = a - high;
  const powerHigh = POWER_HIGH[k] as number;
  const powerLow = POWER_LOW[k] as number;
  productError = high * powerHigh - product + high * powerLow + low * powerHigh + low * powerLow;
  return product;
}

function quotientOfLongDigits(text: string, start: number, end: number, k: number): number {
  let head = 0;
  let tail = 0;
  let significant = 0;
  let tailDigits = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 101 || c === 69) break;
    if (c < 48 || c > 57) continue;
    if (significant === 0 && c === 48) continue;
    significant++;
    if (significant <= 15) head = head * 10 + (c - 48);
    else {
      tail = tail * 10 + (c - 48);
      tailDigits++;
    }
  }
  if (significant > 19 || tailDigits === 0) return Number.NaN;
  const scaled = twoProductPower(head, tailDigits);
  const rest = productError + tail;
  const digitsHigh = scaled + rest;
  const digitsLow = rest - (digitsHigh - scaled);
  let q = digitsHigh / (POWERS_OF_TEN[k] as number);
  for (let step = 0; step < 3; step++) {
    const qp = twoProductPower(q, k);
    const smallPart = digitsLow - productError;
    const residual = digitsHigh - qp + smallPart;
    const margin = (Math.abs(smallPart) + Math.abs(residual)) * 4.440892098500626e-16 + 1e-300;
    const above = nextUp(q);
    const below = nextDown(q);
    const upperHalf = ((above - q) / 2) * (POWERS_OF_TEN[k] as number);
    const lowerHalf = ((q - below) / 2) * (POWERS_OF_TEN[k] as number);
    if (residual < upperHalf - margin && residual > -lowerHalf + margin) return q;
    if (residual > upperHalf + margin) q = above;
    else if (residual < -lowerHalf - margin) q = below;
    else return Number.NaN;
  }
  return Number.NaN;
}

/** Whether `text` as a whole is a number in the accepted grammar (surrounding spaces allowed). */
export function isNumberText(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed === '') return false;
  const scanner = new NumberScanner();
  scanner.scan(trimmed, 0);
  return scanner.end === trimmed.length;
}
