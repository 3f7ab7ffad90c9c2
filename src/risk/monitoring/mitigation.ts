import { FixRequestError } from '../../core/errors.js';
import type { TradingState } from '../../domain/events.js';
import { isEscalation } from '../trading-state.js';
import type { StressReport } from './stress.js';
import type { VarResult } from './var.js';

/** Fractions of equity (0.1 = 10%). Absent limits are not checked. */
export interface MitigationLimits {
  readonly maxVarFraction?: number;
  readonly maxCvarFraction?: number;
  readonly maxStressLossFraction?: number;
  /** At or above these the desk halts instead of reducing. */
  readonly haltVarFraction?: number;
  readonly haltStressLossFraction?: number;
  /** What a breach of a max limit does in each current state (default: reduce while ACTIVE or REDUCING). */
  readonly breachAction?: Partial<Record<TradingState, 'reduce' | 'halt'>>;
  /** What a stress scenario that pushes equity below maintenance margin does (default: reduce). */
  readonly marginBreachAction?: 'reduce' | 'halt';
  /**
   * The part of each max limit (VaR, CVaR, stress loss) a measure must be back at or below before REDUCING the watch
   * set is lifted, in (0, 1]; a cut aims at it too. Default 1: the limit itself.
   */
  readonly releaseFraction?: number;
}

export interface MitigationInput {
  readonly state: TradingState;
  readonly equity: number;
  readonly limits: MitigationLimits;
  readonly valueAtRisk?: VarResult;
  readonly stress?: StressReport;
  /** Why VaR and CVaR could not be measured (then absent): said in the reason, so no one reads their limits as met. */
  readonly varNotMeasured?: string;
  /** Names one return period in reasons ("day" gives "99% 1-day VaR"); default "period". */
  readonly periodUnit?: string;
}

export type MitigationTrigger = 'var' | 'cvar' | 'stress-loss' | 'margin' | 'equity';

export type MitigationDecision =
  | { readonly action: 'none'; readonly reason: string }
  | {
      readonly action: 'reduce';
      readonly to: 'REDUCING';
      /** Cut every position by this fraction of its size to bring the breached measures back to their release levels. */
      readonly reduceGrossFraction: number;
      readonly trigger: MitigationTrigger;
      readonly reason: string;
    }
  | { readonly action: 'halt'; readonly to: 'HALTED'; readonly trigger: MitigationTrigger; readonly reason: string };

interface Breach {
  readonly action: 'reduce' | 'halt';
  readonly trigger: MitigationTrigger;
  /** Proportional cut that brings the measure to its release level (1 for a halt). */
  readonly fraction: number;
  readonly finding: string;
}

/**
 * Turns VaR/CVaR/stress results into none | reduce | halt. VaR, CVaR and stress P&L scale linearly with a
 * proportional cut of every position, so the cut that brings a measure m to the release level r·L of its limit L is
 * 1 − r·L/m; the largest cut over all breaches wins. It aims at the release level rather than the limit because that
 * is where REDUCING is lifted (see `decideRelease`): cut to the limit only, the desk would sit at its edge, REDUCING
 * and unable to open anything until the market alone brought the measure down by 1 − r. The decision never moves
 * the desk to a looser state than it is in.
 */
