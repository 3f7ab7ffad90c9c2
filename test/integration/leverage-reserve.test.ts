import { describe, expect, it } from 'vitest';
import { fx } from '../../src/core/fixed.js';
import { makeDesk, PERP, USDT } from './fixture.js';

describe('the leverage cap and the profit reserve', () => {
  it('caps exposure at maxLeverage times the equity that trades: the swept reserve backs nothing', () => {
    const desk = makeDesk({ maxLeverage: fx('1') });
    const { core } = desk;
    desk.price('40000');
    // Half of the desk's 100,000 has been swept into the never-traded reserve: 50,000 trades.
    core.sweepProfit('desk', USDT, fx('50000'), 'half of the desk swept');
    const result = core.submitIntent(desk.intent({ instrumentId: PERP, side: 'buy', quantity: fx('2') }));
    expect(result.status).toBe('submitted');
    const approved = core.store.read(0).find((e) => e.type === 'IntentApproved');
    // 2 BTC is 80,000 of exposure; 1x the tradeable 50,000 allows 1.25 BTC.
    expect(approved?.type === 'IntentApproved' && approved.approvedQuantity.toPlainString()).toBe('1.25');
    expect(approved?.type === 'IntentApproved' && approved.clamps.join(' ')).toMatch(/1x equity 50000\b/);
  });
});
