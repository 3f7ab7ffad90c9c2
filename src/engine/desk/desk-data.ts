import type { InstrumentId } from '../../core/ids.js';
import type { DeskConfig } from '../../config/desk-schema.js';
import type { BarSeries } from '../../data/bar-series.js';
import { fundingRateEvents, generateMarket, markPriceEvent } from '../../data/synthetic/index.js';
import type { FundingRate, MarkPrice } from '../../domain/market-data.js';

export interface DeskData {
  readonly series: Map<InstrumentId, BarSeries>;
  readonly extras: (FundingRate | MarkPrice)[];
}

/**
 * Generates the synthetic markets a desk file declares (`source: synthetic`), one seeded stream per instrument
 * (desk seed + its position in the file), so every run of the same file and seed sees the same bars.
 * Perpetuals get mark prices and funding too. File sources are left to the caller (they need I/O).
 */
export function syntheticDeskData(config: DeskConfig, seed: number = config.desk.seed): DeskData {
  const series = new Map<InstrumentId, BarSeries>();
  const extras: (FundingRate | MarkPrice)[] = [];
  config.instruments.forEach((instrument, index) => {
    const source = config.data[instrument.id];
    if (source?.source !== 'synthetic') return;
    const [venue, symbol] = splitId(instrument.id);
    const market = generateMarket({
      seed: seed * 1000 + index,
      start: source.start,
      timeframeMs: source.timeframe,
      bars: source.bars,
      venue,
      regimes: source.regimes,
      ...(source.garch ? {} : { garch: false as const }),
      instruments: [
        {
          symbol,
          startPrice: source.startPrice,
          tickSize: Number(instrument.tickSize),
          ...(source.annualVol === undefined ? {} : { annualVol: source.annualVol }),
          ...(source.drift === undefined ? {} : { drift: source.drift }),
        },
      ],
    });
    const generated = market.instruments[0];
    if (generated === undefined) return;
    series.set(instrument.id as InstrumentId, generated.bars);
    const perpetual = generated.perpetual;
    if (perpetual !== undefined) {
      for (let i = 0; i < perpetual.markPrice.length; i++) extras.push(markPriceEvent(perpetual.markPrice, i));
      for (const funding of fundingRateEvents(perpetual.funding)) extras.push(funding);
    }
  });
  return { series, extras };
}

function splitId(id: string): [string, string] {
  const at = id.indexOf(':');
  return [id.slice(0, at), id.slice(at + 1)];
}
