import { describe, expect, it } from 'vitest';
import type { AgentId, EventId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import type { DeskEvent } from '../domain/events.js';
import { notificationFor as notificationOf, type Notification } from './notification.js';
import { sampleDenial, sampleFill, sampleLiquidation, sampleStateChange } from '../../test/support/notify-sample-events.js';
import { ScriptedBooks } from '../../test/support/scripted-books.js';

/** Contract size 1, but 10 for the perpetual. */
const books = new ScriptedBooks({ 'BINANCE:XRP/USDT:USDT': '10' });
const notificationFor = (event: DeskEvent): Notification | undefined => notificationOf(event, books);

describe('notificationFor', () => {
  it('describes a fill in one line with decimal strings', () => {
    const notification = notificationFor(sampleFill('e1', 1_000, 'buy', '0.5', '50000.10', '0.025'));
    expect(notification).toMatchObject({
      id: 'notification-e1',
      severity: 'info',
      kind: 'fill',
      title: 'Fill: buy 0.5 BINANCE:BTC/USDT @ 50000.1',
      text: 'Bought 0.5 BINANCE:BTC/USDT at 50000.1 (notional 25000.05, fee 0.025 USDT, taker), order co-e1',
      dedupKey: 'fill:BINANCE:BTC/USDT:trade-e1',
      causationId: 'order-e1',
    });
    expect(notification?.fields.notional).toBe('25000.05');
  });

  it("counts a perpetual's contract size in a fill's notional", () => {
    const notification = notificationFor(sampleFill('e1', 1_000, 'sell', '300', '0.5123', '0.0768', 'BINANCE:XRP/USDT:USDT'));
    expect(notification?.text).toBe('Sold 300 BINANCE:XRP/USDT:USDT at 0.5123 (notional 1536.9, fee 0.0768 USDT, taker), order co-e1');
    expect(notification?.fields.notional).toBe('1536.9');
  });

  it('warns once per agent and day when a model brain runs out of budget, and when its provider fails; other abstentions stay quiet', () => {
    const abstained = (id: string, ts: number, cause: 'budget' | 'provider-error' | 'model') =>
      notificationFor({ type: 'BrainAbstained', id: id as EventId, tsEvent: ts as UnixMs, tsInit: ts as UnixMs, agentId: 'claude' as AgentId, role: 'analyst', cause, detail: 'desk run budget of $5 is exhausted ($5.0001 spent)' });
    expect(abstained('e9', 86_400_000 * 3 + 5, 'budget')).toMatchObject({
      severity: 'warning',
      kind: 'error',
      title: 'Model budget exhausted: claude',
      text: 'analyst claude abstains: desk run budget of $5 is exhausted ($5.0001 spent)',
      dedupKey: 'brain:claude:budget:3',
    });
    expect(abstained('e10', 7, 'provider-error')?.dedupKey).toBe('brain:claude:provider-error');
    expect(abstained('e11', 7, 'model')).toBeUndefined();
  });

  it('makes a denial a warning keyed by agent, instrument and code', () => {
    const notification = notificationFor(sampleDenial('e2', 2_000, 'max_order_notional'));
    expect(notification).toMatchObject({
      severity: 'warning',
      kind: 'denial',
      title: 'Denied: max_order_notional on BINANCE:BTC/USDT',
      dedupKey: 'denial:momentum:BINANCE:BTC/USDT:max_order_notional',
    });
  });

  it('makes a halt critical, reducing a warning and resuming info', () => {
    expect(notificationFor(sampleStateChange('e3', 1, 'ACTIVE', 'HALTED'))).toMatchObject({
      severity: 'critical',
      kind: 'halt',
      title: 'Trading HALTED (daily-loss)',
      text: 'Trading state changed from ACTIVE to HALTED by daily-loss: daily loss 5.2% reached the 5% limit',
    });
    expect(notificationFor(sampleStateChange('e4', 1, 'ACTIVE', 'REDUCING'))?.severity).toBe('warning');
    expect(notificationFor(sampleStateChange('e5', 1, 'HALTED', 'ACTIVE'))?.severity).toBe('info');
  });

  it('makes a liquidation critical', () => {
    expect(notificationFor(sampleLiquidation('e6', 1))).toMatchObject({
      severity: 'critical',
      kind: 'liquidation',
      text: 'The venue liquidated 0.2 BYBIT:BTC/USDT:USDT (sell to close) at 41000.5, fee 4.1: margin below maintenance',
    });
  });

  it('tells of a failing analyst, a sleeve forced to reduce and the risk watch acting, but not of routine states', () => {
    const base = { id: 'x1' as EventId, tsEvent: 5_000 as UnixMs, tsInit: 5_000 as UnixMs };
    const error = notificationFor({ ...base, type: 'StrategyErrored', agentId: 'sma' as AgentId, instrumentId: 'SYNTH:BTC/USDT' as never, message: 'boom' });
    expect(error).toMatchObject({ severity: 'warning', kind: 'error', title: 'Strategy error: sma on SYNTH:BTC/USDT', dedupKey: 'strategy-error:sma:SYNTH:BTC/USDT' });
    const failing = notificationFor({ ...base, type: 'AgentHealthChanged', agentId: 'sma' as AgentId, from: 'healthy', to: 'failing', reason: 'threw' });
    expect(failing).toMatchObject({ severity: 'warning', text: 'Agent sma went from healthy to failing: threw' });
    expect(notificationFor({ ...base, type: 'AgentHealthChanged', agentId: 'sma' as AgentId, from: 'failing', to: 'healthy', reason: 'back' })).toBeUndefined();
    const sleeve = notificationFor({ ...base, type: 'SleeveStateChanged', sleeve: 'trend-sma', from: 'ACTIVE', to: 'REDUCING', reason: 'drawdown budget' });
    expect(sleeve).toMatchObject({ severity: 'warning', kind: 'state', title: 'Sleeve trend-sma ACTIVE -> REDUCING' });
    const risk = { ...base, type: 'RiskAssessed' as const, valueAtRisk: 100, conditionalValueAtRisk: 150, worstStressLoss: 900, equity: 10_000, reason: 'VaR above limit' };
    expect(notificationFor({ ...risk, action: 'reduce' })).toMatchObject({ severity: 'warning', title: 'Risk watch: reduce' });
    expect(notificationFor({ ...risk, action: 'none' })).toBeUndefined();
  });
});

