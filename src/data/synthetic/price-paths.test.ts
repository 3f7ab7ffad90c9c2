import { describe, expect, it } from 'vitest';
import { pricePaths } from './price-paths.js';

const at = (symbol: string) => ({ symbol, startPrice: 100, annualVol: 0.6, drift: 0 });

describe('pricePaths', () => {
  it('puts a spot and the perpetuals of its pair on the spot path, wherever the spot is listed', () => {
    const paths = pricePaths([at('BTC/USDT:USDT'), at('ETH/USDT'), at('BTC/USDT'), at('BTC/USDT:BTC')], undefined);
    expect(paths.leaders).toEqual([1, 2]);
    expect(paths.pathOf).toEqual([1, 0, 1, 1]);
    expect(Array.from(paths.cholesky)).toEqual([1, 0, 0, 1]);
  });

  it('leads a pair without a spot by its first perpetual, and keeps other pairs apart', () => {
    const paths = pricePaths([at('BTC/USDT:USDT'), at('BTC/USD:BTC'), at('BTC/USDT:BTC')], undefined);
    expect(paths.leaders).toEqual([0, 1]);
    expect(paths.pathOf).toEqual([0, 1, 0]);
  });

  it('takes the correlation of the paths from the rows of the instruments that lead them', () => {
    const paths = pricePaths([at('BTC/USDT'), at('ETH/USDT'), at('BTC/USDT:USDT')], [
      [1, 0.6, 1],
      [0.6, 1, 0.6],
      [1, 0.6, 1],
    ]);
    expect(Array.from(paths.cholesky)).toEqual([1, 0, 0.6, 0.8]);
    expect(() => pricePaths([at('BTC/USDT'), at('BTC/USDT:USDT')], [[1, 0.5], [0.5, 1]])).toThrow("BTC/USDT:USDT trades on BTC/USDT's price path");
    expect(() => pricePaths([at('BTC/USDT'), at('BTC/USDT:USDT')], [[1, 1]])).toThrow('must be 2×2 for 2 instruments');
  });
});