export function decideMitigation(input: MitigationInput): MitigationDecision {
  const { equity, limits, state } = input;
  validate(input);
  const breaches: Breach[] = [];
  const exposed = (input.valueAtRisk?.grossExposure ?? 0) > 0 || (input.stress?.results.some((r) => r.pnlByInstrument.length > 0) ?? false);
  if (exposed && equity <= 0) {
    breaches.push({ action: 'halt', trigger: 'equity', fraction: 1, finding: `Equity ${round(equity, 2)} is not positive while positions are open` });
  }
  const release = limits.releaseFraction ?? 1;
  const breachAction = (severe: boolean): 'reduce' | 'halt' => (severe ? 'halt' : (limits.breachAction?.[state] ?? (state === 'HALTED' ? 'halt' : 'reduce')));
  const var_ = input.valueAtRisk;
  if (var_ !== undefined && equity > 0) {
    const label = `${percent(var_.confidence)} ${horizonLabel(var_.horizonPeriods, input.periodUnit ?? 'period')}`;
    const check = (amount: number, limit: number | undefined, halt: number | undefined, trigger: MitigationTrigger, measure: string): void => {
      const fraction = amount / equity;
      if (halt !== undefined && fraction >= halt) {
        const [measured, level] = percents(fraction, halt);
        breaches.push({ action: 'halt', trigger, fraction: 1, finding: `${label} ${measure} ${round(amount, 2)} (${measured} of equity ${round(equity, 2)}) reaches the ${level} halt level (${round(halt * equity, 2)})` });
      } else if (limit !== undefined && fraction > limit) {
        const [measured, level] = percents(fraction, limit);
        breaches.push({
          action: breachAction(false),
          trigger,
          fraction: 1 - (release * limit) / fraction,
          finding: `${label} ${measure} ${round(amount, 2)} (${measured} of equity ${round(equity, 2)}) exceeds the ${level} limit (${round(limit * equity, 2)})`,
        });
      }
    };
    check(var_.valueAtRisk, limits.maxVarFraction, limits.haltVarFraction, 'var', 'VaR');
    check(var_.conditionalValueAtRisk, limits.maxCvarFraction, undefined, 'cvar', 'CVaR');
  }
  const worst = input.stress?.worst;
  if (worst !== undefined && equity > 0) {
    const loss = -worst.pnl / equity;
    // "Stress scenario "…" loses 2400 (24% of equity 10000), beyond the 20% limit (2000)".
    const finding = (level: number, beyond: string): string => {
      const [measured, limit] = percents(loss, level);
      return `Stress scenario "${worst.name}" loses ${round(-worst.pnl, 2)} (${measured} of equity ${round(equity, 2)}), ${beyond.replace('%', limit)} (${round(level * equity, 2)})`;
    };
    if (limits.haltStressLossFraction !== undefined && loss >= limits.haltStressLossFraction) {
      breaches.push({ action: 'halt', trigger: 'stress-loss', fraction: 1, finding: finding(limits.haltStressLossFraction, 'reaching the % halt level') });
    } else if (limits.maxStressLossFraction !== undefined && loss > limits.maxStressLossFraction) {
      const fraction = 1 - (release * limits.maxStressLossFraction) / loss;
      breaches.push({ action: breachAction(false), trigger: 'stress-loss', fraction, finding: finding(limits.maxStressLossFraction, 'beyond the % limit') });
    }
  }
  for (const result of input.stress?.marginBreaches ?? []) {
    const margin = result.margin;
    if (margin === undefined || equity <= 0) continue;
    // Scaling positions by (1 − f) scales P&L and maintenance alike: E + (1 − f)·P ≥ (1 − f)·M ⇔ f ≥ 1 − E/(M − P).
    const fraction = Math.min(1, Math.max(0, 1 - margin.equityBefore / (margin.maintenanceAfter - result.pnl)));
    breaches.push({
      action: limits.marginBreachAction ?? breachAction(false),
      trigger: 'margin',
      fraction,
      finding: `Stress scenario "${result.name}" leaves equity ${round(margin.equityAfter, 2)} below maintenance margin ${round(margin.maintenanceAfter, 2)}`,
    });
  }

  const unmeasured = input.varNotMeasured === undefined ? '' : ` VaR and CVaR not measured: ${input.varNotMeasured}.`;
  if (breaches.length === 0) {
    return { action: 'none', reason: unmeasured === '' ? `Risk within limits (state ${state}).` : `No measured limit breached (state ${state}).${unmeasured}` };
  }
  const halts = breaches.filter((breach) => breach.action === 'halt');
  if (halts.length > 0) {
    const first = halts[0] as Breach;
    if (!isEscalation(state, 'HALTED')) return { action: 'none', reason: `${capitalize(joinFindings(halts))}; the desk is already HALTED.${unmeasured}` };
    return { action: 'halt', to: 'HALTED', trigger: first.trigger, reason: `${capitalize(joinFindings(halts))}: halt trading.${unmeasured}` };
  }
  if (isEscalation('REDUCING', state)) {
    return { action: 'none', reason: `${capitalize(joinFindings(breaches))}; the desk stays HALTED, which is stricter than reducing.${unmeasured}` };
  }
  const largest = breaches.reduce((a, b) => (b.fraction > a.fraction ? b : a));
  return {
    action: 'reduce',
    to: 'REDUCING',
    reduceGrossFraction: largest.fraction,
    trigger: largest.trigger,
    reason: `${capitalize(joinFindings(breaches))}: reduce gross exposure by ${percent(largest.fraction)}${release < 1 && largest.trigger !== 'margin' ? ` (to ${percent(release)} of the limit, its release level)` : ''}.${unmeasured}`,
  };
}

export type ReleaseDecision = { readonly released: boolean; readonly reason: string };

/**
 * Whether REDUCING the watch set may be lifted: every measure with a max limit is at or below its release level
 * (`releaseFraction` of the limit). Lifted as soon as the measures were back at their limits, the desk flipped
 * REDUCING ↔ ACTIVE near a limit, each small move breaching it again and cutting a sliver; the band between release
 * level and limit is the room it moves in without doing so. The reason quotes each measure's distance below (or
 * above) its release level. Meant for an assessment `decideMitigation` found no breach in.
 */
