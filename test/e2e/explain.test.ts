import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../../src/core/clock.js';
import { fx } from '../../src/core/fixed.js';
import { agentId, clientOrderIdFor, IdGenerator, intentId } from '../../src/core/ids.js';
import { unixMs } from '../../src/core/time.js';
import { JsonlJournal } from '../../src/adapters/journal/jsonl-journal.js';
import { CurrencyScales } from '../../src/domain/instrument.js';
import { TradingCore } from '../../src/engine/trading-core.js';
import { SimulatedVenue } from '../../src/venues/sim/sim-venue.js';
import { EXAMPLE_DESK_YAML } from '../../src/config/example-desk.js';
import { INSTRUMENTS, SPOT, USDT } from '../integration/fixture.js';
import { cliRunner } from '../support/cli-process.js';

const work = mkdtempSync(join(tmpdir(), 'conclave-explain-'));
const journalPath = join(work, 'desk.jsonl');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const conclave = cliRunner(work);

const ORDER = clientOrderIdFor(intentId('i-eth-breakout'));
let venueOrderId = '';

/**
 * A small desk session written through the file journal: an analyst's signal, the manager's decision, an intent
 * the gate clamps to the order-notional limit, and its fill on the simulated venue.
 */
beforeAll(() => {
  const scales = new CurrencyScales({ USDT: 6, BTC: 8 });
  const clock = new TestClock(unixMs(Date.UTC(2024, 2, 1, 9, 30)));
  const venue = new SimulatedVenue(INSTRUMENTS, scales, clock, { fillModel: 'l1', balances: { USDT: '50000' } });
  const journal = JsonlJournal.open(journalPath);
  const core = new TradingCore({ instruments: INSTRUMENTS, limits: { maxOrderNotional: fx('12500') }, valuationCurrency: USDT, scales }, { clock, venue, store: journal, ids: new IdGenerator('ev') });
  core.deposit('desk', USDT, fx('50000'));
  core.updateMarket(SPOT, fx('50000'), clock.now());
  venue.onQuote({ type: 'quote', instrumentId: SPOT, ts: clock.now(), bidPrice: 50000, bidSize: 100, askPrice: 50000, askSize: 100 });
  core.recordAgentEvent({
    type: 'SignalEmitted', signalId: 'signal:trend:BINANCE:BTC/USDT:1709285400000', agentId: agentId('trend'), instrumentId: SPOT,
    direction: 'long', conviction: 0.75, reason: 'close broke the 20-bar high',
  });
  clock.advanceBy(1_000);
  const decision = core.recordAgentEvent({
    type: 'DecisionMade', agentId: agentId('pm'), mode: 'independent', owner: 'desk', instrumentId: SPOT, target: fx('0.3'), current: fx('0'),
    order: fx('0.3'), intentId: intentId('i-eth-breakout'), reason: 'trend analyst is long with conviction 0.75', causationId: 'signal:trend:BINANCE:BTC/USDT:1709285400000',
  });
  clock.advanceBy(1_000);
  core.submitIntent({ id: intentId('i-eth-breakout'), agentId: agentId('pm'), owner: 'desk', instrumentId: SPOT, side: 'buy', type: 'market', quantity: fx('0.3'), causationId: decision.id, tsEvent: clock.now() });
  journal.close();
  const accepted = journal.read(0).find((event) => event.type === 'OrderAccepted');
  venueOrderId = accepted?.type === 'OrderAccepted' ? accepted.venueOrderId : '';
});

