import { ConclaveError, FixRequestError } from '../../core/errors.js';
import { binanceMessageFromJson, type BinanceMessage } from './messages.js';

/** One line of a raw capture: `<local receive time in ns> <JSON message>`. */
export interface CaptureRecord {
  readonly lineNumber: number;
  /** Local receive time in nanoseconds (beyond 2^53, hence a bigint). */
  readonly receivedAtNs: bigint;
  readonly message: BinanceMessage;
}

const RECEIVE_TIME = /^\d{1,20}$/;

/** Parses one capture line; any problem becomes a FixRequestError that names the line number. */
export function parseCaptureLine(text: string, lineNumber: number): CaptureRecord {
  const space = text.indexOf(' ');
  if (space < 0) throw lineError(lineNumber, 'expected "<receive time ns> <JSON>"');
  const stamp = text.slice(0, space);
  if (!RECEIVE_TIME.test(stamp)) throw lineError(lineNumber, `receive time "${stamp}" is not an integer of nanoseconds`);
  let json: unknown;
  try {
    json = JSON.parse(text.slice(space + 1));
  } catch (error) {
    throw lineError(lineNumber, `the JSON does not parse (${(error as Error).message})`, error);
  }
  try {
    return { lineNumber, receivedAtNs: BigInt(stamp), message: binanceMessageFromJson(json) };
  } catch (error) {
    if (error instanceof ConclaveError) throw lineError(lineNumber, error.message, error);
    throw error;
  }
}

function lineError(lineNumber: number, problem: string, cause?: unknown): FixRequestError {
  return new FixRequestError('invalid_capture_line', `line ${lineNumber}: ${problem}`, { cause });
}
