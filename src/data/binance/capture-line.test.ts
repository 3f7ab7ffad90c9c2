import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../../core/errors.js';
import { parseCaptureLine } from './capture-line.js';

const DEPTH =
  '1723161255343040266 {"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","E":1723161256612,"T":1723161256605,"s":"BTCUSDT",' +
  '"U":5123107856267,"u":5123107858366,"pu":5123107856210,"b":[["61800.20","2.909"],["61799.00","0.000"]],"a":[["61800.30","0.5"]]}}';
const TICKER =
  '1723161255088169167 {"stream":"btcusdt@bookTicker","data":{"e":"bookTicker","u":5123107839020,"s":"BTCUSDT","b":"61800.20","B":"2.507","a":"61800.30","A":"2.510","T":1723161256313,"E":1723161256313}}';
const TRADE =
  '1723161255088176367 {"stream":"btcusdt@trade","data":{"e":"trade","E":1723161256322,"T":1723161256322,"s":"BTCUSDT","t":5266583935,"p":"61800.30","q":"0.006","X":"MARKET","m":false}}';
const SNAPSHOT = '1723161255319702566 {"lastUpdateId":5123107852948,"E":1723161256501,"T":1723161256493,"bids":[["61800.20","2.909"]],"asks":[["61800.30","1.5"]]}';

function errorOf(text: string, lineNumber: number): FixRequestError {
  try {
    parseCaptureLine(text, lineNumber);
  } catch (error) {
    return error as FixRequestError;
  }
  throw new Error('expected the line to be rejected');
}

describe('parseCaptureLine', () => {
  it('parses a depth diff with its update ids and levels', () => {
    const record = parseCaptureLine(DEPTH, 57);
    expect(record.lineNumber).toBe(57);
    expect(record.receivedAtNs).toBe(1723161255343040266n);
    expect(record.message).toEqual({
      kind: 'depth-diff',
      eventTime: 1723161256612,
      transactionTime: 1723161256605,
      firstUpdateId: 5123107856267,
      finalUpdateId: 5123107858366,
      previousFinalUpdateId: 5123107856210,
      bids: [
        [61800.2, 2.909],
        [61799, 0],
      ],
      asks: [[61800.3, 0.5]],
    });
  });

  it('parses a bookTicker', () => {
    expect(parseCaptureLine(TICKER, 2).message).toEqual({
      kind: 'book-ticker',
      updateId: 5123107839020,
      eventTime: 1723161256313,
      transactionTime: 1723161256313,
      bidPrice: 61800.2,
      bidSize: 2.507,
      askPrice: 61800.3,
      askSize: 2.51,
    });
  });

  it('parses a trade with its maker flag', () => {
    expect(parseCaptureLine(TRADE, 3).message).toEqual({
      kind: 'trade',
      eventTime: 1723161256322,
      transactionTime: 1723161256322,
      tradeId: 5266583935,
      price: 61800.3,
      quantity: 0.006,
      buyerIsMaker: false,
    });
  });

  it('parses the REST snapshot line, which has no stream key', () => {
    expect(parseCaptureLine(SNAPSHOT, 55).message).toEqual({
      kind: 'depth-snapshot',
      lastUpdateId: 5123107852948,
      eventTime: 1723161256501,
      transactionTime: 1723161256493,
      bids: [[61800.2, 2.909]],
      asks: [[61800.3, 1.5]],
    });
  });

  it('keeps an unmodelled stream as unsupported instead of failing', () => {
    const line = '1 {"stream":"btcusdt@markPrice","data":{"p":"1"}}';
    expect(parseCaptureLine(line, 9).message).toEqual({ kind: 'unsupported', stream: 'btcusdt@markPrice' });
  });

  it.each([
    ['unparsable JSON', '17 {"stream":', 'line 4: the JSON does not parse'],
    ['a missing receive time', '{"lastUpdateId":1}', 'line 4: expected "<receive time ns> <JSON>"'],
    ['a bad receive time', 'x12 {"lastUpdateId":1}', 'line 4: receive time "x12"'],
    ['a missing pu', DEPTH.replace('"pu":5123107856210,', ''), 'line 4: depth diff: field "pu" is missing'],
    ['a negative size', DEPTH.replace('"2.909"', '"-2.909"'), 'line 4: depth diff: b[0] size -2.909 is negative'],
    ['a NaN size', DEPTH.replace('"2.909"', '"NaN"'), 'line 4: depth diff: b[0] size "NaN" is not a decimal number'],
    ['an empty price', TICKER.replace('"b":"61800.20"', '"b":""'), 'line 4: book ticker: bid price "b" "" is not a decimal number'],
    ['a zero price', SNAPSHOT.replace('"61800.30"', '"0"'), 'line 4: depth snapshot: asks[0] price is zero'],
    ['U after u', DEPTH.replace('"U":5123107856267', '"U":5123107858367'), 'line 4: depth diff: U 5123107858367 is after u 5123107858366'],
    ['a non-boolean maker flag', TRADE.replace('"m":false', '"m":"no"'), 'line 4: trade: field "m" is "no"'],
    ['neither stream nor snapshot', '5 {"hello":1}', 'line 4: message: has neither "stream" nor "lastUpdateId"'],
  ])('rejects %s with an error naming the line', (_name, text, message) => {
    const error = errorOf(text, 4);
    expect(error).toBeInstanceOf(FixRequestError);
    expect(error.code).toBe('invalid_capture_line');
    expect(error.message).toContain(message);
  });
});
