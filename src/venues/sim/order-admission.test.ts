import { describe, expect, it } from 'vitest';
import { fx } from '../../core/fixed.js';
import { clientOrderId } from '../../core/ids.js';
import { CurrencyScales, defineInstrument } from '../../domain/instrument.js';
import type { OrderSpec } from '../../domain/order.js';
import { VenueAccount } from './account.js';
import { admitOrder } from './order-admission.js';

const PERP = defineInstrument({ id: 'SIM:BTC/USDT:USDT', tickSize: '0.1', lotSize: '0.0001', minQuantity: '0.001', minNotional: '5', maxLeverage: '20' });
const scales = new CurrencyScales({ USDT: 6 });

function admit(quantity: string, position: string, reduceOnly: boolean): string | undefined {
  const spec: OrderSpec = { clientOrderId: clientOrderId('c-1'), instrumentId: PERP.id, side: 'sell', type: 'market', quantity: fx(quantity), timeInForce: 'IOC', postOnly: false, reduceOnly, owner: 'desk' };
  const account = new VenueAccount(scales, 'isolated', () => fx('1'), { USDT: '1000' });
  return admitOrder(PERP, spec, { reference: fx('20000'), position: fx(position), leverage: fx('1'), scales, account, marks: new Map(), wouldTake: false }).problem;
}

describe('admitting a reduce-only order on a perpetual', () => {
  it('takes one that closes the whole position below the minimums, as Binance futures do', () => {
    expect(admit('0.0002', '0.0002', true)).toBeUndefined();
  });

  it('holds a partial close and an opening order to the minimums', () => {
    expect(admit('0.0002', '0.0003', true)).toBe('quantity 0.0002 is below the minimum 0.001');
    expect(admit('0.0002', '0', false)).toBe('quantity 0.0002 is below the minimum 0.001');
  });
});
