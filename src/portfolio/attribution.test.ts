import { describe, expect, it } from 'vitest';
import { fx } from '../core/fixed.js';
import { currency, type EventId } from '../core/ids.js';
import { unixMs } from '../core/time.js';
import type { DeskEvent } from '../domain/events.js';
import { CurrencyScales, defineInstrument } from '../domain/instrument.js';
import { Ledger } from '../ledger/ledger.js';
import { attributeSleeves, totalAttribution } from './attribution.js';

const USDT = currency('USDT');
const PERP = defineInstrument({ id: 'BYBIT:BTC/USDT:USDT', tickSize: '0.1', lotSize: '0.001', takerFee: '0.0005', maxLeverage: '20' });
const ts = unixMs(1_700_000_000_000);
let n = 0;
const base = () => ({ id: `e${++n}` as EventId, tsEvent: ts, tsInit: ts });

describe('sleeve attribution', () => {
  it('reads capital, reserve, funding and the residual PnL of each sleeve from the ledger', () => {
    const ledger = new Ledger({ instruments: new Map([[PERP.id, PERP]]), scales: new CurrencyScales({ USDT: 2 }) });
    const events: DeskEvent[] = [
      { ...base(), type: 'FundsDeposited', owner: 's1', currency: USDT, amount: fx('1000') },
      { ...base(), type: 'FundsDeposited', owner: 's2', currency: USDT, amount: fx('500') },
      { ...base(), type: 'FundingApplied', owner: 's1', instrumentId: PERP.id, rate: fx('0.0001'), markPrice: fx('25000'), amount: fx('2.5') },
      { ...base(), type: 'ProfitSwept', owner: 's1', currency: USDT, amount: fx('10'), reason: 'sweep' },
    ];
    for (const event of events) {
      expect(ledger.validate(event)).toBeUndefined();
      ledger.apply(event);
    }
    const rows = attributeSleeves(ledger, [
      { id: 's1', currency: USDT },
      { id: 's2', currency: USDT },
    ]);
    const s1 = rows[0];
    expect([s1?.capital, s1?.equity, s1?.reserve, s1?.tradeableEquity, s1?.availableCash, s1?.funding, s1?.totalPnl, s1?.unrealisedPnl].map((v) => v?.toString())).toEqual([
      '1000.00',
      '997.50',
      '10.00',
      '987.50',
      '987.50',
      '2.50',
      '-2.50',
      '0.00',
    ]);
    const total = totalAttribution(rows);
    expect(total?.capital.toString()).toBe('1500.00');
    expect(total?.equity.toString()).toBe('1497.50');
    expect(totalAttribution([])).toBeUndefined();
  });
});
