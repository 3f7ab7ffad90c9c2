/**
 * Percentile bootstrap of a mean over evaluation runs, seeded. Runs come in groups: a group is a set of runs that
 * share their market (the seeds of one period of file data, which only change the random agent), so resampling
 * them one by one would count one market several times and make the interval too narrow. Each resample therefore
 * draws groups with replacement, then runs with replacement inside each drawn group (a two-stage bootstrap); when
 * every run is its own group (a synthetic market regenerated per seed) this is the ordinary bootstrap of runs.
 * The bounds are the (1 - level)/2 and (1 + level)/2 quantiles of the resampled means (linear interpolation).
 */
import { FixRequestError } from '../../core/errors.js';
import { SeededRandom } from '../../core/random.js';
import { quantileSorted } from '../statistics.js';

export interface Estimate {
  readonly mean: number;
  readonly low: number;
  readonly high: number;
}

export interface BootstrapSettings {
  readonly samples: number;
  /** Confidence level, e.g. 0.95. */
  readonly level: number;
  readonly seed: number;
}

/** The mean of `values` and its bootstrap interval; `groups[i]` names the group of `values[i]`. */
export function bootstrapMean(values: readonly number[], groups: readonly number[], settings: BootstrapSettings): Estimate {
  if (values.length !== groups.length) throw new FixRequestError('invalid_bootstrap', `${values.length} values but ${groups.length} group labels`);
  if (!(settings.level > 0 && settings.level < 1)) throw new FixRequestError('invalid_bootstrap', `confidence level must be between 0 and 1, got ${settings.level}`);
  if (values.length === 0) return { mean: 0, low: 0, high: 0 };
  const mean = meanOf(values);
  const members = groupMembers(values, groups);
  if (settings.samples <= 0 || values.length === 1) return { mean, low: mean, high: mean };
  const random = new SeededRandom(settings.seed);
  const means = new Float64Array(settings.samples);
  for (let s = 0; s < settings.samples; s++) {
    let sum = 0;
    let count = 0;
    for (let g = 0; g < members.length; g++) {
      const group = members[Math.floor(random.next() * members.length)] as readonly number[];
      for (let m = 0; m < group.length; m++) {
        sum += group[Math.floor(random.next() * group.length)] as number;
        count += 1;
      }
    }
    means[s] = sum / count;
  }
  means.sort();
  const tail = (1 - settings.level) / 2;
  // A resampled mean can differ from the sample mean by rounding alone; the interval always holds the mean.
  return { mean, low: Math.min(mean, quantileSorted(means, tail)), high: Math.max(mean, quantileSorted(means, 1 - tail)) };
}

function meanOf(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** Values by group, groups in order of first appearance (so the resampling is independent of label values). */
function groupMembers(values: readonly number[], groups: readonly number[]): number[][] {
  const byGroup = new Map<number, number[]>();
  values.forEach((value, i) => {
    const label = groups[i] as number;
    const list = byGroup.get(label);
    if (list === undefined) byGroup.set(label, [value]);
    else list.push(value);
  });
  return [...byGroup.values()];
}
