import type { Fixed } from '../../core/fixed.js';
import type { InstrumentId } from '../../core/ids.js';
import type { Instrument } from '../../domain/instrument.js';
import type { TradingCore } from '../trading-core.js';
import { decideMitigation, decideRelease, type MitigationDecision, type MitigationLimits } from '../../risk/monitoring/mitigation.js';
import { priceShockScenarios, runStress, volatilitySpikeScenarios, type StressPosition } from '../../risk/monitoring/stress.js';
import { commonReturns, type ClosedBars } from '../../risk/monitoring/common-returns.js';
import { DEFAULT_MIN_OBSERVATIONS, exposureOf, historicalVar, parametricVar, type VarResult } from '../../risk/monitoring/var.js';

export interface MonitoringConfig {
  readonly confidence: number;
  readonly method: 'historical' | 'parametric';
  readonly lookbackBars: number;
  readonly shocks: readonly number[];
  /** Volatility multipliers: their stressed VaR (by `method`) is reported with each assessment. */
  readonly volatilitySpikes?: readonly number[];
  readonly limits: MitigationLimits;
}

/** The bars of one instrument that have closed (oldest first), or undefined for an instrument without data. */
export type CloseHistory = (instrumentId: InstrumentId) => ClosedBars | undefined;

/**
 * The risk manager's portfolio watch (the gate itself is in the core): on its nudge it measures VaR/CVaR of the
 * desk's net positions on recent bar returns (paired by close time across instruments) and the loss of each price
 * shock, and decides none / reduce / halt. Too few returns in common leave VaR and CVaR unmeasured, and the
 * assessment says so and why, rather than reading as a VaR of 0.
 * The desk carries the decision out (REDUCING with a proportional cut, or a halt) and journals why. REDUCING it set
 * is lifted only once every measure is at or below its release level, below the limit (see `decideRelease`).
 */
export class RiskMonitorRole {
  private lastJournaled = Number.NEGATIVE_INFINITY;
  private release: string | undefined;
  private assessment: string | undefined;

  constructor(
    private readonly core: TradingCore,
    private readonly config: MonitoringConfig,
    private readonly instruments: ReadonlyMap<InstrumentId, Instrument>,
  ) {}

  /**
   * After an assessment that found every measure at or below its release level, each one measured (or nothing held),
   * the figures that show it; undefined otherwise (a breach, a measure between its release level and its limit, or
   * VaR not measured while a VaR limit is set: nothing says it is met).
   */
  get released(): string | undefined {
    return this.release;
  }

  /** The RiskAssessed event the last assessment journaled (undefined when it journaled none): what a cut cites as its cause. */
  get assessedId(): string | undefined {
    return this.assessment;
  }

  /**
   * Measures and decides. Nothing is at risk without positions (no decision). A calm assessment is journaled once a
   * day; one that acts, every time, with what `plan` says the desk does about it (the books a cut reaches and not).
   */
  assess(closes: CloseHistory, marks: ReadonlyMap<InstrumentId, Fixed>, now: number, plan?: (decision: MitigationDecision) => string | undefined): MitigationDecision | undefined {
    const net = new Map<InstrumentId, Fixed>();
    for (const { position } of this.core.ledger.allPositions()) {
      if (position.quantity.isZero()) continue;
      const prior = net.get(position.instrumentId);
      net.set(position.instrumentId, prior === undefined ? position.quantity : prior.add(position.quantity));
    }
    const positions: StressPosition[] = [];
    const bars: ClosedBars[] = [];
    for (const [id, quantity] of net) {
      const instrument = this.instruments.get(id);
      const mark = marks.get(id);
      const closed = closes(id);
      if (instrument === undefined || mark === undefined || closed === undefined || quantity.isZero()) continue;
      positions.push({ ...exposureOf(instrument, quantity, mark), kind: instrument.kind });
      bars.push(closed);
    }
    this.release = undefined;
    this.assessment = undefined;
    if (positions.length === 0) {
      this.release = 'no position is open';
      return undefined;
    }
    const equity = this.core.deskEquity().toNumber();
    const { histories, available } = commonReturns(bars, this.config.lookbackBars);
    const observations = histories[0]?.returns.length ?? 0;
    const measured = observations >= DEFAULT_MIN_OBSERVATIONS;
    let valueAtRisk: VarResult | undefined;
    if (measured) {
      const request = { exposures: positions, histories, confidence: this.config.confidence };
      valueAtRisk = this.config.method === 'historical' ? historicalVar(request) : parametricVar(request);
    }
    const spikes = this.config.volatilitySpikes ?? [];
    const withVolatility = spikes.length > 0 && measured;
    const stress = runStress({
      positions,
      scenarios: [...priceShockScenarios(this.config.shocks), ...(withVolatility ? volatilitySpikeScenarios(spikes) : [])],
      ...(withVolatility ? { volatility: { histories, confidence: this.config.confidence, method: this.config.method } } : {}),
    });
    const input = {
      state: this.core.tradingState,
      equity,
      limits: this.config.limits,
      ...(valueAtRisk === undefined ? {} : { valueAtRisk }),
      ...(stress === undefined ? {} : { stress }),
      ...(measured ? {} : { varNotMeasured: notMeasured(observations, available) }),
      periodUnit: 'bar',
    };
    const decision = decideMitigation(input);
    // The watch's own REDUCING holds while a measure is between its release level and its limit; the assessment says so.
    let holds: string | undefined;
    if (decision.action === 'none') {
      const release = decideRelease(input);
      if (release.released) this.release = release.reason;
      else if (this.core.tradingState === 'REDUCING' && this.core.risk.stateTrigger === 'risk-monitor') holds = `REDUCING holds: ${release.reason}.`;
    }
    if (decision.action === 'none' && now - this.lastJournaled < DAY_MS) return decision;
    this.lastJournaled = now;
    const planned = plan?.(decision);
    this.assessment = this.core.recordAgentEvent({
      type: 'RiskAssessed',
      ...(valueAtRisk === undefined ? {} : { valueAtRisk: valueAtRisk.valueAtRisk, conditionalValueAtRisk: valueAtRisk.conditionalValueAtRisk }),
      worstStressLoss: stress?.worst === undefined ? 0 : -stress.worst.pnl,
      equity,
      action: decision.action,
      reason: [decision.reason, ...(holds === undefined ? [] : [holds]), ...(planned === undefined ? [] : [planned]), ...stress.results.filter((r) => r.stressedVar !== undefined && r.name.startsWith('volatility')).map((r) => r.summary)].join(' '),
    }).id;
    return decision;
  }
}

const DAY_MS = 86_400_000;

/** Why VaR was not measured: how many returns the positions have in common, and each one's own. */
function notMeasured(observations: number, available: ReadonlyMap<InstrumentId, number>): string {
  if (available.size === 1) return `${[...available.keys()].join('')} has ${observations} bar returns; ${DEFAULT_MIN_OBSERVATIONS} are needed`;
  const own = [...available].map(([id, count]) => `${id} ${count}`).join(', ');
  return `the positions have ${observations} bar returns at close times they share (each on its own: ${own}); ${DEFAULT_MIN_OBSERVATIONS} are needed`;
}
