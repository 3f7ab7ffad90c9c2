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

  it("refuses a venue leverage above the instrument's maxLeverage, which the venue would cap while the gate sized at it", () => {
    const perpetual = (d: Parameters<Parameters<typeof problems>[0]>[0], maxLeverage?: string): void => {
      d.instruments[0] = { id: 'SYNTH:BTC/USDT:USDT', tickSize: '0.01', lotSize: '0.0001', ...(maxLeverage === undefined ? {} : { maxLeverage }) };
      d.data['SYNTH:BTC/USDT:USDT'] = d.data['SYNTH:BTC/USDT']!;
      delete d.data['SYNTH:BTC/USDT'];
      d.venues[0]!.leverage = { 'SYNTH:BTC/USDT:USDT': '3' };
    };
    expect(problems((d) => perpetual(d))).toEqual([
      `venues[0].leverage["SYNTH:BTC/USDT:USDT"]: 3 is above the instrument's maxLeverage (instruments[0].maxLeverage: 1, the default): raise instruments[0].maxLeverage to at least 3, or lower the leverage`,
    ]);
    expect(problems((d) => perpetual(d, '2.5'))).toEqual([
      `venues[0].leverage["SYNTH:BTC/USDT:USDT"]: 3 is above the instrument's maxLeverage (instruments[0].maxLeverage: 2.5): raise instruments[0].maxLeverage to at least 3, or lower the leverage`,
    ]);
    expect(problems((d) => perpetual(d, '3'))).toEqual([]);
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

describe('one valuation currency', () => {
  it('refuses cash in a currency the desk is not valued in, at its path', () => {
    expect(problems((d) => (d.capital.cash = { USD: '100000' }))).toEqual([
      'capital.cash.USD: the desk is valued in USDT and does not convert between currencies: USD cash would be left out of its equity and limits; hold the cash in USDT',
    ]);
    expect(problems((d) => (d.capital.cash = { USDT: '100000', BTC: '3' }))).toEqual([
      'capital.cash.BTC: the desk is valued in USDT and does not convert between currencies: BTC cash would be left out of its equity and limits; hold the cash in USDT',
    ]);
    expect(problems((d) => (d.capital.cash = { USDT: '100000' }))).toEqual([]);
  });

  it('refuses an instrument quoted or settled in another currency, and a sleeve kept in one', () => {
    const lines = problems((d) => {
      d.instruments.push({ id: 'SYNTH:ETH/BTC', tickSize: '0.000001', lotSize: '0.001' }, { id: 'SYNTH:ETH/BTC:BTC', tickSize: '0.000001', lotSize: '0.001' });
      d.data['SYNTH:ETH/BTC'] = { ...d.data['SYNTH:BTC/USDT'] };
      d.data['SYNTH:ETH/BTC:BTC'] = { ...d.data['SYNTH:BTC/USDT'] };
      d.capital.sleeves[0]!.currency = 'BTC';
      for (const agent of d.agents) if (agent.role === 'analyst') agent.instruments = ['SYNTH:BTC/USDT'];
    });
    expect(lines).toEqual([
      'instruments[1].id: SYNTH:ETH/BTC is quoted in BTC, but the desk is valued in USDT and does not convert between currencies: its exposure, equity and risk would be mixed with USDT amounts; trade instruments paid in USDT, or value the desk in BTC',
      'instruments[2].id: SYNTH:ETH/BTC:BTC settles in BTC, but the desk is valued in USDT and does not convert between currencies: its exposure, equity and risk would be mixed with USDT amounts; trade instruments paid in USDT, or value the desk in BTC',
      'capital.sleeves[0].currency: the desk is valued in USDT and does not convert between currencies: a sleeve kept in BTC would be measured in the wrong currency',
    ]);
  });

  it('refuses an inverse or quanto perpetual even on a desk valued in its settle currency: it would be priced as linear', () => {
    const lines = problems((d) => {
      d.desk.valuationCurrency = 'BTC';
      d.capital.cash = { BTC: '10' };
      d.instruments.push({ id: 'SYNTH:BTC/USD:BTC', tickSize: '0.5', lotSize: '1' });
      d.data['SYNTH:BTC/USD:BTC'] = { ...d.data['SYNTH:BTC/USDT'] };
      for (const agent of d.agents) if (agent.role === 'analyst') agent.instruments = ['SYNTH:BTC/USDT'];
    });
    expect(lines).toContain(
      'instruments[1].id: SYNTH:BTC/USD:BTC settles in BTC, not in its quote USD (an inverse or quanto contract), which the desk cannot price; only linear perpetuals, settled in their quote, are supported',
    );
    expect(lines.filter((line) => line.includes('BTC/USD:BTC'))).toHaveLength(1);
  });
});
