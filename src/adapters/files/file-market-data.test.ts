import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { instrumentId } from '../../core/ids.js';
import { FileMarketData } from './file-market-data.js';

const dir = mkdtempSync(join(tmpdir(), 'conclave-fmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bar files behind the market data port', () => {
  it('loads a file for its instrument and serves a time range', async () => {
    const path = join(dir, 'btc.csv');
    writeFileSync(path, 'timestamp,open,high,low,close,volume\n0,1,2,0.5,1.5,3\n60000,1,2,0.5,1.6,3\n120000,1,2,0.5,1.7,3\n');
    const id = instrumentId('FILE:BTC/USDT');
    const port = new FileMarketData(new Map([[id, { path, options: { cache: false } }]]));
    const bars = await port.bars({ instrumentId: id, from: 60_000 });
    expect(Array.from(bars.close)).toEqual([1.6, 1.7]);
    expect(bars.instrumentId).toBe(id);
    await expect(port.bars({ instrumentId: instrumentId('FILE:ETH/USDT') })).rejects.toThrow('no bar file is configured for FILE:ETH/USDT');
  });
});