export function decideRelease(input: MitigationInput): ReleaseDecision {
  const { equity, limits } = input;
  validate(input);
  const release = limits.releaseFraction ?? 1;
  const var_ = input.valueAtRisk;
  if (var_ === undefined && (limits.maxVarFraction ?? limits.maxCvarFraction ?? limits.haltVarFraction) !== undefined) {
    return { released: false, reason: `VaR and CVaR are not measured, so nothing says their limits are met${input.varNotMeasured === undefined ? '' : ` (${input.varNotMeasured})`}` };
  }
  const measures: { readonly name: string; readonly amount: number; readonly limit: number | undefined }[] = [];
  if (var_ !== undefined) {
    measures.push({ name: 'VaR', amount: var_.valueAtRisk, limit: limits.maxVarFraction });
    measures.push({ name: 'CVaR', amount: var_.conditionalValueAtRisk, limit: limits.maxCvarFraction });
  }
  const worst = input.stress?.worst;
  measures.push({ name: 'worst stress loss', amount: worst === undefined ? 0 : Math.max(0, -worst.pnl), limit: limits.maxStressLossFraction });
  const within: string[] = [];
  const above: string[] = [];
  for (const { name, amount, limit } of measures) {
    if (limit === undefined) {
      within.push(`${name} ${round(amount, 2)}`);
      continue;
    }
    const level = release * limit * equity;
    const limitText = percents(amount / equity, limit)[1];
    const of = release < 1 ? `${percent(release)} of the ${limitText} limit` : `the ${limitText} limit`;
    if (amount > level) above.push(`${name} ${round(amount, 2)} is above its release level ${round(level, 2)} (${of})`);
    else within.push(`${name} ${round(amount, 2)}, ${round(level - amount, 2)} below its release level ${round(level, 2)} (${of})`);
  }
  if (above.length > 0) return { released: false, reason: capitalize(joinList(above)) };
  return { released: true, reason: `every measure is at or below its release level: ${within.join('; ')} on equity ${round(equity, 2)}` };
}

function joinList(parts: readonly string[]): string {
  return parts.length < 2 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

function validate(input: MitigationInput): void {
  const problems: string[] = [];
  if (!Number.isFinite(input.equity)) problems.push(`equity must be finite, got ${input.equity}`);
  const fractions: [string, number | undefined][] = [
    ['maxVarFraction', input.limits.maxVarFraction],
    ['maxCvarFraction', input.limits.maxCvarFraction],
    ['maxStressLossFraction', input.limits.maxStressLossFraction],
    ['haltVarFraction', input.limits.haltVarFraction],
    ['haltStressLossFraction', input.limits.haltStressLossFraction],
  ];
  for (const [name, value] of fractions) {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) problems.push(`${name} must be a positive fraction, got ${value}`);
  }
  const release = input.limits.releaseFraction;
  if (release !== undefined && !(release > 0 && release <= 1)) problems.push(`releaseFraction must be above 0 and at most 1, got ${release}`);
  if (problems.length > 0) throw new FixRequestError('invalid_mitigation_limits', problems.join('; '));
}

function joinFindings(breaches: readonly Breach[]): string {
  return breaches.map((breach, i) => (i === 0 ? breach.finding : lowerFirst(breach.finding))).join('; ');
}

function horizonLabel(periods: number, unit: string): string {
  return `${round(periods, 2)}-${unit}`;
}

/** 0.124 → "12.4%", 0.1 → "10%", 0.99 → "99%"; a small non-zero fraction keeps the decimals that show it (0.00004 → "0.004%"). */
export function percent(fraction: number): string {
  for (let digits = 1; digits < 8; digits++) {
    const text = round(fraction * 100, digits);
    if (fraction === 0 || text !== '0') return `${text}%`;
  }
  return `${fraction * 100}%`;
}

/**
 * A measure and its limit as percentages, with as many decimals as it takes to tell them apart (a VaR of 0.2049%
 * exceeding a 0.2% limit must not read "0.2% exceeds the 0.2% limit").
 */
function percents(measure: number, limit: number): [string, string] {
  for (let digits = 1; digits < 8; digits++) {
    const [a, b] = [round(measure * 100, digits), round(limit * 100, digits)];
    if (a !== b && a !== '0' && b !== '0') return [`${a}%`, `${b}%`];
  }
  return [percent(measure), percent(limit)];
}

function round(value: number, digits: number): string {
  const factor = 10 ** digits;
  return (Math.round(value * factor) / factor).toString();
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}
