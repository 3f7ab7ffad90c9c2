import { describe, expect, it } from 'vitest';
import { runDeskBacktest } from '../../src/backtest/desk-backtest.js';
import { renderDeskSummary, summariseDesk } from '../../src/backtest/desk-summary.js';
import { parseDeskConfig } from '../../src/config/parse-desk.js';
import type { DeskEvent } from '../../src/domain/events.js';
import { causationChain } from '../../src/engine/causation-chain.js';
import { syntheticDeskData } from '../../src/engine/desk/desk-data.js';

/** One analyst whose sleeve holds 5 USDT, on an instrument whose minimum order is worth 10. */
const TINY_CASH = `
desk: { name: tiny, valuationCurrency: USDT, seed: 1 }
instruments:
  - { id: 'B:BTC/USDT', tickSize: '0.01', lotSize: '0.0001', minNotional: '10', takerFee: '0.0005' }
venues:
  - { kind: sim, id: B }
data:
  'B:BTC/USDT': { source: synthetic, startPrice: 30000, annualVol: 0.8, start: '2024-01-01', timeframe: 1h, bars: 300 }
capital:
  cash: { USDT: '5' }
  sleeves:
    - { id: a, maxGrossExposure: '1000000', maxDrawdown: '1' }
agents:
  - { id: x, role: analyst, strategy: sma-cross, sleeve: a }
  - { id: pm, role: manager }
`;

describe('the executor', () => {
  it('denies an opening intent its sleeve cannot pay for at the minimums, journaled with the cash and the minimum', () => {
    const { config } = parseDeskConfig(TINY_CASH, 'tiny.yaml');
    const { desk } = runDeskBacktest({ config, data: syntheticDeskData(config) });
    const list = [...desk.core.store.read(0)];
    const decisions = list.filter((e): e is Extract<DeskEvent, { type: 'DecisionMade' }> => e.type === 'DecisionMade' && e.intentId !== undefined);
    const denials = list.filter((e): e is Extract<DeskEvent, { type: 'IntentDenied' }> => e.type === 'IntentDenied');
    expect(decisions.length).toBeGreaterThan(0);
    expect(denials.map((d) => d.intentId)).toEqual(decisions.map((d) => d.intentId));
    const denial = denials[0];
    expect(denial?.code).toBe('insufficient_funds');
    expect(denial?.detail).toMatch(
      /^a has 5 USDT free; the smallest order B:BTC\/USDT takes is 0\.0004 \(lot 0\.0001, minimum notional 10 at [\d.]+\), which needs [\d.]+ USDT with the taker fee$/,
    );
    expect(denial?.causationId).toBe(decisions[0]?.causationId);
    const text = renderDeskSummary(summariseDesk(desk));
    expect(text).toContain(`${decisions.length} decisions, 0 approved, ${denials.length} denied`);
    const chain = causationChain(list, denial?.intentId ?? 'none');
    expect(chain.found && chain.order.status).toBe('denied');
    expect(chain.found && chain.missing).toEqual([]);
  });
});
