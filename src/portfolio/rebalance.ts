import { FixRequestError } from '../core/errors.js';
import { Fixed } from '../core/fixed.js';

/** Money moved from one sleeve to another, with the sentence that explains it. */
export interface SleeveTransfer {
  readonly from: string;
  readonly to: string;
  readonly amount: Fixed;
  readonly reason: string;
}

export interface RebalancePlan {
  readonly transfers: readonly SleeveTransfer[];
  /** Per sleeve: the equity the target weight asks for (rounded down to the currency scale). */
  readonly targets: ReadonlyMap<string, Fixed>;
  /** Why a wanted move did not happen (too small, no available cash). */
  readonly notes: readonly string[];
}

export interface RebalanceOptions {
  /** The currency's decimal scale: every amount is rounded down to it. */
  readonly scale: number;
  /** Transfers smaller than this are not made. */
  readonly minTransfer: Fixed;
  /**
   * Sleeves that receive no new capital, each with why (a sleeve past its drawdown budget is REDUCING and may not
   * open a position: capital moved into it would sit idle). They still give what they hold above their target.
   */
  readonly noInflow?: ReadonlyMap<string, string>;
}

/**
 * Transfers that move sleeves toward their target weights: from sleeves above target to those below, largest gaps
 * first. Pass each sleeve's tradeable equity (reserve excluded) and its available cash (cash only: reservations and
 * the reserve never move), so a source gives at most its excess and at most its available cash.
 */
export function rebalancePlan(
  targets: ReadonlyMap<string, Fixed>,
  currentEquityBySleeve: ReadonlyMap<string, Fixed>,
  availableCashBySleeve: ReadonlyMap<string, Fixed>,
  totalEquity: Fixed,
  options: RebalanceOptions,
): RebalancePlan {
  const { scale, minTransfer } = options;
  const notes: string[] = [];
  const targetEquity = new Map<string, Fixed>();
  const sources: { id: string; give: Fixed; excess: Fixed }[] = [];
  const sinks: { id: string; need: Fixed }[] = [];
  for (const [id, weight] of targets) {
    const current = currentEquityBySleeve.get(id);
    if (current === undefined) throw new FixRequestError('unknown_sleeve', `no current equity given for sleeve ${id}`);
    const target = totalEquity.mul(weight).rescale(scale, 'down');
    targetEquity.set(id, target);
    const gap = current.sub(target).rescale(scale, 'down');
    if (gap.isPositive()) {
      const cash = (availableCashBySleeve.get(id) ?? Fixed.zero(scale)).rescale(scale, 'down').max(Fixed.zero(scale));
      const give = gap.min(cash);
      if (give.lt(gap)) notes.push(`${id} is ${gap.toPlainString()} above target but has only ${cash.toPlainString()} available cash`);
      if (give.isPositive()) sources.push({ id, give, excess: gap });
    } else if (gap.isNegative()) {
      const closed = options.noInflow?.get(id);
      if (closed === undefined) sinks.push({ id, need: gap.neg() });
      else notes.push(`${id} is ${gap.neg().toPlainString()} below target but receives no new capital: ${closed}`);
    }
  }
  const byLargest = <T extends { id: string }>(amount: (x: T) => Fixed) => (a: T, b: T) => amount(b).cmp(amount(a)) || (a.id < b.id ? -1 : 1);
  sources.sort(byLargest((s) => s.give));
  sinks.sort(byLargest((s) => s.need));

  const transfers: SleeveTransfer[] = [];
  for (const sink of sinks) {
    for (const source of sources) {
      if (!sink.need.isPositive()) break;
      if (!source.give.isPositive()) continue;
      const amount = source.give.min(sink.need);
      if (amount.lt(minTransfer)) {
        notes.push(`skipped moving ${amount.toPlainString()} from ${source.id} to ${sink.id}: below the minimum transfer of ${minTransfer.toPlainString()}`);
        continue;
      }
      transfers.push({
        from: source.id,
        to: sink.id,
        amount,
        reason:
          `${source.id} holds ${describe(source.id, currentEquityBySleeve, targetEquity, targets)}; ` +
          `${sink.id} holds ${describe(sink.id, currentEquityBySleeve, targetEquity, targets)}; ` +
          `moving ${amount.toPlainString()} from ${source.id}'s available cash to ${sink.id}.`,
      });
      source.give = source.give.sub(amount);
      sink.need = sink.need.sub(amount);
    }
  }
  return { transfers, targets: targetEquity, notes };
}

function describe(id: string, current: ReadonlyMap<string, Fixed>, target: ReadonlyMap<string, Fixed>, weights: ReadonlyMap<string, Fixed>): string {
  const now = current.get(id) ?? Fixed.zero();
  const goal = target.get(id) ?? Fixed.zero();
  return `${now.toPlainString()} against a target of ${goal.toPlainString()} (weight ${(weights.get(id) ?? Fixed.zero()).toPlainString()})`;
}
