import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../core/errors.js';
import { instrumentId } from '../core/ids.js';
import { createStrategy, strategyFactories } from './registry.js';

const BTC = instrumentId('TEST:BTC/USDT');
const ETH = instrumentId('TEST:ETH/USDT');

function errorOf(fn: () => unknown): FixRequestError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FixRequestError) return error;
    throw error;
  }
  throw new Error('expected a FixRequestError');
}

describe('strategyFactories', () => {
  it('ships the seven rule-based strategies and the random baseline agent', () => {
    expect([...strategyFactories.keys()]).toEqual(['sma-cross', 'ema-cross', 'bb-rsi', 'donchian', 'pairs-zscore', 'funding-carry', 'buy-and-hold', 'random-agent']);
  });

  it('builds every strategy from its defaults, with names the desk accepts as agent ids', () => {
    for (const factory of strategyFactories.values()) {
      const instruments = factory.instrumentCount === 2 ? [ETH, BTC] : [BTC];
      const strategy = createStrategy(factory.name, {}, instruments);
      expect(strategy.name).toBe(factory.name);
      expect(strategy.name).toMatch(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/);
      expect(strategy.instruments).toEqual(instruments);
      expect(strategy.warmup).toBeGreaterThanOrEqual(0);
      for (const spec of factory.parameters) {
        expect(spec.description.length, `${factory.name}.${spec.name}`).toBeGreaterThan(0);
        if (typeof spec.default === 'number') {
          expect(spec.default).toBeGreaterThanOrEqual(spec.min ?? -Infinity);
          expect(spec.default).toBeLessThanOrEqual(spec.max ?? Infinity);
        } else {
          expect(spec.choices).toContain(spec.default);
        }
      }
    }
  });

  it('sets the warm-ups from the parameters', () => {
    expect(createStrategy('sma-cross', { fast: 5, slow: 40 }, [BTC]).warmup).toBe(40);
    expect(createStrategy('ema-cross', {}, [BTC]).warmup).toBe(30);
    expect(createStrategy('bb-rsi', {}, [BTC]).warmup).toBe(20);
    expect(createStrategy('donchian', {}, [BTC]).warmup).toBe(20);
    expect(createStrategy('buy-and-hold', {}, [BTC]).warmup).toBe(0);
  });
});

describe('createStrategy parameter checks', () => {
  it('lists the known strategies for an unknown name', () => {
    const error = errorOf(() => createStrategy('smacross', {}, [BTC]));
    expect(error.code).toBe('unknown_strategy');
    expect(error.message).toBe('unknown strategy "smacross"; known: sma-cross, ema-cross, bb-rsi, donchian, pairs-zscore, funding-carry, buy-and-hold, random-agent');
  });

  it('names an unknown parameter and lists the known ones', () => {
    expect(errorOf(() => createStrategy('sma-cross', { fats: 3 }, [BTC])).message).toBe('sma-cross: unknown parameter "fats"; its parameters: fast, slow, mode');
  });

  it('coerces numbers given as strings, and refuses text that is not a number', () => {
    expect(createStrategy('sma-cross', { fast: '5', slow: ' 12 ' }, [BTC]).warmup).toBe(12);
    expect(errorOf(() => createStrategy('sma-cross', { fast: 'ten' }, [BTC])).message).toBe('sma-cross: parameter fast must be a number, got "ten"');
    expect(errorOf(() => createStrategy('sma-cross', { fast: '' }, [BTC])).message).toBe('sma-cross: parameter fast must be a number, got ""');
    // A typo in hex or binary is not read as some other number.
    expect(errorOf(() => createStrategy('sma-cross', { fast: '0x5' }, [BTC])).message).toBe('sma-cross: parameter fast must be a number, got "0x5"');
    expect(createStrategy('sma-cross', { fast: '5', slow: '1e1' }, [BTC]).warmup).toBe(10);
  });

  it('refuses fractions for integer parameters and values out of range', () => {
    expect(errorOf(() => createStrategy('sma-cross', { fast: 2.5 }, [BTC])).message).toBe('sma-cross: parameter fast must be an integer, got 2.5');
    expect(errorOf(() => createStrategy('sma-cross', { fast: 0 }, [BTC])).message).toBe('sma-cross: parameter fast must be from 1 to 500, got 0');
    expect(errorOf(() => createStrategy('bb-rsi', { mult: '-1' }, [BTC])).message).toBe('bb-rsi: parameter mult must be from 0.1 to 10, got -1');
  });

  it('refuses a fast period that is not below the slow one', () => {
    const error = errorOf(() => createStrategy('sma-cross', { fast: 30, slow: 30 }, [BTC]));
    expect(error.code).toBe('invalid_strategy_parameter');
    expect(error.message).toBe('sma-cross: fast (30) must be below slow (30)');
    expect(errorOf(() => createStrategy('ema-cross', { fast: '50' }, [BTC])).message).toBe('ema-cross: fast (50) must be below slow (30)');
    expect(errorOf(() => createStrategy('pairs-zscore', { entry: 1, exit: 1 }, [ETH, BTC])).message).toBe('pairs-zscore: exit (1) must be below entry (1)');
    expect(errorOf(() => createStrategy('bb-rsi', { oversold: 50, overbought: 50 }, [BTC])).message).toBe('bb-rsi: oversold (50) must be below overbought (50)');
  });

  it('refuses a value outside the choices', () => {
    expect(errorOf(() => createStrategy('sma-cross', { mode: 'short-only' }, [BTC])).message).toBe(
      'sma-cross: parameter mode must be one of long-only, reversal, got "short-only"',
    );
  });

  it('checks the number of instruments', () => {
    const error = errorOf(() => createStrategy('sma-cross', {}, [BTC, ETH]));
    expect(error.code).toBe('invalid_strategy_instruments');
    expect(error.message).toBe('sma-cross trades 1 instrument, got 2 (TEST:BTC/USDT, TEST:ETH/USDT)');
    expect(errorOf(() => createStrategy('buy-and-hold', {}, [])).message).toBe('buy-and-hold trades 1 instrument, got 0');
  });
});
