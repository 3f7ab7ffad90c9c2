/**
 * L2 replay: every message of the Binance USD-M BTCUSDT capture through depth sync and the order book, with one
 * resting buy tracked by queue position against the trades (re-placed at the best bid each time it fills).
 * The capture is loaded and parsed before timing. When ../shared/data is absent a seeded synthetic stream of the
 * same shape stands in (or on demand with L2_BENCH_SYNTHETIC=1), and the bookTicker agreement cannot be measured.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SeededRandom } from '../src/core/random.js';
import type { BookLevel } from '../src/domain/market-data.js';
import { readBinanceCapture } from '../src/adapters/files/capture-file.js';
import { BookTickerAgreement } from '../src/data/binance/book-ticker-agreement.js';
import { DepthSync, type DepthSyncCounters } from '../src/data/binance/depth-sync.js';
import type { BinanceMessage, DepthDiff } from '../src/data/binance/messages.js';
import { OrderBook } from '../src/venues/sim/book/order-book.js';
import { isFilled, onQueueLevelUpdate, onQueueTrade, placeInQueue, type QueuePosition } from '../src/venues/sim/book/queue-position.js';
import { bestOf, report } from './harness.js';

const CAPTURE = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/data/l2/binance-usdm-btcusdt-20240808.jsonl.gz');
const ORDER_QUANTITY = 0.5;

interface RunResult {
  readonly counters: DepthSyncCounters;
  readonly agreement: BookTickerAgreement;
  readonly fills: number;
  readonly filledQuantity: number;
}

function run(messages: readonly BinanceMessage[]): RunResult {
  const agreement = new BookTickerAgreement();
  const sync = new DepthSync(new OrderBook(), { onBookUpdated: (diff, book) => agreement.recordBook(diff, book) });
  let queue: QueuePosition | undefined;
  let fills = 0;
  let filledQuantity = 0;
  for (const message of messages) {
    switch (message.kind) {
      case 'depth-snapshot':
        sync.onSnapshot(message);
        break;
      case 'depth-diff': {
        if (sync.onDiff(message) !== 'applied') break;
        const book = sync.book;
        if (queue === undefined) {
          const price = book.bestPrice('bid');
          if (price > 0) queue = placeInQueue('bid', price, ORDER_QUANTITY, book.bestSize('bid'));
        } else {
          const size = book.sizeAt('bid', queue.price);
          if (size !== queue.levelSize) queue = onQueueLevelUpdate(queue, size);
        }
        break;
      }
      case 'trade':
        if (queue !== undefined) {
          const step = onQueueTrade(queue, { price: message.price, size: message.quantity, aggressor: message.buyerIsMaker ? 'sell' : 'buy' });
          queue = step.queue;
          if (step.filledNow > 0) {
            fills += 1;
            filledQuantity += step.filledNow;
          }
          if (isFilled(queue)) queue = undefined;
        }
        break;
      case 'book-ticker':
        agreement.recordTicker(message);
        break;
      default:
        break;
    }
  }
  return { counters: sync.counters(), agreement, fills, filledQuantity };
}

/** A seeded stream shaped like the capture: a 1,000-level snapshot, ~68-level diffs near the top, trades. */
function synthesise(diffCount: number): BinanceMessage[] {
  const random = new SeededRandom(2024);
  const tick = 0.1;
  const priceOf = (ticks: number): number => Number((ticks * tick).toFixed(1));
  const lots = (): number => Number((random.int(1, 3_000) / 1_000).toFixed(3));
  const bids = new Map<number, number>();
  const asks = new Map<number, number>();
  let mid = 600_000; // in ticks: best bid below, best ask at or above
  for (let level = 0; level < 1_000; level++) {
    bids.set(mid - 1 - level, lots());
    asks.set(mid + level, lots());
  }
  const toLevels = (side: Map<number, number>): BookLevel[] => [...side].map(([ticks, size]) => [priceOf(ticks), size]);
  let updateId = 1_000_000;
  // As on Binance, the snapshot id falls inside the first diff's range [U, u].
  const messages: BinanceMessage[] = [
    { kind: 'depth-snapshot', lastUpdateId: updateId + 1, eventTime: 0, transactionTime: 0, bids: toLevels(bids), asks: toLevels(asks) },
  ];
  let tradeId = 0;
  for (let index = 0; index < diffCount; index++) {
    mid += random.int(-2, 2);
    const changedBids = new Map<number, number>();
    const changedAsks = new Map<number, number>();
    // Levels the move crossed are removed, then ~68 levels near the top change size.
    for (const ticks of bids.keys()) if (ticks >= mid) changedBids.set(ticks, 0);
    for (const ticks of asks.keys()) if (ticks < mid) changedAsks.set(ticks, 0);
    for (let change = 0; change < 68; change++) {
      const distance = Math.floor(-Math.log(1 - random.next()) * 40);
      const size = random.next() < 0.3 ? 0 : lots();
      if (random.next() < 0.5) changedBids.set(mid - 1 - distance, size);
      else changedAsks.set(mid + distance, size);
    }
    for (const [ticks, size] of changedBids) {
      if (size === 0) bids.delete(ticks);
      else bids.set(ticks, size);
    }
    for (const [ticks, size] of changedAsks) {
      if (size === 0) asks.delete(ticks);
      else asks.set(ticks, size);
    }
    const first = updateId + 1;
    const diff: DepthDiff = {
      kind: 'depth-diff',
      eventTime: index,
      transactionTime: index,
      firstUpdateId: first,
      finalUpdateId: first + 500,
      previousFinalUpdateId: updateId,
      bids: toLevels(changedBids),
      asks: toLevels(changedAsks),
    };
    updateId = first + 500;
    messages.push(diff);
    let bestBid = Number.NEGATIVE_INFINITY;
    for (const ticks of bids.keys()) bestBid = Math.max(bestBid, ticks);
    let bestAsk = Number.POSITIVE_INFINITY;
    for (const ticks of asks.keys()) bestAsk = Math.min(bestAsk, ticks);
    for (let trade = 0; trade < 3; trade++) {
      const sell = random.next() < 0.5;
      const price = priceOf(sell ? bestBid : bestAsk);
      messages.push({ kind: 'trade', eventTime: index, transactionTime: index, tradeId: tradeId++, price, quantity: lots(), buyerIsMaker: sell });
    }
  }
  return messages;
}

