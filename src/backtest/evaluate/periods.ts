/**
 * Splitting a desk's data into consecutive periods, each run as a backtest of its own (fresh capital, flat books).
 * The first instrument of the desk with bars sets the calendar: its bars are cut into `count` runs of (nearly)
 * equal length, and every other series, funding rate and mark price is cut at the same times, so a period holds
 * the same stretch of time on every instrument.
 */
import { FixRequestError } from '../../core/errors.js';
import type { InstrumentId } from '../../core/ids.js';
import { sliceSeries, type BarSeries } from '../../data/bar-series.js';
import type { DeskData } from '../../engine/desk/desk-data.js';

export interface Period {
  /** 0-based, in time order. */
  readonly index: number;
  /** Open time of the period's first bar, and of its last bar (of the calendar series). */
  readonly startTs: number;
  readonly endTs: number;
  /** Bars of the calendar series in the period. */
  readonly bars: number;
  readonly data: DeskData;
}

/** Cuts `data` into `count` consecutive periods; `order` is the desk's instrument order (the first with bars leads). */
export function splitPeriods(data: DeskData, order: readonly InstrumentId[], count: number): Period[] {
  if (!Number.isInteger(count) || count < 1) throw new FixRequestError('invalid_periods', `periods must be a positive integer, got ${count}`);
  const lead = order.map((id) => data.series.get(id)).find((s): s is BarSeries => s !== undefined && s.length > 0);
  if (lead === undefined) throw new FixRequestError('empty_data', 'the desk has no bars to evaluate');
  if (count > lead.length) {
    throw new FixRequestError('invalid_periods', `${count} periods are more than the ${lead.length} bars of ${lead.instrumentId}`);
  }
  const cuts = Array.from({ length: count + 1 }, (_, k) => Math.floor((k * lead.length) / count));
  const periods: Period[] = [];
  for (let k = 0; k < count; k++) {
    const from = cuts[k] as number;
    const to = cuts[k + 1] as number;
    const startTs = lead.ts[from] as number;
    // The last period keeps everything after its start, so no bar of another series falls between periods.
    const endExclusive = k === count - 1 ? Infinity : (lead.ts[to] as number);
    const series = new Map<InstrumentId, BarSeries>();
    for (const [id, s] of data.series) series.set(id, sliceSeries(s, firstAtOrAfter(s.ts, k === 0 ? -Infinity : startTs), firstAtOrAfter(s.ts, endExclusive)));
    const extras = data.extras.filter((e) => (k === 0 || e.ts >= startTs) && e.ts < endExclusive);
    periods.push({ index: k, startTs, endTs: lead.ts[to - 1] as number, bars: to - from, data: { series, extras } });
  }
  return periods;
}

/** The index of the first time >= t in ascending times (their length when none is). */
function firstAtOrAfter(times: Float64Array, t: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((times[middle] as number) < t) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** What a period must hold for one analyst: its warm-up and then at least two bars (one to decide, one to fill). */
export interface WarmupNeed {
  readonly analyst: string;
  readonly strategy: string;
  readonly warmup: number;
  readonly instruments: readonly InstrumentId[];
}

/**
 * Refuses periods too short for an analyst's warm-up, saying how many periods the data allows: the most (below the
 * count asked for) whose periods all hold every analyst's warm-up on each of its instruments, cut as `splitPeriods`
 * cuts them. The search starts from what the shortest instrument's own bars allow, since an instrument of a longer
 * timeframe or a shorter history has fewer bars in a period than the lead series.
 */
export function requireWarmup(periods: readonly Period[], needs: readonly WarmupNeed[], data: DeskData, order: readonly InstrumentId[]): void {
  const short = shortfall(periods, needs);
  if (short === undefined) return;
  const { period, need, id, bars } = short;
  const most = mostPeriods(data, order, needs, periods.length - 1);
  const advice = most === 0 ? `the data holds too few bars of ${id} for it even as one period` : `use at most ${most} period${most === 1 ? '' : 's'}`;
  throw new FixRequestError(
    'period_too_short',
    `period ${period.index + 1} of ${periods.length} has ${bars} bars of ${id}, but analyst ${need.analyst} (${need.strategy}) needs a ${need.warmup}-bar warm-up and 2 bars to trade; ${advice}`,
  );
}

/** The first period and analyst instrument without the warm-up and two bars, if any. */
function shortfall(periods: readonly Period[], needs: readonly WarmupNeed[]): { period: Period; need: WarmupNeed; id: InstrumentId; bars: number } | undefined {
  for (const need of needs) {
    for (const period of periods) {
      for (const id of need.instruments) {
        const bars = period.data.series.get(id)?.length ?? 0;
        if (bars < need.warmup + 2) return { period, need, id, bars };
      }
    }
  }
  return undefined;
}

/** The largest count of periods up to `below` that holds every warm-up, or 0 when even one period does not. */
function mostPeriods(data: DeskData, order: readonly InstrumentId[], needs: readonly WarmupNeed[], below: number): number {
  let start = below;
  for (const need of needs) for (const id of need.instruments) start = Math.min(start, Math.floor((data.series.get(id)?.length ?? 0) / (need.warmup + 2)));
  for (let count = start; count >= 1; count--) if (shortfall(splitPeriods(data, order, count), needs) === undefined) return count;
  return 0;
}
