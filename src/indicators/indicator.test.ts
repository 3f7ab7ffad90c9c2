import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../core/errors.js';
import {
  ATR,
  BollingerBands,
  CCI,
  CrossDetector,
  DMI,
  DonchianChannels,
  EMA,
  Highest,
  Lowest,
  MACD,
  RMA,
  ROC,
  RollingBeta,
  RollingCorrelation,
  RSI,
  SMA,
  StandardDeviation,
  Stochastic,
  TrueRange,
  VWAP,
  WMA,
  ZScore,
} from './index.js';

/** What a plain-JavaScript caller can pass: the types say numbers, nothing enforces them. */
type Loose = (...values: unknown[]) => unknown;
const loosely = (update: (...values: never[]) => unknown): Loose => update as unknown as Loose;

function rejection(call: () => unknown): FixRequestError {
  try {
    call();
  } catch (error) {
    if (error instanceof FixRequestError) return error;
    throw error;
  }
  throw new Error('expected a FixRequestError');
}

const BAR = { high: 11, low: 9, close: 10, volume: 100 };

describe('update() given something other than numbers', () => {
  it('refuses a bar object passed to ATR, naming the call it expects', () => {
    const atr = new ATR(2);
    const error = rejection(() => loosely(atr.update.bind(atr))(BAR));
    expect(error.code).toBe('invalid_indicator_input');
    expect(error.message).toBe(
      'ATR.update takes (high, low, close) as numbers; got an object for high; pass each field as its own argument, e.g. update(bar.high, bar.low, bar.close)',
    );
  });

  it('refuses an array, strings and a missing argument', () => {
    const atr = new ATR(2);
    const update = loosely(atr.update.bind(atr));
    expect(rejection(() => update([11, 9, 10])).message).toMatch(/^ATR\.update takes \(high, low, close\) as numbers; got an array for high/);
    expect(rejection(() => update('11', '9', '10')).message).toBe('ATR.update takes (high, low, close) as numbers; got a string ("11") for high');
    expect(rejection(() => update(11, 9)).message).toBe('ATR.update takes (high, low, close) as numbers; got nothing for close');
  });

  it('leaves the indicator as it was, so the next good bar gives the right value', () => {
    const atr = new ATR(2);
    expect(atr.update(11, 9, 10)).toBeUndefined();
    rejection(() => loosely(atr.update.bind(atr))(BAR));
    // True ranges 2 and max(12 - 8, |12 - 10|, |8 - 10|) = 4: the seed is their mean.
    expect(atr.update(12, 8, 11)).toBe(3);
  });

  it('is refused by every high/low/close indicator, each naming itself', () => {
    const cases: [string, Loose][] = [
      ['TrueRange.update takes (high, low, close)', loosely((x) => new TrueRange().update(...(x as [number, number, number])))],
      ['Stochastic.update takes (high, low, close)', loosely((x) => new Stochastic(3, 1, 1).update(...(x as [number, number, number])))],
      ['DMI.update takes (high, low, close)', loosely((x) => new DMI(2).update(...(x as [number, number, number])))],
      ['CCI.update takes (high, low, close)', loosely((x) => new CCI(2).update(...(x as [number, number, number])))],
      ['VWAP.update takes (high, low, close, volume)', loosely((x) => new VWAP().update(...(x as [number, number, number, number])))],
      ['DonchianChannels.update takes (high, low)', loosely((x) => new DonchianChannels(2).update(...(x as [number, number])))],
    ];
    for (const [expected, update] of cases) {
      expect(rejection(() => update(['11', '9', '10', '5'])).message).toMatch(new RegExp(`^${expected.replace(/[().]/g, '\\$&')} as numbers; got a string \\("11"\\) for high$`));
    }
  });

  it('is refused by the one-value indicators fed text, as a CSV reader without conversion would', () => {
    const indicators: [string, { update: (x: number) => unknown }][] = [
      ['SMA', new SMA(2)],
      ['EMA', new EMA(2)],
      ['RMA', new RMA(2)],
      ['WMA', new WMA(2)],
      ['RSI', new RSI(2)],
      ['MACD', new MACD(2, 3, 2)],
      ['BollingerBands', new BollingerBands(2, 2)],
      ['ROC', new ROC(2)],
      ['Highest', new Highest(2)],
      ['Lowest', new Lowest(2)],
      ['StandardDeviation', new StandardDeviation(2)],
      ['ZScore', new ZScore(2)],
    ];
    for (const [name, indicator] of indicators) {
      expect(rejection(() => loosely(indicator.update.bind(indicator))('101.5')).message).toBe(`${name}.update takes (value) as a number; got a string ("101.5")`);
    }
    const correlation = new RollingCorrelation(2);
    expect(rejection(() => loosely(correlation.update.bind(correlation))(1, null)).message).toBe('RollingCorrelation.update takes (x, y) as numbers; got null for y');
    const beta = new RollingBeta(2);
    expect(rejection(() => loosely(beta.update.bind(beta))(1n, 2)).message).toBe('RollingBeta.update takes (asset, benchmark) as numbers; got a bigint (1n) for asset');
    const cross = new CrossDetector();
    expect(rejection(() => loosely(cross.update.bind(cross))('1', 2)).message).toBe('CrossDetector.update takes (a, b) as numbers; got a string ("1") for a');
    expect(cross.update(undefined, 2)).toBe('none');
  });

  it('still takes NaN and infinities, which keep their documented meaning', () => {
    const sma = new SMA(2);
    expect([1, Number.NaN, 3, 4].map((x) => sma.update(x))).toEqual([undefined, Number.NaN, Number.NaN, 3.5]);
    const tr = new TrueRange();
    expect(tr.update(Number.POSITIVE_INFINITY, 9, 10)).toBe(Number.POSITIVE_INFINITY);
  });
});
