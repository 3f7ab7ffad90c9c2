/**
 * Splitting a desk's data into consecutive periods, each run as a backtest of its own (fresh capital, flat books).
 * The calendar is the whole span of the data, every instrument together (from the first bar's open to the last
 * bar's close): it is cut into `count` stretches of (nearly) equal time, each cut moved to the next bar open of any
 * series, and every series, funding rate and mark price is cut at the same times, so a period holds the same
 * stretch of time on every instrument and no instrument's bars before or after another's fall outside the periods.
 */
import { FixRequestError } from '../../core/errors.js';
import type { InstrumentId } from '../../core/ids.js';
import { sliceSeries, type BarSeries } from '../../data/bar-series.js';
import type { DeskData } from '../../engine/desk/desk-data.js';

export interface Period {
  /** 0-based, in time order. */
  readonly index: number;
  /** Open time of the period's first bar and of its last bar, of any instrument. */
  readonly startTs: number;
  readonly endTs: number;
  /** Bars of every instrument in the period together (the desk replays them all). */
  readonly bars: number;
  readonly data: DeskData;
}

/** Cuts `data` into `count` consecutive periods of nearly equal time over the span of all its series. */
export function splitPeriods(data: DeskData, count: number): Period[] {
  if (!Number.isInteger(count) || count < 1) throw new FixRequestError('invalid_periods', `periods must be a positive integer, got ${count}`);
  const all = [...data.series.values()].filter((s) => s.length > 0);
  if (all.length === 0) throw new FixRequestError('empty_data', 'the desk has no bars to evaluate');
  const opens = barOpens(all);
  if (count > opens.length) throw new FixRequestError('invalid_periods', `${count} periods are more than the ${opens.length} bar times of the data`);
  const first = opens[0] as number;
  const end = Math.max(...all.map((s) => (s.ts[s.length - 1] as number) + s.timeframeMs));
  // Each cut at the first bar open at or after its share of the span, every period keeping at least one bar open.
  const cuts = [0];
  for (let k = 1; k < count; k++) {
    const at = firstAtOrAfter(opens, first + ((end - first) * k) / count);
    cuts.push(Math.min(Math.max(at, (cuts[k - 1] as number) + 1), opens.length - (count - k)));
  }
  const periods: Period[] = [];
  for (let k = 0; k < count; k++) {
    const from = k === 0 ? -Infinity : (opens[cuts[k] as number] as number);
    // The last period keeps everything after its start, so no bar falls between periods.
    const to = k === count - 1 ? Infinity : (opens[cuts[k + 1] as number] as number);
    const series = new Map<InstrumentId, BarSeries>();
    for (const [id, s] of data.series) series.set(id, sliceSeries(s, firstAtOrAfter(s.ts, from), firstAtOrAfter(s.ts, to)));
    const extras = data.extras.filter((e) => e.ts >= from && e.ts < to);
    const held = [...series.values()].filter((s) => s.length > 0);
    periods.push({
      index: k,
      startTs: Math.min(...held.map((s) => s.ts[0] as number)),
      endTs: Math.max(...held.map((s) => s.ts[s.length - 1] as number)),
      bars: held.reduce((sum, s) => sum + s.length, 0),
      data: { series, extras },
    });
  }
  return periods;
}

/** The distinct bar open times of every series, ascending. */
function barOpens(series: readonly BarSeries[]): Float64Array {
  const times = new Float64Array(series.reduce((n, s) => n + s.length, 0));
  let at = 0;
  for (const s of series) {
    times.set(s.ts, at);
    at += s.length;
  }
  times.sort();
  let distinct = 0;
  for (let i = 0; i < times.length; i++) if (i === 0 || times[i] !== times[distinct - 1]) times[distinct++] = times[i] as number;
  return times.subarray(0, distinct);
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
 * timeframe or a shorter history has fewer bars in a period than a finer one.
 */
export function requireWarmup(periods: readonly Period[], needs: readonly WarmupNeed[], data: DeskData): void {
  const short = shortfall(periods, needs);
  if (short === undefined) return;
  const { period, need, id, bars } = short;
  const most = mostPeriods(data, needs, periods.length - 1);
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
function mostPeriods(data: DeskData, needs: readonly WarmupNeed[], below: number): number {
  let start = below;
  for (const need of needs) for (const id of need.instruments) start = Math.min(start, Math.floor((data.series.get(id)?.length ?? 0) / (need.warmup + 2)));
  for (let count = start; count >= 1; count--) if (shortfall(splitPeriods(data, count), needs) === undefined) return count;
  return 0;
}
