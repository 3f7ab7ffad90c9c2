import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/core/clock.js';
import { fx } from '../../src/core/fixed.js';
import { agentId, IdGenerator, instrumentId } from '../../src/core/ids.js';
import { TradingCore } from '../../src/engine/trading-core.js';
import { makeDesk, PERP } from './fixture.js';

/** A core rebuilt from its journal goes on as the live one would: the reactions the journal holds are not redone. */
describe('a journal replayed after a breaker tripped', () => {
  function replayed(desk: ReturnType<typeof makeDesk>): TradingCore {
    return TradingCore.replay(desk.config, desk.core.store.read(0), { clock: new TestClock(desk.clock.now()), ids: new IdGenerator('r') });
  }

  it('does not halt again on the first live event: an operator resumes a restarted desk as the live one', () => {
    const desk = makeDesk({ dailyLoss: { fraction: fx('0.02'), action: 'HALTED' } });
    desk.price('40000');
    desk.core.submitIntent(desk.intent({ instrumentId: PERP, side: 'buy', quantity: fx('1') }));
    desk.price('38000', [PERP]);
    expect(desk.core.tradingState).toBe('HALTED');
    const core = replayed(desk);
    const before = core.store.length;
    core.resume('the operator resumes after a restart');
    const after = core.store.read(before).flatMap((e) => (e.type === 'TradingStateChanged' ? [[e.from, e.to, e.trigger]] : []));
    expect(after).toEqual([['HALTED', 'ACTIVE', 'command']]);
    expect(core.tradingState).toBe('ACTIVE');
  });

  it('does not take a REDUCING over a second time on an event that has nothing to do with equity', () => {
    const desk = makeDesk({ maxDrawdown: { fraction: fx('0.01'), action: 'REDUCING' } });
    desk.price('40000');
    desk.core.submitIntent(desk.intent({ instrumentId: PERP, side: 'buy', quantity: fx('1') }));
    desk.price('38000', [PERP]);
    expect(desk.core.tradingState).toBe('REDUCING');
    const core = replayed(desk);
    const before = core.store.length;
    core.recordStrategyError(agentId('a'), instrumentId(PERP), 'boom');
    expect(core.store.read(before).map((e) => e.type)).toEqual(['StrategyErrored']);
  });
});
