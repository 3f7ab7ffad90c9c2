/**
 * Every shipped strategy driven bar by bar through a fake desk over hand-made bars, asserting the exact signals.
 * The desk fills a signal at once (the position becomes +1, -1 or 0) unless a test holds an order pending.
 */
import { describe, expect, it } from 'vitest';
import { instrumentId, type InstrumentId } from '../core/ids.js';
import { SeededRandom } from '../core/random.js';
import { createStrategy } from './registry.js';
import type { BarView, Signal, Strategy, StrategyContext, StrategyParameters } from './strategy.js';

const BTC = instrumentId('TEST:BTC/USDT');
const ETH = instrumentId('TEST:ETH/USDT');

class FakeDesk implements StrategyContext {
  readonly positions = new Map<InstrumentId, number>();
  readonly pending = new Set<InstrumentId>();
  readonly signals: { bar: number; signal: Signal }[] = [];
  bar = -1;

  position(id: InstrumentId): number {
    return this.positions.get(id) ?? 0;
  }

  hasPendingOrder(id: InstrumentId): boolean {
    return this.pending.has(id);
  }

  emit(signal: Signal): void {
    this.signals.push({ bar: this.bar, signal });
    this.positions.set(signal.instrumentId, signal.direction === 'long' ? 1 : signal.direction === 'short' ? -1 : 0);
  }

  /** [bar, instrument, direction] of every signal. */
  summary(): [number, string, string][] {
    return this.signals.map(({ bar, signal }) => [bar, signal.instrumentId, signal.direction]);
  }
}

type Ohlc = readonly [high: number, low: number, close: number];

