import { basename } from 'node:path';
import { FixRequestError } from '../../core/errors.js';
import { parseDataFileName } from '../../data/freqtrade/file-name.js';

const SYMBOL = /^[A-Z0-9]+\/[A-Z0-9]+(?::[A-Z0-9]+)?$/;
/** A whole instrument id (`BINANCE:BTC/USDT`), whose symbol part is what --symbol takes. */
const WITH_VENUE = /^[A-Z0-9_-]+:([A-Z0-9]+\/[A-Z0-9]+(?::[A-Z0-9]+)?)$/;

/**
 * The instrument a data file trades as: `FILE:<symbol>` when --symbol says, the freqtrade-style name when the
 * file has one (`ETH_BTC-5m.csv` -> FILE:ETH/BTC), else FILE:<NAME>/USD.
 */
export function instrumentForFile(path: string, symbol?: string): string | undefined {
  if (symbol !== undefined) return `FILE:${checkedSymbol(symbol)}`;
  if (parseDataFileName(basename(path)) !== undefined) return undefined;
  const name = basename(path).replace(/\..*$/, '').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 20);
  return `FILE:${name === '' ? 'ASSET' : name}/USD`;
}

/**
 * Refuses a perpetual that settles in another currency than its quote (inverse, BTC/USD:BTC, or quanto): the
 * simulated venue books a perpetual's PnL as (price move x quantity) in the settle currency, which only a linear
 * contract's is. `source` says where the symbol came from (`--symbol BTC/USD:BTC`, a file's name).
 */
export function assertLinearPerpetual(symbol: string, source: string): void {
  const [base, pair] = [symbol.slice(0, symbol.indexOf('/')), symbol.slice(symbol.indexOf('/') + 1)];
  const [quote, settle] = pair.split(':');
  if (settle === undefined || settle === quote) return;
  throw new FixRequestError(
    'invalid_option',
    `${source}: settles in ${settle}, not in its quote ${String(quote)} (an inverse or quanto contract), which a backtest cannot price; only linear perpetuals, settled in their quote, are supported (e.g. ${base.slice(base.indexOf(':') + 1)}/${String(quote)}:${String(quote)})`,
  );
}

/** A --symbol as ids spell it; anything else is refused with the spelling that works (the venue is always FILE). */
function checkedSymbol(symbol: string): string {
  if (SYMBOL.test(symbol)) {
    assertLinearPerpetual(symbol, `--symbol ${symbol}`);
    return symbol;
  }
  const upper = symbol.trim().toUpperCase();
  const suggestion = SYMBOL.test(upper) ? upper : (WITH_VENUE.exec(upper)?.[1] ?? 'BTC/USDT');
  throw new FixRequestError(
    'invalid_option',
    `--symbol ${symbol}: expected BASE/QUOTE or BASE/QUOTE:SETTLE in capitals (the venue is always FILE), e.g. --symbol ${suggestion}`,
  );
}
