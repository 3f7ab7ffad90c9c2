/** The synthetic market's instruments: what a spec asks for, checked and turned into per-bar parameters. */
import { FixRequestError } from '../../core/errors.js';
import { instrumentId, type InstrumentId } from '../../core/ids.js';
import { DAY_MS } from '../../core/time.js';

const YEAR_MS = 365 * DAY_MS;
const MAX_INSTRUMENTS = 64;
export const DEFAULT_VOL = 0.6;

export interface SyntheticInstrumentSpec {
  /** ccxt-style symbol: `BTC/USDT` for spot, `BTC/USDT:USDT` for a linear perpetual (gets mark and funding). */
  readonly symbol: string;
  readonly startPrice: number;
  /** Long-run annualised volatility of log returns (default 0.6). */
  readonly annualVol?: number;
  /** Annual drift of the log price on top of the regimes (default 0). */
  readonly drift?: number;
  /** Price tick (default 0.01); a power-of-ten fraction like 0.01 or 0.5, or a whole number. */
  readonly tickSize?: number;
  /** Average volume per bar in base units (default: about 5 million quote an hour at the start price). */
  readonly baseVolume?: number;
}

/** An instrument as the generator draws it: per-bar volatility and drift, its tick and volume. */
export interface InstrumentModel {
  readonly id: InstrumentId;
  readonly symbol: string;
  readonly perpetual: boolean;
  readonly startPrice: number;
  readonly sigma: number;
  readonly driftPerBar: number;
  readonly tickSize: number;
  /** Prices are k / tickInverse when the tick is a fraction, k × tickSize when it is whole. */
  readonly tickInverse: number;
  readonly baseVolume: number;
}

/** The price on the instrument's tick, never below one tick. */
export function roundToTick(price: number, model: InstrumentModel): number {
  const rounded =
    model.tickInverse > 0 ? Math.round(price * model.tickInverse) / model.tickInverse : Math.round(price / model.tickSize) * model.tickSize;
  return rounded >= model.tickSize ? rounded : model.tickSize;
}

export function instrumentModels(instruments: readonly SyntheticInstrumentSpec[], timeframeMs: number, venue: string): InstrumentModel[] {
  if (instruments.length === 0 || instruments.length > MAX_INSTRUMENTS) {
    throw new FixRequestError('invalid_synthetic', `a synthetic market needs 1..${MAX_INSTRUMENTS} instruments, got ${instruments.length}`);
  }
  const seen = new Set<string>();
  const barsPerYear = YEAR_MS / timeframeMs;
  return instruments.map((spec) => {
    const id = instrumentId(`${venue}:${spec.symbol}`);
    if (seen.has(id)) throw new FixRequestError('invalid_synthetic', `${spec.symbol} is listed twice`);
    seen.add(id);
    const { startPrice } = spec;
    const annualVol = spec.annualVol ?? DEFAULT_VOL;
    const drift = spec.drift ?? 0;
    const tickSize = spec.tickSize ?? 0.01;
    if (!(Number.isFinite(startPrice) && startPrice > 0)) throw new FixRequestError('invalid_synthetic', `${spec.symbol}: startPrice must be positive`);
    if (!(Number.isFinite(annualVol) && annualVol > 0)) throw new FixRequestError('invalid_synthetic', `${spec.symbol}: annualVol must be positive`);
    if (!Number.isFinite(drift)) throw new FixRequestError('invalid_synthetic', `${spec.symbol}: drift must be a finite number`);
    const baseVolume = spec.baseVolume ?? (5e6 / startPrice) * (timeframeMs / 3_600_000);
    if (!(Number.isFinite(baseVolume) && baseVolume >= 0)) throw new FixRequestError('invalid_synthetic', `${spec.symbol}: baseVolume must be >= 0`);
    return {
      id,
      symbol: spec.symbol,
      perpetual: spec.symbol.includes(':'),
      startPrice,
      sigma: annualVol / Math.sqrt(barsPerYear),
      driftPerBar: drift / barsPerYear,
      tickSize,
      tickInverse: tickInverseOf(spec.symbol, tickSize),
      baseVolume,
    };
  });
}

/** 1 / tick when that is a whole number (0.01 -> 100), 0 when the tick itself is whole; anything else is refused. */
function tickInverseOf(symbol: string, tickSize: number): number {
  if (!(Number.isFinite(tickSize) && tickSize > 0)) throw new FixRequestError('invalid_synthetic', `${symbol}: tickSize must be positive`);
  if (Number.isInteger(tickSize)) return 0;
  const inverse = Math.round(1 / tickSize);
  if (Math.abs(inverse * tickSize - 1) > 1e-9) {
    throw new FixRequestError('invalid_synthetic', `${symbol}: tickSize ${tickSize} must divide 1 (like 0.01 or 0.25) or be a whole number`);
  }
  return inverse;
}
