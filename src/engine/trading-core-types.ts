/** The trading core's configuration, ports and result types (trading-core.ts re-exports the public ones). */
import type { Clock } from '../core/clock.js';
import type { Fixed } from '../core/fixed.js';
import type { ClientOrderId, Currency, IdGenerator, InstrumentId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import type { AgentEvent, DeskEvent, EventBase } from '../domain/events.js';
import type { CurrencyScales, Instrument } from '../domain/instrument.js';
import type { VenuePort } from '../execution/venue-port.js';
import type { EventStore } from '../kernel/event-store.js';
import type { MessageBus } from '../kernel/message-bus.js';
import type { KillSwitchProbe } from '../risk/kill-switch.js';
import type { RiskLimits } from '../risk/limits.js';

export interface TradingCoreConfig {
  readonly instruments: readonly Instrument[];
  readonly limits: RiskLimits;
  /** The currency desk equity, drawdown and daily loss are measured in. */
  readonly valuationCurrency: Currency;
  readonly scales?: CurrencyScales;
  readonly leverage?: ReadonlyMap<InstrumentId, Fixed>;
  /**
   * Several owners (sleeves) trade through one venue account, which nets their positions. The venue judges a
   * reduce-only order against that net, not against the owner's own position, so it could refuse or cut an owner's
   * stop or close because of another owner's trades: the core then sends reduce-only orders to the venue as plain
   * orders (the gate and the books hold each to its owner's own position). Without it the venue's reduce-only stays.
   */
  readonly ownersShareVenueAccount?: boolean;
}

export interface TradingCorePorts {
  readonly clock: Clock;
  readonly ids?: IdGenerator;
  readonly store?: EventStore<DeskEvent>;
  readonly bus?: MessageBus;
  readonly venue?: VenuePort;
  readonly killSwitch?: KillSwitchProbe;
}

export type SubmitOutcome =
  | { readonly status: 'submitted'; readonly clientOrderId: ClientOrderId; readonly clamps: readonly string[] }
  | { readonly status: 'duplicate'; readonly clientOrderId: ClientOrderId }
  | { readonly status: 'denied'; readonly code: string; readonly detail: string };

/** Something that reached the core and could not be applied; nothing was changed. */
export interface Anomaly {
  readonly ts: UnixMs;
  readonly source: 'venue' | 'command';
  readonly problem: string;
}

/** An agent fact before the core stamps it. */
export type NewAgentEvent = AgentEvent extends infer E ? (E extends AgentEvent ? Omit<E, keyof EventBase> & { causationId?: string } : never) : never;

/** Any desk event before the core stamps it (internal to the core: callers record through its commands). */
export type NewEvent = DeskEvent extends infer E ? (E extends DeskEvent ? Omit<E, keyof EventBase> & { causationId?: string } : never) : never;
