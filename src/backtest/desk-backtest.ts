import type { DeskConfig } from '../config/desk-schema.js';
import type { BarSeries } from '../data/bar-series.js';
import type { DeskEvent } from '../domain/events.js';
import type { DeskData } from '../engine/desk/desk-data.js';
import { deskSetupFrom } from '../engine/desk/desk-from-config.js';
import { Desk } from '../engine/desk/desk.js';
import type { DeskModels } from '../engine/desk/model-brains.js';
import type { EventStore } from '../kernel/event-store.js';
import type { KillSwitchProbe } from '../risk/kill-switch.js';
import type { ThreadedParameterSearch } from '../agents/desk/parameter-search.js';
import { createDeskParameterSearch } from './optimizer/desk-parameter-search.js';
import { FillList } from './fill-list.js';
import { fingerprintOf, type BacktestRun } from './backtest-run.js';
import { TradeTracker } from './trade-tracker.js';

export interface DeskRunInputs {
  readonly config: DeskConfig;
  readonly data: DeskData;
  readonly store?: EventStore<DeskEvent>;
  readonly killSwitch?: KillSwitchProbe;
  /** Overrides the desk seed. */
  readonly seed?: number;
  /** Providers, call mode and records for model-driven brains. */
  readonly models?: DeskModels;
  /** The optimizer's search on another thread (a paper run's), awaited with `nextAsync`. */
  readonly threadedSearch?: ThreadedParameterSearch;
}

/** Builds the desk a file describes, with the walk-forward parameter search its optimizer uses. */
export function buildDesk(inputs: DeskRunInputs): Desk {
  return new Desk(
    deskSetupFrom({
      config: inputs.config,
      series: inputs.data.series,
      extras: inputs.data.extras,
      parameterSearch: createDeskParameterSearch(),
      ...(inputs.store === undefined ? {} : { store: inputs.store }),
      ...(inputs.killSwitch === undefined ? {} : { killSwitch: inputs.killSwitch }),
      ...(inputs.seed === undefined ? {} : { seed: inputs.seed }),
      ...(inputs.models === undefined ? {} : { models: inputs.models }),
      ...(inputs.threadedSearch === undefined ? {} : { threadedParameterSearch: inputs.threadedSearch }),
    }),
  );
}

/** Follows a desk's fills into round-trip trades, as a strategy backtest reports them. */
export function trackTrades(desk: Desk): TradeTracker {
  const contractSizes = new Map(desk.setup.instruments.map((i) => [i.id as string, i.contractSize.toNumber()]));
  // Trades are kept per sleeve: the key is `owner|instrument`.
  const trades = new TradeTracker((key) => contractSizes.get(key.slice(key.indexOf('|') + 1)) ?? 1);
  /** The books each instrument was traded in. */
  const books = new Map<string, Set<string>>();
  desk.core.events.subscribe((event) => {
    if (event.type === 'OrderFilled') {
      const f = event.fill;
      const key = `${desk.core.oms.get(f.clientOrderId)?.spec.owner ?? 'desk'}|${f.instrumentId}`;
      let keys = books.get(f.instrumentId);
      if (keys === undefined) books.set(f.instrumentId, (keys = new Set()));
      keys.add(key);
      trades.onFill(key, desk.barsProcessed, event.tsEvent, f.side, f.quantity.toNumber(), f.price.toNumber(), f.fee.toNumber());
    } else if (event.type === 'FundingApplied') {
      trades.onFunding(`${event.owner}|${event.instrumentId}`, event.amount.toNumber());
    } else if (event.type === 'PositionLiquidated') {
      // The venue closed its netted position, so every book's position in the instrument, at one price: each book's
      // trade ends there with its share of the fee, by quantity, as the books split it.
      const held = [...(books.get(event.instrumentId) ?? [])].map((key) => ({ key, quantity: trades.position(key) })).filter((h) => h.quantity !== 0);
      const total = held.reduce((sum, h) => sum + Math.abs(h.quantity), 0);
      const fee = event.fee.toNumber();
      const price = event.price.toNumber();
      for (const { key, quantity } of held) trades.onFill(key, desk.barsProcessed, event.tsEvent, quantity > 0 ? 'sell' : 'buy', Math.abs(quantity), price, (fee * Math.abs(quantity)) / total);
    }
  });
  return trades;
}

