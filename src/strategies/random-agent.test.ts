import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../core/errors.js';
import { instrumentId, type InstrumentId } from '../core/ids.js';
import { createStrategy } from './registry.js';
import type { BarView, Signal, StrategyContext, StrategyParameters } from './strategy.js';

const BTC = instrumentId('TEST:BTC/USDT:USDT');
const ETH = instrumentId('TEST:ETH/USDT:USDT');

/** Drives the agent over `bars` bars of each instrument (interleaved) and returns [bar, instrument, direction]. */
function drive(params: StrategyParameters, bars: number, options: { instruments?: InstrumentId[]; pendingAt?: ReadonlySet<number> } = {}): [number, string, Signal['direction']][] {
  const instruments = options.instruments ?? [BTC];
  const agent = createStrategy('random-agent', params, instruments);
  const out: [number, string, Signal['direction']][] = [];
  let bar = 0;
  const context: StrategyContext = {
    position: () => 0,
    hasPendingOrder: () => options.pendingAt?.has(bar) ?? false,
    emit: (signal) => void out.push([bar, signal.instrumentId, signal.direction]),
  };
  const view: BarView = { instrumentId: BTC, index: 0, ts: 0, open: 1, high: 1, low: 1, close: 1, volume: 1 };
  for (bar = 0; bar < bars; bar++) {
    for (const id of instruments) {
      Object.assign(view, { instrumentId: id, index: bar, ts: bar * 60_000 });
      agent.onBar(view, context);
    }
  }
  return out;
}

describe('the random agent', () => {
  it('never trades with switching probability 0 and a flat start', () => {
    expect(drive({ switchProbability: 0 }, 500)).toEqual([]);
  });

  it('alternates flat and long on every bar with probability 1 (long/flat has one other state)', () => {
    expect(drive({ switchProbability: 1, warmup: 3 }, 8)).toEqual([
      [3, BTC, 'long'],
      [4, BTC, 'flat'],
      [5, BTC, 'long'],
      [6, BTC, 'flat'],
      [7, BTC, 'long'],
    ]);
  });

  it('is buy-and-hold on every instrument when it starts long and never switches', () => {
    expect(drive({ switchProbability: 0, initial: 'long', warmup: 10 }, 100, { instruments: [BTC, ETH] })).toEqual([
      [10, BTC, 'long'],
      [10, ETH, 'long'],
    ]);
  });

  it('switches about switchProbability x bars times, the same way for the same seed, differently for another', () => {
    const a = drive({ seed: 11, switchProbability: 0.1 }, 10_000);
    expect(a.length).toBeGreaterThan(900);
    expect(a.length).toBeLessThan(1100);
    expect(drive({ seed: 11, switchProbability: 0.1 }, 10_000)).toEqual(a);
    expect(drive({ seed: 12, switchProbability: 0.1 }, 10_000)).not.toEqual(a);
  });

  it('goes short only when shorts are allowed, and then visits all three states about equally', () => {
    expect(drive({ seed: 3, switchProbability: 0.5 }, 2000).some(([, , d]) => d === 'short')).toBe(false);
    const states = drive({ seed: 3, switchProbability: 0.5, short: 'allowed' }, 6000).map(([, , d]) => d);
    for (const state of ['flat', 'long', 'short'] as const) {
      const share = states.filter((s) => s === state).length / states.length;
      expect(share).toBeGreaterThan(0.28);
      expect(share).toBeLessThan(0.39);
    }
    // A switch always moves to another state.
    for (let i = 1; i < states.length; i++) expect(states[i]).not.toBe(states[i - 1]);
  });

  it('drops a switch that falls on a bar with an order working, keeping the same draws afterwards', () => {
    const free = drive({ seed: 5, switchProbability: 1 }, 6);
    expect(free.map(([bar]) => bar)).toEqual([0, 1, 2, 3, 4, 5]);
    const held = drive({ seed: 5, switchProbability: 1 }, 6, { pendingAt: new Set([2, 3]) });
    expect(held).toEqual([
      [0, BTC, 'long'],
      [1, BTC, 'flat'],
      [4, BTC, 'long'],
      [5, BTC, 'flat'],
    ]);
  });

  it('says every switch with the conviction it is given (1 by default)', () => {
    const convictions = (params: StrategyParameters): number[] => {
      const agent = createStrategy('random-agent', params, [BTC]);
      const out: number[] = [];
      const context: StrategyContext = { position: () => 0, hasPendingOrder: () => false, emit: (signal) => void out.push(signal.conviction) };
      for (let bar = 0; bar < 4; bar++) agent.onBar({ instrumentId: BTC, index: bar, ts: bar * 60_000, open: 1, high: 1, low: 1, close: 1, volume: 1 }, context);
      return out;
    };
    expect(convictions({ switchProbability: 1 })).toEqual([1, 1, 1, 1]);
    expect(convictions({ switchProbability: 1, conviction: 0.625 })).toEqual([0.625, 0.625, 0.625, 0.625]);
    expect(convictions({ switchProbability: 0, initial: 'long', conviction: 0.7 })).toEqual([0.7]);
  });

  it('refuses bad parameters by name', () => {
    expect(() => createStrategy('random-agent', { conviction: 1.2 }, [BTC])).toThrow(/conviction must be from 0 to 1/);
    expect(() => createStrategy('random-agent', { switchProbability: 1.5 }, [BTC])).toThrow(/switchProbability must be from 0 to 1/);
    expect(() => createStrategy('random-agent', { short: 'sometimes' }, [BTC])).toThrow(/short must be one of never, allowed/);
    expect(() => createStrategy('random-agent', {}, [])).toThrow(FixRequestError);
  });
});
