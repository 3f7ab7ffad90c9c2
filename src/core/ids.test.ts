import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { errorOf } from '../../test/support/errors.js';
import {
  childIntentId,
  legOfIntent,
  IdGenerator,
  agentId,
  clientOrderId,
  clientOrderIdFor,
  currency,
  instrumentId,
  intentId,
  parseInstrumentId,
} from './ids.js';


describe('instrument ids', () => {
  it.each(['BINANCE:BTC/USDT', 'BYBIT:BTC/USDT:USDT', 'OKX:1000PEPE/USDT:USDT', 'GATE_IO:ETH/BTC', 'KRAKEN-FUT:XBT/USD:USD'])(
    'accepts %s',
    (text) => {
      expect(instrumentId(text)).toBe(text);
    },
  );

  it.each([
    'binance:btc/usdt',
    'BINANCE:btc/USDT',
    'BTC/USDT',
    'BINANCE:BTCUSDT',
    'BINANCE:BTC/USDT:',
    'BINANCE:BTC/USDT:USDT:X',
    ' BINANCE:BTC/USDT',
    '',
    'garbage',
  ])('rejects %j with a message naming it', (text) => {
    const error = errorOf(() => instrumentId(text));
    expect(error.code).toBe('invalid_instrument_id');
    expect(error.message).toContain(`"${text}"`);
  });

  it('splits an id into venue, base, quote and settle', () => {
    expect(parseInstrumentId(instrumentId('BINANCE:BTC/USDT'))).toEqual({ venue: 'BINANCE', base: 'BTC', quote: 'USDT' });
    expect(parseInstrumentId(instrumentId('BYBIT:ETH/USDT:USDT'))).toEqual({
      venue: 'BYBIT',
      base: 'ETH',
      quote: 'USDT',
      settle: 'USDT',
    });
  });
});

describe('simple ids and currencies', () => {
  it('accepts well-formed codes and rejects others, naming the value', () => {
    expect(currency('USDT')).toBe('USDT');
    expect(errorOf(() => currency('usdt')).message).toContain('"usdt"');
    expect(errorOf(() => currency('A'.repeat(17))).code).toBe('invalid_currency');
    expect(agentId('momentum.v2')).toBe('momentum.v2');
    expect(intentId('intent-7:leg')).toBe('intent-7:leg');
    expect(clientOrderId('c123')).toBe('c123');
    const bad = errorOf(() => agentId('-leading-dash'));
    expect(bad.code).toBe('invalid_agent_id');
    expect(bad.message).toContain('"-leading-dash"');
    expect(errorOf(() => intentId('a'.repeat(65))).code).toBe('invalid_intent_id');
    expect(errorOf(() => clientOrderId('has space')).code).toBe('invalid_client_order_id');
  });
});

describe('clientOrderIdFor', () => {
  it('is deterministic: the same intent and leg always give the same id', () => {
    const intent = intentId('intent-1');
    expect(clientOrderIdFor(intent)).toBe(clientOrderIdFor(intentId('intent-1')));
    expect(clientOrderIdFor(intent, 2)).toBe(clientOrderIdFor(intent, 2));
    // Pinned so a change to the derivation (which would orphan live orders after an upgrade) is caught.
    expect(clientOrderIdFor(intent)).toBe('c22nkidfi60hfe');
    expect(clientOrderIdFor(intent, 1)).toBe('c22nkirgm2ujfx-1');
  });

  it('differs per intent and per leg', () => {
    const a = intentId('intent-1');
    const b = intentId('intent-2');
    const ids = [clientOrderIdFor(a), clientOrderIdFor(a, 1), clientOrderIdFor(a, 2), clientOrderIdFor(b), clientOrderIdFor(b, 1)];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is a valid venue client id: at most 36 characters of letters, digits and dashes', () => {
    const intentText = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/);
    fc.assert(
      fc.property(intentText, fc.integer({ min: 0, max: 1_000_000 }), (text, leg) => {
        const id = clientOrderIdFor(intentId(text), leg);
        expect(id.length).toBeLessThanOrEqual(36);
        expect(id).toMatch(/^[A-Za-z0-9-]+$/);
        expect(clientOrderId(id)).toBe(id);
        expect(clientOrderIdFor(intentId(text), leg)).toBe(id);
      }),
    );
  });

  it('has no collisions over many distinct intents', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      seen.add(clientOrderIdFor(intentId(`intent-${i}`)));
      seen.add(clientOrderIdFor(intentId(`intent-${i}`), 1));
    }
    expect(seen.size).toBe(40_000);
  });
});

describe('IdGenerator', () => {
  it('counts up from 1 with its prefix', () => {
    const ids = new IdGenerator('evt');
    expect(ids.position).toBe(0);
    expect([ids.next(), ids.next(), ids.nextEventId()]).toEqual(['evt-1', 'evt-2', 'evt-3']);
    expect(ids.position).toBe(3);
  });

  it('restores to a saved position and continues from there', () => {
    const first = new IdGenerator('run');
    first.next();
    first.next();
    const saved = first.position;
    const expectedNext = first.next();

    const replayed = new IdGenerator('run');
    replayed.restore(saved);
    expect(replayed.position).toBe(2);
    expect(replayed.next()).toBe(expectedNext);
    expect(replayed.next()).toBe('run-4');
  });

  it('two generators with the same prefix produce the same sequence', () => {
    const a = new IdGenerator('x');
    const b = new IdGenerator('x');
    const seqA = Array.from({ length: 5 }, () => a.next());
    const seqB = Array.from({ length: 5 }, () => b.next());
    expect(seqA).toEqual(seqB);
  });
});

describe('clientOrderIdFor equals FNV-1a 64 computed with BigInt', () => {
  it('for random intent ids and legs (property)', () => {
    const reference = (text: string): string => {
      let x = 0xcbf29ce484222325n;
      for (let i = 0; i < text.length; i++) {
        x ^= BigInt(text.charCodeAt(i));
        x = (x * 0x100000001b3n) & 0xffffffffffffffffn;
      }
      return x.toString(36);
    };
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,40}$/), fc.nat(3), (id, leg) => {
        expect(clientOrderIdFor(intentId(id), leg)).toBe(`c${reference(`${id}#${leg}`)}${leg === 0 ? '' : `-${leg}`}`);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('algorithm leg intents', () => {
  it('are read back to their parent and leg number; other ids are not legs', () => {
    expect(legOfIntent(childIntentId(intentId('pm.independent.a'), 3))).toEqual({ parent: 'pm.independent.a', leg: 3 });
    expect(legOfIntent('pm.independent.a.sl')).toBeUndefined();
    expect(legOfIntent('pm.independent.a')).toBeUndefined();
  });
});
