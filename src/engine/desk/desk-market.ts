import type { TestClock } from '../../core/clock.js';
import { Fixed } from '../../core/fixed.js';
import type { InstrumentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import { nextToClose, readBar, sliceSeries, type BarSeries } from '../../data/bar-series.js';
import type { Instrument } from '../../domain/instrument.js';
import type { Bar, FundingRate } from '../../domain/market-data.js';
import type { BarView } from '../../strategies/strategy.js';
import type { SimulatedVenue } from '../../venues/sim/sim-venue.js';
import { SideDataQueue, type SideData } from '../side-data-queue.js';
import type { TradingCore } from '../trading-core.js';
import type { AnalystRole } from './analyst-role.js';

/** One instrument's replayed series, the reused bar and view objects, and the analysts that watch it. */
export interface MarketLane {
  readonly series: BarSeries;
  readonly instrument: Instrument;
  readonly view: BarView;
  readonly bar: { -readonly [K in keyof Bar]: Bar[K] };
  readonly analysts: AnalystRole[];
  index: number;
  /** Index of the last bar handed to the venue (-1 before the first). */
  venueIndex: number;
  /** Close time of the last bar replayed, and whether its exact price was made (only when someone needs it). */
  closeTs: UnixMs;
  priced: boolean;
}

/**
 * The desk's replayed market: bars in order of their close time (funding and mark prices beside them, by time), the
 * clock moved to each close, the venue filling against the bar, and the exact last prices handed to the gate on
 * demand. Everything looking back (risk watch, optimizer) reads only bars up to the one being replayed.
 */
export class DeskMarket {
  readonly lanes: MarketLane[];
  readonly totalBars: number;
  /** Exact last closes made so far (reference prices for decisions and marks). */
  readonly prices = new Map<InstrumentId, Fixed>();
  private readonly byInstrument: Map<InstrumentId, MarketLane>;
  private readonly sideData: SideDataQueue;

  constructor(
    series: readonly BarSeries[],
    instruments: ReadonlyMap<InstrumentId, Instrument>,
    analysts: readonly AnalystRole[],
    extras: readonly SideData[],
    private readonly clock: TestClock,
    private readonly venue: SimulatedVenue,
    private readonly core: TradingCore,
  ) {
    this.lanes = series.map((s) => {
      const instrument = instruments.get(s.instrumentId);
      if (instrument === undefined) throw new Error(`no instrument definition for the series ${s.instrumentId}`);
      return {
        series: s,
        instrument,
        view: { instrumentId: instrument.id, index: 0, ts: 0, open: Number.NaN, high: Number.NaN, low: Number.NaN, close: Number.NaN, volume: Number.NaN },
        bar: { type: 'bar', instrumentId: instrument.id, ts: 0 as UnixMs, timeframeMs: s.timeframeMs, open: Number.NaN, high: Number.NaN, low: Number.NaN, close: Number.NaN, volume: Number.NaN },
        analysts: analysts.filter((a) => a.instruments.includes(instrument.id)),
        index: 0,
        venueIndex: -1,
        closeTs: 0 as UnixMs,
        priced: true,
      };
    });
    this.byInstrument = new Map(this.lanes.map((l) => [l.instrument.id, l]));
    this.sideData = new SideDataQueue(extras, this.byInstrument);
    this.totalBars = this.lanes.reduce((n, l) => n + l.series.length, 0);
  }

  lane(id: InstrumentId): MarketLane | undefined {
    return this.byInstrument.get(id);
  }

  /** Close time of the bar `advance()` would replay, or undefined at the end. */
  nextCloseTime(): UnixMs | undefined {
    const lane = nextToClose(this.lanes);
    return lane === undefined ? undefined : closeOf(lane);
  }

  /**
   * Replays the next bar up to the venue: funding and marks due before it (see SideDataQueue; each funding rate,
   * once the venue has settled it, also to `onFunding`), the clock to the close, the bar and the strategies' view
   * filled in, `beforeVenue` told the close, the venue filling against the bar, then the funding and marks stamped
   * inside the bar.
   */
  advance(beforeVenue: (lane: MarketLane) => void, onFunding?: (funding: FundingRate) => void): MarketLane | undefined {
    const lane = nextToClose(this.lanes);
    if (lane === undefined) return undefined;
    const closeTs = closeOf(lane);
    const visit = (item: SideData): void => {
      if (item.ts > this.clock.now()) this.clock.advanceTo(item.ts);
      this.venue.onData(item);
      if (item.type === 'funding-rate' && onFunding !== undefined) onFunding(item);
    };
    this.sideData.drain(closeTs, visit);
    this.clock.advanceTo(closeTs);
    readBar(lane.series, lane.index, lane.bar);
    beforeVenue(lane);
    this.venue.onBar(lane.bar);
    lane.venueIndex = lane.index;
    lane.closeTs = closeTs;
    lane.priced = false;
    this.sideData.drain(closeTs, visit);
    lane.view.index = lane.index;
    readBar(lane.series, lane.index, lane.view);
    return lane;
  }

  /**
   * True when another lane still has a bar closing at `closeTs` to replay: bars of several instruments closing
   * together are one step, and what looks at every instrument (the schedules) waits for the last of them.
   */
  closesAgainAt(lane: MarketLane, closeTs: UnixMs): boolean {
    for (const other of this.lanes) if (other !== lane && other.index < other.series.length && closeOf(other) === closeTs) return true;
    return false;
  }

  /** The bar is done: the lane moves on. */
  finish(lane: MarketLane): void {
    lane.index += 1;
  }

  /** The exact last close of an instrument, made on demand and handed to the gate as its reference price. */
  priceOf(id: InstrumentId): Fixed | undefined {
    const lane = this.byInstrument.get(id);
    if (lane !== undefined && !lane.priced) {
      lane.priced = true;
      const price = Fixed.fromNumberApprox(lane.bar.close, lane.instrument.tickSize.scale + 4);
      this.prices.set(id, price);
      this.core.updateMarket(id, price, lane.closeTs);
    }
    return this.prices.get(id);
  }

  /** Makes every last close exact (before decisions that look at every instrument). */
  refreshPrices(): ReadonlyMap<InstrumentId, Fixed> {
    for (const lane of this.lanes) if (!lane.priced) this.priceOf(lane.instrument.id);
    return this.prices;
  }

  marks(): { instrumentId: InstrumentId; price: Fixed }[] {
    this.refreshPrices();
    return [...this.prices.entries()].map(([instrumentId, price]) => ({ instrumentId, price }));
  }

  /**
   * The bars of an instrument that have closed, up to and including its last bar replayed (views, not copies). (Its
   * `index` is the next bar once the lane has finished one, and another lane may be replaying: only `venueIndex` is
   * a bar that has closed.)
   */
  closedBars(id: InstrumentId): { instrumentId: InstrumentId; ts: Float64Array; close: Float64Array; timeframeMs: number } | undefined {
    const lane = this.byInstrument.get(id);
    if (lane === undefined) return undefined;
    const end = lane.venueIndex + 1;
    return { instrumentId: id, ts: lane.series.ts.subarray(0, end), close: lane.series.close.subarray(0, end), timeframeMs: lane.series.timeframeMs };
  }

  /** The last `bars` bars of an instrument, up to and including its last bar replayed (never later ones). */
  recentBars(id: InstrumentId, bars: number): BarSeries | undefined {
    const lane = this.byInstrument.get(id);
    if (lane === undefined) return undefined;
    const end = lane.venueIndex + 1;
    return sliceSeries(lane.series, Math.max(0, end - bars), end);
  }
}

function closeOf(lane: MarketLane): UnixMs {
  return ((lane.series.ts[lane.index] as number) + lane.series.timeframeMs) as UnixMs;
}
