import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../core/errors.js';
import { fx } from '../core/fixed.js';
import { currency } from '../core/ids.js';
import { CurrencyScales, defineInstrument, marginTierFor, notionalOf, quantizePrice, quantizeQuantity } from './instrument.js';
import type { InstrumentSpec } from './instrument.js';

const SPOT: InstrumentSpec = {
  id: 'BINANCE:BTC/USDT',
  tickSize: '0.01',
  lotSize: '0.00001',
  minNotional: '5',
  makerFee: '0.001',
  takerFee: '0.001',
};

const TIER_1 = { maxNotional: '50000', maintenanceRate: '0.004', maxLeverage: '125' };
const TIER_2 = { maxNotional: '250000', maintenanceRate: '0.005', maxLeverage: '100' };
const TIER_OPEN = { maxNotional: null, maintenanceRate: '0.01', maxLeverage: '50' };

const PERP: InstrumentSpec = {
  id: 'BYBIT:BTC/USDT:USDT',
  tickSize: '0.10',
  lotSize: '0.001',
  minQuantity: '0.005',
  makerFee: '0.0002',
  takerFee: '0.00055',
  maxLeverage: '100',
  marginTiers: [TIER_1, TIER_2, TIER_OPEN],
};

/** The message of the FixRequestError defineInstrument throws for `spec`. */
function problemsOf(spec: InstrumentSpec): string {
  try {
    defineInstrument(spec);
  } catch (error) {
    if (error instanceof FixRequestError) {
      expect(error.code).toBe('invalid_instrument');
      return error.message;
    }
    throw error;
  }
  throw new Error('expected defineInstrument to refuse the spec');
}

describe('defineInstrument', () => {
  it('builds a spot instrument with defaults filled in', () => {
    const spot = defineInstrument(SPOT);
    expect({
      id: spot.id,
      kind: spot.kind,
      venue: spot.venue,
      base: spot.base,
      quote: spot.quote,
      settle: spot.settle,
      tick: spot.tickSize.toString(),
      lot: spot.lotSize.toString(),
      minQuantity: spot.minQuantity.toString(),
      minNotional: spot.minNotional.toString(),
      pricePrecision: spot.pricePrecision,
      sizePrecision: spot.sizePrecision,
      contractSize: spot.contractSize.toString(),
      maxLeverage: spot.maxLeverage.toString(),
      tiers: spot.marginTiers.length,
    }).toEqual({
      id: 'BINANCE:BTC/USDT',
      kind: 'spot',
      venue: 'BINANCE',
      base: 'BTC',
      quote: 'USDT',
      settle: 'USDT',
      tick: '0.01',
      lot: '0.00001',
      minQuantity: '0.00001',
      minNotional: '5',
      pricePrecision: 2,
      sizePrecision: 5,
      contractSize: '1',
      maxLeverage: '1',
      tiers: 0,
    });
  });

  it('builds a linear perpetual settling in the quote currency', () => {
    const perp = defineInstrument(PERP);
    expect([perp.kind, perp.settle, perp.quote, perp.maxLeverage.toString(), perp.minQuantity.toString()]).toEqual([
      'perpetual',
      'USDT',
      'USDT',
      '100',
      '0.005',
    ]);
    expect(perp.pricePrecision).toBe(2); // the scale of "0.10"
    expect(perp.marginTiers.map((t) => [t.maxNotional?.toString() ?? null, t.maintenanceRate.toString(), t.maxLeverage.toString()])).toEqual([
      ['50000', '0.004', '125'],
      ['250000', '0.005', '100'],
      [null, '0.01', '50'],
    ]);
  });

  it('a perpetual id with an explicit kind is fine too', () => {
    expect(defineInstrument({ ...PERP, kind: 'perpetual' }).kind).toBe('perpetual');
  });

  it.each([
    ['zero tick', { ...SPOT, tickSize: '0' }, 'tickSize must be positive'],
    ['negative lot', { ...SPOT, lotSize: '-0.001' }, 'lotSize must be positive'],
    ['negative taker fee', { ...SPOT, takerFee: '-0.0001' }, 'takerFee must be zero or more'],
    ['negative maker fee', { ...SPOT, makerFee: '-0.0001' }, 'makerFee must be zero or more'],
    ['negative min notional', { ...SPOT, minNotional: '-1' }, 'minNotional must be zero or more'],
    ['garbage tick', { ...SPOT, tickSize: 'one cent' }, 'tickSize is not a decimal: "one cent"'],
    ['zero contract size', { ...PERP, contractSize: '0' }, 'contractSize must be positive'],
    ['minQuantity off the lot', { ...SPOT, lotSize: '0.001', minQuantity: '0.0015' }, 'minQuantity 0.0015 is not a multiple of lotSize 0.001'],
    ['perp id without settle', { ...SPOT, kind: 'perpetual' as const }, 'does not fit kind perpetual'],
    ['spot kind with a settle id', { ...PERP, kind: 'spot' as const, maxLeverage: '1', marginTiers: [] }, 'does not fit kind spot'],
    ['spot with leverage 2', { ...SPOT, maxLeverage: '2' }, 'maxLeverage must be 1 for spot'],
    ['bad id', { ...SPOT, id: 'binance:btc/usdt' }, 'id "binance:btc/usdt" is not VENUE:BASE/QUOTE'],
    [
      'tiers not increasing',
      { ...PERP, marginTiers: [TIER_2, TIER_1, TIER_OPEN] },
      "marginTiers[1].maxNotional must be above the previous tier's",
    ],
    [
      'equal tier bounds',
      { ...PERP, marginTiers: [TIER_1, TIER_1] },
      "marginTiers[1].maxNotional must be above the previous tier's",
    ],
    [
      'an unbounded tier before the last',
      { ...PERP, marginTiers: [TIER_OPEN, TIER_1] },
      "marginTiers[1].maxNotional must be above the previous tier's",
    ],
    [
      'a zero maintenance rate',
      { ...PERP, marginTiers: [{ maxNotional: null, maintenanceRate: '0', maxLeverage: '10' }] },
      'marginTiers[0].maintenanceRate must be positive',
    ],
  ])('rejects %s, naming the field', (_name, spec, expected) => {
    const message = problemsOf(spec);
    expect(message).toContain(expected);
    expect(message).toContain(`instrument ${spec.id}:`);
  });

  it('lists every problem at once', () => {
    const message = problemsOf({ ...SPOT, tickSize: '0', takerFee: '-1', maxLeverage: '3' });
    expect(message).toContain('tickSize must be positive');
    expect(message).toContain('takerFee must be zero or more');
    expect(message).toContain('maxLeverage must be 1 for spot');
    expect(message.split('; ')).toHaveLength(3);
  });
});

