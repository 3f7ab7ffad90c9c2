/**
 * Calibrating the random agent to the desk's turnover: its traded notional, book by book. Fees, slippage and the
 * capital at risk grow with the notional traded, not with the number of round trips, so a random agent matched on
 * trades alone can trade far more (or less) than the desk: a rebalance of part of a position is no round trip, and
 * a quiet analyst beside a busy one would get the busy one's switching rate. So every book the analysts trade in
 * gets its own switching probability: a sleeve (its analysts share it) or, when the manager nets the analysts' views
 * into one desk book (weighted, consensus), that one book for all of them.
 *
 * The first guess is the rate that makes the book's expected round trips equal the desk's there (a long/flat agent
 * opens a trade on half of its switches, a long/flat/short one on two thirds); then each book's probability is
 * rescaled by the notional it actually traded, up to eight runs together (books share the capital the judge
 * allocates), keeping the run with the least notional mismatched, summed over the books, as a share of the desk's
 * (a small book's miss weighs little). Stops, take-profits and the gate make the first guess miss; the rescale
 * fixes most of it. The notional moves in steps of a trade, and one more switch changes the whole path after it,
 * so a book of few trades may not be matched closely: the report shows the ratio and warns when it is far off.
 */
import { DESK_BOOK_MODES } from '../../agents/decision-modes/index.js';
import type { DeskConfig } from '../../config/desk-schema.js';
import { DESK_OWNER } from '../../engine/desk/manager-role.js';
import type { Desk } from '../../engine/desk/desk.js';
import { runDeskBacktest } from '../desk-backtest.js';
import type { AnalystProfile } from './baselines.js';
import { randomDesk } from './baselines.js';
import type { Period } from './periods.js';
import type { BookCalibration, RunMetrics } from './report.js';

const MAX_CALIBRATION_RUNS = 8;
/** A run whose notional mismatched book by book is within this share of the desk's ends the search. */
const CLOSE_ENOUGH = 0.05;

/** What the desk did in each book on its run of a period: the notional and the round trips. */
export interface BookActivity {
  readonly notional: number;
  readonly trades: number;
}

/** The book each analyst trades in: its sleeve, or the desk book when the manager nets the views. */
export function bookOf(config: DeskConfig, profile: AnalystProfile): string {
  if (DESK_BOOK_MODES.has(config.manager.mode)) return DESK_OWNER;
  const agent = config.agents.find((a) => a.id === profile.analyst);
  return agent !== undefined && agent.role === 'analyst' ? agent.sleeve : DESK_OWNER;
}

/** Traded notional (quantity x contract size x price) and round trips of a finished desk run, by book. */
export function activityByBook(desk: Desk, trades: readonly { readonly instrument: string }[]): Map<string, BookActivity> {
  const contractSizes = new Map(desk.setup.instruments.map((i) => [i.id as string, i.contractSize.toNumber()]));
  const books = new Map<string, { notional: number; trades: number }>();
  const entry = (owner: string) => {
    let seen = books.get(owner);
    if (seen === undefined) books.set(owner, (seen = { notional: 0, trades: 0 }));
    return seen;
  };
  for (const fill of desk.books.fills) entry(fill.owner).notional += fill.qty * fill.price * (contractSizes.get(fill.instrument) ?? 1);
  // Trades are keyed `owner|instrument`.
  for (const trade of trades) entry(trade.instrument.slice(0, trade.instrument.indexOf('|'))).trades += 1;
  return books;
}

export interface CalibrationInputs {
  readonly config: DeskConfig;
  readonly period: Period;
  readonly profiles: readonly AnalystProfile[];
  /** Seeds the random agents' choices. */
  readonly seed: number;
  readonly deskSeed: number;
  /** The desk's activity by book on its run of the period. */
  readonly desk: ReadonlyMap<string, BookActivity>;
  readonly convictions: ReadonlyMap<string, number>;
  /** Analysts whose agents may go short (they did on the desk's run, on perpetuals). */
  readonly shorts: ReadonlySet<string>;
  /** Measures a finished random run. */
  readonly measure: (run: ReturnType<typeof runDeskBacktest>) => RunMetrics;
}

