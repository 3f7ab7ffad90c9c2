import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../core/errors.js';
import { BollingerBands } from './bollinger.js';
import { MACD } from './macd.js';
import { SMA } from './moving-averages.js';
import { computeIndicatorColumns, createIndicator, createIndicatorSet, indicatorCatalog, parseIndicatorSpec } from './registry.js';

const bar = (close: number, spread = 1, volume = 10) => ({ open: close, high: close + spread, low: close - spread, close, volume });

function errorOf(fn: () => unknown): FixRequestError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FixRequestError) return error;
    throw error;
  }
  throw new Error('expected a FixRequestError');
}

describe('parseIndicatorSpec', () => {
  it('reads the name and arguments, fills defaults, and labels with the periods and non-default widths', () => {
    expect(parseIndicatorSpec('sma:30')).toEqual({ text: 'sma:30', name: 'sma', args: [30], label: 'sma30' });
    expect(parseIndicatorSpec('bb:20')).toEqual({ text: 'bb:20', name: 'bb', args: [20, 2], label: 'bb20' });
    expect(parseIndicatorSpec('bb:20:2').label).toBe('bb20');
    expect(parseIndicatorSpec('bb:20:2.5').label).toBe('bb20_2.5');
    expect(parseIndicatorSpec('MACD:12:26:9')).toMatchObject({ name: 'macd', args: [12, 26, 9], label: 'macd12_26_9' });
    expect(parseIndicatorSpec('macd')).toMatchObject({ args: [12, 26, 9], label: 'macd12_26_9' });
    expect(parseIndicatorSpec('rsi')).toMatchObject({ args: [14], label: 'rsi14' });
    expect(parseIndicatorSpec('vwap')).toMatchObject({ args: [], label: 'vwap' });
  });

  it('names an unknown indicator and lists the known ones', () => {
    const error = errorOf(() => parseIndicatorSpec('foo:3'));
    expect(error.code).toBe('invalid_indicator_spec');
    expect(error.message).toContain('indicator spec "foo:3": unknown indicator "foo"; known: sma, ema, wma, rma');
  });

  it('names a wrong number of arguments', () => {
    expect(errorOf(() => parseIndicatorSpec('sma')).message).toBe('indicator spec "sma": sma takes 1 argument(s) (period), got 0');
    expect(errorOf(() => parseIndicatorSpec('sma:3:4')).message).toBe('indicator spec "sma:3:4": sma takes 1 argument(s) (period), got 2');
    expect(errorOf(() => parseIndicatorSpec('bb:20:2:1')).message).toContain('bb takes 0 to 2 argument(s) (period, multiplier), got 3');
    expect(errorOf(() => parseIndicatorSpec('tr:3')).message).toContain('tr takes 0 argument(s) (none), got 1');
  });

  it('names a period that is not a positive integer, and a bad multiplier', () => {
    expect(errorOf(() => parseIndicatorSpec('sma:0')).message).toBe('indicator spec "sma:0": period must be a positive integer, got "0"');
    expect(errorOf(() => parseIndicatorSpec('ema:-3')).message).toContain('period must be a positive integer, got "-3"');
    expect(errorOf(() => parseIndicatorSpec('rsi:2.5')).message).toContain('period must be a positive integer, got "2.5"');
    expect(errorOf(() => parseIndicatorSpec('atr:x')).message).toContain('period must be a positive integer, got "x"');
    expect(errorOf(() => parseIndicatorSpec('sma:')).message).toContain('period must be a positive integer, got ""');
    // Hex, binary and blanks are not read as some other number.
    expect(errorOf(() => parseIndicatorSpec('sma:0x10')).message).toContain('period must be a positive integer, got "0x10"');
    expect(errorOf(() => parseIndicatorSpec('sma:0b11')).message).toContain('period must be a positive integer, got "0b11"');
    expect(errorOf(() => parseIndicatorSpec('sma: 3')).message).toContain('period must be a positive integer, got " 3"');
    expect(errorOf(() => parseIndicatorSpec('bb:20:-1')).message).toContain('multiplier must be a positive number, got "-1"');
  });

  it('passes on the indicator’s own objection, naming the spec', () => {
    expect(errorOf(() => createIndicator('macd:26:12:9')).message).toBe(
      'indicator spec "macd:26:12:9": MACD fast period (26) must be below the slow period (12)',
    );
  });
});

