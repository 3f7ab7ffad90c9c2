import { WallClock } from '../../core/clock.js';
import { FixRequestError } from '../../core/errors.js';

/** Who sends a request to a running desk: `--by`, else the login name; `doing` says what ("acknowledges"). */
export function operatorName(by: string | undefined, doing: string): string {
  const name = (by ?? process.env.USER ?? '').trim();
  if (name === '') throw new FixRequestError('invalid_arguments', `say who ${doing} with --by NAME`);
  return name;
}

/** When a request is sent, for the inbox line (wall time, ISO 8601). */
export function requestTime(): string {
  return new Date(new WallClock().now()).toISOString();
}