async function load(): Promise<{ messages: BinanceMessage[]; real: boolean }> {
  if (!existsSync(CAPTURE) || process.env['L2_BENCH_SYNTHETIC'] === '1') {
    console.log(`l2: ${CAPTURE} is absent or L2_BENCH_SYNTHETIC=1; replaying a synthetic stream of the same shape instead`);
    return { messages: synthesise(6_500), real: false };
  }
  const messages: BinanceMessage[] = [];
  for await (const record of readBinanceCapture(CAPTURE)) messages.push(record.message);
  return { messages, real: true };
}

function check(label: string, got: number, expected: number): void {
  const ok = got === expected;
  console.log(`  ${label}: ${got} (expected ${expected}) ${ok ? 'ok' : 'MISMATCH'}`);
  if (!ok) process.exitCode = 1;
}

const { messages, real } = await load();
let last: RunResult | undefined;
const seconds = bestOf(7, () => {
  last = run(messages);
});
const result = last!;
const source = real ? 'Binance capture' : 'synthetic';
report('l2.level_updates', result.counters.levelsUpdated / seconds, 'updates/s', `${result.counters.levelsUpdated.toLocaleString('en-US')} levels, ${source}`);
report('l2.messages', messages.length / seconds, 'msgs/s', `${messages.length.toLocaleString('en-US')} messages incl. trades and bookTickers`);
console.log(
  `  resting buy of ${ORDER_QUANTITY}: ${result.fills} fills, ${result.filledQuantity.toFixed(3)} filled; chain breaks ${result.counters.chainBreaks}, resyncs ${result.counters.resyncs}, crossed ${result.counters.crossedDetections}`,
);
check('chain breaks', result.counters.chainBreaks, 0);
check('resyncs', result.counters.resyncs, 0);
check('crossed detections', result.counters.crossedDetections, 0);
if (real) {
  const agreement = result.agreement.result();
  const rate = (100 * agreement.statesPricesAndSizesAgree) / agreement.statesCompared;
  console.log(
    `  bookTicker agreement (book after each diff vs last ticker with id <= diff u, prices and sizes): ${agreement.statesPricesAndSizesAgree}/${agreement.statesCompared} = ${rate.toFixed(2)}%`,
  );
  console.log(
    `  per ticker (latest book state with u <= ticker id; depth batches ~50 ms, context only): prices ${agreement.tickersPricesAgree}/${agreement.tickersCompared} = ${((100 * agreement.tickersPricesAgree) / agreement.tickersCompared).toFixed(2)}%`,
  );
  check('diffs applied', result.counters.diffsApplied, 6_547);
  check('bookTicker agreement', agreement.statesPricesAndSizesAgree, agreement.statesCompared);
} else {
  console.log('  bookTicker agreement: not measured (synthetic stream has no bookTicker)');
}
