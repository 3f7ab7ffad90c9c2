import { TestClock } from '../core/clock.js';
import { FixRequestError } from '../core/errors.js';
import { Fixed } from '../core/fixed.js';
import { agentId, intentId, IdGenerator, type Currency, type InstrumentId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import type { DeskEvent } from '../domain/events.js';
import { CurrencyScales } from '../domain/instrument.js';
import { nextToClose, readBar } from '../data/bar-series.js';
import { formatTimeframe } from '../data/timeframe.js';
import { DenialTally } from '../engine/denial-tally.js';
import { SideDataQueue, type SideData } from '../engine/side-data-queue.js';
import { TradingCore, type TradingCoreConfig } from '../engine/trading-core.js';
import type { Signal, StrategyContext } from '../strategies/strategy.js';
import { SimulatedVenue } from '../venues/sim/sim-venue.js';
import { fingerprintOf, type BacktestConfig, type BacktestRun, type StrategyError } from './backtest-run.js';
import { FillList } from './fill-list.js';
import { assertSizing, positionSize, sizingWarmup } from './sizing.js';
import { lanesFor, type Lane } from './runner-lanes.js';
import { TradeTracker } from './trade-tracker.js';

const MAX_STRATEGY_ERRORS = 100;

/**
 * Runs a strategy over historical bars through the whole desk path: data -> strategy -> risk gate -> OMS ->
 * simulated venue -> ledger, on a simulated clock. Bars are processed in order of their close time (so a 1h bar
 * comes after the 1m bars inside it), the venue before the strategy. Equity is computed in float from the books'
 * cash and the positions at their last close, once per close time after every bar closing then (one point per bar
 * of a single series); the exact books are journaled at every fill and every `markEveryBars` bars, where the
 * breakers are checked.
 */
export function runBacktest(config: BacktestConfig): BacktestRun {
  assertSizing(config.sizing);
  const timeframes = new Set(config.series.map((series) => series.timeframeMs));
  if (config.strategy.pairsBarsByTime === true && timeframes.size > 1) {
    const names = config.series.map((series) => `${series.instrumentId} ${formatTimeframe(series.timeframeMs)}`).join(', ');
    throw new FixRequestError('mixed_timeframes', `${config.strategy.name} pairs its instruments' bars by time: give series of one timeframe (got ${names})`);
  }
  // Signals are acted on once the strategy has warmed up and the sizing has the history it needs.
  const warmup = Math.max(config.strategy.warmup, sizingWarmup(config.sizing));
  const instruments = new Map(config.instruments.map((i) => [i.id, i]));
  const scales = config.scales ?? new CurrencyScales();
  const lanes = lanesFor(config.series, instruments);
  const byInstrument = new Map(lanes.map((lane) => [lane.instrument.id, lane]));
  const first = lanes.reduce((t, lane) => Math.min(t, lane.series.length > 0 ? (lane.series.ts[0] as number) : Infinity), Infinity);
  const clock = new TestClock((Number.isFinite(first) ? first : 0) as UnixMs);
  const coreConfig: TradingCoreConfig = {
    instruments: config.instruments,
    limits: config.limits ?? {},
    valuationCurrency: config.valuationCurrency,
    scales,
    ...(config.leverage ? { leverage: config.leverage } : {}),
  };
  const venue = new SimulatedVenue(config.instruments, scales, clock, {
    fillModel: 'bar',
    ...config.venue,
    ...(config.leverage ? { leverage: config.leverage } : {}),
    balances: config.cash,
  });
  const core = new TradingCore(coreConfig, { clock, venue, ids: new IdGenerator('ev') });
  for (const [code, amount] of Object.entries(config.cash)) core.deposit('desk', code as Currency, Fixed.parse(amount));

  const fills = new FillList();
  const trades = new TradeTracker((id) => instruments.get(id as InstrumentId)?.contractSize.toNumber() ?? 1);
  let cash = core.deskEquity().toNumber();
  const initialEquity = cash;
  let feesPaid = 0;
  let fundingPaid = 0;
  let tradedNotional = 0;
  const denials = new DenialTally();
  const rejections = new DenialTally();
  let currentIndex = 0;
  const valuation = config.valuationCurrency;
  const valuationScale = scales.of(valuation);
  const cashOf = (): number => {
    const journal = core.ledger.journal;
    const units = journal.raw('desk', 'cash', valuation) + journal.raw('desk', 'reserved', valuation) + journal.raw('desk', 'margin', valuation);
    return Fixed.fromUnits(units, valuationScale).toNumber();
  };

  const reopening: (() => unknown)[] = [];
  const sendReopening = (): void => {
    for (const open of reopening.splice(0, reopening.length)) open();
  };
  core.events.subscribe((event: DeskEvent) => {
    switch (event.type) {
      case 'OrderFilled': {
        const fill = event.fill;
        traded(event.tsEvent, fill.instrumentId, fill.side, fill.quantity, fill.price, fill.fee);
        break;
      }
      case 'PositionLiquidated':
        // A liquidation is a fill the venue forced: it is in the fill list (and the fingerprint) like any other.
        traded(event.tsEvent, event.instrumentId, event.side, event.quantity, event.price, event.fee);
        break;
      case 'FundingApplied':
        fundingPaid += event.amount.toNumber();
        trades.onFunding(event.instrumentId, event.amount.toNumber());
        cash = cashOf();
        break;
      case 'OrderSubmitted': {
        const lane = byInstrument.get(event.order.instrumentId);
        if (lane !== undefined) lane.pending += 1;
        break;
      }
      case 'OrderRejected':
        rejections.addRejection(event.reason);
        settlePending(event.clientOrderId);
        break;
      case 'OrderCanceled':
      case 'OrderExpired':
        settlePending(event.clientOrderId);
        break;
      case 'IntentDenied':
        denials.add(event.code, event.detail);
        break;
      default:
        break;
    }
    if (event.type === 'OrderFilled') {
      const record = core.oms.get(event.fill.clientOrderId);
      if (record?.status === 'filled') {
        settle(record.spec.instrumentId);
        const lane = byInstrument.get(record.spec.instrumentId);
        const reopen = lane?.reopen;
        if (lane !== undefined && reopen !== undefined && reopen.clientOrderId === event.fill.clientOrderId) {
          lane.reopen = undefined;
          // Sent once the venue has finished with the bar, not from inside the fill's own event.
          reopening.push(reopen.open);
        }
      }
    }
  });

  /** A fill or a liquidation: into the fill list, the costs, the trades, the position mirror and the cash. */
  function traded(ts: UnixMs, instrumentId: InstrumentId, side: 'buy' | 'sell', quantity: Fixed, unitPrice: Fixed, cost: Fixed): void {
    const lane = byInstrument.get(instrumentId);
    const qty = quantity.toNumber();
    const price = unitPrice.toNumber();
    const fee = cost.toNumber();
    fills.push(ts, instrumentId, side, qty, price, fee);
    feesPaid += fee;
    tradedNotional += qty * price * (lane?.contractSize ?? 1);
    trades.onFill(instrumentId, lane?.index ?? currentIndex, ts, side, qty, price, fee);
    if (lane !== undefined) syncPosition(lane);
    cash = cashOf();
  }

  function settlePending(clientOrderId: string): void {
    const record = core.oms.get(clientOrderId as never);
    if (record === undefined) return;
    settle(record.spec.instrumentId);
    // A flip whose close ended without filling does not open the other side.
    const lane = byInstrument.get(record.spec.instrumentId);
    if (lane?.reopen?.clientOrderId === clientOrderId) lane.reopen = undefined;
  }

  function settle(instrumentId: InstrumentId): void {
    const lane = byInstrument.get(instrumentId);
    if (lane !== undefined && lane.pending > 0) lane.pending -= 1;
  }

  function syncPosition(lane: Lane): void {
    const position = core.ledger.position('desk', lane.instrument.id);
    lane.quantity = position?.quantity.toNumber() ?? 0;
    const basis = position?.costBasis.toNumber() ?? 0;
    lane.basis = position?.quantity.isNegative() === true ? -basis : basis;
  }

  const signals: Signal[] = [];
  /**
   * Signals of a warm strategy while the sizing still gathers its history (a volatility target's lookback beyond the
   * strategy's warm-up): the latest per instrument waits until the warm-up is over and that instrument's own bars
   * cover the lookback. A strategy that says a thing once (buy and hold, a carry entry) would otherwise never trade.
   */
  const waitingSignals = new Map<InstrumentId, { readonly lane: Lane; readonly signal: Signal }>();
  const strategyWarmup = config.strategy.warmup;
  const sizingBars = sizingWarmup(config.sizing);
  /** The signal's own instrument has the history its sizing needs (another leg's lane may be behind). */
  const sizable = (signal: Signal): boolean => (byInstrument.get(signal.instrumentId)?.venueIndex ?? -1) >= sizingBars;
  const takeSignals = (lane: Lane, index: number): void => {
    if (index >= strategyWarmup) for (const signal of signals) waitingSignals.set(signal.instrumentId, { lane, signal });
    signals.length = 0;
    if (index < warmup) return;
    for (const [id, waiting] of waitingSignals) {
      if (!sizable(waiting.signal)) continue;
      waitingSignals.delete(id);
      act(waiting.lane, waiting.signal);
    }
  };
  const context: StrategyContext = {
    position: (id) => byInstrument.get(id)?.quantity ?? 0,
    hasPendingOrder: (id) => (byInstrument.get(id)?.pending ?? 0) > 0,
    emit: (signal) => {
      signals.push(signal);
    },
  };

  const strategyErrors: StrategyError[] = [];
  /** A strategy exception becomes a journaled StrategyErrored event (the first 100 are kept in the result too). */
  const guardError = (ts: number, instrumentId: InstrumentId, error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error);
    core.recordStrategyError(agentId(config.strategy.name), instrumentId, message, ts as UnixMs);
    if (strategyErrors.length < MAX_STRATEGY_ERRORS) strategyErrors.push({ ts, instrumentId, message });
  };
  const barsPerYear = (lane: Lane): number => (lane.series.timeframeMs > 0 ? (365 * 86_400_000) / lane.series.timeframeMs : 365);
  const equityOf = (): number => {
    let equity = cash;
    for (const lane of lanes) {
      if (lane.quantity === 0 || Number.isNaN(lane.lastClose)) continue;
      const value = lane.quantity * lane.lastClose * lane.contractSize;
      if (lane.spot) equity += value;
      else equity += value - lane.basis;
    }
    return equity;
  };

  const act = (lane: Lane, signal: Signal): void => {
    const target = byInstrument.get(signal.instrumentId) ?? lane;
    if (target.pending > 0) return;
    const held = target.quantity;
    const perp = target.instrument.kind === 'perpetual';
    const direction = signal.direction === 'short' && !perp ? 'flat' : signal.direction;
    const close = target.lastClose;
    if (!(close > 0)) return;
    let quantity = 0;
    let side: 'buy' | 'sell' = 'buy';
    let reduceOnly = false;
    if (direction === 'flat') {
      if (held === 0) return;
      side = held > 0 ? 'sell' : 'buy';
      quantity = Math.abs(held);
      reduceOnly = true;
    } else {
      const wantLong = direction === 'long';
      if ((wantLong && held > 0) || (!wantLong && held < 0)) return;
      // The target's last bar handed to the venue: another lane than the one being processed has moved its index on.
      const size = positionSize(config.sizing, close, equityOf(), signal.conviction, target.series.close, target.venueIndex, barsPerYear(target));
      if (!(size > 0)) {
        // Nothing to open (no equity left, no conviction, a flat price history under a volatility target): said so
        // in the result rather than dropped without a word.
        denials.add('no_size', `the ${config.sizing.kind} sizing gave no quantity for a ${direction} signal on ${target.instrument.id} at ${new Date(clock.now()).toISOString()}`);
        return;
      }
      side = wantLong ? 'buy' : 'sell';
      quantity = Math.abs(held) + size;
    }
    if (!(quantity > 0)) return;
    core.updateMarket(target.instrument.id, Fixed.fromNumberApprox(close, target.instrument.tickSize.scale + 4), clock.now());
    const id = `${config.strategy.name}.${target.index}.${target.tag}`;
    const submit = (suffix: string, size: number, closing: boolean): ReturnType<typeof core.submitIntent> =>
      core.submitIntent({
        id: intentId(`${id}${suffix}`),
        agentId: agentId(config.strategy.name),
        owner: 'desk',
        instrumentId: target.instrument.id,
        side,
        quantity: Fixed.fromNumberApprox(size, target.instrument.lotSize.scale + 2, 'down'),
        type: 'market',
        ...(closing ? { reduceOnly: true } : {}),
        tsEvent: clock.now(),
      });
    const outcome = submit('', quantity, reduceOnly);
    // A flip the account cannot hold whole (margin or cash is asked for the full quantity while the position still
    // holds its own): close what is held and open the new side with what that leaves, both at the next open; an open
    // leg those funds cannot pay for yet is sent again once the close has filled and freed the position's own.
    if (outcome.status === 'denied' && outcome.code === 'insufficient_funds' && held !== 0 && !reduceOnly) {
      // The whole flip's denial is journaled, but the split goes on: the result counts only what the split is refused.
      denials.retract(outcome.code);
      const closing = submit('.close', Math.abs(held), true);
      const opening = submit('.open', quantity - Math.abs(held), false);
      if (closing.status === 'submitted' && opening.status === 'denied' && opening.code === 'insufficient_funds') {
        denials.retract(opening.code);
        const open = (): void => {
          core.updateMarket(target.instrument.id, Fixed.fromNumberApprox(target.lastClose, target.instrument.tickSize.scale + 4), clock.now());
          submit('.reopen', quantity - Math.abs(held), false);
        };
        target.reopen = { clientOrderId: closing.clientOrderId, open };
      }
    }
  };

  // Funding and marks merged in by time (see SideDataQueue for the order against each instrument's bars).
  const sideData = new SideDataQueue([...(config.funding ?? []), ...(config.marks ?? [])], byInstrument);
  const onSideData = (item: SideData): void => {
    if (item.ts > clock.now()) clock.advanceTo(item.ts);
    venue.onData(item);
    if (reopening.length > 0) sendReopening();
    if (item.type !== 'funding-rate' || config.strategy.onFunding === undefined) return;
    const lane = byInstrument.get(item.instrumentId);
    if (lane === undefined) return;
    try {
      config.strategy.onFunding(item.instrumentId, item.ts, item.rate, context);
    } catch (error) {
      guardError(item.ts, item.instrumentId, error);
    }
    if (signals.length > 0 || waitingSignals.size > 0) takeSignals(lane, lane.index);
  };
  const total = lanes.reduce((n, lane) => n + lane.series.length, 0);
  // At most one point a bar: several instruments share a point when their bars close at the same time.
  const equity = new Float64Array(total);
  // With one series the points are its bars in order, so their times are the series' own: the result shares them
  // (read-only, like the series) instead of copying 8 bytes a bar.
  const seriesTimes = lanes.length === 1 ? lanes[0]!.series.ts : undefined;
  const times = seriesTimes ?? new Float64Array(total);
  const markEvery = Math.max(1, config.markEveryBars ?? (lanes[0] !== undefined && lanes[0].series.timeframeMs > 0 ? Math.ceil(86_400_000 / lanes[0].series.timeframeMs) : 1));
  const held = (): boolean => {
    for (const lane of lanes) if (lane.quantity !== 0) return true;
    return false;
  };
  let exposureBars = 0;
  let processed = 0;
  // The point being taken: its close time, and whether a position was open after the last bar closing then.
  let points = 0;
  let pointClose = Number.NaN;
  let pointHeld = false;

  while (processed < total) {
    const lane = nextToClose(lanes);
    if (lane === undefined) break;
    const i = lane.index;
    const s = lane.series;
    const closeTs = (s.ts[i] as number) + s.timeframeMs;
    if (closeTs !== pointClose) {
      // Every bar closing at the last point's time is done: the point is final, and a new one starts here.
      if (pointHeld) exposureBars += 1;
      pointClose = closeTs;
      points += 1;
      if (seriesTimes === undefined) times[points - 1] = s.ts[i] as number;
    } else if (seriesTimes === undefined && (s.ts[i] as number) > (times[points - 1] as number)) times[points - 1] = s.ts[i] as number;
    sideData.drain(closeTs, onSideData);
    clock.advanceTo(closeTs as UnixMs);
    currentIndex = i;
    const bar = lane.venueBar;
    readBar(s, i, bar);
    lane.lastClose = bar.close;
    venue.onBar(bar);
    lane.venueIndex = i;
    if (reopening.length > 0) sendReopening();
    sideData.drain(closeTs, onSideData);
    const view = lane.view;
    view.index = i;
    readBar(s, i, view);
    try {
      config.strategy.onBar(view, context);
    } catch (error) {
      guardError(bar.ts, lane.instrument.id, error);
    }
    if (signals.length > 0 || waitingSignals.size > 0) takeSignals(lane, i);
    // Taken after each bar; the last bar closing at the point's time has the final word.
    equity[points - 1] = equityOf();
    pointHeld = held();
    processed += 1;
    lane.index = i + 1;
    if (processed % markEvery === 0) markAll();
    if ((processed & 0xffff) === 0) config.onProgress?.(processed, total);
  }
  if (pointHeld) exposureBars += 1;
  config.onProgress?.(processed, total);

  function markAll(): void {
    const marks = lanes
      .filter((l) => !Number.isNaN(l.lastClose))
      .map((l) => ({ instrumentId: l.instrument.id, price: Fixed.fromNumberApprox(l.lastClose, l.instrument.tickSize.scale + 4) }));
    if (marks.length > 0) core.markToMarket(marks);
  }

  markAll();
  const finalEquity = core.deskEquity().toNumber();
  // Each lane's index is its own bar count, the count its fills' indexes were taken on.
  trades.closeAtEnd(times[points - 1] ?? 0, new Map(lanes.map((l) => [l.instrument.id as string, { price: l.lastClose, index: l.index }])));
  return {
    fills,
    trades: trades.trades,
    equity: equity.subarray(0, points),
    ts: times.subarray(0, points),
    bars: processed,
    seriesBars: lanes.map((l) => l.index),
    exposureBars,
    tradedNotional,
    feesPaid,
    fundingPaid,
    finalEquity,
    finalCash: cashOf(),
    initialEquity,
    fingerprint: fingerprintOf(fills),
    denials: denials.total,
    denialReasons: denials.reasons(),
    rejectionReasons: rejections.reasons(),
    strategyErrors,
    core,
  };
}
