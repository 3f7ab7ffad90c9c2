import type { InstrumentId } from '../../core/ids.js';
import { pathCorrelation, syntheticMarketKey, type SyntheticSource } from '../../config/data-section.js';
import type { DeskConfig } from '../../config/desk-schema.js';
import type { BarSeries } from '../../data/bar-series.js';
import { fundingRateEvents, generateMarket, markPriceEvent, type SyntheticInstrument, type SyntheticMarket } from '../../data/synthetic/index.js';
import type { FundingRate, MarkPrice } from '../../domain/market-data.js';

export interface DeskData {
  readonly series: Map<InstrumentId, BarSeries>;
  readonly extras: (FundingRate | MarkPrice)[];
}

interface SyntheticMember {
  readonly id: string;
  readonly tickSize: string;
  readonly source: SyntheticSource;
}

/**
 * Generates the synthetic markets a desk file declares (`source: synthetic`), so every run of the same file and
 * seed sees the same bars. The synthetic instruments of one venue with the same start, timeframe, bars, regimes and
 * garch are one market, generated together: they share the regime chain, a spot and the perpetuals of its pair
 * share one price path (the perpetuals with their own premium, marks and funding on top), and the data section's
 * `correlation` entries tie the other paths' shocks. Each market is seeded desk seed x 1000 + the position of its
 * first instrument in the file, so a desk of one synthetic instrument sees the bars it always has.
 * File sources are left to the caller (they need I/O).
 */
export function syntheticDeskData(config: DeskConfig, seed: number = config.desk.seed): DeskData {
  const markets = new Map<string, { position: number; members: SyntheticMember[] }>();
  config.instruments.forEach((instrument, position) => {
    const source = config.data[instrument.id];
    if (source?.source !== 'synthetic') return;
    const key = syntheticMarketKey(instrument.id, source);
    const market = markets.get(key) ?? { position, members: [] };
    market.members.push({ id: instrument.id, tickSize: instrument.tickSize, source });
    markets.set(key, market);
  });
  const generated = new Map<string, SyntheticInstrument>();
  for (const { position, members } of markets.values()) {
    for (const instrument of generateDeskMarket(config, seed * 1000 + position, members).instruments) generated.set(instrument.instrumentId, instrument);
  }
  // In the file's order, as the desk lists its instruments.
  const series = new Map<InstrumentId, BarSeries>();
  const extras: (FundingRate | MarkPrice)[] = [];
  for (const { id } of config.instruments) {
    const instrument = generated.get(id);
    if (instrument === undefined) continue;
    series.set(instrument.instrumentId, instrument.bars);
    const perpetual = instrument.perpetual;
    if (perpetual === undefined) continue;
    for (let i = 0; i < perpetual.markPrice.length; i++) extras.push(markPriceEvent(perpetual.markPrice, i));
    for (const funding of fundingRateEvents(perpetual.funding)) extras.push(funding);
  }
  return { series, extras };
}

function generateDeskMarket(config: DeskConfig, seed: number, members: readonly SyntheticMember[]): SyntheticMarket {
  const first = members[0] as SyntheticMember;
  const { source } = first;
  return generateMarket({
    seed,
    start: source.start,
    timeframeMs: source.timeframe,
    bars: source.bars,
    venue: first.id.slice(0, first.id.indexOf(':')),
    regimes: source.regimes,
    ...(source.garch ? {} : { garch: false as const }),
    instruments: members.map((member) => ({
      symbol: member.id.slice(member.id.indexOf(':') + 1),
      startPrice: member.source.startPrice,
      tickSize: Number(member.tickSize),
      ...(member.source.annualVol === undefined ? {} : { annualVol: member.source.annualVol }),
      ...(member.source.drift === undefined ? {} : { drift: member.source.drift }),
    })),
    ...(members.length > 1 ? { correlation: members.map((a) => members.map((b) => pathCorrelation(config.data, a.id, b.id))) } : {}),
  });
}
