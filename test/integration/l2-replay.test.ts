/**
 * Rebuilds the BTCUSDT USD-M futures book from a real Binance capture (../shared/data/l2) with Binance's sync
 * rules, and checks it against the bookTicker stream.
 *
 * Agreement is measured by update id, as both streams share one sequence (see BookTickerAgreement): for every
 * book state after an applied diff ending at `u`, the reference top is the last bookTicker with id <= `u`.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCaptureLines, type CaptureLine } from '../../src/adapters/files/capture-file.js';
import { BookTickerAgreement, type AgreementResult } from '../../src/data/binance/book-ticker-agreement.js';
import { parseCaptureLine, type CaptureRecord } from '../../src/data/binance/capture-line.js';
import { DepthSync, type DepthSyncCounters } from '../../src/data/binance/depth-sync.js';
import type { DepthDiff, DepthSnapshot } from '../../src/data/binance/messages.js';
import type { PriceLevel } from '../../src/venues/sim/book/order-book.js';

const here = dirname(fileURLToPath(import.meta.url));
const CAPTURE = resolve(here, '../../../shared/data/l2/binance-usdm-btcusdt-20240808.jsonl.gz');
const captureExists = existsSync(CAPTURE);
const dataRequired = process.env['REQUIRE_SHARED_DATA'] === '1';

if (!captureExists) {
  console.warn(`l2-replay: skipping the replay tests, ${CAPTURE} is absent (set REQUIRE_SHARED_DATA=1 to fail instead)`);
}

describe('shared L2 capture', () => {
  it('is present when REQUIRE_SHARED_DATA=1', () => {
    if (dataRequired) expect(captureExists, `${CAPTURE} is required but absent`).toBe(true);
  });
});

interface ReplayOutcome {
  readonly sync: DepthSync;
  readonly counters: DepthSyncCounters;
  readonly agreement: AgreementResult;
  /** Messages after which the book claimed to be tradable while crossed (must stay 0). */
  readonly crossedWhileTradable: number;
  readonly messagesWhileTradable: number;
  /** `line N: reason` for every loss of sync. */
  readonly syncLosses: string[];
  /** Lines that failed to parse (their messages are lost). */
  readonly badLines: string[];
}

/** Replays capture lines in file order; a line that fails to parse is reported and skipped, as a live feed would. */
function replay(lines: readonly (CaptureLine | CaptureRecord)[]): ReplayOutcome {
  const agreement = new BookTickerAgreement();
  const syncLosses: string[] = [];
  const badLines: string[] = [];
  let lineNumber = 0;
  const sync = new DepthSync(undefined, {
    onResyncNeeded: (reason) => syncLosses.push(`line ${lineNumber}: ${reason}`),
    onBookUpdated: (diff, book) => agreement.recordBook(diff, book),
  });
  let crossedWhileTradable = 0;
  let messagesWhileTradable = 0;
  for (const line of lines) {
    lineNumber = line.lineNumber;
    let record: CaptureRecord;
    try {
      record = 'message' in line ? line : parseCaptureLine(line.text, line.lineNumber);
    } catch (error) {
      badLines.push((error as Error).message);
      continue;
    }
    const message = record.message;
    if (message.kind === 'depth-snapshot') sync.onSnapshot(message);
    else if (message.kind === 'depth-diff') sync.onDiff(message);
    else if (message.kind === 'book-ticker') agreement.recordTicker(message);
    const book = sync.tradableBook();
    if (book !== undefined) {
      messagesWhileTradable += 1;
      if (book.isCrossed()) crossedWhileTradable += 1;
    }
  }
  return { sync, counters: sync.counters(), agreement: agreement.result(), crossedWhileTradable, messagesWhileTradable, syncLosses, badLines };
}

const levelsOf = (levels: readonly PriceLevel[]): [number, number][] => levels.map((level) => [level.price, level.size]);

function fullBook(sync: DepthSync): { bids: [number, number][]; asks: [number, number][] } {
  return {
    bids: levelsOf(sync.book.levels('bid', sync.book.depth('bid'))),
    asks: levelsOf(sync.book.levels('ask', sync.book.depth('ask'))),
  };
}