/** Feeds bars (a close, or [high, low, close]) in order, reusing one view as the runner does. */
function drive(strategy: Strategy, desk: FakeDesk, rows: readonly (number | Ohlc)[], options: { id?: InstrumentId; pendingAt?: readonly number[] } = {}): void {
  const id = options.id ?? BTC;
  const view: BarView = { instrumentId: id, index: 0, ts: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
  rows.forEach((row, index) => {
    const [high, low, close] = typeof row === 'number' ? [row, row, row] : row;
    Object.assign(view, { index, ts: index * 60_000, open: close, high, low, close, volume: 1 });
    desk.bar = index;
    if (options.pendingAt?.includes(index)) desk.pending.add(id);
    else desk.pending.delete(id);
    strategy.onBar(view, desk);
  });
}

function signalsOf(name: string, parameters: StrategyParameters, rows: readonly (number | Ohlc)[], pendingAt: readonly number[] = []): FakeDesk {
  const desk = new FakeDesk();
  drive(createStrategy(name, parameters, [BTC]), desk, rows, { pendingAt });
  return desk;
}

// SMA(2) vs SMA(3): first both at bar 2 (equal), below from bar 3, above at 6, below at 9, above at 12.
const CROSSING = [10, 10, 10, 9, 8, 9, 11, 12, 11, 9, 8, 9, 12];

describe('sma-cross, long-only', () => {
  const parameters = { fast: 2, slow: 3 };

  it('buys on the cross above and closes on the cross below, with the averages in the reason', () => {
    const desk = signalsOf('sma-cross', parameters, CROSSING);
    expect(desk.summary()).toEqual([
      [6, BTC, 'long'],
      [9, BTC, 'flat'],
      [12, BTC, 'long'],
    ]);
    expect(desk.signals[0]?.signal).toEqual({ instrumentId: BTC, direction: 'long', conviction: 1, reason: 'SMA(2) 10 crossed above SMA(3) 9.33333' });
    expect(desk.signals[1]?.signal.reason).toBe('SMA(2) 10 crossed below SMA(3) 10.6667');
  });

  it('never goes short, even from flat on a cross below', () => {
    const desk = signalsOf('sma-cross', parameters, [10, 10, 10, 11, 12, 9, 8, 7, 8, 6, 5]);
    expect(desk.signals.every(({ signal }) => signal.direction !== 'short')).toBe(true);
    expect(desk.summary()).toEqual([]);
  });

  it('sends nothing while an order is pending, and acts on the next cross only', () => {
    const desk = signalsOf('sma-cross', parameters, CROSSING, [6]);
    // The cross at 6 is skipped, so the desk is still flat at the cross below (9): nothing to close.
    expect(desk.summary()).toEqual([[12, BTC, 'long']]);
  });

  it('does not buy again while long, and sends nothing during the warm-up', () => {
    const strategy = createStrategy('sma-cross', parameters, [BTC]);
    expect(strategy.warmup).toBe(3);
    const desk = new FakeDesk();
    desk.positions.set(BTC, 1);
    drive(strategy, desk, [5, 1, 5, 1, 5, 1, 5]);
    // Below at bar 2 (not a cross); crosses at 3 (above: already long), 4 (below: close), 5 (above: buy), 6 (below).
    expect(desk.summary()).toEqual([
      [4, BTC, 'flat'],
      [5, BTC, 'long'],
      [6, BTC, 'flat'],
    ]);
  });

  it('treats a touch as no cross: the side carries through equality', () => {
    // SMA(2) - SMA(3): bar 3 below, bar 4 equal (both 9), bar 5 below again: no cross; bar 7 above.
    const desk = signalsOf('sma-cross', parameters, [10, 10, 10, 9, 9, 8, 10, 12]);
    expect(desk.summary()).toEqual([[7, BTC, 'long']]);
  });

  it('matches an independent cross count on a long random walk', () => {
    const random = new SeededRandom(8);
    const closes: number[] = [];
    let price = 100;
    for (let i = 0; i < 5000; i++) closes.push((price *= Math.exp(random.normal() * 0.01)));
    const desk = signalsOf('sma-cross', { fast: 5, slow: 20 }, closes);
    const mean = (i: number, n: number): number => closes.slice(i - n + 1, i + 1).reduce((a, b) => a + b, 0) / n;
    let side = 0;
    const expected: [number, string, string][] = [];
    for (let i = 19; i < closes.length; i++) {
      const difference = mean(i, 5) - mean(i, 20);
      const now = difference > 0 ? 1 : difference < 0 ? -1 : side;
      const long = expected.at(-1)?.[2] === 'long';
      if (side === -1 && now === 1 && !long) expected.push([i, BTC, 'long']);
      if (side === 1 && now === -1 && long) expected.push([i, BTC, 'flat']);
      side = now;
    }
    expect(expected.length).toBeGreaterThan(50);
    expect(desk.summary()).toEqual(expected);
  });
});

describe('sma-cross and ema-cross, reversal', () => {
  it('is always in the market after the first cross: long above, short below', () => {
    const desk = signalsOf('sma-cross', { fast: 2, slow: 3, mode: 'reversal' }, CROSSING);
    expect(desk.summary()).toEqual([
      [6, BTC, 'long'],
      [9, BTC, 'short'],
      [12, BTC, 'long'],
    ]);
  });

  it('ema-cross uses SMA-seeded EMAs', () => {
    // EMA(2) and EMA(4) are both 10 at bar 3; above from bar 4; below at 6 (10.37 < 10.85); above at 8.
    const closes = [10, 10, 10, 10, 12, 14, 9, 7, 14];
    expect(signalsOf('ema-cross', { fast: 2, slow: 4 }, closes).summary()).toEqual([[8, BTC, 'long']]);
    const reversal = signalsOf('ema-cross', { fast: 2, slow: 4, mode: 'reversal' }, closes);
    expect(reversal.summary()).toEqual([
      [6, BTC, 'short'],
      [8, BTC, 'long'],
    ]);
    expect(reversal.signals[0]?.signal.reason).toBe('EMA(2) 10.3704 crossed below EMA(4) 10.848');
  });
});

describe('bb-rsi', () => {
  // BB(5, 1) and RSI(2). Bar 5 closes at 7: below the lower band (8.33) with RSI 9.375.
  const parameters = { period: 5, mult: 1, rsiPeriod: 2 };

  it('buys below the lower band when oversold and exits at the middle band', () => {
    const desk = signalsOf('bb-rsi', parameters, [10, 11, 10, 11, 10, 7, 8, 9.5]);
    expect(desk.summary()).toEqual([
      [5, BTC, 'long'],
      [7, BTC, 'flat'],
    ]);
    const entry = desk.signals[0]?.signal;
    expect(entry?.conviction).toBeCloseTo(0.5 + (0.5 * (30 - 9.375)) / 30, 12);
    expect(entry?.reason).toBe('close 7 below the lower band 8.33031 and RSI(2) 9.375 below 30');
    expect(desk.signals[1]?.signal.reason).toBe('close 9.5 back at the middle band 9.1');
  });

  it('exits on RSI above the overbought level before the middle band', () => {
    // Bar 7 closes at 8.9, under the middle band (8.98), but RSI(2) is 100 * 0.746875 / 1.2 = 62.24 > 50.
    const desk = signalsOf('bb-rsi', { ...parameters, overbought: 50 }, [10, 11, 10, 11, 10, 7, 8, 8.9]);
    expect(desk.summary()).toEqual([
      [5, BTC, 'long'],
      [7, BTC, 'flat'],
    ]);
    expect(desk.signals[1]?.signal.reason).toBe('RSI(2) 62.2396 above 50');
  });

  it('fades the upper band only in long-short mode', () => {
    const rows = [10, 11, 10, 11, 10, 13, 12, 10.5];
    expect(signalsOf('bb-rsi', parameters, rows).summary()).toEqual([]);
    const desk = signalsOf('bb-rsi', { ...parameters, mode: 'long-short' }, rows);
    // Bar 5: 13 above the upper band (12.1) with RSI 84.4; bar 7: 10.5 at or below the middle band (11.2).
    expect(desk.summary()).toEqual([
      [5, BTC, 'short'],
      [7, BTC, 'flat'],
    ]);
  });

  it('waits for the longer of its warm-ups and for pending orders', () => {
    expect(createStrategy('bb-rsi', { period: 20, rsiPeriod: 30 }, [BTC]).warmup).toBe(31);
    expect(signalsOf('bb-rsi', parameters, [10, 11, 10, 11, 10, 7, 6.5], [5]).summary()).toEqual([[6, BTC, 'long']]);
  });
});

describe('donchian', () => {
  const rows: Ohlc[] = [
    [10, 9, 9.5],
    [10.5, 9.2, 10],
    [10.2, 9.4, 10],
    [11, 10, 10.8], // above the previous 3-bar high 10.5: long
    [11.2, 10.5, 11],
    [11, 10.1, 10.4], // previous 2-bar low 10: hold
    [10.5, 9.5, 9.8], // below the previous 2-bar low 10.1: flat
    [9.6, 8.5, 8.7], // below the previous 3-bar low 9.5: short in long-short mode
    [9.8, 8.8, 9.7], // previous 2-bar high 10.5: hold
    [10.8, 9.9, 10.6], // above the previous 2-bar high 9.8: cover; above the 3-bar high 10.5: long when flat
  ];

  it('breaks out above the previous N-bar high and exits below the previous M-bar low', () => {
    const desk = signalsOf('donchian', { entry: 3, exit: 2 }, rows);
    expect(desk.summary()).toEqual([
      [3, BTC, 'long'],
      [6, BTC, 'flat'],
      [9, BTC, 'long'],
    ]);
    expect(desk.signals[0]?.signal.reason).toBe('close 10.8 broke above the 3-bar high 10.5');
    expect(desk.signals[1]?.signal.reason).toBe('close 9.8 fell below the 2-bar low 10.1');
  });

  it('trades the downside breakout too in long-short mode', () => {
    const desk = signalsOf('donchian', { entry: 3, exit: 2, mode: 'long-short' }, rows);
    expect(desk.summary()).toEqual([
      [3, BTC, 'long'],
      [6, BTC, 'flat'],
      [7, BTC, 'short'],
      [9, BTC, 'flat'],
    ]);
  });

  it('needs full channels first and respects pending orders', () => {
    expect(createStrategy('donchian', { entry: 3, exit: 5 }, [BTC]).warmup).toBe(5);
    // Pending at bar 3: that breakout is missed, and bar 4 (11) does not close above the 3-bar high 11.
    expect(signalsOf('donchian', { entry: 3, exit: 2 }, rows, [3]).summary()).toEqual([[9, BTC, 'long']]);
  });
});

describe('pairs-zscore', () => {
  /** Feeds A then B at each timestamp. */
  function drivePair(parameters: StrategyParameters, pricesA: readonly number[], pricesB: readonly number[], pendingAt: readonly number[] = []): FakeDesk {
    const strategy = createStrategy('pairs-zscore', parameters, [ETH, BTC]);
    const desk = new FakeDesk();
    pricesA.forEach((a, i) => {
      desk.bar = i;
      if (pendingAt.includes(i)) desk.pending.add(BTC);
      else desk.pending.delete(BTC);
      for (const [id, close] of [
        [ETH, a],
        [BTC, pricesB[i] as number],
      ] as const) {
        strategy.onBar({ instrumentId: id, index: i, ts: i * 60_000, open: close, high: close, low: close, close, volume: 1 }, desk);
      }
    });
    return desk;
  }

  const fixed = { period: 5, entry: 1.5, exit: 0.5, hedge: 'fixed' };
  const flatB = [100, 100, 100, 100, 100, 100, 100];

  it('shorts the rich leg and buys the cheap one when |z| passes entry, and closes both back inside exit', () => {
    // log(A / B): 0.00995, -0.01005, 0, 0.00995, then a jump to log 1.1 (z 1.96), then back (z -0.29).
    const desk = drivePair(fixed, [100, 101, 99, 100, 101, 110, 101], flatB);
    expect(desk.summary()).toEqual([
      [5, ETH, 'short'],
      [5, BTC, 'long'],
      [6, ETH, 'flat'],
      [6, BTC, 'flat'],
    ]);
    const entry = desk.signals[0]?.signal;
    expect(entry?.reason).toMatch(/^spread z-score 1\.9\d+ \(log TEST:ETH\/USDT - 1 x log TEST:BTC\/USDT, 5 bars\) above 1\.5: short TEST:ETH\/USDT, long TEST:BTC\/USDT$/);
    expect(entry?.conviction).toBeGreaterThan(0.6);
    expect(entry?.conviction).toBeLessThan(0.7);
  });

  it('buys the spread when A is cheap', () => {
    const desk = drivePair(fixed, [100, 101, 99, 100, 101, 90, 100], flatB);
    expect(desk.summary().slice(0, 2)).toEqual([
      [5, ETH, 'long'],
      [5, BTC, 'short'],
    ]);
  });

  it('sends nothing while either leg has an order pending', () => {
    expect(drivePair(fixed, [100, 101, 99, 100, 101, 110, 101], flatB, [5]).summary()).toEqual([]);
  });

  it('updates once per timestamp only when both legs have a bar there', () => {
    const strategy = createStrategy('pairs-zscore', { ...fixed, period: 5 }, [ETH, BTC]);
    const desk = new FakeDesk();
    const bar = (id: InstrumentId, ts: number, close: number): BarView => ({ instrumentId: id, index: 0, ts, open: close, high: close, low: close, close, volume: 1 });
    // A also has bars where B has none (a gap in B): those do not count.
    for (const [i, a] of [100, 101, 99, 100, 101].entries()) {
      strategy.onBar(bar(ETH, i, a), desk);
      strategy.onBar(bar(BTC, i, 100), desk);
      strategy.onBar(bar(ETH, i + 0.5, 200), desk);
    }
    strategy.onBar(bar(ETH, 5, 110), desk);
    expect(desk.signals).toEqual([]);
    strategy.onBar(bar(BTC, 5, 100), desk);
    expect(desk.signals.map((s) => s.signal.direction)).toEqual(['short', 'long']);
  });

  it('warms up the hedge ratio and the z-score window, and needs two distinct instruments', () => {
    expect(createStrategy('pairs-zscore', {}, [ETH, BTC]).warmup).toBe(148);
    expect(createStrategy('pairs-zscore', { hedge: 'fixed' }, [ETH, BTC]).warmup).toBe(49);
    expect(() => createStrategy('pairs-zscore', {}, [ETH])).toThrow('pairs-zscore trades 2 instruments, got 1 (TEST:ETH/USDT)');
    expect(() => createStrategy('pairs-zscore', {}, [ETH, ETH])).toThrow('pairs-zscore needs distinct instruments');
  });

  it('with an OLS hedge, trades the spread of log A against beta x log B', () => {
    const random = new SeededRandom(4);
    const b: number[] = [];
    const a: number[] = [];
    let price = 100;
    for (let i = 0; i < 300; i++) {
      price *= Math.exp(random.normal() * 0.01);
      b.push(price);
      // A moves twice as much as B in log terms, plus noise, plus one dislocation at bar 250.
      a.push(price ** 2 / 100 * Math.exp(random.normal() * 0.002 + (i === 250 ? 0.05 : 0)));
    }
    const desk = drivePair({ period: 30, betaPeriod: 60, entry: 4, exit: 0.5 }, a, b);
    const entry = desk.signals.find(({ signal }) => signal.direction !== 'flat');
    expect(entry?.bar).toBe(250);
    expect(entry?.signal.direction).toBe('short');
    expect(entry?.signal.reason).toMatch(/- 1\.9\d* x log|- 2\.0\d* x log/);
  });
});

describe('funding-carry', () => {
  it('shorts rich funding, goes long on negative funding, and is flat in between, changing only when needed', () => {
    const strategy = createStrategy('funding-carry', { threshold: 0.0001 }, [BTC]);
    expect(strategy.warmup).toBe(0);
    const desk = new FakeDesk();
    const steps: [number | undefined, boolean][] = [
      [undefined, false], // no funding seen yet: nothing
      [0.0003, false], // short
      [0.0002, false], // still short: nothing new
      [0.00005, false], // flat
      [-0.00015, true], // long wanted, but an order is pending: wait
      [undefined, false], // same rate, order done: long
      [-0.0001, false], // exactly -threshold is inside the band: flat
    ];
    steps.forEach(([rate, pending], i) => {
      if (rate !== undefined) strategy.onFunding?.(BTC, i, rate, desk);
      strategy.onFunding?.(ETH, i, 0.01, desk);
      desk.bar = i;
      if (pending) desk.pending.add(BTC);
      else desk.pending.delete(BTC);
      strategy.onBar({ instrumentId: BTC, index: i, ts: i, open: 1, high: 1, low: 1, close: 1, volume: 1 }, desk);
    });
    expect(desk.summary()).toEqual([
      [1, BTC, 'short'],
      [3, BTC, 'flat'],
      [5, BTC, 'long'],
      [6, BTC, 'flat'],
    ]);
    expect(desk.signals.map((s) => s.signal.conviction)).toEqual([1, 1, 0.00015 / 0.0002, 1]);
    expect(desk.signals[0]?.signal.reason).toBe('funding rate 0.03% above 0.01%: short to collect it');
    expect(desk.signals[1]?.signal.reason).toBe('funding rate 0.005% back within -0.01%..0.01%: flat');
  });
});

describe('buy-and-hold', () => {
  it('buys once on the first bar and never exits', () => {
    const desk = signalsOf('buy-and-hold', {}, [100, 50, 200, 10]);
    expect(desk.summary()).toEqual([[0, BTC, 'long']]);
    expect(desk.signals[0]?.signal.reason).toBe('buy and hold: long from the first bar, never exits');
  });

  it('waits for its warm-up and for a pending order to clear', () => {
    const strategy = createStrategy('buy-and-hold', { warmup: '2' }, [BTC]);
    expect(strategy.warmup).toBe(2);
    const desk = new FakeDesk();
    drive(strategy, desk, [1, 2, 3, 4, 5], { pendingAt: [2] });
    expect(desk.summary()).toEqual([[3, BTC, 'long']]);
  });
});
