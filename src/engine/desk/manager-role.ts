import { Fixed } from '../../core/fixed.js';
import type { AgentId, InstrumentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { Instrument } from '../../domain/instrument.js';
import type { OrderIntent } from '../../domain/intent.js';
import type { TradingCore } from '../trading-core.js';
import { decide, DESK_BOOK_MODES, renetWithout, signalCausation, type AnalystSignal, type Breach, type Decision, type DecisionInput, type DecisionMode, type DecisionResult, type DroppedView, type PositionEntry, type Sizing } from '../../agents/decision-modes/index.js';
import type { ModeParameters } from '../../agents/judge/mode-policy.js';
import type { AnalystRole } from './analyst-role.js';
import { HeldDecisions } from './held-decisions.js';

/** The manager's configuration: its mode and that mode's rules (a DecisionInput without the moment's facts). */
export type ManagerRules = Pick<DecisionInput, 'weights' | 'deadband' | 'consensus' | 'hierarchy'> & {
  readonly mode: Exclude<DecisionMode, 'emergency'>;
};

export { DESK_BOOK_MODES };

export const DESK_OWNER = 'desk';

/** The decisions' reasons with why each view below its threshold that caused them was acted on as flat. */
function notedAll(result: DecisionResult, asFlat: ReadonlyMap<string, string>): DecisionResult {
  if (asFlat.size === 0) return result;
  const noted = (decision: Decision): Decision => {
    const notes = decision.causationId.split(',').flatMap((id) => asFlat.get(id) ?? []);
    return notes.length === 0 ? decision : { ...decision, reason: `${decision.reason}; ${notes.join('; ')}` };
  };
  return { ...result, decisions: result.decisions.map(noted) };
}

/**
 * The portfolio manager: turns the analysts' signals and the books into intents by the configured decision mode,
 * journaling every decision (with the signals that caused it) before its intent goes to the executor. The judge's
 * mode for each analyst scales its sizing and sets the conviction it must reach to be acted on; a view below it that
 * turns against its book still closes that book (see `turnsAgainstItsBook`).
 */
export class ManagerRole {
  private readonly multipliers = new Map<number, Fixed>();
  private readonly held = new HeldDecisions();

  constructor(
    readonly id: AgentId,
    private readonly core: TradingCore,
    private readonly rules: ManagerRules,
    private readonly instruments: ReadonlyMap<InstrumentId, Instrument>,
    private readonly modeParameters: (analyst: AnalystRole) => ModeParameters,
  ) {}

  get mode(): DecisionMode {
    return this.rules.mode;
  }

  /**
   * Decides on `signals` (the latest per analyst and instrument that are in play); returns the intents to execute.
   * `cause`: what asked for the decision now besides the signals (the position cycle's step), named beside them.
   */
  decide(
    now: UnixMs,
    signals: readonly AnalystSignal[],
    analysts: ReadonlyMap<AgentId, AnalystRole>,
    prices: ReadonlyMap<InstrumentId, Fixed>,
    standing: readonly AnalystSignal[] = [],
    cause?: string,
  ): OrderIntent[] {
    const { acted, asFlat } = this.actedViews(signals, analysts);
    if (acted.length === 0) return [];
    return this.run(this.rules.mode, now, acted, analysts, prices, undefined, undefined, 1, standing, cause, asFlat);
  }

  /**
   * The views the manager acts on: those at their analyst's mode's threshold, and as flat those below it that turn
   * against their book (`asFlat`: why, by signal id); the others (and those of analysts not active) are passed over.
   */
  private actedViews(signals: readonly AnalystSignal[], analysts: ReadonlyMap<AgentId, AnalystRole>): { acted: AnalystSignal[]; asFlat: Map<string, string> } {
    const acted: AnalystSignal[] = [];
    const asFlat = new Map<string, string>();
    for (const entry of signals) {
      const analyst = analysts.get(entry.analystId);
      if (analyst === undefined) continue;
      if (this.actsOn(entry, analyst)) acted.push(entry);
      else if (this.turnsAgainstItsBook(entry)) {
        acted.push({ ...entry, signal: { ...entry.signal, direction: 'flat' } });
        const { direction, conviction } = entry.signal;
        const threshold = this.modeParameters(analyst).convictionThreshold;
        asFlat.set(signalCausation(entry), `${entry.analystId}'s ${direction} at ${conviction} is below ${analyst.mode}'s conviction threshold ${threshold}: acted on as flat (it closes, never opens)`);
      }
    }
    return { acted, asFlat };
  }

  /**
   * Whether a view below its threshold turns against the position of the book it trades (its sleeve's; the desk
   * book's in the netting modes): it no longer supports that position, and closing only lowers risk, so the
   * threshold that gates opening does not keep it open. The view is acted on as flat: it closes, never opens.
   */
  private turnsAgainstItsBook(entry: AnalystSignal): boolean {
    const owner = DESK_BOOK_MODES.has(this.rules.mode) ? DESK_OWNER : entry.sleeve;
    const quantity = this.core.ledger.position(owner, entry.signal.instrumentId)?.quantity;
    if (quantity === undefined || quantity.isZero()) return false;
    return quantity.isPositive() ? entry.signal.direction === 'short' : entry.signal.direction === 'long';
  }

  /**
   * Whether a view reaches its analyst's mode's conviction threshold; a flat view always does (it only ever reduces).
   * A view the manager's review resized is judged on its analyst's own conviction: the resize shrinks its size only.
   */
  actsOn(entry: AnalystSignal, analyst: AnalystRole): boolean {
    if (entry.signal.direction === 'flat') return true;
    return (entry.analystConviction ?? entry.signal.conviction) >= this.modeParameters(analyst).convictionThreshold;
  }

  /**
   * Emergency: cut every position of the given owners (all owners when omitted) by `fraction` (1: flatten),
   * reduce-only. A partial cut is planned on the scaled positions, and journaled against the real ones.
   */
  flatten(
    now: UnixMs,
    breach: Breach,
    analysts: ReadonlyMap<AgentId, AnalystRole>,
    prices: ReadonlyMap<InstrumentId, Fixed>,
    owners?: ReadonlySet<string>,
    fraction = 1,
  ): OrderIntent[] {
    return this.run('emergency', now, [], analysts, prices, breach, owners, Math.min(1, Math.max(0, fraction)));
  }

  /**
   * Netting modes, when an analyst is isolated: the desk book on the instrument of its dropped view, netted again
   * from `standing` (the other analysts' views on it) without it, each judged on its threshold as `decide` judges it
   * (a view below it holds nothing); flat when nothing is left to hold it.
   */
  renet(now: UnixMs, dropped: DroppedView, standing: readonly AnalystSignal[], analysts: ReadonlyMap<AgentId, AnalystRole>, prices: ReadonlyMap<InstrumentId, Fixed>): OrderIntent[] {
    const mode = this.rules.mode;
    if (mode !== 'weighted' && mode !== 'consensus') return [];
    const { acted, asFlat } = this.actedViews(standing, analysts);
    const result = renetWithout(mode, this.input(now, acted, analysts, prices, this.positions()), dropped);
    this.journal(notedAll(result, asFlat), 1);
    return result.intents;
  }

  private run(
    mode: DecisionMode,
    now: UnixMs,
    signals: readonly AnalystSignal[],
    analysts: ReadonlyMap<AgentId, AnalystRole>,
    prices: ReadonlyMap<InstrumentId, Fixed>,
    breach?: Breach,
    owners?: ReadonlySet<string>,
    fraction = 1,
    standing: readonly AnalystSignal[] = [],
    cause?: string,
    asFlat: ReadonlyMap<string, string> = new Map(),
  ): OrderIntent[] {
    const positions = fraction === 1 ? this.positions(owners) : this.positions(owners).map((p) => ({ ...p, quantity: this.cutOf(p, fraction) }));
    const result = decide(mode, {
      ...this.input(now, signals, analysts, prices, positions),
      ...(standing.length === 0 ? {} : { standing }),
      ...(breach === undefined ? {} : { breach }),
    });
    this.journal(notedAll(result, asFlat), fraction, cause);
    return result.intents;
  }

  /** The moment's facts and the manager's rules, each analyst sized by its mode. */
  private input(now: UnixMs, signals: readonly AnalystSignal[], analysts: ReadonlyMap<AgentId, AnalystRole>, prices: ReadonlyMap<InstrumentId, Fixed>, positions: PositionEntry[]): DecisionInput {
    const sizing = new Map<AgentId, Sizing>();
    const multipliers = new Map<AgentId, Fixed>();
    for (const analyst of analysts.values()) {
      const multiplier = this.exactMultiplier(this.modeParameters(analyst).sizingMultiplier);
      sizing.set(analyst.id, { kind: analyst.sizing.kind, perConviction: analyst.sizing.perConviction.mul(multiplier) });
      multipliers.set(analyst.id, multiplier);
    }
    return {
      now,
      managerId: this.id,
      deskOwner: DESK_OWNER,
      signals,
      positions,
      prices,
      instruments: this.instruments,
      sizing,
      ...(this.rules.weights === undefined ? {} : { weights: this.rules.weights }),
      ...(this.rules.deadband === undefined ? {} : { deadband: this.rules.deadband }),
      ...(this.rules.consensus === undefined ? {} : { consensus: this.rules.consensus, sizeMultipliers: multipliers }),
      ...(this.rules.hierarchy === undefined ? {} : { hierarchy: this.rules.hierarchy }),
      ...(this.deskReducing() ? { deskReducing: true } : {}),
    };
  }

  /** Netting modes: whether the desk book may only be reduced (the desk REDUCING, or halted, when it only protects). */
  private deskReducing(): boolean {
    return DESK_BOOK_MODES.has(this.rules.mode) && this.core.risk.stateFor(DESK_OWNER) !== 'ACTIVE';
  }

  /**
   * Journals each decision, a hold once while nothing about it changes (see HeldDecisions); a partial cut
   * (`fraction` < 1) is journaled against the real positions.
   */
  private journal(result: DecisionResult, fraction: number, cause?: string): void {
    for (const decision of result.decisions) {
      const actual = fraction === 1 ? decision.current : (this.core.ledger.position(decision.owner, decision.instrumentId)?.quantity ?? decision.current);
      const made = {
        agentId: decision.agentId,
        mode: decision.mode,
        owner: decision.owner,
        instrumentId: decision.instrumentId,
        target: fraction === 1 ? decision.target : actual.add(decision.order),
        current: actual,
        order: decision.order,
        ...(decision.intentId === undefined ? {} : { intentId: decision.intentId }),
        reason: fraction === 1 ? decision.reason : `${decision.reason} (${cutWords(fraction, decision.order, actual)})`,
        causationId: cause === undefined ? decision.causationId : `${decision.causationId},${cause}`,
      };
      if (this.held.isNew(made)) this.core.recordAgentEvent({ type: 'DecisionMade', ...made });
    }
  }

  /** A mode's sizing multiplier as an exact decimal, made once per value (the manager sizes on every decision). */
  private exactMultiplier(multiplier: number): Fixed {
    let exact = this.multipliers.get(multiplier);
    if (exact === undefined) this.multipliers.set(multiplier, (exact = Fixed.fromNumberApprox(multiplier, 6)));
    return exact;
  }

  /**
   * `fraction` of a position, rounded up to the instrument's lot (never past the position): a cut sized to bring a risk
   * measure back to a level, rounded down, would leave the measure a hair above it.
   */
  private cutOf(position: PositionEntry, fraction: number): Fixed {
    const cut = position.quantity.mul(Fixed.fromNumberApprox(fraction, 6));
    const lot = this.instruments.get(position.instrumentId)?.lotSize;
    if (lot === undefined) return cut;
    const up = cut.quantize(lot, 'up');
    return up.abs().gt(position.quantity.abs()) ? position.quantity : up;
  }

  private positions(owners?: ReadonlySet<string>): PositionEntry[] {
    const entries: PositionEntry[] = [];
    for (const { owner, position } of this.core.ledger.allPositions()) {
      if (position.quantity.isZero() || (owners !== undefined && !owners.has(owner))) continue;
      entries.push({ owner, instrumentId: position.instrumentId, quantity: position.quantity });
    }
    return entries;
  }
}

/** The cut asked for and, when rounding to the lot made it another, the one the order makes of the position. */
function cutWords(fraction: number, order: Fixed, position: Fixed): string {
  const asked = `a cut of ${(fraction * 100).toFixed(1)}%`;
  if (position.isZero()) return asked;
  const made = (order.abs().toNumber() / position.abs().toNumber()) * 100;
  return made.toFixed(1) === (fraction * 100).toFixed(1) ? asked : `${asked}, ${made.toFixed(1)}% once rounded up to the lot`;
}
