import { monotonicNs } from '../core/clock.js';
import type { UnixMs } from '../core/time.js';
import type { AgentStatus, Desk } from '../engine/desk/desk.js';

/**
 * The wall-clock port of a paper run: what time it is and how to wait. The runner never reads the wall clock or
 * starts a timer itself, so tests drive it with a fake pacer and never sleep on wall time.
 */
export interface Pacer {
  /** Wall milliseconds on any monotonic origin (only differences matter). */
  now(): number;
  /** Resolves after `ms` wall milliseconds, or early when `signal` aborts. `sleep(0)` just yields to the event loop. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Real time: monotonic (a wall-clock step must not make the desk jump or stall), with cancellable timers. */
export const wallPacer: Pacer = {
  now: () => Number(monotonicNs() / 1_000_000n),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted === true) return resolve();
      let cancel = (): void => undefined;
      const done = (): void => {
        cancel();
        signal?.removeEventListener('abort', done);
        resolve();
      };
      // A zero wait yields through the macrotask queue, so signal handlers and output get their turn.
      if (ms <= 0) {
        const handle = setImmediate(done);
        cancel = () => clearImmediate(handle);
      } else {
        const handle = setTimeout(done, ms);
        cancel = () => clearTimeout(handle);
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/** What a paper run shows while it runs (and at the end). */
export interface PaperSummary {
  readonly barsProcessed: number;
  readonly totalBars: number;
  /** The desk's clock: the close time of the last bar replayed. */
  readonly marketTime: UnixMs;
  readonly equity: number;
  readonly pnl: number;
  readonly fills: number;
  readonly denials: number;
  readonly tradingState: string;
  readonly agents: { readonly healthy: number; readonly total: number; readonly unhealthy: readonly string[] };
  /** Wall milliseconds since the run started. */
  readonly elapsedMs: number;
  /** How far the market time lags the paced time, in market milliseconds (0 at max speed or when on time). */
  readonly behindMs: number;
  /**
   * The agent the desk is waiting on, for its model's answer or (the optimizer) its search on another thread, and
   * for how many wall milliseconds, while a bar waits for it.
   */
  readonly waiting?: { readonly agent: string; readonly for?: 'model' | 'search'; readonly ms: number };
}

export type PaperEnd = 'end-of-data' | 'stopped';

export interface PaperOutcome {
  readonly end: PaperEnd;
  readonly summary: PaperSummary;
}

export interface PaperRunOptions {
  readonly pacer: Pacer;
  /** Market seconds per wall second (60: an hourly bar every minute). 0 or Infinity: as fast as possible. */
  readonly speed: number;
  /** Bars replayed before the runner yields to the event loop when it is behind (default 500). */
  readonly maxBatch?: number;
  /** Called with a live summary at most once per `tickMs` wall milliseconds of progress (default 1000); awaited. */
  readonly onTick?: (summary: PaperSummary) => void | Promise<void>;
  readonly tickMs?: number;
  /** Roles run beside the desk (the notifier), with their health, counted in the summary with the desk's agents. */
  readonly roles?: () => readonly AgentStatus[];
}

/**
 * Drives a desk on replayed data at a wall-clock pace: market time is anchored to the desk's start and runs `speed`
 * times faster than the wall, and a bar is replayed once the paced market time reaches its close. The desk is the
 * same one a backtest runs (`desk.next()`), so the journal is identical; only when `next()` is called differs.
 */
export class PaperRun {
  private readonly pacer: Pacer;
  private readonly speed: number;
  private readonly maxBatch: number;
  private readonly tickMs: number;
  private readonly initialEquity: number;
  private readonly stopping = new AbortController();
  private started = false;
  private startWall = 0;
  private startMarket = 0;
  private lastTickWall = 0;
  private running: Promise<PaperOutcome> | undefined;
  /** Wall time the bar being replayed started waiting on an asynchronous brain. */
  private stepStartedWall: number | undefined;

  constructor(
    readonly desk: Desk,
    private readonly options: PaperRunOptions,
  ) {
    if (!(options.speed >= 0)) throw new RangeError(`speed must be a non-negative number, got ${options.speed}`);
    this.pacer = options.pacer;
    this.speed = options.speed === 0 ? Infinity : options.speed;
    this.maxBatch = Math.max(1, Math.floor(options.maxBatch ?? 500));
    this.tickMs = options.tickMs ?? 1000;
    this.initialEquity = desk.books.equity();
  }

  /** Starts the run (once); resolves when the data ends or after `stop()`. */
  run(): Promise<PaperOutcome> {
    this.running ??= this.loop();
    return this.running;
  }

  /**
   * Asks the run to stop. Bars are replayed synchronously, so the bar in progress always completes first and the
   * journal ends on a whole bar. Resolves with the run's outcome (at once when the run never started).
   */
  stop(): Promise<PaperOutcome> {
    this.stopping.abort();
    return this.running ?? Promise.resolve({ end: 'stopped', summary: this.summary() });
  }

  get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  summary(): PaperSummary {
    const desk = this.desk;
    const books = desk.books;
    const status = [...desk.status(), ...(this.options.roles?.() ?? [])];
    const unhealthy = status.filter((a) => a.health !== 'healthy').map((a) => `${a.id} ${a.health}`);
    const equity = books.equity();
    const marketTime = desk.clock.now();
    const paced = Number.isFinite(this.speed) && this.started ? this.marketNow() : marketTime;
    const next = desk.nextCloseTime();
    return {
      barsProcessed: desk.barsProcessed,
      totalBars: desk.totalBars,
      marketTime,
      equity,
      pnl: equity - this.initialEquity,
      fills: books.fills.length,
      denials: books.denials,
      tradingState: desk.core.tradingState,
      agents: { healthy: status.length - unhealthy.length, total: status.length, unhealthy },
      elapsedMs: !this.started ? 0 : this.pacer.now() - this.startWall,
      behindMs: next === undefined ? 0 : Math.max(0, paced - next),
      ...(desk.awaiting === undefined || this.stepStartedWall === undefined ? {} : { waiting: { agent: desk.awaiting, for: desk.awaitingWhat, ms: this.pacer.now() - this.stepStartedWall } }),
    };
  }

  private async loop(): Promise<PaperOutcome> {
    const desk = this.desk;
    this.started = true;
    this.startWall = this.pacer.now();
    this.startMarket = desk.clock.now();
    this.lastTickWall = this.startWall;
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      const next = desk.nextCloseTime();
      if (next === undefined) break;
      const target = this.marketNow();
      if (next > target) {
        // Wait for the bar's close, but wake for the next summary so a slow pace still shows it is alive.
        // The summary goes out before the wait, so one woken for a bar's close shows that bar replayed.
        await this.tick();
        const untilBar = Math.ceil((next - target) / this.speed);
        const untilTick = this.lastTickWall + this.tickMs - this.pacer.now();
        await this.pacer.sleep(Math.max(1, Math.min(untilBar, untilTick)), signal);
        continue;
      }
      // Behind (or at max speed): replay what is due, a bounded batch at a time, then let the event loop breathe.
      let replayed = 0;
      while (replayed < this.maxBatch && !signal.aborted) {
        const due = desk.nextCloseTime();
        if (due === undefined || due > target) break;
        if (!desk.asynchronous) desk.next();
        else if (!(await this.step(desk.nextAsync()))) break;
        replayed += 1;
      }
      await this.tick();
      if (replayed === this.maxBatch) await this.pacer.sleep(0, signal);
    }
    if (signal.aborted) return { end: 'stopped', summary: this.summary() };
    // At the end of the data `runToEnd` replays nothing more; it marks the books to the last closes exactly as the
    // backtest's last step does, which keeps the paper journal identical to the backtest's.
    if (desk.asynchronous) await desk.runToEndAsync();
    else desk.runToEnd();
    return { end: 'end-of-data', summary: this.summary() };
  }

  /**
   * Awaits a bar that waits on asynchronous brains (a model over the network may take a minute, or never answer)
   * while the run stays in the person's hands: the summary keeps coming each `tickMs` (saying whose model holds the
   * bar up), and with it the halt requests and the kill switch the caller checks on each tick, so a halt takes
   * effect at once; `stop()` stops waiting. False when stopped: the bar is left unfinished (the journal stays a
   * prefix of the full run's), and a late answer is dropped.
   */
  private async step(answer: Promise<boolean>): Promise<boolean> {
    let settled = false;
    const done = answer.then(
      () => void (settled = true),
      (error: unknown) => {
        settled = true;
        if (!this.stopping.signal.aborted) throw error;
      },
    );
    this.stepStartedWall = this.pacer.now();
    try {
      while (!settled) {
        if (this.stopping.signal.aborted) {
          done.catch(() => undefined);
          // A late answer must not finish the bar after the run has stopped (and its journal closed).
          this.desk.abandon();
          return false;
        }
        const wake = new AbortController();
        const signal = AbortSignal.any([wake.signal, this.stopping.signal]);
        await Promise.race([done, this.pacer.sleep(Math.max(1, this.lastTickWall + this.tickMs - this.pacer.now()), signal)]);
        wake.abort();
        if (!settled) await this.tick();
      }
      await done;
      return true;
    } finally {
      this.stepStartedWall = undefined;
    }
  }

  private marketNow(): number {
    if (!Number.isFinite(this.speed)) return Infinity;
    return this.startMarket + (this.pacer.now() - this.startWall) * this.speed;
  }

  private async tick(): Promise<void> {
    const onTick = this.options.onTick;
    if (onTick === undefined) return;
    const now = this.pacer.now();
    if (now - this.lastTickWall < this.tickMs) return;
    this.lastTickWall = now;
    await onTick(this.summary());
  }
}
