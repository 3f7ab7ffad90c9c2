import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readBinanceCapture, readCaptureLines } from './capture-file.js';

const directory = mkdtempSync(join(tmpdir(), 'capture-file-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const SNAPSHOT = '1 {"lastUpdateId":7,"E":1,"T":1,"bids":[["100.0","1"]],"asks":[["101.0","2"]]}';
const TRADE = '2 {"stream":"btcusdt@trade","data":{"E":2,"T":2,"t":9,"p":"100.5","q":"0.1","m":true}}';

async function collect<T>(lines: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const line of lines) result.push(line);
  return result;
}

describe('capture files', () => {
  it('reads a gzipped capture line by line, numbering lines as an editor does', async () => {
    const path = join(directory, 'capture.jsonl.gz');
    writeFileSync(path, gzipSync(`${SNAPSHOT}\n\n${TRADE}\n`));
    expect(await collect(readCaptureLines(path))).toEqual([
      { lineNumber: 1, text: SNAPSHOT },
      { lineNumber: 3, text: TRADE },
    ]);
  });

  it('reads a plain capture and parses its messages', async () => {
    const path = join(directory, 'capture.jsonl');
    writeFileSync(path, `${SNAPSHOT}\r\n${TRADE}`);
    const records = await collect(readBinanceCapture(path));
    expect(records.map((record) => [record.lineNumber, record.message.kind])).toEqual([
      [1, 'depth-snapshot'],
      [2, 'trade'],
    ]);
  });

  it('rejects with the line number of a bad line', async () => {
    const path = join(directory, 'bad.jsonl');
    writeFileSync(path, `${SNAPSHOT}\n3 {"stream":"btcusdt@trade","data":{"E":2}}\n`);
    await expect(collect(readBinanceCapture(path))).rejects.toThrow('line 2: trade: field "m" is undefined, not a boolean');
  });

  it('rejects a missing file and a file that is not gzip', async () => {
    await expect(collect(readCaptureLines(join(directory, 'absent.jsonl.gz')))).rejects.toThrow('ENOENT');
    const path = join(directory, 'not-gzip.jsonl.gz');
    writeFileSync(path, 'plain text');
    await expect(collect(readCaptureLines(path))).rejects.toThrow('incorrect header check');
  });
});
