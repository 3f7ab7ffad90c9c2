import { describe, expect, it } from 'vitest';
import { problems } from '../../test/support/desk-problems.js';

describe('several sim venues', () => {
  it("keeps each perpetual's leverage on the venue that lists it", () => {
    const lines = problems((d) => {
      d.instruments.push({ id: 'PERP:BTC/USDT:USDT', tickSize: '0.1', lotSize: '0.001', maxLeverage: '10' });
      d.venues.push({ kind: 'sim', id: 'PERP' });
      d.data['PERP:BTC/USDT:USDT'] = { ...d.data['SYNTH:BTC/USDT'] };
      d.venues[0]!.leverage = { 'PERP:BTC/USDT:USDT': '5' };
      for (const agent of d.agents) if (agent.role === 'analyst') agent.instruments = ['SYNTH:BTC/USDT'];
    });
    expect(lines).toEqual(['venues[0].leverage["PERP:BTC/USDT:USDT"]: PERP:BTC/USDT:USDT trades on venue PERP, not SYNTH: give its leverage there']);
  });

  it('refuses sim venues that disagree on the margin mode of the one account they share', () => {
    const lines = problems((d) => {
      d.venues[0]!.marginMode = 'cross';
      d.venues.push({ kind: 'sim', id: 'OTHER' });
    });
    expect(lines).toEqual([
      "venues[1].marginMode: the sim venues share one account (the desk's cash), so one margin mode: SYNTH is cross, OTHER isolated",
    ]);
  });
});

describe('fixed weights', () => {
  it('are refused at their path when finer than the allocation keeps them (6 places)', () => {
    const lines = problems((d) => {
      d.capital.allocation = { kind: 'fixed', weights: { 'trend-sma': '0.3333334', 'meanrev-bb': '0.3333333', 'breakout-donchian': '0.3333333' } };
    });
    expect(lines).toEqual([
      'capital.allocation.weights.trend-sma: "0.3333334" has more than 6 decimal places',
      'capital.allocation.weights.meanrev-bb: "0.3333333" has more than 6 decimal places',
      'capital.allocation.weights.breakout-donchian: "0.3333333" has more than 6 decimal places',
    ]);
  });
});

describe('master cash', () => {
  it('is refused in a currency no instrument trades in and the desk is not valued in', () => {
    expect(problems((d) => (d.capital.cash = { USD: '100000' }))).toEqual([
      'capital.cash.USD: no instrument trades in USD (they pay in USDT) and the desk is valued in USDT: the desk could neither trade nor value this cash',
    ]);
    expect(problems((d) => (d.capital.cash = { USDT: '100000', USD: '5' }))).toHaveLength(1);
    expect(problems((d) => (d.capital.cash = { USDT: '100000' }))).toEqual([]);
  });
});
