/**
 * The desks a desk is compared with. A baseline desk is the same desk file with each analyst's strategy replaced
 * (same id, sleeve, instruments and sizing), so capital, sleeves, the judge's allocation, sizing, execution, fees,
 * slippage, risk limits and breakers are identical. Two things are dropped because they would change the baseline
 * itself rather than the conditions it trades under: the optimizer (it re-tunes strategy parameters, and a baseline
 * has nothing to tune) and the position cycle (it closes and reopens positions on a timer, which would turn
 * buy-and-hold into a churn and add trades the random agent is calibrated without).
 */
import type { AgentConfig, AnalystConfig, DeskConfig } from '../../config/desk-schema.js';
import type { InstrumentId } from '../../core/ids.js';
import { defineInstrument } from '../../domain/instrument.js';
import { createStrategy } from '../../strategies/registry.js';
import type { StrategyParameters } from '../../strategies/strategy.js';
import type { WarmupNeed } from './periods.js';

/** An analyst of the desk as the harness sees it: its warm-up and what it trades. */
export interface AnalystProfile extends WarmupNeed {
  /** Its position among the desk's analysts (seeds the random agent that replaces it). */
  readonly index: number;
  /** True when every instrument it trades is a perpetual, so the random agent can go short (if the analyst does). */
  readonly mayShort: boolean;
}

export function analystProfiles(config: DeskConfig): AnalystProfile[] {
  const kinds = new Map(config.instruments.map((spec) => [spec.id, defineInstrument(spec).kind]));
  return analystsOf(config).map((agent, index) => {
    const instruments = (agent.instruments ?? config.instruments.map((i) => i.id)) as InstrumentId[];
    return {
      analyst: agent.id,
      strategy: agent.strategy ?? agent.brain.kind,
      // A model-driven analyst's warm-up is its own setting; a rules brain's is its strategy's.
      warmup: agent.brain.kind === 'llm' ? agent.brain.warmup : createStrategy(agent.strategy ?? '', agent.params, instruments).warmup,
      instruments,
      index,
      mayShort: instruments.every((id) => kinds.get(id) === 'perpetual'),
    };
  });
}

/** Buy-and-hold on every analyst's instruments, buying once its replaced strategy's warm-up is over. */
export function buyAndHoldDesk(config: DeskConfig): DeskConfig {
  const profiles = analystProfiles(config);
  return baselineDesk(config, (i): Replacement => {
    const profile = profiles[i] as AnalystProfile;
    // buy-and-hold trades one instrument; the random agent that never switches and starts long is the same rule
    // for an analyst with several (a pairs strategy).
    return profile.instruments.length === 1
      ? { strategy: 'buy-and-hold', params: { warmup: profile.warmup } }
      : { strategy: 'random-agent', params: { seed: 1, switchProbability: 0, initial: 'long', warmup: profile.warmup } };
  });
}

/**
 * The seeded random agent on every analyst's instruments, switching with the given probability per bar (one for
 * all, or per analyst id: 0 for one not listed). Its conviction is the analyst's (by analyst id; 1 for one not
 * listed): sizing scales every position by conviction, so an agent saying 1 where the analyst said 0.6 would trade
 * larger positions than the desk it is compared with. It goes short only for an analyst in `shorts` (one that went
 * short on the desk's run) whose instruments are all perpetuals: a long-only strategy's agent stays long or flat.
 */
export function randomDesk(
  config: DeskConfig,
  seed: number,
  switchProbability: number | ReadonlyMap<string, number>,
  convictions: ReadonlyMap<string, number>,
  shorts: ReadonlySet<string>,
): DeskConfig {
  const profiles = analystProfiles(config);
  return baselineDesk(config, (i) => {
    const profile = profiles[i] as AnalystProfile;
    return {
      strategy: 'random-agent',
      params: {
        seed: mixSeed(seed, profile.index),
        switchProbability: typeof switchProbability === 'number' ? switchProbability : (switchProbability.get(profile.analyst) ?? 0),
        short: profile.mayShort && shorts.has(profile.analyst) ? 'allowed' : 'never',
        warmup: profile.warmup,
        conviction: convictions.get(profile.analyst) ?? 1,
      },
    };
  });
}

interface Replacement {
  readonly strategy: string;
  readonly params: StrategyParameters;
}

function analystsOf(config: DeskConfig): AnalystConfig[] {
  return config.agents.filter((agent): agent is AnalystConfig => agent.role === 'analyst');
}

function baselineDesk(config: DeskConfig, replace: (index: number) => Replacement): DeskConfig {
  let index = 0;
  const agents = config.agents.flatMap((agent): AgentConfig[] => {
    if (agent.role === 'optimizer') return [];
    // The manager and the judge keep their rules: a baseline is judged on its analysts' brains alone.
    if (agent.role !== 'analyst') return [{ ...agent, brain: { kind: 'rules' } }];
    const { strategy, params } = replace(index++);
    // A baseline runs a rule brain whatever the desk's analyst runs: that brain is what is being judged.
    return [{ ...agent, brain: { kind: 'rules' }, strategy, params: { ...params } }];
  });
  const { positionCycle: _dropped, ...orchestrator } = config.orchestrator;
  return { ...config, agents, orchestrator };
}

/** A 32-bit seed from a run seed and a stream number (splitmix-style mixing), so nearby seeds and streams give unrelated sequences. */
export function mixSeed(seed: number, stream: number): number {
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
