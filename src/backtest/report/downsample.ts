/**
 * Min/max downsampling for charts: the x range is cut into equal buckets (one per pixel column) and each bucket
 * keeps its lowest and its highest point, in time order. A line through those points covers exactly the vertical
 * extent the full series would paint in that column, so a one-bar spike survives a million-bar series.
 */
export interface Points {
  readonly x: number[];
  readonly y: number[];
}

/**
 * At most 2 x `buckets` points of (x, y), x ascending. Buckets split [x[0], x[n-1]] (or `domain`) evenly; series
 * already that short are returned whole.
 */
export function minMaxDownsample(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  buckets: number,
  domain?: readonly [number, number],
): Points {
  const n = Math.min(x.length, y.length);
  const out: Points = { x: [], y: [] };
  if (n === 0) return out;
  if (n <= 2 * buckets) {
    for (let i = 0; i < n; i++) {
      out.x.push(x[i] as number);
      out.y.push(y[i] as number);
    }
    return out;
  }
  const from = domain?.[0] ?? (x[0] as number);
  const to = domain?.[1] ?? (x[n - 1] as number);
  const scale = to > from ? buckets / (to - from) : 0;
  let bucket = -1;
  let minIndex = 0;
  let maxIndex = 0;
  const flush = (): void => {
    const first = Math.min(minIndex, maxIndex);
    const second = Math.max(minIndex, maxIndex);
    out.x.push(x[first] as number);
    out.y.push(y[first] as number);
    if (second !== first) {
      out.x.push(x[second] as number);
      out.y.push(y[second] as number);
    }
  };
  for (let i = 0; i < n; i++) {
    const value = y[i] as number;
    const b = Math.min(buckets - 1, Math.max(0, Math.floor(((x[i] as number) - from) * scale)));
    if (b !== bucket) {
      if (bucket >= 0) flush();
      bucket = b;
      minIndex = i;
      maxIndex = i;
      continue;
    }
    if (value < (y[minIndex] as number)) minIndex = i;
    if (value > (y[maxIndex] as number)) maxIndex = i;
  }
  flush();
  return out;
}
