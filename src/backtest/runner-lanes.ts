import { FixRequestError } from '../core/errors.js';
import type { InstrumentId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import type { Instrument } from '../domain/instrument.js';
import type { Bar } from '../domain/market-data.js';
import type { BarSeries } from '../data/bar-series.js';
import { formatTimeframe } from '../data/timeframe.js';
import type { BarView } from '../strategies/strategy.js';

/** One series as the backtest runner works it: its cursors, reused bar objects and float mirrors of the books. */
export interface Lane {
  readonly series: BarSeries;
  readonly instrument: Instrument;
  readonly view: BarView;
  readonly venueBar: { -readonly [K in keyof Bar]: Bar[K] };
  index: number;
  /** Index of the last bar handed to the venue (-1 before the first). */
  venueIndex: number;
  /** Float mirror of the position, for equity per bar and exposure. */
  quantity: number;
  /** Entry value of a perpetual position (its unrealised PnL is marked against it). */
  basis: number;
  pending: number;
  /** The open leg of a split flip, sent once its close (this client order) has filled. */
  reopen: { readonly clientOrderId: string; readonly open: () => unknown } | undefined;
  lastClose: number;
  /** Analytics copies of the instrument's contract size and kind, read every bar. */
  readonly contractSize: number;
  /** The instrument id as letters and digits, for intent ids. */
  readonly tag: string;
  readonly spot: boolean;
}

/**
 * A lane per series, each with the instrument it names: a series without one is refused, and so is a second series
 * of an instrument (positions, orders and equity are kept per instrument, so its bars would be fed twice).
 */
export function lanesFor(series: readonly BarSeries[], instruments: ReadonlyMap<InstrumentId, Instrument>): Lane[] {
  return series.map((series, index, all) => {
    const instrument = instruments.get(series.instrumentId);
    if (instrument === undefined) throw new FixRequestError('unknown_instrument', `no instrument definition for the series ${series.instrumentId}`);
    const earlier = all.findIndex((s) => s.instrumentId === series.instrumentId);
    if (earlier < index) {
      const named = (k: number): string => `series ${k + 1} (${formatTimeframe((all[k] as BarSeries).timeframeMs)})`;
      throw new FixRequestError('duplicate_instrument', `${named(earlier)} and ${named(index)} are both ${series.instrumentId}: an instrument takes one series`);
    }
    return {
      series,
      instrument,
      // Number fields start as NaN (a double), not 0 (a small integer): they will hold fractions, and a field
      // that changes representation makes V8 throw away the optimised loop.
      view: { instrumentId: instrument.id, index: 0, ts: 0, open: Number.NaN, high: Number.NaN, low: Number.NaN, close: Number.NaN, volume: Number.NaN },
      venueBar: {
        type: 'bar',
        instrumentId: instrument.id,
        ts: 0 as UnixMs,
        timeframeMs: series.timeframeMs,
        open: Number.NaN,
        high: Number.NaN,
        low: Number.NaN,
        close: Number.NaN,
        volume: Number.NaN,
      },
      index: 0,
      venueIndex: -1,
      quantity: -0,
      basis: -0,
      pending: 0,
      reopen: undefined,
      lastClose: Number.NaN,
      contractSize: instrument.contractSize.toNumber(),
      tag: instrument.id.replace(/[^A-Za-z0-9]/g, ''),
      spot: instrument.kind === 'spot',
    };
  });
}
