import { FixRequestError } from '../../core/errors.js';
import type { InstrumentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { BarSeries } from '../../data/bar-series.js';
import type { FundingRate, MarkPrice } from '../../domain/market-data.js';
import { loadBars } from './load-bars.js';

export interface PerpetualFileOptions {
  /** Use the binary bar cache (default true). */
  readonly cache?: boolean;
}

/** Beyond this a rate per funding interval is surely a wrong column or unit (real rates stay far below 1%). */
const MAX_ABS_RATE = 0.1;

/**
 * Funding rates from a file in freqtrade's layout: candles whose `open` is the rate that applies at the row's time
 * (the other columns are zero). Any bar format loads (CSV, freqtrade JSON, feather). Times must rise and rates be
 * plausible fractions; a bad row is named by its position.
 */
export async function loadFundingRates(path: string, instrumentId: InstrumentId, options: PerpetualFileOptions = {}): Promise<FundingRate[]> {
  const loaded = await loadBars(path, { instrumentId, strict: false, ...(options.cache === undefined ? {} : { cache: options.cache }) });
  const series = loaded.series;
  if (series.length === 0) throw new FixRequestError('empty_data', `${path}: the funding file has no rows`);
  const rates: FundingRate[] = [];
  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < series.length; i++) {
    const ts = series.ts[i] as number;
    const rate = series.open[i] as number;
    if (!(ts > previous)) throw new FixRequestError('funding_out_of_order', `${path}: funding row ${i + 1} (${new Date(ts).toISOString()}) does not come after the row before it`);
    if (!Number.isFinite(rate) || Math.abs(rate) > MAX_ABS_RATE) {
      throw new FixRequestError('funding_rate_invalid', `${path}: funding row ${i + 1} has the rate ${rate}; rates are fractions per interval in the open column (0.0001 = 0.01%)`);
    }
    rates.push({ type: 'funding-rate', instrumentId, ts: ts as UnixMs, rate });
    previous = ts;
  }
  return rates;
}

/**
 * Mark prices from mark-price candles: each candle's close, known at the candle's close time (its open time plus
 * its length), so a mark never runs ahead of the bars it is replayed with; with the candle's open, high and low, so
 * the venue liquidates a position the candle's worst mark took below its maintenance margin.
 */
export async function loadMarkPrices(path: string, instrumentId: InstrumentId, options: PerpetualFileOptions = {}): Promise<MarkPrice[]> {
  const loaded = await loadBars(path, { instrumentId, ...(options.cache === undefined ? {} : { cache: options.cache }) });
  const series = loaded.series;
  if (series.length === 0) throw new FixRequestError('empty_data', `${path}: the mark price file has no candles`);
  const marks: MarkPrice[] = [];
  for (let i = 0; i < series.length; i++) {
    const price = series.close[i] as number;
    if (!(price > 0)) throw new FixRequestError('mark_price_invalid', `${path}: mark candle ${i + 1} closes at ${price}; a mark price must be positive`);
    const open = series.open[i] as number;
    const high = series.high[i] as number;
    const low = series.low[i] as number;
    if (!(low > 0 && low <= Math.min(open, price) && high >= Math.max(open, price))) {
      throw new FixRequestError('mark_price_invalid', `${path}: mark candle ${i + 1} (open ${open}, high ${high}, low ${low}, close ${price}) is not a candle with positive prices`);
    }
    marks.push({ type: 'mark-price', instrumentId, ts: ((series.ts[i] as number) + series.timeframeMs) as UnixMs, price, open, high, low });
  }
  return marks;
}

/**
 * Refuses marks that stop before the bars do: once mark data has been seen the venue judges liquidation on marks
 * alone, so a run past the last mark would never liquidate (and would fund at a stale mark). One mark interval of
 * slack is allowed at the end.
 */
export function assertMarksCover(path: string, marks: readonly MarkPrice[], series: BarSeries): void {
  if (marks.length === 0 || series.length === 0) return;
  const last = marks[marks.length - 1] as MarkPrice;
  const interval = marks.length > 1 ? last.ts - (marks[marks.length - 2] as MarkPrice).ts : 0;
  const barsEnd = (series.ts[series.length - 1] as number) + series.timeframeMs;
  if (last.ts + interval < barsEnd) {
    throw new FixRequestError(
      'marks_do_not_cover',
      `${path}: the marks end at ${new Date(last.ts).toISOString()} but the bars of ${series.instrumentId} run to ${new Date(barsEnd).toISOString()}; give marks that cover the run (past the last mark, liquidation would never be checked)`,
    );
  }
}
