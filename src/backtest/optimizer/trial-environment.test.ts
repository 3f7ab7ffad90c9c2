import { describe, expect, it } from 'vitest';
import { fx } from '../../core/fixed.js';
import { currency, instrumentId } from '../../core/ids.js';
import { toBacktestSettings } from './trial-environment.js';

describe('portable backtest settings', () => {
  it('turn decimal strings and records into the runner settings', () => {
    const perp = instrumentId('TEST:BTC/USDT:USDT');
    const settings = toBacktestSettings({
      cash: { USDT: '5000' },
      valuationCurrency: 'USDT',
      sizing: { kind: 'fixed-notional', notional: 100 },
      venue: { barExecution: 'close', slippage: { kind: 'fixed-bps', bps: '2.5' }, volumeShare: '0.1', latencyMs: 50 },
      limits: { maxOrderNotional: '1000', maxPositionNotionalByInstrument: { [perp]: '2500' }, maxDrawdown: { fraction: '0.2', action: 'HALTED' }, maxOpenOrders: 3 },
      leverage: { [perp]: '3' },
      scales: { byCurrency: { USDT: 6 }, defaultScale: 8 },
      markEveryBars: 60,
    });
    expect(settings.valuationCurrency).toBe(currency('USDT'));
    expect(settings.venue).toEqual({ barExecution: 'close', slippage: { kind: 'fixed-bps', bps: fx('2.5') }, volumeShare: fx('0.1'), latencyMs: 50 });
    expect(settings.limits?.maxOrderNotional?.eq(fx('1000'))).toBe(true);
    expect(settings.limits?.maxPositionNotionalByInstrument?.get(perp)?.eq(fx('2500'))).toBe(true);
    expect(settings.limits?.maxDrawdown?.fraction.eq(fx('0.2'))).toBe(true);
    expect(settings.limits?.maxDrawdown?.action).toBe('HALTED');
    expect(settings.limits?.maxOpenOrders).toBe(3);
    expect(settings.leverage?.get(perp)?.eq(fx('3'))).toBe(true);
    expect(settings.scales?.of(currency('USDT'))).toBe(6);
    expect(settings.scales?.of(currency('BTC'))).toBe(8);
    expect(settings.markEveryBars).toBe(60);
    expect(settings.funding).toBeUndefined();
  });

  it('refuses an amount that is not a decimal', () => {
    expect(() => toBacktestSettings({ cash: {}, valuationCurrency: 'USDT', sizing: { kind: 'fixed-quantity', quantity: 1 }, limits: { maxLeverage: 'two' } })).toThrow(
      '"two" is not a decimal number',
    );
  });
});