describe('createIndicator', () => {
  it('names the columns of multi-output indicators', () => {
    expect(createIndicator('bb:20').columns).toEqual(['bb20_upper', 'bb20_middle', 'bb20_lower']);
    expect(createIndicator('macd:12:26:9').columns).toEqual(['macd12_26_9', 'macd12_26_9_signal', 'macd12_26_9_histogram']);
    expect(createIndicator('stoch:14:3:3').columns).toEqual(['stoch14_3_3_k', 'stoch14_3_3_d']);
    expect(createIndicator('adx:14').columns).toEqual(['adx14', 'adx14_plus_di', 'adx14_minus_di', 'adx14_dx']);
    expect(createIndicator('donchian:20').columns).toEqual(['donchian20_upper', 'donchian20_middle', 'donchian20_lower']);
  });

  it('builds every indicator in the catalog', () => {
    const examples: Record<string, string> = { bb: 'bb:3', macd: 'macd:2:3:2', stoch: 'stoch:3:2:2', tr: 'tr', vwap: 'vwap' };
    for (const { name } of indicatorCatalog) {
      const indicator = createIndicator(examples[name] ?? `${name}:3`);
      const row: (number | undefined)[] = [];
      for (let i = 0; i < 10; i++) indicator.update(bar(100 + (i % 4)), row, 0);
      expect(row.length, name).toBe(indicator.columns.length);
      for (const value of row) expect(Number.isFinite(value), `${name}: ${String(value)}`).toBe(true);
    }
  });

  it('writes the same values as the classes, undefined before warm-up', () => {
    const closes = [10, 11, 13, 12, 15, 14, 16];
    const set = createIndicatorSet(['sma:3', 'bb:3:2']);
    expect(set.columns).toEqual(['sma3', 'bb3_upper', 'bb3_middle', 'bb3_lower']);
    expect(createIndicator('bb:20:2').columns).toEqual(['bb20_upper', 'bb20_middle', 'bb20_lower']);
    expect(set.warmup).toBe(3);
    const sma = new SMA(3);
    const bands = new BollingerBands(3, 2);
    for (const close of closes) {
      const row = [...set.update(bar(close))];
      const expectedSma = sma.update(close);
      const b = bands.update(close);
      expect(row).toEqual([expectedSma, b?.upper, b?.middle, b?.lower]);
    }
  });
});

describe('a bar that is not all numbers', () => {
  it('is refused by a set before any of its indicators moves, naming the field', () => {
    const set = createIndicatorSet(['sma:2', 'vwap']);
    set.update(bar(1, 0, 1));
    const refused = errorOf(() => set.update({ ...bar(3, 0, 1), volume: '5' as unknown as number }));
    expect(refused.code).toBe('invalid_indicator_input');
    expect(refused.message).toBe('IndicatorSet.update takes a bar whose open, high, low, close and volume are numbers; got a string ("5") for volume');
    // The refused bar reached neither indicator: SMA(2) of 1 and 3, VWAP of the two bars.
    expect([...set.update(bar(3, 0, 5))]).toEqual([2, (1 * 1 + 3 * 5) / 6]);
  });

  it('is refused whole by one indicator too, even in a field it does not read', () => {
    const sma = createIndicator('sma:2');
    const out: (number | undefined)[] = [undefined];
    sma.update(bar(1), out, 0);
    expect(errorOf(() => sma.update({ ...bar(3), high: null as unknown as number }, out, 0)).message).toBe(
      'indicator "sma:2" update takes a bar whose open, high, low, close and volume are numbers; got null for high',
    );
    expect(errorOf(() => sma.update(undefined as unknown as ReturnType<typeof bar>, out, 0)).message).toBe(
      'indicator "sma:2" update takes a bar whose open, high, low, close and volume are numbers; got nothing',
    );
    sma.update(bar(3), out, 0);
    expect(out).toEqual([2]);
  });
});

describe('createIndicatorSet and computeIndicatorColumns', () => {
  it('refuses the same column twice', () => {
    expect(errorOf(() => createIndicatorSet(['sma:30', 'SMA:30'])).message).toBe('indicator column "sma30" is asked for twice');
    expect(errorOf(() => createIndicatorSet(['rsi', 'rsi:14'])).message).toBe('indicator column "rsi14" is asked for twice');
  });

  it('computes whole columns with NaN before warm-up', () => {
    const closes = [1, 2, 3, 4, 5, 6, 7, 8];
    const bars = {
      length: closes.length,
      open: closes,
      high: closes.map((c) => c + 1),
      low: closes.map((c) => c - 1),
      close: closes,
      volume: closes.map(() => 1),
    };
    const { columns, values } = computeIndicatorColumns(['sma:2', 'macd:2:3:2', 'tr'], bars);
    expect(columns).toEqual(['sma2', 'macd2_3_2', 'macd2_3_2_signal', 'macd2_3_2_histogram', 'tr']);
    expect(Array.from(values[0] as Float64Array)).toEqual([Number.NaN, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5]);
    const macd = new MACD(2, 3, 2);
    const expectedLine = closes.map((c) => macd.update(c)?.line ?? Number.NaN);
    expect(Array.from(values[1] as Float64Array)).toEqual(expectedLine);
    expect(Number.isNaN(values[1]?.[3])).toBe(false);
    expect(Number.isNaN(values[1]?.[2])).toBe(true);
    expect(Array.from(values[4] as Float64Array)).toEqual([2, 2, 2, 2, 2, 2, 2, 2]);
  });
});
