import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { parseCaptureLine, type CaptureRecord } from '../../data/binance/capture-line.js';

export interface CaptureLine {
  /** 1-based, counting blank lines too, so errors point at the line an editor shows. */
  readonly lineNumber: number;
  readonly text: string;
}

/** Streams the lines of a capture file, gunzipping it when the name ends in `.gz`. Blank lines are skipped. */
export async function* readCaptureLines(path: string): AsyncGenerator<CaptureLine> {
  const file = createReadStream(path);
  const input: Readable = path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
  // pipe() does not forward a read error (a missing file) to the gunzip stream: pass it on so the loop rejects.
  if (input !== file) file.on('error', (error) => input.destroy(error));
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  try {
    for await (const text of lines) {
      lineNumber += 1;
      if (text.trim() !== '') yield { lineNumber, text };
    }
  } finally {
    lines.close();
    input.destroy();
  }
}

/** Reads and parses a Binance capture; a bad line rejects with an error naming its line number. */
export async function* readBinanceCapture(path: string): AsyncGenerator<CaptureRecord> {
  for await (const line of readCaptureLines(path)) yield parseCaptureLine(line.text, line.lineNumber);
}