/** What a finished desk run looks like as a backtest run (metrics, report and JSON reuse it). */
export function deskRun(desk: Desk, trades: TradeTracker, initialEquity: number): BacktestRun {
  const { equity, ts } = desk.books.equityCurve;
  const ends = new Map<string, { price: number; index: number }>();
  for (const { owner, position } of desk.core.ledger.allPositions()) {
    // The last close the run saw (a run stopped early has not seen the end of its data); the desk's trades count
    // bars processed, every instrument together.
    const close = desk.books.close(position.instrumentId);
    if (!Number.isNaN(close)) ends.set(`${owner}|${position.instrumentId}`, { price: close, index: desk.barsProcessed });
  }
  trades.closeAtEnd(ts[ts.length - 1] ?? 0, ends);
  const books = desk.books;
  const fills = new FillList();
  for (const f of books.fills) fills.push(f.ts, f.instrument, f.side, f.qty, f.price, f.fee);
  return {
    fills,
    trades: trades.trades,
    equity,
    ts,
    bars: desk.barsProcessed,
    seriesBars: barsReplayed(desk.setup.series, desk.nextCloseTime(), desk.barsProcessed),
    exposureBars: books.exposureBars,
    tradedNotional: books.tradedNotional,
    feesPaid: books.feesPaid,
    fundingPaid: books.fundingPaid,
    // At the end of the data the books are marked to the last closes. A run stopped before (a paper run) is not
    // marked again, which would add an event the full run does not have: its equity is the books' at the last close.
    finalEquity: desk.done ? desk.core.deskEquity().toNumber() : desk.books.equity(),
    finalCash: books.cashNow(),
    initialEquity,
    fingerprint: fingerprintOf(fills),
    denials: books.denials,
    denialReasons: books.denialTally.reasons(),
    rejectionReasons: books.rejectionTally.reasons(),
    strategyErrors: [],
    core: desk.core,
  };
}

/**
 * Bars replayed of each series, from what the desk tells: the close time of the bar it would replay next (undefined
 * at the end) and how many it has replayed. It replays in order of close time, ties in the order of its series, so
 * every bar closing before the next one's close is done, and the bars closing with it that are done (the count
 * beyond the others) are the first series' in order.
 */
export function barsReplayed(series: readonly BarSeries[], nextClose: number | undefined, replayed: number): number[] {
  if (nextClose === undefined) return series.map((s) => s.length);
  const before = series.map((s) => closingBefore(s, nextClose));
  let tied = replayed - before.reduce((n, count) => n + count, 0);
  return series.map((s, i) => {
    const count = before[i] as number;
    if (tied <= 0 || count >= s.length || (s.ts[count] as number) + s.timeframeMs !== nextClose) return count;
    tied -= 1;
    return count + 1;
  });
}

/** How many bars of a series close before `ts`. */
function closingBefore(series: BarSeries, ts: number): number {
  let low = 0;
  let high = series.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((series.ts[middle] as number) + series.timeframeMs < ts) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Runs a desk over its whole data, as fast as it goes. */
export function runDeskBacktest(inputs: DeskRunInputs, onProgress?: (processed: number, total: number) => void): { desk: Desk; run: BacktestRun } {
  const desk = buildDesk(inputs);
  const trades = trackTrades(desk);
  const initialEquity = desk.core.deskEquity().toNumber();
  desk.runToEnd(onProgress);
  return { desk, run: deskRun(desk, trades, initialEquity) };
}

/** The same run for desks with model-driven brains: every answer is awaited before the clock moves. */
export async function runDeskBacktestAsync(inputs: DeskRunInputs, onProgress?: (processed: number, total: number) => void): Promise<{ desk: Desk; run: BacktestRun }> {
  const desk = buildDesk(inputs);
  const trades = trackTrades(desk);
  const initialEquity = desk.core.deskEquity().toNumber();
  if (desk.asynchronous) await desk.runToEndAsync(onProgress);
  else desk.runToEnd(onProgress);
  return { desk, run: deskRun(desk, trades, initialEquity) };
}
