import { describe, expect, it } from 'vitest';
import { buildDesk } from '../../src/backtest/desk-backtest.js';
import { agentId } from '../../src/core/ids.js';
import { unixMs } from '../../src/core/time.js';
import type { DeskEvent } from '../../src/domain/events.js';
import { syntheticDeskData } from '../../src/engine/desk/desk-data.js';
import { TradingCore } from '../../src/engine/trading-core.js';
import { defineInstrument } from '../../src/domain/instrument.js';
import { TestClock } from '../../src/core/clock.js';
import { DeskReviews } from '../../src/engine/desk/desk-reviews.js';
import { ManagerRole } from '../../src/engine/desk/manager-role.js';
import { AnalystRole } from '../../src/engine/desk/analyst-role.js';
import { DEFAULT_MODE_POLICY } from '../../src/agents/judge/mode-policy.js';
import { fx } from '../../src/core/fixed.js';
import { BTC, oneAnalystDesk, scripted } from '../support/scripted-analyst.js';

const signals = (events: readonly DeskEvent[]) =>
  events.filter((e): e is Extract<DeskEvent, { type: 'SignalEmitted' }> => e.type === 'SignalEmitted').map((e) => `${e.direction}@${e.conviction}`);

describe('a view the manager passed over does not silence its analyst', () => {
  it('conservative: a short below 0.7 is passed over, the stronger short that follows it reaches the manager and turns the sleeve', () => {
    const desk = buildDesk({ config: oneAnalystDesk(), data: syntheticDeskData(oneAnalystDesk()) });
    const analyst = desk.analysts.get(agentId('a'));
    if (analyst === undefined) throw new Error('no analyst a');
    analyst.mode = 'conservative';
    scripted(desk, [
      [1, 'long', 1],
      [5, 'short', 0.6],
      [8, 'short', 0.95],
    ]);
    desk.runToEnd();
    const events = desk.core.store.read(0);
    // Spot: a short view means flat. The repeats of the weak short (bars 6, 7) are the same view, not new signals.
    expect(signals(events)).toEqual(['long@1', 'short@0.6', 'short@0.95']);
    expect(desk.core.ledger.position('trend-sma', BTC)?.quantity.isZero() ?? true).toBe(true);
  });

  it('a restarted analyst whose view never changed trades it again', () => {
    const desk = buildDesk({ config: oneAnalystDesk(), data: syntheticDeskData(oneAnalystDesk()) });
    scripted(desk, [[1, 'long', 1]], 5);
    for (let bar = 0; bar < 10; bar += 1) desk.next();
    expect(desk.core.ledger.position('trend-sma', BTC)?.quantity.isZero() ?? true).toBe(true);
    desk.restartAgent(agentId('a'), 'operator restart');
    for (let bar = 0; bar < 5; bar += 1) desk.next();
    expect(desk.core.ledger.position('trend-sma', BTC)?.quantity.isPositive()).toBe(true);
  });
});

describe("the manager's resize", () => {
  it('shrinks the size of a view, and its analyst is judged on its own conviction for the threshold', async () => {
    const clock = new TestClock(unixMs(0));
    const core = new TradingCore({ instruments: [], limits: {}, valuationCurrency: 'USDT' as never }, { clock });
    const reviews = new DeskReviews(core, {
      manager: { id: 'pm', review: (_now, proposals) => Promise.resolve({ verdicts: new Map(proposals.map((p) => [p.id, { verdict: 'resize', scale: 0.5, reason: 'half' }])) }) },
    });
    const entry = { analystId: agentId('a'), sleeve: 's', ts: unixMs(0), signal: { instrumentId: BTC, direction: 'long' as const, conviction: 0.8, reason: 'up' } };
    const [kept] = await reviews.reviewProposals(unixMs(0), [entry], () => 0, () => 100);
    expect(kept?.signal.conviction).toBe(0.4);
    const instrument = defineInstrument({ id: BTC, tickSize: '0.01', lotSize: '0.0001', minNotional: '10' });
    const manager = new ManagerRole(agentId('pm'), core, { mode: 'independent' }, new Map([[BTC, instrument]]), () => DEFAULT_MODE_POLICY.modes.standard);
    const analyst = new AnalystRole(agentId('a'), 's', 'scripted', {}, { name: 'x', instruments: [BTC], warmup: 0, onBar: () => undefined }, { kind: 'quantity', perConviction: fx('1') });
    // 0.4 is below standard's 0.5, but the analyst said 0.8: the manager halved the position, it did not veto it.
    const intents = manager.decide(unixMs(0), kept === undefined ? [] : [kept], new Map([[analyst.id, analyst]]), new Map([[BTC, fx('100')]]));
    expect(intents.map((i) => [i.owner, i.side, i.quantity.toPlainString()])).toEqual([['s', 'buy', '0.4']]);
  });
});
