import { FixRequestError } from './errors.js';

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** `VENUE:BASE/QUOTE` for spot, `VENUE:BASE/QUOTE:SETTLE` for linear perpetuals (ccxt's unified form). */
export type InstrumentId = Brand<string, 'InstrumentId'>;
export type ClientOrderId = Brand<string, 'ClientOrderId'>;
export type VenueOrderId = Brand<string, 'VenueOrderId'>;
export type TradeId = Brand<string, 'TradeId'>;
export type AgentId = Brand<string, 'AgentId'>;
export type IntentId = Brand<string, 'IntentId'>;
export type EventId = Brand<string, 'EventId'>;
export type Currency = Brand<string, 'Currency'>;

const INSTRUMENT_ID = /^([A-Z0-9_-]+):([A-Z0-9]+)\/([A-Z0-9]+)(?::([A-Z0-9]+))?$/;

export function instrumentId(text: string): InstrumentId {
  if (!INSTRUMENT_ID.test(text)) {
    throw new FixRequestError(
      'invalid_instrument_id',
      `"${text}" is not an instrument id; expected VENUE:BASE/QUOTE or VENUE:BASE/QUOTE:SETTLE, e.g. BINANCE:BTC/USDT`,
    );
  }
  return text as InstrumentId;
}

export function parseInstrumentId(id: InstrumentId): { venue: string; base: string; quote: string; settle?: string } {
  const match = INSTRUMENT_ID.exec(id);
  if (match === null) throw new FixRequestError('invalid_instrument_id', `"${id}" is not an instrument id`);
  const [, venue = '', base = '', quote = '', settle] = match;
  return settle === undefined ? { venue, base, quote } : { venue, base, quote, settle };
}

const CURRENCY = /^[A-Z0-9]{1,16}$/;
export function currency(text: string): Currency {
  if (!CURRENCY.test(text)) throw new FixRequestError('invalid_currency', `"${text}" is not a currency code`);
  return text as Currency;
}

const SIMPLE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
function simpleId<T extends string>(kind: string, text: string): T {
  if (!SIMPLE_ID.test(text)) {
    throw new FixRequestError(`invalid_${kind}`, `"${text}" is not a valid ${kind.replace('_', ' ')} (letters, digits, . _ : -; at most 64)`);
  }
  return text as T;
}

export const agentId = (text: string): AgentId => simpleId<AgentId>('agent_id', text);
export const intentId = (text: string): IntentId => simpleId<IntentId>('intent_id', text);
export const clientOrderId = (text: string): ClientOrderId => simpleId<ClientOrderId>('client_order_id', text);
export const venueOrderId = (text: string): VenueOrderId => text as VenueOrderId;
export const tradeId = (text: string): TradeId => text as TradeId;

/** Deterministic ids: a prefix and a counter. Same run, same ids. */
export class IdGenerator {
  private counter = 0;
  constructor(private readonly prefix: string) {}

  next(): string {
    this.counter += 1;
    return `${this.prefix}-${this.counter}`;
  }

  nextEventId(): EventId {
    return this.next() as EventId;
  }

  /** Where the counter stands (saved and restored with a replay). */
  get position(): number {
    return this.counter;
  }

  restore(position: number): void {
    this.counter = position;
  }
}

/** The intent of leg `leg` of an algorithm working `parent` (a TWAP slice, a chase leg): `<parent>.<leg>`. */
export function childIntentId(parent: IntentId, leg: number): IntentId {
  return intentId(`${parent}.${leg}`);
}

/** The parent and leg number of an algorithm's leg intent (`childIntentId`'s inverse), or undefined for another id. */
export function legOfIntent(id: string): { readonly parent: IntentId; readonly leg: number } | undefined {
  const match = /^(.+)\.(\d+)$/.exec(id);
  return match === null ? undefined : { parent: match[1] as IntentId, leg: Number(match[2]) };
}

/**
 * A client order id derived from the intent that caused it, so a retried or restarted submit can never create a
 * second order: a 64-bit FNV-1a hash of `intentId#leg` (computed as two 32-bit lanes), in base 36, prefixed "c".
 */
export function clientOrderIdFor(intent: IntentId, leg = 0): ClientOrderId {
  const text = `${intent}#${leg}`;
  // FNV-1a 64 with the offset basis 0xcbf29ce484222325 and prime 0x100000001b3, split into 32-bit halves.
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    // (hi:lo) * 0x100000001b3 = (hi:lo) * 0x1b3 + (lo << 32)
    // (hi:lo) x (2^40 + 0x1b3) mod 2^64: the 2^40 term adds lo << 8 to the high half.
    const loProduct = lo * 0x1b3;
    const carry = Math.floor(loProduct / 0x100000000);
    hi = (Math.imul(hi, 0x1b3) + carry + ((lo << 8) >>> 0)) >>> 0;
    lo = loProduct >>> 0;
  }
  return (leg === 0 ? base36(hi, lo, 'c') : `${base36(hi, lo, 'c')}-${leg}`) as ClientOrderId;
}

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

/** `prefix` and base 36 of the unsigned 64-bit number hi x 2^32 + lo, by long division on the halves. */
function base36(hi: number, lo: number, prefix: string): string {
  if (hi === 0 && lo === 0) return `${prefix}0`;
  // Digits are collected, then made into one flat string with the prefix: prepending one at a time (or joining the
  // prefix after) built linked strings, which every later hash or comparison of the id had to walk or flatten.
  const codes: number[] = [];
  while (hi !== 0 || lo !== 0) {
    const hiQuotient = Math.floor(hi / 36);
    const current = (hi - hiQuotient * 36) * 0x100000000 + lo;
    const loQuotient = Math.floor(current / 36);
    codes.push(DIGITS.charCodeAt(current - loQuotient * 36));
    hi = hiQuotient;
    lo = loQuotient;
  }
  for (let i = prefix.length - 1; i >= 0; i--) codes.push(prefix.charCodeAt(i));
  codes.reverse();
  return String.fromCharCode(...codes);
}
