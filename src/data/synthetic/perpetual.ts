import { FixRequestError } from '../../core/errors.js';
import type { InstrumentId } from '../../core/ids.js';
import { HOUR_MS, type UnixMs } from '../../core/time.js';
import type { FundingRate, MarkPrice } from '../../domain/market-data.js';

/**
 * One mark candle per bar, stamped at the bar's close time (`ts[i] = bar open + timeframe`): `price` is its close,
 * and its open, high and low let the venue liquidate a position the bar's wick took through its maintenance margin.
 */
export interface MarkPriceSeries {
  readonly instrumentId: InstrumentId;
  readonly length: number;
  readonly ts: Float64Array;
  readonly price: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
}

/** Funding rates at funding times (UTC multiples of the interval: 00:00, 08:00, 16:00 for 8h). */
export interface FundingRateSeries {
  readonly instrumentId: InstrumentId;
  readonly intervalMs: number;
  readonly length: number;
  readonly ts: Float64Array;
  readonly rate: Float64Array;
}

export interface PerpetualOptions {
  /** Time between funding times (default 8h). */
  readonly fundingIntervalMs?: number;
  /** The clamp on a funding rate, like Binance's per-symbol cap (default 0.0075 = ±0.75%). */
  readonly fundingCap?: number;
  /** The interest component per interval (default 0.0001 = 0.01%). */
  readonly interestRate?: number;
  /** How far interest minus premium may move the rate (default 0.0005 = ±0.05%). */
  readonly premiumClamp?: number;
  /** Half-life of the premium's pull to its regime target (default 4h). */
  readonly basisHalfLifeMs?: number;
  /** Standard deviation of the premium around its target (default 0.0003 = 3 bps). */
  readonly basisNoise?: number;
}

export interface ResolvedPerpetualOptions {
  readonly fundingIntervalMs: number;
  readonly fundingCap: number;
  readonly interestRate: number;
  readonly premiumClamp: number;
  readonly basisHalfLifeMs: number;
  readonly basisNoise: number;
}

export function resolvePerpetualOptions(options: PerpetualOptions = {}): ResolvedPerpetualOptions {
  const resolved = {
    fundingIntervalMs: options.fundingIntervalMs ?? 8 * HOUR_MS,
    fundingCap: options.fundingCap ?? 0.0075,
    interestRate: options.interestRate ?? 0.0001,
    premiumClamp: options.premiumClamp ?? 0.0005,
    basisHalfLifeMs: options.basisHalfLifeMs ?? 4 * HOUR_MS,
    basisNoise: options.basisNoise ?? 0.0003,
  };
  if (!(Number.isSafeInteger(resolved.fundingIntervalMs) && resolved.fundingIntervalMs > 0)) {
    throw new FixRequestError('invalid_perpetual', `fundingIntervalMs must be a positive integer, got ${resolved.fundingIntervalMs}`);
  }
  for (const key of ['fundingCap', 'premiumClamp', 'basisHalfLifeMs', 'basisNoise'] as const) {
    if (!(Number.isFinite(resolved[key]) && resolved[key] >= 0)) {
      throw new FixRequestError('invalid_perpetual', `${key} must be a non-negative number, got ${resolved[key]}`);
    }
  }
  if (!Number.isFinite(resolved.interestRate)) throw new FixRequestError('invalid_perpetual', 'interestRate must be a finite number');
  return resolved;
}

/**
 * Binance's formula: rate = P + clamp(I - P, -c, c), clamped to ±cap, where P is the average premium of the
 * interval and I the interest rate; rounded to 8 decimals as exchanges publish it. Small premiums give exactly I.
 */
export function fundingRateFor(averagePremium: number, options: ResolvedPerpetualOptions): number {
  const { interestRate, premiumClamp, fundingCap } = options;
  const adjustment = Math.min(premiumClamp, Math.max(-premiumClamp, interestRate - averagePremium));
  const rate = Math.min(fundingCap, Math.max(-fundingCap, averagePremium + adjustment));
  return Math.round(rate * 1e8) / 1e8;
}

/** The premium of the last price over mark: an AR(1) that drifts to its regime's target. */
export class BasisProcess {
  private value: number;
  private readonly persistence: number;
  private readonly shock: number;

  constructor(
    timeframeMs: number,
    options: ResolvedPerpetualOptions,
    initial: number,
  ) {
    this.persistence = options.basisHalfLifeMs === 0 ? 0 : Math.pow(0.5, timeframeMs / options.basisHalfLifeMs);
    this.shock = options.basisNoise * Math.sqrt(1 - this.persistence * this.persistence);
    this.value = initial;
  }

  step(target: number, normal: number): number {
    this.value = target + this.persistence * (this.value - target) + this.shock * normal;
    // Keep the mark within a sane band of the last price even in a long crash.
    this.value = Math.min(0.05, Math.max(-0.05, this.value));
    return this.value;
  }
}

/**
 * Funding at every funding time T from the first bar close to the last (the mark series' stamps), from the average
 * premium (last - mark) / mark of the bars that closed in (T - interval, T]; when bars are longer than the
 * interval, the premium of the latest bar closed by T.
 */
export function fundingSeries(
  instrumentId: InstrumentId,
  mark: Pick<MarkPriceSeries, 'length' | 'ts' | 'price'>,
  close: Float64Array,
  options: ResolvedPerpetualOptions,
): FundingRateSeries {
  const interval = options.fundingIntervalMs;
  const n = mark.length;
  const firstClose = n === 0 ? 0 : (mark.ts[0] as number);
  const lastClose = n === 0 ? 0 : (mark.ts[n - 1] as number);
  const firstTime = Math.ceil(firstClose / interval) * interval;
  const count = n > 0 && lastClose >= firstTime ? Math.floor((lastClose - firstTime) / interval) + 1 : 0;
  const ts = new Float64Array(count);
  const rate = new Float64Array(count);
  let bar = 0;
  let lastPremium = 0;
  for (let k = 0; k < count; k++) {
    const time = firstTime + k * interval;
    let sum = 0;
    let samples = 0;
    while (bar < n && (mark.ts[bar] as number) <= time) {
      const markPrice = mark.price[bar] as number;
      lastPremium = ((close[bar] as number) - markPrice) / markPrice;
      if ((mark.ts[bar] as number) > time - interval) {
        sum += lastPremium;
        samples += 1;
      }
      bar += 1;
    }
    ts[k] = time;
    rate[k] = fundingRateFor(samples > 0 ? sum / samples : lastPremium, options);
  }
  return { instrumentId, intervalMs: interval, length: count, ts, rate };
}

/** Mark candle `index` as the venue takes it: the close as the mark, with the candle's open, high and low. */
export function markPriceEvent(series: MarkPriceSeries, index: number): MarkPrice {
  checkIndex(index, series.length);
  return {
    type: 'mark-price',
    instrumentId: series.instrumentId,
    ts: series.ts[index] as UnixMs,
    price: series.price[index] as number,
    open: series.open[index] as number,
    high: series.high[index] as number,
    low: series.low[index] as number,
  };
}

export function fundingRateEvents(series: FundingRateSeries): FundingRate[] {
  const events: FundingRate[] = [];
  for (let i = 0; i < series.length; i++) {
    events.push({ type: 'funding-rate', instrumentId: series.instrumentId, ts: series.ts[i] as UnixMs, rate: series.rate[i] as number });
  }
  return events;
}

function checkIndex(index: number, length: number): void {
  if (!(Number.isInteger(index) && index >= 0 && index < length)) {
    throw new FixRequestError('invalid_range', `index ${index} is outside a series of ${length}`);
  }
}