const percent = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(2)}%`;

describe.skipIf(!captureExists)('L2 replay of the Binance USD-M BTCUSDT capture', () => {
  const lines: CaptureLine[] = [];
  let records: CaptureRecord[] = [];
  let baseline: ReplayOutcome;
  /** Indexes (in `records`) of the depth diffs, in file order. */
  let diffIndexes: number[] = [];

  beforeAll(async () => {
    for await (const line of readCaptureLines(CAPTURE)) lines.push(line);
    records = lines.map((line) => parseCaptureLine(line.text, line.lineNumber));
    diffIndexes = records.flatMap((record, index) => (record.message.kind === 'depth-diff' ? [index] : []));
    baseline = replay(records);
  });

  it('reads every line of the capture', () => {
    expect(lines).toHaveLength(93_954);
    const kinds = new Map<string, number>();
    for (const record of records) kinds.set(record.message.kind, (kinds.get(record.message.kind) ?? 0) + 1);
    expect(Object.fromEntries(kinds)).toEqual({ 'depth-diff': 6_551, 'book-ticker': 66_089, trade: 21_313, 'depth-snapshot': 1 });
  });

  it('rebuilds the book with the sync rules: buffered diffs, four dropped as stale, an unbroken chain', () => {
    // The snapshot (line 55, lastUpdateId 5123107852948) arrives after the diff that straddles it (line 42),
    // so the six diffs before it are buffered: four end before it and are dropped, two are applied from the buffer.
    expect(baseline.counters).toEqual({
      diffsApplied: 6_547,
      diffsDropped: 4,
      diffsBuffered: 6,
      bufferOverflows: 0,
      chainBreaks: 0,
      snapshotGaps: 0,
      resyncs: 0,
      crossedDetections: 0,
      invalidDiffs: 0,
      levelsUpdated: 443_262,
      snapshotsApplied: 1,
      snapshotsRejected: 0,
    });
    expect(baseline.sync.state).toBe('in-sync');
    expect(baseline.sync.lastUpdateId).toBe(5_123_135_475_514);
    expect(baseline.syncLosses).toEqual([]);
  });

  it('is never presented crossed while in sync', () => {
    // Tradable from the snapshot on (line 55) to the last of the 93,954 lines.
    expect(baseline.messagesWhileTradable).toBe(93_954 - 54);
    expect(baseline.crossedWhileTradable).toBe(0);
  });

  it('agrees with the bookTicker stream at every book state, prices and sizes', () => {
    const result = baseline.agreement;
    console.log(
      `l2-replay: bookTicker agreement per book state (last ticker with id <= diff u): prices ${result.statesPricesAgree}/${result.statesCompared}` +
        ` (${percent(result.statesPricesAgree, result.statesCompared)}), prices and sizes ${result.statesPricesAndSizesAgree}/${result.statesCompared}` +
        ` (${percent(result.statesPricesAndSizesAgree, result.statesCompared)}); per ticker (latest book state with u <= ticker id, context only):` +
        ` prices ${result.tickersPricesAgree}/${result.tickersCompared} (${percent(result.tickersPricesAgree, result.tickersCompared)})`,
    );
    expect(result).toEqual({
      bookStates: 6_547,
      statesCompared: 6_547,
      statesPricesAgree: 6_547,
      statesPricesAndSizesAgree: 6_547,
      tickers: 66_089,
      tickersCompared: 66_056,
      tickersPricesAgree: 41_205,
      firstMismatch: undefined,
    });
  });

  it('marks the book out of sync on a wrong pu and rebuilds it from a later snapshot', () => {
    const broken = diffIndexes[1_000]!;
    const resumeAt = diffIndexes[1_010]!;
    const original = records[broken]!.message as DepthDiff;
    // A reference replay up to the later diff gives the snapshot a REST call would have returned at its u.
    const reference = replay(records.slice(0, resumeAt + 1));
    const resumeDiff = records[resumeAt]!.message as DepthDiff;
    const later: DepthSnapshot = {
      kind: 'depth-snapshot',
      lastUpdateId: resumeDiff.finalUpdateId,
      eventTime: resumeDiff.eventTime,
      transactionTime: resumeDiff.transactionTime,
      ...fullBook(reference.sync),
    };
    const corrupted: CaptureRecord[] = [
      ...records.slice(0, broken),
      { ...records[broken]!, message: { ...original, previousFinalUpdateId: original.previousFinalUpdateId - 1 } },
      ...records.slice(broken + 1, resumeAt + 1),
      { lineNumber: records[resumeAt]!.lineNumber, receivedAtNs: 0n, message: later },
      ...records.slice(resumeAt + 1),
    ];

    const outcome = replay(corrupted);

    expect(outcome.syncLosses).toEqual([
      `line ${records[broken]!.lineNumber}: chain break: diff U=${original.firstUpdateId} u=${original.finalUpdateId}` +
        ` has pu=${original.previousFinalUpdateId - 1}, the previous diff ended at u=${original.previousFinalUpdateId}`,
    ]);
    expect(outcome.counters).toMatchObject({ chainBreaks: 1, resyncs: 1, snapshotsApplied: 2, diffsDropped: 4 + 10, crossedDetections: 0 });
    expect(outcome.sync.state).toBe('in-sync');
    expect(outcome.crossedWhileTradable).toBe(0);
    expect(outcome.messagesWhileTradable).toBeLessThan(baseline.messagesWhileTradable);
    expect(fullBook(outcome.sync)).toEqual(fullBook(baseline.sync));
  });

  it('reports diffs delivered out of order as a chain break at the first one, by line and update id', () => {
    const first = diffIndexes[2_000]!;
    const second = diffIndexes[2_001]!;
    const swapped = [...records];
    swapped[first] = records[second]!;
    swapped[second] = records[first]!;
    const early = records[second]!.message as DepthDiff;

    const outcome = replay(swapped);

    expect(outcome.syncLosses).toEqual([
      `line ${records[second]!.lineNumber}: chain break: diff U=${early.firstUpdateId} u=${early.finalUpdateId}` +
        ` has pu=${early.previousFinalUpdateId}, the previous diff ended at u=${(records[diffIndexes[1_999]!]!.message as DepthDiff).finalUpdateId}`,
    ]);
    expect(outcome.counters).toMatchObject({ chainBreaks: 1, resyncs: 1, diffsApplied: 2_000 - 4 });
    // With no later snapshot in the capture the book stays out of sync, and empty, to the end.
    expect(outcome.sync.state).toBe('awaiting-snapshot');
    expect(outcome.sync.tradableBook()).toBeUndefined();
    expect(outcome.sync.book.depth('bid')).toBe(0);
  });

  it('rejects a crossed snapshot and syncs from the next good one to the same book', () => {
    const snapshotIndex = records.findIndex((record) => record.message.kind === 'depth-snapshot');
    const good = records[snapshotIndex]!.message as DepthSnapshot;
    const crossedSnapshot: DepthSnapshot = { ...good, bids: [[good.asks[0]![0] + 1, 0.5], ...good.bids] };
    const withCrossed = [...records.slice(0, snapshotIndex), { ...records[snapshotIndex]!, message: crossedSnapshot }, ...records.slice(snapshotIndex)];

    const outcome = replay(withCrossed);

    expect(outcome.sync.lastProblem).toBe(`snapshot 5123107852948 is crossed: best bid 61801.3 >= best ask 61800.3`);
    expect(outcome.counters).toMatchObject({ snapshotsRejected: 1, snapshotsApplied: 1, crossedDetections: 1, resyncs: 0, diffsApplied: 6_547 });
    expect(fullBook(outcome.sync)).toEqual(fullBook(baseline.sync));
  });

  it('reports a negative size by line number and loses sync at the next diff instead of corrupting the book', () => {
    const target = diffIndexes[3_000]!;
    const line = lines[target]!;
    const badText = line.text.replace(/"b":\[\["([0-9.]+)","([0-9.]+)"\]/, '"b":[["$1","-$2"]');
    expect(badText).not.toBe(line.text);
    const next = records[diffIndexes[3_001]!]!;
    const nextDiff = next.message as DepthDiff;

    const outcome = replay([...records.slice(0, target), { lineNumber: line.lineNumber, text: badText }, ...records.slice(target + 1)]);

    expect(outcome.badLines).toHaveLength(1);
    expect(outcome.badLines[0]).toMatch(new RegExp(`^line ${line.lineNumber}: depth diff: b\\[0\\] size -[0-9.]+ is negative$`));
    expect(outcome.syncLosses).toEqual([
      `line ${next.lineNumber}: chain break: diff U=${nextDiff.firstUpdateId} u=${nextDiff.finalUpdateId}` +
        ` has pu=${nextDiff.previousFinalUpdateId}, the previous diff ended at u=${(records[diffIndexes[2_999]!]!.message as DepthDiff).finalUpdateId}`,
    ]);
    expect(outcome.crossedWhileTradable).toBe(0);
    expect(outcome.sync.tradableBook()).toBeUndefined();
  });

  it('reports a NaN price by line number and skips only that message', () => {
    const target = records.findIndex((record) => record.message.kind === 'book-ticker' && record.lineNumber > 50_000);
    const line = lines[target]!;
    const badText = line.text.replace(/"b":"[0-9.]+"/, '"b":"NaN"');

    const outcome = replay([...records.slice(0, target), { lineNumber: line.lineNumber, text: badText }, ...records.slice(target + 1)]);

    expect(outcome.badLines).toEqual([`line ${line.lineNumber}: book ticker: bid price "b" "NaN" is not a decimal number`]);
    expect(outcome.counters).toEqual(baseline.counters);
    expect(outcome.agreement.tickers).toBe(baseline.agreement.tickers - 1);
    expect(fullBook(outcome.sync)).toEqual(fullBook(baseline.sync));
  });

  it('rejects a diff carrying NaN handed straight to the synchroniser, naming its update id', () => {
    const outcome = replay(records.slice(0, diffIndexes[100]! + 1));
    const last = outcome.sync.lastUpdateId!;
    const poisoned: DepthDiff = {
      kind: 'depth-diff',
      eventTime: 0,
      transactionTime: 0,
      firstUpdateId: last + 1,
      finalUpdateId: last + 5,
      previousFinalUpdateId: last,
      bids: [[61_000, Number.NaN]],
      asks: [],
    };
    expect(() => outcome.sync.onDiff(poisoned)).toThrow(
      `diff U=${last + 1} u=${last + 5} is invalid: bid size NaN at price 61000 is not a finite number >= 0`,
    );
    expect(outcome.sync.tradableBook()).toBeUndefined();
    expect(outcome.sync.book.sizeAt('bid', 61_000)).toBe(0);
  });
});
