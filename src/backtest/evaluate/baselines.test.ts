import { describe, expect, it } from 'vitest';
import { EXAMPLE_DESK_YAML } from '../../config/example-desk.js';
import type { AnalystConfig, DeskConfig } from '../../config/desk-schema.js';
import { parseDeskConfig } from '../../config/parse-desk.js';
import { analystProfiles, buyAndHoldDesk, mixSeed, randomDesk } from './baselines.js';

const example = parseDeskConfig(EXAMPLE_DESK_YAML, 'example').config;
const analysts = (config: DeskConfig): AnalystConfig[] => config.agents.filter((a): a is AnalystConfig => a.role === 'analyst');

const PERP_DESK = `
desk: { name: perp-desk, valuationCurrency: USDT }
instruments:
  - { id: 'SYNTH:BTC/USDT:USDT', tickSize: '0.1', lotSize: '0.001', maxLeverage: '5' }
  - { id: 'SYNTH:ETH/USDT', tickSize: '0.01', lotSize: '0.001' }
venues: [{ kind: sim, id: SYNTH }]
data:
  'SYNTH:BTC/USDT:USDT': { source: synthetic, startPrice: 30000, start: '2024-01-01', timeframe: 1h, bars: 300 }
  'SYNTH:ETH/USDT': { source: synthetic, startPrice: 2000, start: '2024-01-01', timeframe: 1h, bars: 300 }
capital:
  cash: { USDT: '100000' }
  sleeves:
    - { id: perp, maxGrossExposure: '50000', maxDrawdown: '0.3' }
    - { id: pair, maxGrossExposure: '50000', maxDrawdown: '0.3' }
agents:
  - { id: carry, role: analyst, strategy: donchian, params: { entry: 30, exit: 12 }, instruments: ['SYNTH:BTC/USDT:USDT'], sleeve: perp }
  - { id: pairs, role: analyst, strategy: pairs-zscore, sleeve: pair, instruments: ['SYNTH:ETH/USDT', 'SYNTH:BTC/USDT:USDT'] }
`;

describe('baseline desks', () => {
  it('replace each analyst by buy-and-hold on its sleeve after its warm-up, keeping gate, sizing and costs', () => {
    const baseline = buyAndHoldDesk(example);
    expect(analysts(baseline).every((a) => a.brain.kind === 'rules')).toBe(true);
    expect(analysts(baseline).map((a) => [a.id, a.sleeve, a.strategy, a.params])).toEqual([
      ['sma', 'trend-sma', 'buy-and-hold', { warmup: 30 }],
      ['bb', 'meanrev-bb', 'buy-and-hold', { warmup: 20 }],
      ['donchian', 'breakout-donchian', 'buy-and-hold', { warmup: 20 }],
    ]);
    expect(baseline.agents.map((a) => a.role)).toEqual(['analyst', 'analyst', 'analyst', 'manager', 'judge', 'notifier']);
    expect(baseline.orchestrator.positionCycle).toBeUndefined();
    expect(baseline.orchestrator.nudges).toEqual(example.orchestrator.nudges);
    for (const section of ['risk', 'sizing', 'execution', 'capital', 'venues', 'instruments', 'manager', 'data'] as const) expect(baseline[section]).toEqual(example[section]);
    // The desk itself is untouched.
    expect(analysts(example)[0]?.strategy).toBe('sma-cross');
    expect(example.orchestrator.positionCycle).toBeDefined();
  });

  it('replace each analyst by a random agent with its own stream, shorting only where the analyst shorted and every instrument is a perpetual', () => {
    const config = parseDeskConfig(PERP_DESK, 'perp').config;
    expect(analystProfiles(config).map((p) => [p.analyst, p.warmup, p.mayShort])).toEqual([
      ['carry', 30, true],
      ['pairs', 148, false],
    ]);
    const none = new Map<string, number>();
    const random = analysts(randomDesk(config, 77, 0.04, none, new Set(['carry', 'pairs'])));
    expect(random.map((a) => [a.strategy, a.params])).toEqual([
      ['random-agent', { seed: mixSeed(77, 0), switchProbability: 0.04, short: 'allowed', warmup: 30, conviction: 1 }],
      ['random-agent', { seed: mixSeed(77, 1), switchProbability: 0.04, short: 'never', warmup: 148, conviction: 1 }],
    ]);
    // An analyst that never went short (a long-only strategy) is replaced by a long/flat agent, perpetual or not.
    expect(analysts(randomDesk(config, 77, 0.04, none, new Set())).map((a) => a.params?.short)).toEqual(['never', 'never']);
    // Each says its analyst's conviction when it is known.
    expect(analysts(randomDesk(config, 77, 0.04, new Map([['pairs', 0.62]]), new Set())).map((a) => a.params?.conviction)).toEqual([1, 0.62]);
    expect(mixSeed(77, 0)).not.toBe(mixSeed(77, 1));
    expect(mixSeed(77, 0)).not.toBe(mixSeed(78, 0));
    // A two-instrument analyst holds both through the never-switching random agent.
    expect(analysts(buyAndHoldDesk(config))[1]?.params).toEqual({ seed: 1, switchProbability: 0, initial: 'long', warmup: 148 });
  });
});