/** Runs the random desk with each book's switching probability calibrated to the desk's notional there. */
export function calibratedRandom(inputs: CalibrationInputs): { metrics: RunMetrics; calibration: BookCalibration[] } {
  const { config, period, profiles, desk } = inputs;
  const books = new Map<string, { analysts: string[]; capacity: number }>();
  for (const profile of profiles) {
    const book = bookOf(config, profile);
    const entry = books.get(book) ?? { analysts: [], capacity: 0 };
    entry.analysts.push(profile.analyst);
    const tradesPerSwitch = profile.mayShort && inputs.shorts.has(profile.analyst) ? 2 / 3 : 1 / 2;
    for (const id of profile.instruments) entry.capacity += Math.max(0, (period.data.series.get(id)?.length ?? 0) - profile.warmup) * tradesPerSwitch;
    books.set(book, entry);
  }
  const probabilities = new Map<string, number>();
  for (const [book, { capacity }] of books) {
    const target = desk.get(book) ?? { notional: 0, trades: 0 };
    const trades = target.notional > 0 ? Math.max(1, target.trades) : 0;
    probabilities.set(book, trades === 0 || capacity === 0 ? 0 : Math.min(1, trades / capacity));
  }
  let best: { metrics: RunMetrics; calibration: BookCalibration[]; miss: number } | undefined;
  const brackets = new Map<string, Bracket>();
  for (let attempt = 0; attempt < MAX_CALIBRATION_RUNS; attempt++) {
    const byAnalyst = new Map(profiles.map((p) => [p.analyst, probabilities.get(bookOf(config, p)) ?? 0]));
    const random = runDeskBacktest({ config: randomDesk(config, inputs.seed, byAnalyst, inputs.convictions, inputs.shorts), data: period.data, seed: inputs.deskSeed });
    const traded = activityByBook(random.desk, random.run.trades);
    const calibration = [...books].map(([book, { analysts }]): BookCalibration => ({
      book,
      analysts,
      switchProbability: probabilities.get(book) ?? 0,
      deskTurnover: desk.get(book)?.notional ?? 0,
      turnover: traded.get(book)?.notional ?? 0,
    }));
    for (const c of calibration) brackets.set(c.book, narrowed(brackets.get(c.book) ?? {}, c));
    const target = calibration.reduce((sum, c) => sum + c.deskTurnover, 0);
    const mismatched = calibration.reduce((sum, c) => sum + Math.abs(c.turnover - c.deskTurnover), 0);
    const miss = target === 0 ? (mismatched === 0 ? 0 : Infinity) : mismatched / target;
    if (best === undefined || miss < best.miss) best = { metrics: inputs.measure(random), calibration, miss };
    if (miss <= CLOSE_ENOUGH) break;
    let moved = false;
    for (const c of calibration) {
      const next = nextProbability(c, brackets.get(c.book) ?? {});
      if (next !== c.switchProbability) moved = true;
      probabilities.set(c.book, next);
    }
    if (!moved) break;
  }
  const chosen = best as { metrics: RunMetrics; calibration: BookCalibration[] };
  return { metrics: chosen.metrics, calibration: chosen.calibration };
}

/** The closest rates tried so far that traded less (`below`) and more (`above`) than the desk in a book. */
interface Bracket {
  readonly below?: { readonly probability: number; readonly turnover: number };
  readonly above?: { readonly probability: number; readonly turnover: number };
}

function narrowed(bracket: Bracket, c: BookCalibration): Bracket {
  const point = { probability: c.switchProbability, turnover: c.turnover };
  if (c.turnover < c.deskTurnover) return bracket.below === undefined || c.switchProbability > bracket.below.probability ? { ...bracket, below: point } : bracket;
  return bracket.above === undefined || c.switchProbability < bracket.above.probability ? { ...bracket, above: point } : bracket;
}

/**
 * The next rate for a book: scaled by the notional it missed by until the desk's notional is bracketed, then
 * interpolated between the two closest rates (the notional grows with the rate, though in steps of a trade, so a
 * plain rescale can jump back and forth across the target).
 */
function nextProbability(c: BookCalibration, { below, above }: Bracket): number {
  if (c.deskTurnover === 0) return 0;
  if (below !== undefined && above !== undefined && above.probability > below.probability) {
    const share = (c.deskTurnover - below.turnover) / Math.max(above.turnover - below.turnover, Number.EPSILON);
    return below.probability + Math.min(1, Math.max(0, share)) * (above.probability - below.probability);
  }
  // A book that traded nothing at its rate gets four times the rate (there is no notional to scale by).
  return Math.min(1, c.turnover === 0 ? c.switchProbability * 4 : (c.switchProbability * c.deskTurnover) / c.turnover);
}
