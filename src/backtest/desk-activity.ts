import type { ClientOrderId } from '../core/ids.js';
import type { DeskEvent } from '../domain/events.js';

/** What one agent did over a desk run, counted from the journal. */
export interface AgentActivity {
  readonly signals: number;
  /** Intents the risk gate approved and denied, by the agent the intent names (the manager's in the netting modes). */
  readonly approved: number;
  readonly denied: number;
  /** Fills of the orders made for the agent's intents (their protective exits included). */
  readonly fills: number;
  /** The judge's mode changes, in order (`standard → aggressive`). */
  readonly modeChanges: readonly string[];
  /** Its sleeve's capital weight in the first and the last allocation (`CapitalReallocated`), when there was one. */
  readonly weightStart?: number;
  readonly weightEnd?: number;
}

interface Counts {
  signals: number;
  approved: number;
  denied: number;
  fills: number;
  modeChanges: string[];
}

/**
 * Tallies the journal per agent as the desk summary reads it. A fill is told its agent by the order it fills
 * (`agentOf`, from the OMS), since the fill itself names none.
 */
export class AgentActivityTally {
  private readonly counts = new Map<string, Counts>();
  private readonly weights = new Map<string, { start: number; end: number }>();

  constructor(private readonly agentOf: (clientOrderId: ClientOrderId) => string | undefined) {}

  onEvent(event: DeskEvent): void {
    switch (event.type) {
      case 'SignalEmitted':
        this.of(event.agentId).signals += 1;
        break;
      case 'IntentApproved':
        this.of(event.intent.agentId).approved += 1;
        break;
      case 'IntentDenied':
        this.of(event.agentId).denied += 1;
        break;
      case 'OrderFilled': {
        const agent = this.agentOf(event.fill.clientOrderId);
        if (agent !== undefined) this.of(agent).fills += 1;
        break;
      }
      case 'AgentModeChanged':
        this.of(event.agentId).modeChanges.push(`${event.from} → ${event.to}`);
        break;
      case 'CapitalReallocated':
        for (const { sleeve, weight } of event.weights) {
          const value = weight.toNumber();
          const known = this.weights.get(sleeve);
          if (known === undefined) this.weights.set(sleeve, { start: value, end: value });
          else known.end = value;
        }
        break;
      default:
        break;
    }
  }

  /** The agent's activity; the weights are its sleeve's, when it trades one. */
  activityOf(agentId: string, sleeve?: string): AgentActivity {
    const counts = this.counts.get(agentId) ?? { signals: 0, approved: 0, denied: 0, fills: 0, modeChanges: [] };
    const weight = sleeve === undefined ? undefined : this.weights.get(sleeve);
    return { ...counts, ...(weight === undefined ? {} : { weightStart: weight.start, weightEnd: weight.end }) };
  }

  private of(agentId: string): Counts {
    let counts = this.counts.get(agentId);
    if (counts === undefined) this.counts.set(agentId, (counts = { signals: 0, approved: 0, denied: 0, fills: 0, modeChanges: [] }));
    return counts;
  }
}
