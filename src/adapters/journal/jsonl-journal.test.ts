import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TestClock } from '../../core/clock.js';
import { Fixed, fx } from '../../core/fixed.js';
import { agentId, type EventId, IdGenerator, instrumentId, intentId } from '../../core/ids.js';
import { unixMs, type UnixMs } from '../../core/time.js';
import type { DeskEvent } from '../../domain/events.js';
import { CurrencyScales } from '../../domain/instrument.js';
import { TradingCore, type TradingCoreConfig } from '../../engine/trading-core.js';
import { SimulatedVenue } from '../../venues/sim/sim-venue.js';
import { INSTRUMENTS, PERP, SPOT, USDT } from '../../../test/integration/fixture.js';
import { encodeEvent, JournalReadError, JsonlJournal, readJournal, scanJournal } from './jsonl-journal.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function journalPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'conclave-journal-'));
  dirs.push(dir);
  return join(dir, 'desk.jsonl');
}

const T0 = unixMs(Date.UTC(2024, 0, 1));
const base = (n: number) => ({ id: `ev-${n}` as EventId, tsEvent: (T0 + n) as UnixMs, tsInit: (T0 + n) as UnixMs });
const deposit = (n: number, amount: string): DeskEvent => ({ ...base(n), type: 'FundsDeposited', owner: 'desk', currency: USDT, amount: fx(amount) });

/** A desk on the simulated venue whose journal is the file: what the core records is what lands on disk. */
function journaledDesk(path: string) {
  const journal = JsonlJournal.open(path);
  const config: TradingCoreConfig = {
    instruments: INSTRUMENTS,
    limits: { maxOrderNotional: fx('30000') },
    valuationCurrency: USDT,
    scales: new CurrencyScales({ USDT: 6, BTC: 8 }),
    leverage: new Map([[PERP, fx('4')]]),
  };
  const clock = new TestClock(T0);
  const venue = new SimulatedVenue(INSTRUMENTS, config.scales ?? new CurrencyScales(), clock, { fillModel: 'l1', balances: { USDT: '100000' }, leverage: config.leverage ?? new Map() });
  const core = new TradingCore(config, { clock, venue, store: journal, ids: new IdGenerator('ev') });
  const price = (value: string) => {
    clock.advanceBy(60_000);
    for (const id of [SPOT, PERP]) {
      core.updateMarket(id, fx(value), clock.now());
      venue.onQuote({ type: 'quote', instrumentId: id, ts: clock.now(), bidPrice: Number(value), bidSize: 1e9, askPrice: Number(value), askSize: 1e9 });
    }
    core.markToMarket([SPOT, PERP].map((instrumentId) => ({ instrumentId, price: fx(value) })));
  };
  return { journal, config, clock, core, price };
}

