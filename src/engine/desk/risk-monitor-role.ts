import type { Fixed } from '../../core/fixed.js';
import type { InstrumentId } from '../../core/ids.js';
import type { Instrument } from '../../domain/instrument.js';
import type { TradingCore } from '../trading-core.js';
import { decideMitigation, type MitigationDecision, type MitigationLimits } from '../../risk/monitoring/mitigation.js';
import { priceShockScenarios, runStress, volatilitySpikeScenarios, type StressPosition } from '../../risk/monitoring/stress.js';
import { exposureOf, historicalVar, parametricVar, type ReturnHistory, type VarResult } from '../../risk/monitoring/var.js';

export interface MonitoringConfig {
  readonly confidence: number;
  readonly method: 'historical' | 'parametric';
  readonly lookbackBars: number;
  readonly shocks: readonly number[];
  /** Volatility multipliers: their stressed VaR is reported with each assessment. */
  readonly volatilitySpikes?: readonly number[];
  readonly limits: MitigationLimits;
}

/** Recent closes of one instrument, as the monitor needs them (oldest first). */
export type CloseHistory = (instrumentId: InstrumentId, bars: number) => ArrayLike<number>;

/**
 * The risk manager's portfolio watch (the gate itself is in the core): on its nudge it measures VaR/CVaR of the
 * desk's net positions on recent bar returns and the loss of each price shock, and decides none / reduce / halt.
 * The desk carries the decision out (REDUCING with a proportional cut, or a halt) and journals why.
 */
export class RiskMonitorRole {
  private lastJournaled = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly core: TradingCore,
    private readonly config: MonitoringConfig,
    private readonly instruments: ReadonlyMap<InstrumentId, Instrument>,
  ) {}

  /**
   * Measures and decides. Nothing is at risk without positions (no decision). A calm assessment is journaled once a
   * day; one that acts, every time.
   */
  assess(closes: CloseHistory, marks: ReadonlyMap<InstrumentId, Fixed>, now: number): MitigationDecision | undefined {
    const net = new Map<InstrumentId, Fixed>();
    for (const { position } of this.core.ledger.allPositions()) {
      if (position.quantity.isZero()) continue;
      const prior = net.get(position.instrumentId);
      net.set(position.instrumentId, prior === undefined ? position.quantity : prior.add(position.quantity));
    }
    const positions: StressPosition[] = [];
    const histories: ReturnHistory[] = [];
    for (const [id, quantity] of net) {
      const instrument = this.instruments.get(id);
      const mark = marks.get(id);
      if (instrument === undefined || mark === undefined || quantity.isZero()) continue;
      positions.push({ ...exposureOf(instrument, quantity, mark), kind: instrument.kind });
      histories.push({ instrumentId: id, returns: returnsOf(closes(id, this.config.lookbackBars + 1)) });
    }
    if (positions.length === 0) return undefined;
    const equity = this.core.deskEquity().toNumber();
    let valueAtRisk: VarResult | undefined;
    if (positions.length > 0 && histories.every((h) => h.returns.length >= 30)) {
      const request = { exposures: positions, histories, confidence: this.config.confidence };
      valueAtRisk = this.config.method === 'historical' ? historicalVar(request) : parametricVar(request);
    }
    const spikes = this.config.volatilitySpikes ?? [];
    const withVolatility = spikes.length > 0 && histories.every((h) => h.returns.length >= 30);
    const stress = runStress({
      positions,
      scenarios: [...priceShockScenarios(this.config.shocks), ...(withVolatility ? volatilitySpikeScenarios(spikes) : [])],
      ...(withVolatility ? { volatility: { histories, confidence: this.config.confidence } } : {}),
    });
    const decision = decideMitigation({
      state: this.core.tradingState,
      equity,
      limits: this.config.limits,
      ...(valueAtRisk === undefined ? {} : { valueAtRisk }),
      ...(stress === undefined ? {} : { stress }),
      periodUnit: 'bar',
    });
    if (decision.action === 'none' && now - this.lastJournaled < DAY_MS) return decision;
    this.lastJournaled = now;
    this.core.recordAgentEvent({
      type: 'RiskAssessed',
      valueAtRisk: valueAtRisk?.valueAtRisk ?? 0,
      conditionalValueAtRisk: valueAtRisk?.conditionalValueAtRisk ?? 0,
      worstStressLoss: stress?.worst === undefined ? 0 : -stress.worst.pnl,
      equity,
      action: decision.action,
      reason: [decision.reason, ...stress.results.filter((r) => r.stressedVar !== undefined && r.name.startsWith('volatility')).map((r) => r.summary)].join(' '),
    });
    return decision;
  }
}

const DAY_MS = 86_400_000;

function returnsOf(closes: ArrayLike<number>): number[] {
  const returns: number[] = [];
  for (let i = 1; i < closes.length; i++) {
    const before = closes[i - 1] as number;
    const after = closes[i] as number;
    if (before > 0 && after > 0) returns.push(after / before - 1);
  }
  return returns;
}
