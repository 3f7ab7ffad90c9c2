import type { Fixed } from '../core/fixed.js';
import type { ClientOrderId, Currency, EventId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import type { OrderIntent } from './intent.js';

/** Commands ask for a change; the core answers with events (or a denial event). */
export interface CommandBase {
  readonly id: EventId;
  readonly tsEvent: UnixMs;
  readonly tsInit: UnixMs;
  readonly causationId?: string;
}

export interface SubmitIntent extends CommandBase {
  readonly type: 'SubmitIntent';
  readonly intent: OrderIntent;
}

export interface CancelOrder extends CommandBase {
  readonly type: 'CancelOrder';
  readonly clientOrderId: ClientOrderId;
}

export interface ModifyOrder extends CommandBase {
  readonly type: 'ModifyOrder';
  readonly clientOrderId: ClientOrderId;
  readonly quantity?: Fixed;
  readonly price?: Fixed;
  readonly triggerPrice?: Fixed;
}

export interface Halt extends CommandBase {
  readonly type: 'Halt';
  readonly reason: string;
}

export interface Resume extends CommandBase {
  readonly type: 'Resume';
  readonly reason: string;
}

export interface Deposit extends CommandBase {
  readonly type: 'Deposit';
  readonly owner: string;
  readonly currency: Currency;
  readonly amount: Fixed;
}

export interface Withdraw extends CommandBase {
  readonly type: 'Withdraw';
  readonly owner: string;
  readonly currency: Currency;
  readonly amount: Fixed;
}

export type DeskCommand = SubmitIntent | CancelOrder | ModifyOrder | Halt | Resume | Deposit | Withdraw;
