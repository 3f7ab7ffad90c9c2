/** At most this share of the rows may be off the inferred grid: a few odd rows must not shrink the bar length. */
const ODD_ROW_SHARE = 0.02;
/** The smallest gaps tried as the bar length: the bar length is among the smallest gaps of any bar file. */
const CANDIDATES = 64;
/** Distinct gaps counted one by one; rarer ones beyond these count as off every grid. */
const MAX_DISTINCT = 1024;

/**
 * The bar length the bars' spacing shows: the largest gap between consecutive bars that every gap is a whole
 * multiple of, but those around a few odd rows (ODD_ROW_SHARE of the rows, each putting two gaps off the grid).
 * Sparse bars are read at their own length (1m bars with more 2m gaps than 1m ones are 1m bars), and a few rows
 * stamped off the grid (a bar at :30) cannot shrink it. Spacing that no gap divides (calendar months of 28 to 31
 * days) gives the most common gap; fewer than two bars in order give 0.
 *
 * One pass over the times (a run of equal gaps, the usual case, costs a compare each), then work on the distinct
 * gaps only.
 */
export function inferTimeframe(ts: Float64Array, length: number): number {
  const counts = new Map<number, number>();
  let offEveryGrid = 0;
  let runGap = Number.NaN;
  let run = 0;
  let previous = ts[0] as number;
  for (let i = 1; i < length; i++) {
    const time = ts[i] as number;
    const gap = time - previous;
    previous = time;
    // Duplicates and rows out of order say nothing of the spacing (the data check reports them).
    if (!(gap > 0)) continue;
    if (gap === runGap) {
      run++;
      continue;
    }
    if (run > 0) offEveryGrid += countGaps(counts, runGap, run);
    runGap = gap;
    run = 1;
  }
  if (run > 0) offEveryGrid += countGaps(counts, runGap, run);
  if (counts.size === 0) return 0;

  let total = offEveryGrid;
  for (const times of counts.values()) total += times;
  const allowed = 2 * Math.floor((total + 1) * ODD_ROW_SHARE);
  const gaps = [...counts.keys()].sort((a, b) => a - b);
  let best = 0;
  for (const candidate of gaps.slice(0, CANDIDATES)) {
    let offGrid = offEveryGrid;
    for (const gap of gaps) if (gap % candidate !== 0) offGrid += counts.get(gap) as number;
    if (offGrid <= allowed) best = candidate;
  }
  return best > 0 ? best : mostCommon(counts);
}

/** Adds `times` gaps of `gap` to the counts; returns the number that did not fit (counted as off every grid). */
function countGaps(counts: Map<number, number>, gap: number, times: number): number {
  const known = counts.get(gap);
  if (known !== undefined) counts.set(gap, known + times);
  else if (counts.size < MAX_DISTINCT) counts.set(gap, times);
  else return times;
  return 0;
}

function mostCommon(counts: ReadonlyMap<number, number>): number {
  let best = 0;
  let bestCount = 0;
  for (const [gap, times] of counts) {
    if (times > bestCount || (times === bestCount && gap < best)) {
      best = gap;
      bestCount = times;
    }
  }
  return best;
}
