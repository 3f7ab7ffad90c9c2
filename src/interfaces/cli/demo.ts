import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestClock } from '../../core/clock.js';
import { fx } from '../../core/fixed.js';
import { agentId, currency, IdGenerator, instrumentId, intentId } from '../../core/ids.js';
import { HOUR_MS, unixMs } from '../../core/time.js';
import type { DeskEvent } from '../../domain/events.js';
import { CurrencyScales, defineInstrument } from '../../domain/instrument.js';
import type { OrderIntent } from '../../domain/intent.js';
import { TradingCore, type TradingCoreConfig } from '../../engine/trading-core.js';
import { SimulatedVenue } from '../../venues/sim/sim-venue.js';
import { FileKillSwitch, KILL_SWITCH_FILE } from '../../adapters/kill-switch/file-kill-switch.js';

export interface DemoResult {
  readonly events: readonly DeskEvent[];
  readonly narrative: readonly string[];
  readonly finalEquity: string;
  readonly replayIdentical: boolean;
  readonly tradingState: string;
}

const USDT = currency('USDT');
const SPOT = instrumentId('BINANCE:BTC/USDT');
const PERP = instrumentId('BINANCE:BTC/USDT:USDT');

/**
 * A built-in scenario through the core: deposits, orders through the risk gate (an approval, a clamp, a denial),
 * fills on the simulated venue (fed quotes), a bracket on a perpetual closed by its take-profit (the stop canceled as OCO),
 * funding, a duplicate intent, a drawdown breaker and the kill switch; then the journal is replayed and compared.
 */
