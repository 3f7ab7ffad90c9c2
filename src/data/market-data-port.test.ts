import { describe, expect, it } from 'vitest';
import { instrumentId } from '../core/ids.js';
import { BarSeriesBuilder } from './bar-series.js';
import { barsBetween, InMemoryMarketData, syntheticMarketData } from './market-data-port.js';
import { generateMarket } from './synthetic/index.js';

const ID = instrumentId('MEM:BTC/USDT');
function series() {
  const b = new BarSeriesBuilder();
  for (let i = 0; i < 10; i++) b.push(i * 1000, 1, 2, 0.5, 1.5, 3);
  return b.build(ID, 1000);
}

describe('the market data port', () => {
  it('serves bars in [from, to) without copying', () => {
    const s = series();
    const part = barsBetween(s, 2500, 6000);
    expect(Array.from(part.ts)).toEqual([3000, 4000, 5000]);
    expect(part.ts.buffer).toBe(s.ts.buffer);
    expect(barsBetween(s, 20_000).length).toBe(0);
  });

  it('names what it has when asked for what it has not', async () => {
    const port = new InMemoryMarketData([series()], 'files');
    await expect(port.instruments()).resolves.toEqual([ID]);
    await expect(port.bars({ instrumentId: instrumentId('MEM:ETH/USDT') })).rejects.toThrow('files has no bars for MEM:ETH/USDT; it has MEM:BTC/USDT');
  });

  it('serves the synthetic market with marks and funding for its perpetuals', async () => {
    const market = generateMarket({
      seed: 3,
      start: Date.UTC(2024, 0, 1),
      timeframeMs: 3_600_000,
      bars: 48,
      instruments: [{ symbol: 'BTC/USDT:USDT', startPrice: 40000 }],
    });
    const port = syntheticMarketData(market);
    const [id] = await port.instruments();
    if (id === undefined) throw new Error('no instrument');
    expect((await port.bars({ instrumentId: id })).length).toBe(48);
    const perp = await port.perpetualData({ instrumentId: id });
    expect(perp.marks).toHaveLength(48);
    expect(perp.funding.map((f) => new Date(f.ts).getUTCHours())).toEqual(expect.arrayContaining([0, 8, 16]));
    expect(perp.funding.length).toBeGreaterThanOrEqual(5);
  });
});
