import type { AgentHealth } from '../../domain/agent-events.js';
import type { DeskEvent } from '../../domain/events.js';
import type { Desk } from '../../engine/desk/desk.js';
import type { EntryShape, OptionalParts } from './state-file.js';

/*
 * What a running desk is doing, published in the run's alerts file (`NAME.json`) beside its alerts, so a person in
 * another terminal sees it (`conclave status`) and `conclave restart` refuses at once an agent the run cannot restart.
 */

/**
 * `isolated`: an analyst stopped after it threw, which `conclave restart` brings back; `failing`: an agent whose
 * model keeps failing (its brain abstains; it comes back with its model, not by a restart).
 */
export type AgentHealthShown = 'isolated' | AgentHealth;

export interface AgentEntry {
  readonly id: string;
  /** analyst, manager, judge, optimizer or notifier. */
  readonly role: string;
  readonly health: AgentHealthShown;
  /** Why it is not healthy: what it threw, or what its model answered. */
  readonly error?: string;
  readonly sleeve?: string;
  readonly mode?: string;
}

export interface PositionEntry {
  /** The sleeve, or the desk book. */
  readonly owner: string;
  readonly instrumentId: string;
  /** Exact decimals, as the ledger holds them. */
  readonly quantity: string;
  readonly costBasis: string;
}

export interface DeskStatus {
  readonly tradingState: string;
  /** Why the desk is in that state, when something changed it. */
  readonly tradingReason?: string;
  /**
   * The desk's equity in its valuation currency, to the cent, with positions at each instrument's last close (the
   * figure of the run's summary line; the journal marks positions only daily and at fills).
   */
  readonly equity: string;
  readonly positions: readonly PositionEntry[];
  readonly agents: readonly AgentEntry[];
}

/** How the alerts file holds the status: every part may be missing (a file a run wrote before it published them). */
export const DESK_STATUS_PARTS: OptionalParts = {
  fields: { tradingState: 'text?', tradingReason: 'text?', equity: 'text?' },
  lists: {
    agents: { id: 'text', role: 'text', health: 'text', error: 'text?', sleeve: 'text?', mode: 'text?' } satisfies EntryShape,
    positions: { owner: 'text', instrumentId: 'text', quantity: 'text', costBasis: 'text' } satisfies EntryShape,
  },
};

/** Reads the status off a running desk; the reasons come from its journal (`onEvent`), as they happen. */
export class DeskStatusWatch {
  private tradingReason: string | undefined;
  /** What each isolated analyst threw, by id. */
  private readonly thrown = new Map<string, string>();

  constructor(
    private readonly desk: Pick<Desk, 'status' | 'analysts' | 'core' | 'books'>,
    /** Roles the run keeps beside the desk's (the notifier), as the progress line counts them. */
    private readonly roles: () => ReturnType<Desk['status']> = () => [],
  ) {}

  onEvent(event: DeskEvent): void {
    if (event.type === 'TradingStateChanged') this.tradingReason = event.reason;
    else if (event.type === 'AgentHealthChanged') {
      if (event.to === 'failing') this.thrown.set(event.agentId, event.reason);
      else this.thrown.delete(event.agentId);
    }
  }

  snapshot(): DeskStatus {
    const core = this.desk.core;
    const agents = [...this.desk.status(), ...this.roles()].map((row): AgentEntry => {
      // An analyst's own health says whether it is isolated; the row's is also failing while only its model fails.
      const isolated = row.role === 'analyst' && this.desk.analysts.get(row.id)?.health === 'failing';
      const health: AgentHealthShown = isolated ? 'isolated' : row.health;
      const error = isolated ? (this.thrown.get(row.id) ?? 'threw') : row.problem;
      return {
        id: row.id,
        role: row.role,
        health,
        ...(health === 'healthy' || error === undefined ? {} : { error }),
        ...(row.sleeve === undefined ? {} : { sleeve: row.sleeve }),
        ...(row.mode === undefined ? {} : { mode: row.mode }),
      };
    });
    const positions = core.ledger
      .allPositions()
      .filter(({ position }) => !position.quantity.isZero())
      .map(({ owner, position }) => ({ owner, instrumentId: position.instrumentId, quantity: position.quantity.toString(), costBasis: position.costBasis.toString() }));
    return {
      tradingState: core.tradingState,
      ...(this.tradingReason === undefined ? {} : { tradingReason: this.tradingReason }),
      equity: this.desk.books.equity().toFixed(2),
      positions,
      agents,
    };
  }
}
