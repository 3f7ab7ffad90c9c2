import { FixRequestError } from '../core/errors.js';
import type { InstrumentId } from '../core/ids.js';
import type { FundingRate, MarkPrice } from '../domain/market-data.js';
import { sliceSeries, type BarSeries } from './bar-series.js';
import { fundingRateEvents, markPriceEvent } from './synthetic/index.js';
import type { SyntheticMarket } from './synthetic/generate-market.js';

/** What a backtest or a paper run asks of market data: bars of one instrument, optionally within [from, to). */
export interface BarRequest {
  readonly instrumentId: InstrumentId;
  /** Epoch ms, inclusive. */
  readonly from?: number;
  /** Epoch ms, exclusive. */
  readonly to?: number;
}

/**
 * The market data port (DESIGN §2): where bars (and, for perpetuals, mark prices and funding rates) come from.
 * Files, an exchange through ccxt and the synthetic market all sit behind it; the runtimes only see this.
 */
export interface MarketDataPort {
  readonly name: string;
  /** The instruments this source can serve. */
  instruments(): Promise<readonly InstrumentId[]>;
  bars(request: BarRequest): Promise<BarSeries>;
  /** Mark prices and funding rates of a perpetual (empty when the source has none). */
  perpetualData(request: BarRequest): Promise<{ readonly marks: readonly MarkPrice[]; readonly funding: readonly FundingRate[] }>;
}

/** Bars [from, to) of a series by binary search on its open times (a view, no copy). */
export function barsBetween(series: BarSeries, from?: number, to?: number): BarSeries {
  const lower = (t: number): number => {
    let lo = 0;
    let hi = series.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((series.ts[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const start = from === undefined ? 0 : lower(from);
  const end = to === undefined ? series.length : lower(to);
  return sliceSeries(series, start, Math.max(start, end));
}

/** Series held in memory (already loaded files, fetched bars), as a MarketDataPort. */
export class InMemoryMarketData implements MarketDataPort {
  private readonly byId: ReadonlyMap<InstrumentId, BarSeries>;

  constructor(
    series: readonly BarSeries[],
    readonly name = 'memory',
    private readonly perpetuals: ReadonlyMap<InstrumentId, { marks: readonly MarkPrice[]; funding: readonly FundingRate[] }> = new Map(),
  ) {
    this.byId = new Map(series.map((s) => [s.instrumentId, s]));
  }

  async instruments(): Promise<readonly InstrumentId[]> {
    return [...this.byId.keys()];
  }

  async bars(request: BarRequest): Promise<BarSeries> {
    const series = this.byId.get(request.instrumentId);
    if (series === undefined) {
      throw new FixRequestError('unknown_instrument', `${this.name} has no bars for ${request.instrumentId}; it has ${[...this.byId.keys()].join(', ') || 'none'}`);
    }
    return barsBetween(series, request.from, request.to);
  }

  async perpetualData(request: BarRequest): Promise<{ marks: readonly MarkPrice[]; funding: readonly FundingRate[] }> {
    const data = this.perpetuals.get(request.instrumentId);
    if (data === undefined) return { marks: [], funding: [] };
    const inside = (ts: number): boolean => (request.from === undefined || ts >= request.from) && (request.to === undefined || ts < request.to);
    return { marks: data.marks.filter((m) => inside(m.ts)), funding: data.funding.filter((f) => inside(f.ts)) };
  }
}

/** The seeded synthetic market as a MarketDataPort (bars, and marks and funding for its perpetuals). */
export function syntheticMarketData(market: SyntheticMarket): MarketDataPort {
  const perpetuals = new Map<InstrumentId, { marks: MarkPrice[]; funding: FundingRate[] }>();
  for (const instrument of market.instruments) {
    if (instrument.perpetual === undefined) continue;
    const { markPrice, funding } = instrument.perpetual;
    const marks: MarkPrice[] = [];
    for (let i = 0; i < markPrice.length; i++) marks.push(markPriceEvent(markPrice, i));
    perpetuals.set(instrument.instrumentId, { marks, funding: fundingRateEvents(funding) });
  }
  return new InMemoryMarketData(
    market.instruments.map((i) => i.bars),
    `synthetic(seed ${market.seed})`,
    perpetuals,
  );
}