describe('marginTierFor', () => {
  const perp = defineInstrument(PERP);

  it.each([
    ['0', 0],
    ['49999.99', 0],
    ['50000', 0],
    ['50000.01', 1],
    ['250000', 1],
    ['250000.0001', 2],
    ['100000000', 2],
  ])('a notional of %s falls in tier %i', (notional, tier) => {
    expect(marginTierFor(perp, fx(notional))).toBe(perp.marginTiers[tier]);
  });

  it('past a bounded last tier, the last tier applies; without tiers there is none', () => {
    const bounded = defineInstrument({ ...PERP, marginTiers: [TIER_1, TIER_2] });
    expect(marginTierFor(bounded, fx('1000000'))).toBe(bounded.marginTiers[1]);
    expect(marginTierFor(defineInstrument(SPOT), fx('1000'))).toBeUndefined();
  });
});

describe('quantize helpers and notional', () => {
  const spot = defineInstrument(SPOT);
  const centi = defineInstrument({ id: 'OKX:BTC/USDT:USDT', tickSize: '0.5', lotSize: '1', contractSize: '0.01' });

  it('prices go to the nearest tick, half-even by default', () => {
    expect(quantizePrice(spot, fx('100.125')).toString()).toBe('100.120');
    expect(quantizePrice(spot, fx('100.135')).toString()).toBe('100.140');
    expect(quantizePrice(spot, fx('100.129'), 'down').toString()).toBe('100.120');
    expect(quantizePrice(centi, fx('30000.75')).toString()).toBe('30001.00');
  });

  it('quantities go down to the lot by default', () => {
    expect(quantizeQuantity(spot, fx('0.123456789')).toString()).toBe('0.123450000');
    expect(quantizeQuantity(spot, fx('0.123456789'), 'up').toString()).toBe('0.123460000');
    expect(quantizeQuantity(centi, fx('7.9')).toString()).toBe('7.0');
  });

  it('notional is |quantity| x contract size x price, exactly', () => {
    expect(notionalOf(spot, fx('-0.5'), fx('100.01')).toString()).toBe('50.005');
    expect(notionalOf(centi, fx('3'), fx('30000.5')).toPlainString()).toBe('900.015');
  });
});

describe('CurrencyScales', () => {
  it('returns the configured scale, or the default', () => {
    const scales = new CurrencyScales({ USDT: 2, BTC: 8 }, 6);
    expect([scales.of(currency('USDT')), scales.of(currency('BTC')), scales.of(currency('ETH'))]).toEqual([2, 8, 6]);
    expect(new CurrencyScales().of(currency('ETH'))).toBe(8);
  });
});
