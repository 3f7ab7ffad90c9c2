/**
 * What freqtrade's data file names say: `<BASE>_<QUOTE>[_<SETTLE>]-<timeframe>[-<candle type>].<ext>`, e.g.
 * `ETH_BTC-5m.feather`, `XRP_USDT_USDT-1h-futures.feather`, `XRP_USDT_USDT-8h-funding_rate.csv`; also with the
 * lower-case exchange in front, as `conclave data fetch` names its files (`binance_XRP_USDT_USDT-1h.csv`), which
 * then names the venue.
 */
import { instrumentId, type InstrumentId } from '../../core/ids.js';
import { parseTimeframe } from '../timeframe.js';

export interface DataFileName {
  /** `<venue>:BASE/QUOTE` or `<venue>:BASE/QUOTE:SETTLE`. */
  readonly instrumentId: InstrumentId;
  readonly timeframeMs: number;
  /** `spot` when the name has no candle type, else freqtrade's word: `futures`, `mark`, `funding_rate`, ... */
  readonly candleType: string;
}

const NAME = /^(?:([a-z0-9]+)_)?([A-Z0-9]+)_([A-Z0-9]+)(?:_([A-Z0-9]+))?-(\d+[smhdw])(?:-([a-z_]+))?(?:\.[A-Za-z0-9]+)+$/;

/** Reads a freqtrade-style file name (no directory); undefined when the name does not follow the pattern. */
export function parseDataFileName(fileName: string, venue = 'FILE'): DataFileName | undefined {
  const match = NAME.exec(fileName);
  if (match === null) return undefined;
  const [, exchange, base, quote, settle, timeframe, candleType] = match;
  return {
    instrumentId: instrumentId(`${exchange === undefined ? venue : exchange.toUpperCase()}:${base}/${quote}${settle === undefined ? '' : `:${settle}`}`),
    timeframeMs: parseTimeframe(timeframe as string),
    candleType: candleType ?? 'spot',
  };
}
