/** The deterministic kernel: message bus, clock-driven scheduler, stream merge and the backtest run loop. */
export { MessageBus } from './message-bus.js';
export type { AnyHandler, Handler, Topic, Unsubscribe } from './message-bus.js';
export { Scheduler } from './scheduler.js';
export type { DueTimer, EveryOptions, TimerCallback, TimerId } from './scheduler.js';
export { mergeArrays, mergeStreams } from './stream-merge.js';
export type { Merged, TimestampOf } from './stream-merge.js';
export { RunLoop } from './run-loop.js';
export type { RunLoopOptions, RunStats } from './run-loop.js';
export * from './event-store.js';
