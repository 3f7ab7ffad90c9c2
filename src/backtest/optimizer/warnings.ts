/**
 * What a reader of an optimization must not miss: selections made among trials that never traded. Every flat run
 * scores the same (a Sharpe of 0, a return of 0), so such a selection is merely the first candidate, yet in a
 * walk-forward window it still trades the out-of-sample bars as if it had been chosen on evidence.
 */
import type { BacktestMetrics } from '../result.js';
import type { OptimizationReport, RangeReport } from './report.js';
import { describeParameters } from './trial-error.js';

/** Whether a run made at least one fill (every fill belongs to a round trip, one still open at the end included). */
export function madeFills(metrics: Pick<BacktestMetrics, 'trades' | 'turnover'>): boolean {
  return metrics.trades > 0 || metrics.turnover > 0;
}

/** One warning per selection (walk-forward window, or the final or only selection) whose trials all stayed flat. */
export function flatSelectionWarnings(report: OptimizationReport): string[] {
  const bars = (range: RangeReport): string => `${range.from}..${range.to}`;
  const warnings: string[] = [];
  for (const window of report.walkForward?.windows ?? []) {
    const selection = window.selection;
    if (selection.tradedTrials > 0) continue;
    const trades = window.outOfSampleMetrics.trades;
    const outOfSample =
      trades > 0
        ? `they traded the out-of-sample bars ${bars(window.outOfSample)} anyway (${trades} trade${trades === 1 ? '' : 's'})`
        : `they made no trade on the out-of-sample bars ${bars(window.outOfSample)} either`;
    warnings.push(
      `window ${window.index} (in-sample bars ${bars(window.inSample)}): no trial traded, so its parameters (${describeParameters(selection.params)}) ` +
        `were picked among runs without a trade; ${outOfSample}`,
    );
  }
  if (report.best.tradedTrials === 0) {
    const which = report.walkForward === null ? 'the selection' : 'the final selection';
    warnings.push(
      `${which} (bars ${bars(report.best.range)}): no trial traded, so the best parameters (${describeParameters(report.best.params)}) were picked among runs without a trade`,
    );
  }
  return warnings;
}
