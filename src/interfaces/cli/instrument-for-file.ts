import { basename } from 'node:path';
import { parseDataFileName } from '../../data/freqtrade/file-name.js';

/**
 * The instrument a data file trades as: `FILE:<symbol>` when --symbol says, the freqtrade-style name when the
 * file has one (`ETH_BTC-5m.csv` -> FILE:ETH/BTC), else FILE:<NAME>/USD.
 */
export function instrumentForFile(path: string, symbol?: string): string | undefined {
  if (symbol !== undefined) return `FILE:${symbol}`;
  if (parseDataFileName(basename(path)) !== undefined) return undefined;
  const name = basename(path).replace(/\..*$/, '').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 20);
  return `FILE:${name === '' ? 'ASSET' : name}/USD`;
}
