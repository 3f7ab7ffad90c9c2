/**
 * Kernel hot paths: bus dispatch on a pre-resolved topic, scheduler arm+pop, and the k-way stream merge.
 * Each figure is checked against an independently computed answer so a broken kernel cannot post a number.
 */
import { TestClock } from '../src/core/clock.js';
import { SeededRandom } from '../src/core/random.js';
import type { UnixMs } from '../src/core/time.js';
import { MessageBus, Scheduler, mergeStreams } from '../src/kernel/index.js';
import { bestOf, report } from './harness.js';

function check(label: string, got: number, expected: number): void {
  const ok = got === expected;
  console.log(`  ${label}: ${got} (expected ${expected}) ${ok ? 'ok' : 'MISMATCH'}`);
  if (!ok) process.exitCode = 1;
}

interface Tick {
  readonly value: number;
}

// A small ring of pre-built messages: publish allocates nothing, and the handler cannot constant-fold.
const RING = 1024;
const messages: Tick[] = Array.from({ length: RING }, (_, i) => ({ value: i }));

function expectedSum(publishes: number): number {
  let sum = 0;
  for (let i = 0; i < publishes; i++) sum += i & (RING - 1);
  return sum;
}

function benchDispatch(subscribers: number, publishes: number): void {
  const topic = new MessageBus().topic<Tick>('ticks');
  let sum = 0;
  for (let s = 0; s < subscribers; s++) {
    topic.subscribe((m) => {
      sum += m.value;
    });
  }
  let lastSum = 0;
  const seconds = bestOf(5, () => {
    sum = 0;
    for (let i = 0; i < publishes; i++) topic.publish(messages[i & (RING - 1)]!);
    lastSum = sum;
  });
  const dispatches = publishes * subscribers;
  const name = `bus.dispatch.${subscribers}sub`;
  report(name, dispatches / seconds, 'dispatches/s', `${publishes.toLocaleString('en-US')} publishes`);
  check(`${name} sum`, lastSum, expectedSum(publishes) * subscribers);
}

function benchScheduler(timers: number): void {
  const random = new SeededRandom(7);
  const stamps = Array.from({ length: timers }, () => random.int(0, 10_000_000));
  const callback = (): void => undefined;
  let popped = 0;
  let inOrder = true;
  const seconds = bestOf(5, () => {
    const scheduler = new Scheduler(new TestClock(0 as UnixMs));
    for (let i = 0; i < timers; i++) scheduler.at(stamps[i]! as UnixMs, callback);
    popped = 0;
    inOrder = true;
    let previous = -1;
    const end = Number.MAX_SAFE_INTEGER as UnixMs;
    for (let due = scheduler.popDue(end); due !== undefined; due = scheduler.popDue(end)) {
      if (due.ts < previous) inOrder = false;
      previous = due.ts;
      popped++;
    }
  });
  report('scheduler.at+pop', timers / seconds, 'timers/s', `${timers.toLocaleString('en-US')} random timers`);
  check('scheduler popped', popped, timers);
  check('scheduler in order', Number(inOrder), 1);
}

function benchMerge(streams: number, perStream: number): void {
  // Pairs of streams share timestamps, so the tie-break path is exercised too.
  const sources = Array.from({ length: streams }, (_, s) =>
    Array.from({ length: perStream }, (_, i) => ({ ts: i * 2 + (s >> 1) })),
  );
  let count = 0;
  let inOrder = true;
  const seconds = bestOf(5, () => {
    count = 0;
    inOrder = true;
    let previousTs = -1;
    let previousSource = -1;
    for (const { item, source } of mergeStreams(sources, (tick) => tick.ts)) {
      if (item.ts < previousTs || (item.ts === previousTs && source < previousSource)) inOrder = false;
      previousTs = item.ts;
      previousSource = source;
      count++;
    }
  });
  const total = streams * perStream;
  report('merge.items', total / seconds, 'items/s', `${streams} streams x ${perStream.toLocaleString('en-US')}`);
  check('merge count', count, total);
  check('merge in order', Number(inOrder), 1);
}

benchDispatch(1, 20_000_000);
benchDispatch(4, 20_000_000);
benchScheduler(1_000_000);
benchMerge(4, 1_000_000);
