import { formatNumber } from '../../../backtest/report/format.js';
import type { BarSeries } from '../../../data/bar-series.js';
import type { Instrument } from '../../../domain/instrument.js';
import { toPrice } from '../../../venues/sim/pricing.js';

const COLUMNS = ['open', 'high', 'low', 'close'] as const;

/**
 * A warning when a --tick is coarser than the data's prices. The simulated venue reads every bar price on the
 * instrument's tick (the nearest one), so a price between ticks fills up to half a tick away from what the data
 * says, sometimes in the trader's favour: a run on such a tick must not pass for one on the data's own prices.
 * Undefined when every price is on the tick (within float noise of the file's decimals).
 */
export function offTickWarning(
  series: BarSeries,
  instrument: Instrument,
  named: { readonly name: string; readonly fix: string } = {
    name: `--tick ${instrument.tickSize.toPlainString()}`,
    fix: 'give a --tick that divides the prices, or leave --tick out to use the data\'s own',
  },
): string | undefined {
  const tick = instrument.tickSize.toNumber();
  let offending = 0;
  let example: { readonly column: (typeof COLUMNS)[number]; readonly price: number; readonly ts: number } | undefined;
  for (let i = 0; i < series.length; i++) {
    for (const column of COLUMNS) {
      const price = series[column][i] as number;
      const steps = price / tick;
      if (Math.abs(steps - Math.round(steps)) <= Math.abs(steps) * 5e-13) continue;
      offending += 1;
      example ??= { column, price, ts: series.ts[i] as number };
      break;
    }
  }
  if (example === undefined) return undefined;
  const taken = toPrice(instrument, example.price).toPlainString();
  const bars = `${formatNumber(offending, 0)} of ${formatNumber(series.length, 0)} bar${series.length === 1 ? '' : 's'} ${offending === 1 ? 'has' : 'have'} a price between ticks`;
  return (
    `${series.instrumentId}: the prices are finer than ${named.name} (${bars}, e.g. the ${example.column} ` +
    `${example.price} at ${new Date(example.ts).toISOString()}, which the simulated venue takes as ${taken}): every price is moved to the ` +
    `nearest tick, so fills move by up to half a tick, sometimes in the trader's favour; ${named.fix}`
  );
}
