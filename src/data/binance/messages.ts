import { FixRequestError } from '../../core/errors.js';
import type { BookLevel } from '../../domain/market-data.js';

/**
 * Binance USD-M futures market-data messages, typed, with prices and sizes as float64 and update ids as numbers
 * (they are below 2^53). Each converter takes the parsed JSON of one message and names the field that is wrong.
 */

/** `<symbol>@depth[@speed]`: the levels that changed between update ids U and u. */
export interface DepthDiff {
  readonly kind: 'depth-diff';
  /** E */
  readonly eventTime: number;
  /** T: matching-engine time of the last update in the batch. */
  readonly transactionTime: number;
  /** U */
  readonly firstUpdateId: number;
  /** u */
  readonly finalUpdateId: number;
  /** pu: the `u` of the previous diff on this stream; the chain is broken when it does not match. */
  readonly previousFinalUpdateId: number;
  /** Absolute sizes; 0 removes the level. */
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
}

/** `<symbol>@bookTicker`: the best bid and ask after update id `u`, pushed on every change of either. */
export interface BookTicker {
  readonly kind: 'book-ticker';
  readonly updateId: number;
  readonly eventTime: number;
  readonly transactionTime: number;
  readonly bidPrice: number;
  readonly bidSize: number;
  readonly askPrice: number;
  readonly askSize: number;
}

export interface Trade {
  readonly kind: 'trade';
  readonly eventTime: number;
  readonly transactionTime: number;
  readonly tradeId: number;
  readonly price: number;
  readonly quantity: number;
  /** m: the buyer was the resting order, so the aggressor sold. */
  readonly buyerIsMaker: boolean;
}

/** The REST `GET /fapi/v1/depth` answer. */
export interface DepthSnapshot {
  readonly kind: 'depth-snapshot';
  readonly lastUpdateId: number;
  readonly eventTime: number;
  readonly transactionTime: number;
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
}

/** A stream we do not model (mark price, aggTrade, ...): kept so a replay can count and skip it. */
export interface UnsupportedMessage {
  readonly kind: 'unsupported';
  readonly stream: string;
}

export type BinanceMessage = DepthDiff | BookTicker | Trade | DepthSnapshot | UnsupportedMessage;

type Json = Record<string, unknown>;

function fail(what: string, problem: string): never {
  throw new FixRequestError('invalid_binance_message', `${what}: ${problem}`);
}

function asObject(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(what, 'is not a JSON object');
  return value as Json;
}

function integerField(json: Json, key: string, what: string): number {
  const value = json[key];
  if (value === undefined) fail(what, `field "${key}" is missing`);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(what, `field "${key}" is ${JSON.stringify(value)}, not a non-negative integer`);
  }
  return value;
}

function decimal(value: unknown, label: string, what: string, allowZero: boolean): number {
  if (value === undefined) fail(what, `${label} is missing`);
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(parsed)) fail(what, `${label} ${JSON.stringify(value)} is not a decimal number`);
  if (parsed < 0) fail(what, `${label} ${value} is negative`);
  if (parsed === 0 && !allowZero) fail(what, `${label} is zero`);
  return parsed;
}

function levels(json: Json, key: string, what: string): BookLevel[] {
  const value = json[key];
  if (value === undefined) fail(what, `field "${key}" is missing`);
  if (!Array.isArray(value)) fail(what, `field "${key}" is not an array of [price, size]`);
  const result: BookLevel[] = new Array<BookLevel>(value.length);
  for (let index = 0; index < value.length; index++) {
    const level: unknown = value[index];
    if (!Array.isArray(level) || level.length < 2) fail(what, `${key}[${index}] is not [price, size]`);
    const price = decimal(level[0], `${key}[${index}] price`, what, false);
    const size = decimal(level[1], `${key}[${index}] size`, what, true);
    result[index] = [price, size];
  }
  return result;
}

export function depthDiffFromJson(value: unknown): DepthDiff {
  const what = 'depth diff';
  const json = asObject(value, what);
  const firstUpdateId = integerField(json, 'U', what);
  const finalUpdateId = integerField(json, 'u', what);
  if (firstUpdateId > finalUpdateId) fail(what, `U ${firstUpdateId} is after u ${finalUpdateId}`);
  return {
    kind: 'depth-diff',
    eventTime: integerField(json, 'E', what),
    transactionTime: integerField(json, 'T', what),
    firstUpdateId,
    finalUpdateId,
    previousFinalUpdateId: integerField(json, 'pu', what),
    bids: levels(json, 'b', what),
    asks: levels(json, 'a', what),
  };
}

export function bookTickerFromJson(value: unknown): BookTicker {
  const what = 'book ticker';
  const json = asObject(value, what);
  return {
    kind: 'book-ticker',
    updateId: integerField(json, 'u', what),
    eventTime: integerField(json, 'E', what),
    transactionTime: integerField(json, 'T', what),
    bidPrice: decimal(json['b'], 'bid price "b"', what, false),
    bidSize: decimal(json['B'], 'bid size "B"', what, true),
    askPrice: decimal(json['a'], 'ask price "a"', what, false),
    askSize: decimal(json['A'], 'ask size "A"', what, true),
  };
}

export function tradeFromJson(value: unknown): Trade {
  const what = 'trade';
  const json = asObject(value, what);
  const buyerIsMaker = json['m'];
  if (typeof buyerIsMaker !== 'boolean') fail(what, `field "m" is ${JSON.stringify(buyerIsMaker)}, not a boolean`);
  return {
    kind: 'trade',
    eventTime: integerField(json, 'E', what),
    transactionTime: integerField(json, 'T', what),
    tradeId: integerField(json, 't', what),
    price: decimal(json['p'], 'price "p"', what, false),
    quantity: decimal(json['q'], 'quantity "q"', what, true),
    buyerIsMaker,
  };
}

export function depthSnapshotFromJson(value: unknown): DepthSnapshot {
  const what = 'depth snapshot';
  const json = asObject(value, what);
  return {
    kind: 'depth-snapshot',
    lastUpdateId: integerField(json, 'lastUpdateId', what),
    eventTime: integerField(json, 'E', what),
    transactionTime: integerField(json, 'T', what),
    bids: levels(json, 'bids', what),
    asks: levels(json, 'asks', what),
  };
}

/**
 * One message as captured: a combined-stream envelope `{stream, data}` for WebSocket messages, or a bare REST
 * depth snapshot (it has `lastUpdateId` and no `stream`).
 */
export function binanceMessageFromJson(value: unknown): BinanceMessage {
  const json = asObject(value, 'message');
  const stream = json['stream'];
  if (stream === undefined) {
    if (json['lastUpdateId'] === undefined) fail('message', 'has neither "stream" nor "lastUpdateId"');
    return depthSnapshotFromJson(json);
  }
  if (typeof stream !== 'string') fail('message', `"stream" is ${JSON.stringify(stream)}, not a string`);
  const data = json['data'];
  if (data === undefined) fail(`${stream} message`, 'field "data" is missing');
  const [, kind] = stream.split('@');
  switch (kind) {
    case 'depth':
      return depthDiffFromJson(data);
    case 'bookTicker':
      return bookTickerFromJson(data);
    case 'trade':
      return tradeFromJson(data);
    default:
      return { kind: 'unsupported', stream };
  }
}
