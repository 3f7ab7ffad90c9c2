import { FixRequestError } from '../../core/errors.js';
import type { InstrumentId } from '../../core/ids.js';
import type { FundingRate, MarkPrice } from '../../domain/market-data.js';
import type { BarSeries } from '../../data/bar-series.js';
import { barsBetween, type BarRequest, type MarketDataPort } from '../../data/market-data-port.js';
import { loadBars, type LoadBarsOptions } from './load-bars.js';

/** Bar files as a MarketDataPort: each file is loaded (through the cache) the first time its instrument is asked for. */
export class FileMarketData implements MarketDataPort {
  readonly name = 'files';
  private readonly loaded = new Map<InstrumentId, Promise<BarSeries>>();

  /** `files`: instrument id -> path (and load options). */
  constructor(private readonly files: ReadonlyMap<InstrumentId, { readonly path: string; readonly options?: LoadBarsOptions }>) {}

  async instruments(): Promise<readonly InstrumentId[]> {
    return [...this.files.keys()];
  }

  async bars(request: BarRequest): Promise<BarSeries> {
    const file = this.files.get(request.instrumentId);
    if (file === undefined) throw new FixRequestError('unknown_instrument', `no bar file is configured for ${request.instrumentId}`);
    let series = this.loaded.get(request.instrumentId);
    if (series === undefined) {
      series = loadBars(file.path, { ...file.options, instrumentId: request.instrumentId }).then((l) => l.series);
      this.loaded.set(request.instrumentId, series);
    }
    return barsBetween(await series, request.from, request.to);
  }

  async perpetualData(): Promise<{ marks: readonly MarkPrice[]; funding: readonly FundingRate[] }> {
    return { marks: [], funding: [] };
  }
}