describe('conclave explain', () => {
  it('prints the chain of a filled order: signal, decision, approval, order and fill with their numbers', () => {
    const run = conclave('explain', ORDER, '--journal', journalPath);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = run.stdout;
    expect(out).toContain(`Order ${ORDER} (found by client order id ${ORDER}): filled`);
    const signal = out.indexOf('Signals:');
    const decision = out.indexOf('Decision:');
    const verdict = out.indexOf('Risk verdict:');
    const order = out.indexOf('Order:');
    const fills = out.indexOf('Fills:');
    expect([signal, decision, verdict, order, fills].every((at, i, all) => at > 0 && (i === 0 || at > (all[i - 1] ?? 0)))).toBe(true);
    expect(out).toContain('2024-03-01T09:30:00Z ev-2   SignalEmitted        trend BINANCE:BTC/USDT long conviction 0.75 — close broke the 20-bar high');
    expect(out).toContain('DecisionMade         pm (independent) desk BINANCE:BTC/USDT 0 -> 0.3, order 0.3 — trend analyst is long with conviction 0.75');
    expect(out).toContain('2024-03-01T09:30:02Z ev-4   IntentApproved       pm buy 0.25 BINANCE:BTC/USDT — clamped:');
    expect(out).toContain(`approved 0.25 (requested 0.3) as ${ORDER}, intent i-eth-breakout`);
    expect(out).toContain(`OrderSubmitted       ${ORDER} market buy 0.25 BINANCE:BTC/USDT`);
    expect(out).toContain(`OrderAccepted        ${ORDER} venue id ${venueOrderId}`);
    expect(out).toContain(`OrderFilled          ${ORDER} buy 0.25 @50000 fee 12.5 USDT (taker)`);
    expect(out).toContain('total 0.25 of 0.25 at average 50000, notional 12500, fees 12.5 USDT');
    expect(out).not.toContain('Missing links');
  });

  it('prints the same chain as JSON when asked, found by the venue order id', () => {
    const run = conclave('explain', venueOrderId, '--journal', journalPath, '--json');
    expect(run.status).toBe(0);
    const chain = JSON.parse(run.stdout) as {
      found: boolean;
      matchedBy: string;
      signals: { signalId: string }[];
      decision: { id: string; target: string };
      order: { clientOrderId: string; status: string; verdicts: { type: string; approvedQuantity: string }[]; fills: { fill: { price: string; fee: string } }[]; summary: { filledQuantity: string } };
      missing: unknown[];
    };
    expect(chain).toMatchObject({ found: true, matchedBy: 'venue-order-id', missing: [] });
    expect(chain.signals.map((signal) => signal.signalId)).toEqual(['signal:trend:BINANCE:BTC/USDT:1709285400000']);
    expect(chain.decision).toMatchObject({ id: 'ev-3', target: '0.3' });
    expect(chain.order).toMatchObject({ clientOrderId: ORDER, status: 'filled', summary: { filledQuantity: '0.25' } });
    expect(chain.order.verdicts).toMatchObject([{ type: 'IntentApproved', approvedQuantity: '0.25' }]);
    expect(chain.order.fills.map(({ fill }) => [fill.price, fill.fee])).toEqual([['50000', '12.5']]);
  });

  it('refuses an id the journal does not hold, naming it, with a non-zero exit', () => {
    const run = conclave('explain', 'c-does-not-exist', '--journal', journalPath);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`conclave: no order, venue order or intent with id "c-does-not-exist" in 7 journal events (${journalPath})`);
  });

  it('refuses a missing journal file and names a line that is not an event', () => {
    const missing = conclave('explain', ORDER, '--journal', join(work, 'nope.jsonl'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`conclave: ${join(work, 'nope.jsonl')}: no such journal file`);

    const broken = join(work, 'broken.jsonl');
    const [first = '', ...rest] = readFileSync(journalPath, 'utf8').split('\n');
    writeFileSync(broken, [first, '{"id":"ev-x","type":"OrderTeleported","tsEvent":1,"tsInit":1}', ...rest].join('\n'));
    const unknown = conclave('explain', ORDER, '--journal', broken);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain(`${broken}:2: unknown event type "OrderTeleported"`);
  });

  it('explains a liquidation by its event id or its instrument, and names it from the orders that built the position', () => {
    const liquidated = join(work, 'liquidated.jsonl');
    const line = JSON.stringify({
      type: 'PositionLiquidated', instrumentId: SPOT, side: 'sell', quantity: { $fixed: '0.25' }, price: { $fixed: '41000' }, fee: { $fixed: '5' },
      reason: 'margin balance at or below maintenance margin', tsEvent: Date.UTC(2024, 2, 1, 10), id: 'ev-liq', tsInit: Date.UTC(2024, 2, 1, 10),
    });
    writeFileSync(liquidated, `${readFileSync(journalPath, 'utf8')}${line}\n`);
    const run = conclave('explain', 'ev-liq', '--journal', liquidated);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Liquidation ev-liq of ${SPOT}`);
    expect(run.stdout).toContain("the venue's netted position before it: 0.25");
    expect(run.stdout).toMatch(new RegExp(`OrderFilled +${ORDER} buy 0\\.25 @50000 .*, book desk, intent i-eth-breakout`));
    expect(conclave('explain', SPOT, '--journal', liquidated).stdout).toContain(`Liquidation ev-liq of ${SPOT}`);
    const entry = conclave('explain', ORDER, '--journal', liquidated);
    expect(entry.stdout).toContain(`The position these fills helped build was liquidated ev-liq of ${SPOT}`);
  });

  it('reads past a torn final line only with --ignore-torn-tail', () => {
    const torn = join(work, 'torn.jsonl');
    writeFileSync(torn, readFileSync(journalPath, 'utf8'));
    appendFileSync(torn, '{"id":"ev-9","tsEvent":17');
    const strict = conclave('explain', ORDER, '--journal', torn);
    expect(strict.status).toBe(2);
    expect(strict.stderr).toContain(`${torn}:8: not valid JSON`);
    const lenient = conclave('explain', ORDER, '--journal', torn, '--ignore-torn-tail');
    expect(lenient.status).toBe(0);
    expect(lenient.stdout).toContain('total 0.25 of 0.25 at average 50000');
  });
});

describe('conclave explain on a desk that works its orders by TWAP', () => {
  const journal = join(work, 'twap.jsonl');
  let parent = '';

  beforeAll(() => {
    const deskFile = join(work, 'twap.yaml');
    writeFileSync(deskFile, EXAMPLE_DESK_YAML.replace('algorithm: { kind: market }', 'algorithm: { kind: twap, slices: 3, over: 2h }').replace('bars: 2000', 'bars: 200'));
    const run = conclave('backtest', '--desk', deskFile, '--journal', journal, '--json', join(work, 'twap.json'));
    expect(run.status).toBe(0);
    const decided = readFileSync(journal, 'utf8').split('\n').filter((line) => line.includes('"type":"DecisionMade"') && line.includes('"intentId"'));
    parent = /"intentId":"([^"]+)"/.exec(decided[0] ?? '')?.[1] ?? '';
    expect(parent).not.toBe('');
  });

  it('lists the child orders of the parent intent with their verdicts, orders and fills, and the exits of what they filled', () => {
    const run = conclave('explain', parent, '--journal', journal);
    expect(run.status).toBe(0);
    const out = run.stdout;
    expect(out).toContain(`Intent ${parent} (found by intent id ${parent})`);
    expect(out).toContain('Worked by the execution algorithm as 3 child orders');
    expect(out).toMatch(/Decision:\n {2}\S+ ev-\d+ +DecisionMade/);
    expect(out).not.toContain('(no order was sent)');
    expect(out).not.toContain('Missing links');
    for (const leg of [1, 2, 3]) {
      expect(out).toMatch(new RegExp(`${parent.replaceAll('.', '\\.')}\\.${leg} c\\w+: buy \\d+\\.\\d+ market — filled`));
      expect(out).toContain(`intent ${parent}.${leg}`);
    }
    expect(out).toMatch(/ {4}total filled \d+\.\d+ at average \d+\.\d+, notional/);
    expect(out).toMatch(/Bracket stop-loss c\w+-1: /);
    expect(out).toContain(`intent ${parent}.sl`);
  });

  it('takes a child back to the decision of its parent', () => {
    const run = conclave('explain', `${parent}.2`, '--journal', journal);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Part of intent ${parent}, worked by the execution algorithm; the signals and decision below are the parent's.`);
    expect(run.stdout).toMatch(/Decision:\n {2}\S+ ev-\d+ +DecisionMade/);
    expect(run.stdout).toMatch(/Signals:\n {2}\S+ ev-\d+ +SignalEmitted/);
    expect(run.stdout).not.toContain('(none recorded)');
    expect(run.stdout).not.toContain('Missing links');
  });
});