export function runDemo(): DemoResult {
  const runDir = mkdtempSync(join(tmpdir(), 'conclave-demo-'));
  try {
    return scenario(runDir);
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

function scenario(runDir: string): DemoResult {
  const instruments = [
    defineInstrument({ id: SPOT, tickSize: '0.01', lotSize: '0.00001', minNotional: '5', makerFee: '0.001', takerFee: '0.001' }),
    defineInstrument({
      id: PERP,
      tickSize: '0.1',
      lotSize: '0.001',
      minNotional: '5',
      makerFee: '0.0002',
      takerFee: '0.0005',
      maxLeverage: '50',
      marginTiers: [
        { maxNotional: '50000', maintenanceRate: '0.004', maxLeverage: '50' },
        { maxNotional: null, maintenanceRate: '0.005', maxLeverage: '20' },
      ],
    }),
  ];
  const config: TradingCoreConfig = {
    instruments,
    valuationCurrency: USDT,
    scales: new CurrencyScales({ USDT: 6, BTC: 8 }),
    leverage: new Map([[PERP, fx('5')]]),
    limits: {
      maxOrderNotional: fx('60000'),
      maxPositionNotional: fx('100000'),
      maxLeverage: fx('3'),
      maxOpenOrders: 10,
      priceBand: fx('0.05'),
      orderRate: { maxOrders: 20, windowMs: 60_000 },
      maxDataAgeMs: 5 * 60_000,
      maxDrawdown: { fraction: fx('0.03'), action: 'REDUCING' },
      dailyLoss: { fraction: fx('0.10'), action: 'HALTED' },
    },
  };
  const clock = new TestClock(unixMs(Date.UTC(2024, 0, 1)));
  // The simulated venue on quotes: each price is a zero-spread quote with ample size, so takers fill at it.
  const venue = new SimulatedVenue(instruments, config.scales ?? new CurrencyScales(), clock, {
    fillModel: 'l1',
    balances: { USDT: '100000' },
    ...(config.leverage ? { leverage: config.leverage } : {}),
  });
  const killSwitch = new FileKillSwitch(runDir);
  const core = new TradingCore(config, { clock, venue, killSwitch, ids: new IdGenerator('ev') });
  const narrative: string[] = [];
  const say = (text: string): void => {
    narrative.push(text);
  };
  const price = (text: string): void => {
    const p = fx(text);
    for (const id of [SPOT, PERP]) {
      core.updateMarket(id, p, clock.now());
      venue.onQuote({ type: 'quote', instrumentId: id, ts: clock.now(), bidPrice: p.toNumber(), bidSize: 1e9, askPrice: p.toNumber(), askSize: 1e9 });
    }
    core.markToMarket([
      { instrumentId: SPOT, price: p },
      { instrumentId: PERP, price: p },
    ]);
  };
  let sequence = 0;
  const intent = (fields: Omit<OrderIntent, 'id' | 'agentId' | 'owner' | 'tsEvent'>, id?: string): OrderIntent => ({
    id: intentId(id ?? `demo-${++sequence}`),
    agentId: agentId('demo-analyst'),
    owner: 'desk',
    tsEvent: clock.now(),
    ...fields,
  });

  core.deposit('desk', USDT, fx('100000'));
  price('42000');
  say('Deposited 100,000 USDT; BTC trades at 42,000.');

  let outcome = core.submitIntent(intent({ instrumentId: SPOT, side: 'buy', type: 'market', quantity: fx('0.5') }, 'spot-entry'));
  say(`Market buy 0.5 BTC spot: ${outcome.status}.`);

  outcome = core.submitIntent(intent({ instrumentId: SPOT, side: 'buy', type: 'market', quantity: fx('5') }));
  say(`Market buy 5 BTC spot (order limit 60,000 notional): ${outcome.status}${outcome.status === 'submitted' ? `, clamped: ${outcome.clamps.join('; ')}` : ''}.`);

  outcome = core.submitIntent(intent({ instrumentId: SPOT, side: 'buy', type: 'limit', quantity: fx('0.1'), price: fx('30000') }));
  say(`Limit buy at 30,000 (28.6% below the market, band 5%): ${outcome.status}${outcome.status === 'denied' ? ` — ${outcome.detail}` : ''}`);

  const again = core.submitIntent(intent({ instrumentId: SPOT, side: 'buy', type: 'market', quantity: fx('0.5') }, 'spot-entry'));
  say(`The first intent proposed again: ${again.status} (venue received ${venue.ordersReceived} orders so far).`);

  clock.advanceBy(HOUR_MS);
  price('42000');
  core.submitIntent(intent({ instrumentId: SPOT, side: 'sell', type: 'market', quantity: fx('1.0') }));
  outcome = core.submitIntent(
    intent({ instrumentId: PERP, side: 'buy', type: 'market', quantity: fx('0.5'), stopLoss: fx('40000'), takeProfit: fx('44000') }),
  );
  say(`Sold 1 BTC spot; long 0.5 BTC perpetual at 5x with stop 40,000 and take-profit 44,000: ${outcome.status}.`);

  clock.advanceBy(HOUR_MS);
  core.applyFunding('desk', PERP, fx('0.0001'), fx('42500'));
  say('Funding at +0.01% on the long perpetual.');

  clock.advanceBy(HOUR_MS);
  price('44000');
  say('BTC rises to 44,000: the take-profit fills and the stop is canceled (one-cancels-other).');

  clock.advanceBy(HOUR_MS);
  price('39500');
  say(`BTC falls to 39,500: desk drawdown breaker -> ${core.tradingState}.`);
  outcome = core.submitIntent(intent({ instrumentId: SPOT, side: 'buy', type: 'market', quantity: fx('0.1') }));
  say(`A new buy while reducing: ${outcome.status}${outcome.status === 'denied' ? ` [${outcome.code}]` : ''}.`);

  core.submitIntent(intent({ instrumentId: SPOT, side: 'sell', type: 'limit', quantity: fx('0.2'), price: fx('41000') }));
  writeFileSync(join(runDir, KILL_SWITCH_FILE), 'operator pulled the plug');
  clock.advanceBy(60_000);
  const openBefore = core.oms.openCount();
  core.checkKillSwitch();
  say(`An operator creates ${KILL_SWITCH_FILE}: the desk is ${core.tradingState}; ${openBefore} open order(s) canceled, ${core.oms.openCount()} left.`);

  const events = core.store.read(0);
  const replayed = TradingCore.replay(config, events, { clock: new TestClock(clock.now()) });
  const replayIdentical = replayed.snapshot() === core.snapshot();
  say(`Replaying the ${events.length} journal events rebuilds ${replayIdentical ? 'identical' : 'DIFFERENT'} books, orders and risk state.`);
  return { events, narrative, finalEquity: core.deskEquity().toPlainString(), replayIdentical, tradingState: core.tradingState };
}
