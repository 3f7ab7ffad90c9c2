import { describe, expect, it } from 'vitest';
import { fx } from '../../src/core/fixed.js';
import { coreOnVenue, SPOT, USDT } from '../support/core-venue-desk.js';

/** The gate's exposure limits with orders resting at the venue: together they may not pass a limit one alone could not. */
describe('exposure limits with open orders', () => {
  it('four resting limit buys under a 5,000 position limit fill to at most 5,000 of position', () => {
    const d = coreOnVenue({ cash: '100000', limits: { maxPositionNotional: fx('5000'), priceBand: fx('0.05') } });
    d.bar(100, 100, 100, 100);
    const outcomes = [0, 1, 2, 3].map(() => d.core.submitIntent(d.intent({ type: 'limit', price: fx('99'), quantity: fx('50') })));
    // 50 at 99 is 4,950; after it 0.505 (of 5,000 / 99 = 50.505...) fits, then nothing.
    expect(outcomes.map((o) => o.status)).toEqual(['submitted', 'submitted', 'denied', 'denied']);
    expect(outcomes[1]).toMatchObject({ clamps: ['max_position_notional: quantity cut from 50 to 0.505 (the position limit for SIM:BTC/USDT is 5000 notional)'] });
    expect(outcomes[2]).toMatchObject({ code: 'max_position_notional' });
    d.bar(100, 100, 98, 98.5);
    expect(d.core.ledger.position('desk', SPOT)?.quantity.toPlainString()).toBe('50.505');
  });

  it('sleeves buying on the same bar stay within the desk-wide gross exposure limit together', () => {
    const d = coreOnVenue({ cash: '300000', limits: { maxGrossExposure: fx('60000'), priceBand: fx('0.05') } });
    for (const sleeve of ['s1', 's2', 's3']) d.core.transfer('desk', sleeve, USDT, fx('100000'));
    d.bar(100, 100, 100, 100);
    const clamps = ['s1', 's2', 's3'].map((owner) => {
      const outcome = d.core.submitIntent(d.intent({ owner, quantity: fx('500') }));
      return outcome.status === 'submitted' ? outcome.clamps : [outcome.status];
    });
    expect(clamps[0]).toEqual([]);
    expect(clamps[1]).toEqual(['max_gross_exposure: quantity cut from 500 to 100 (gross exposure 0 (and 50000 more if the open orders fill) may not exceed 60000)']);
    expect(clamps[2]).toEqual(['denied']);
    d.bar(100, 100, 100, 100);
    expect(d.core.ledger.grossExposure(undefined, USDT).toPlainString()).toBe('60000');
  });
});