describe('the JSONL journal', () => {
  it('journals a real run that replays from the file to the same state', () => {
    const path = journalPath();
    const { journal, config, clock, core, price } = journaledDesk(path);
    core.deposit('desk', USDT, fx('100000'));
    price('40000');
    const signal = core.recordAgentEvent({ type: 'SignalEmitted', signalId: 'signal:trend:BINANCE:BTC/USDT:1', agentId: agentId('trend'), instrumentId: SPOT, direction: 'long', conviction: 0.7, reason: 'fast SMA crossed above slow' });
    const decision = core.recordAgentEvent({
      type: 'DecisionMade', agentId: agentId('pm'), mode: 'weighted', owner: 'desk', instrumentId: SPOT, target: fx('0.5'), current: fx('0'), order: fx('0.5'),
      intentId: intentId('i-1'), reason: 'one bullish analyst', causationId: signal.type === 'SignalEmitted' ? signal.signalId : '',
    });
    const agent = agentId('pm');
    expect(core.submitIntent({ id: intentId('i-1'), agentId: agent, owner: 'desk', instrumentId: SPOT, side: 'buy', type: 'market', quantity: fx('0.5'), causationId: decision.id, tsEvent: clock.now() }).status).toBe('submitted');
    // Clamped to the 30,000 notional limit.
    expect(core.submitIntent({ id: intentId('i-2'), agentId: agent, owner: 'desk', instrumentId: SPOT, side: 'buy', type: 'market', quantity: fx('1'), tsEvent: clock.now() }).status).toBe('submitted');
    const resting = core.submitIntent({ id: intentId('i-3'), agentId: agent, owner: 'desk', instrumentId: SPOT, side: 'buy', type: 'limit', price: fx('39000.50'), quantity: fx('0.1'), tsEvent: clock.now() });
    if (resting.status !== 'submitted') throw new Error('the resting order was not submitted');
    expect(core.submitIntent({ id: intentId('i-4'), agentId: agent, owner: 'desk', instrumentId: instrumentId('BINANCE:ETH/USDT'), side: 'sell', type: 'market', quantity: fx('1'), tsEvent: clock.now() }).status).toBe('denied');
    core.submitIntent({ id: intentId('i-5'), agentId: agent, owner: 'desk', instrumentId: PERP, side: 'buy', type: 'market', quantity: fx('0.5'), stopLoss: fx('38000'), takeProfit: fx('42000'), tsEvent: clock.now() });
    price('40100');
    core.cancelOrder(resting.clientOrderId);
    core.applyFunding('desk', PERP, fx('0.0001'), fx('40100'));
    core.recordAgentEvent({ type: 'RiskAssessed', valueAtRisk: Number.NaN, conditionalValueAtRisk: Number.POSITIVE_INFINITY, worstStressLoss: -0, equity: 99_990.25, action: 'none', reason: 'not enough history' });
    core.recordAgentEvent({ type: 'ParametersProposed', proposalId: 'p-1', agentId: agentId('trend'), current: { fast: 10, $weird: 'x' }, proposed: { fast: 12, $weird: 'y' }, proposedScore: 1.25, currentScore: 1.1, approval: 'required', reason: 'walk-forward' });
    price('42000');
    journal.close();

    const events = readJournal(path);
    const types = events.map((event) => event.type);
    expect(events).toHaveLength(core.store.length);
    expect(types.filter((type) => type === 'OrderFilled')).toHaveLength(4); // two spot buys, the perp entry, its take-profit
    expect(types).toContain('OrderCanceled');
    expect(types).toContain('IntentDenied');
    expect(events).toEqual(core.store.read(0));
    const replayed = TradingCore.replay(config, events, { clock: new TestClock(clock.now()) });
    expect(replayed.snapshot()).toBe(core.snapshot());
    expect(replayed.ledger.snapshot()).toEqual(core.ledger.snapshot());

    const approved = events.find((event) => event.type === 'IntentApproved' && event.intent.id === 'i-2');
    expect(approved?.type === 'IntentApproved' && approved.approvedQuantity.toString()).toBe('0.7500');
    const limit = events.find((event) => event.type === 'OrderSubmitted' && event.order.type === 'limit');
    expect(limit?.type === 'OrderSubmitted' && limit.order.price?.toString()).toBe('39000.50');
    const assessed = events.find((event) => event.type === 'RiskAssessed');
    expect(assessed).toMatchObject({ valueAtRisk: Number.NaN, conditionalValueAtRisk: Number.POSITIVE_INFINITY });
    expect(Object.is(assessed?.type === 'RiskAssessed' && assessed.worstStressLoss, -0)).toBe(true);
    expect(events.find((event) => event.type === 'ParametersProposed')).toMatchObject({ current: { fast: 10, $weird: 'x' }, proposed: { fast: 12, $weird: 'y' } });
  });

  it('writes one line per event with every Fixed tagged at its full scale', () => {
    const event: DeskEvent = { ...base(1), type: 'FundsDeposited', owner: 'desk', currency: USDT, amount: Fixed.fromUnits(1234500n, 4) };
    expect(encodeEvent(event)).toBe(
      '{"id":"ev-1","tsEvent":1704067200001,"tsInit":1704067200001,"type":"FundsDeposited","owner":"desk","currency":"USDT","amount":{"$fixed":"123.4500"}}',
    );
    const [decoded] = scanJournal(`${encodeEvent(event)}\n`, 'mem').events;
    const amount = decoded?.type === 'FundsDeposited' ? decoded.amount : undefined;
    expect(amount?.units).toBe(1234500n);
    expect(amount?.scale).toBe(4);
    const negative = scanJournal(`${encodeEvent(deposit(2, '-0.00010'))}\n`, 'mem').events[0];
    expect(negative?.type === 'FundsDeposited' && negative.amount.toString()).toBe('-0.00010');
  });

  it('names the file and line of a torn last line, and skips it only when asked', () => {
    const path = journalPath();
    writeFileSync(path, `${encodeEvent(deposit(1, '10'))}\n${encodeEvent(deposit(2, '20'))}\n`);
    appendFileSync(path, encodeEvent(deposit(3, '30')).slice(0, 40));
    expect(() => readJournal(path)).toThrow(`${path}:3: not valid JSON`);
    const events = readJournal(path, { ignoreTornTail: true });
    expect(events.map((event) => event.id)).toEqual(['ev-1', 'ev-2']);
    expect(scanJournal(readFileSync(path, 'utf8'), path, { ignoreTornTail: true }).tornTail).toEqual({ line: 3, text: encodeEvent(deposit(3, '30')).slice(0, 40) });
  });

  it('refuses a bad line that is not the last, even with the torn tail ignored', () => {
    const path = journalPath();
    writeFileSync(path, `${encodeEvent(deposit(1, '10'))}\n{"id":"ev-2",\n${encodeEvent(deposit(3, '30'))}\n`);
    const error = catchError(() => readJournal(path, { ignoreTornTail: true }));
    expect(error).toBeInstanceOf(JournalReadError);
    expect(error).toMatchObject({ path, line: 2, code: 'journal_bad_line' });
  });

  it('refuses an unknown event type, a missing envelope field and an unknown tag by line', () => {
    const good = encodeEvent(deposit(1, '10'));
    expect(() => scanJournal(`${good}\n${good.replace('FundsDeposited', 'FundsStolen')}\n`, 'j.jsonl')).toThrow('j.jsonl:2: unknown event type "FundsStolen"');
    expect(() => scanJournal(`${good.replace('"tsInit":1704067200001,', '')}\n`, 'j.jsonl')).toThrow('j.jsonl:1: the FundsDeposited event ev-1 has no integer "tsInit"');
    expect(() => scanJournal(`${good.replace('{"$fixed":"10"}', '{"$decimal":"10"}')}\n`, 'j.jsonl')).toThrow('j.jsonl:1: unknown tag "$decimal"');
    expect(() => scanJournal(`${good.replace('{"$fixed":"10"}', '{"$fixed":"1e3"}')}\n`, 'j.jsonl')).toThrow('j.jsonl:1: bad $fixed value "1e3"');
    expect(() => scanJournal('[1,2]\n', 'j.jsonl')).toThrow('j.jsonl:1: a journal line must be a JSON object');
    expect(() => scanJournal(`${good.replace('"owner":"desk"', '"owner":{"__proto__":{"x":1}}')}\n`, 'j.jsonl')).toThrow('j.jsonl:1: the key "__proto__" is not allowed');
  });

  it('says plainly when the file does not exist', () => {
    const path = journalPath();
    expect(() => readJournal(path)).toThrow(`${path}: no such journal file`);
  });

  it('continues an existing journal at its next offset', () => {
    const path = journalPath();
    const first = JsonlJournal.open(path);
    expect(first.append(deposit(1, '10'))).toBe(0);
    expect(first.append(deposit(2, '20'))).toBe(1);
    first.close();
    expect(() => first.append(deposit(3, '30'))).toThrow('is closed');
    const second = JsonlJournal.open(path);
    expect(second.length).toBe(2);
    expect(second.append(deposit(3, '30'))).toBe(2);
    expect(second.read(1, 1).map((event) => event.id)).toEqual(['ev-2']);
    second.close();
    expect(readJournal(path).map((event) => event.id)).toEqual(['ev-1', 'ev-2', 'ev-3']);
  });

  it('refuses to append after a torn line unless told to repair it, then cuts it off', () => {
    const path = journalPath();
    writeFileSync(path, `${encodeEvent(deposit(1, '10'))}\n{"id":"ev-2","tsEv`);
    expect(() => JsonlJournal.open(path)).toThrow(`${path}:2: not valid JSON`);
    const journal = JsonlJournal.open(path, { repairTornTail: true, syncEveryAppend: true });
    expect(journal.repairedTail).toEqual({ line: 2, text: '{"id":"ev-2","tsEv' });
    expect(journal.append(deposit(2, '20'))).toBe(1);
    journal.close();
    expect(readFileSync(path, 'utf8')).toBe(`${encodeEvent(deposit(1, '10'))}\n${encodeEvent(deposit(2, '20'))}\n`);
  });

  it('ends a complete last line that lacks its newline before appending after it', () => {
    const path = journalPath();
    writeFileSync(path, encodeEvent(deposit(1, '10')));
    const journal = JsonlJournal.open(path);
    expect(journal.length).toBe(1);
    journal.append(deposit(2, '20'));
    journal.close();
    expect(readFileSync(path, 'utf8')).toBe(`${encodeEvent(deposit(1, '10'))}\n${encodeEvent(deposit(2, '20'))}\n`);
  });

  it('writes nothing for an event it cannot encode', () => {
    const path = journalPath();
    const journal = JsonlJournal.open(path);
    journal.append(deposit(1, '10'));
    const odd = { ...base(2), type: 'ParametersApplied', proposalId: 'p', agentId: agentId('a'), parameters: new Map(), approvedBy: 'me' } as unknown as DeskEvent;
    expect(() => journal.append(odd)).toThrow('ParametersApplied.parameters is a Map, which the journal cannot encode');
    expect(journal.length).toBe(1);
    journal.close();
    expect(readJournal(path)).toHaveLength(1);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
