import type { EventId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';

/** Every fact carries when it happened (tsEvent), when we recorded it (tsInit) and what caused it. */
export interface EventBase {
  readonly id: EventId;
  readonly tsEvent: UnixMs;
  readonly tsInit: UnixMs;
  readonly causationId?: string;
}

export type TradingState = 'ACTIVE' | 'REDUCING' | 'HALTED';

