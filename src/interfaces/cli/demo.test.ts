import { describe, expect, it } from 'vitest';
import { runDemo } from './demo.js';
import { describeEvent } from './format-event.js';

describe('the built-in scenario', () => {
  it('runs through the core and replays to identical state', () => {
    const result = runDemo();
    expect(result.replayIdentical).toBe(true);
    expect(result.tradingState).toBe('HALTED');
    expect(result.finalEquity).toBe('98531.95006');
    const types = result.events.map((e) => e.type);
    expect(types.filter((t) => t === 'OrderFilled')).toHaveLength(5);
    expect(types.filter((t) => t === 'IntentDenied')).toHaveLength(2);
    const changes = result.events.filter((e) => e.type === 'TradingStateChanged').map((e) => describeEvent(e).split(' TradingStateChanged ')[1]);
    expect(changes).toEqual([
      ' ACTIVE -> REDUCING (drawdown) Drawdown of 4.07% (equity 98531.95006 from 102710.51506) reached the 3% limit; the desk moves to REDUCING.',
      ' REDUCING -> HALTED (kill-switch) kill switch: .kill_switch present: operator pulled the plug',
    ]);
  });

  it('is deterministic: two runs give the same journal', () => {
    const a = runDemo().events.map(describeEvent);
    const b = runDemo().events.map(describeEvent);
    expect(a).toEqual(b);
  });
});
