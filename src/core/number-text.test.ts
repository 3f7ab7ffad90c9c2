import { describe, expect, it } from 'vitest';
import { parseDecimalNumber } from './number-text.js';

describe('numbers written by people', () => {
  it('reads decimals with a sign, a fraction and an exponent', () => {
    expect(['3', '+4', '-2.5', '.5', '5.', '1e3', '2.5E-2'].map(parseDecimalNumber)).toEqual([3, 4, -2.5, 0.5, 5, 1000, 0.025]);
  });

  it('refuses hex, binary, octal, blanks, words and numbers beyond a double', () => {
    expect(['0x10', '0b11', '0o7', ' 3', '3 ', '', 'Infinity', 'NaN', '1e999', '1,5', '--1'].map(parseDecimalNumber)).toEqual(Array.from({ length: 11 }, () => undefined));
  });
});
