import { describe, expect, it } from 'vitest';
import { fx } from '../../core/fixed.js';
import { agentId, instrumentId } from '../../core/ids.js';
import { unixMs } from '../../core/time.js';
import type { AnalystSignal, DroppedView } from '../../agents/decision-modes/index.js';
import type { TradingCore } from '../trading-core.js';
import { AnalystIsolation } from './analyst-isolation.js';
import { AnalystRole } from './analyst-role.js';

const BTC = instrumentId('SYNTH:BTC/USDT');

describe('an analyst isolated in a netting mode', () => {
  it('restarted before its desk book was free, is not netted out of the book afterwards', () => {
    let working = true;
    const renets: string[] = [];
    const core = {
      recordStrategyError: () => ({ id: 'ev-1' }),
      recordAgentEvent: () => undefined,
      setSleeveState: () => undefined,
    } as unknown as TradingCore;
    const analyst = new AnalystRole(agentId('a'), 's-a', 'scripted', {}, { name: 'x', instruments: [BTC], warmup: 0, onBar: () => undefined }, { kind: 'quantity', perConviction: fx('1') });
    const view: AnalystSignal = { analystId: analyst.id, sleeve: 's-a', ts: unixMs(0), signal: { instrumentId: BTC, direction: 'long', conviction: 1, reason: 'up' } };
    const latest = new Map([[`a|${BTC}`, view]]);
    const isolation = new AnalystIsolation(core, true, {
      latest,
      instruments: () => [BTC],
      isWorking: () => working,
      flatten: () => undefined,
      renet: (_now, dropped: DroppedView) => void renets.push(dropped.reason),
    });
    isolation.isolate(analyst, BTC, new Error('boom'), unixMs(0));
    expect([renets, latest.size, isolation.pending]).toEqual([[], 0, true]);
    isolation.restart(analyst, 'fixed (by alice)');
    working = false;
    isolation.flattenPending(unixMs(60_000));
    expect([renets, analyst.health, isolation.pending]).toEqual([[], 'healthy', false]);
  });
});
