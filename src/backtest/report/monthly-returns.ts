/**
 * Calendar returns from an equity curve. Each point belongs to the UTC month of its timestamp (the bar's open
 * time). A month's return is its last equity over the last equity of the previous month that has points, minus
 * one; the first month is measured from the starting equity (the first point of the curve unless given). A year's return is measured the same way
 * (its last equity over the previous year's last, or over the first point). Months without points have no return
 * (null), and the next month with points is measured from the last month before the gap. Returns after a
 * non-positive base are null.
 */
export interface MonthlyReturnsRow {
  readonly year: number;
  /** Index 0 = January; null for a month without data. */
  readonly months: readonly (number | null)[];
  readonly total: number | null;
}

/** `start`: the equity before the first point (the starting cash), which the first month is measured from. */
export function monthlyReturns(ts: ArrayLike<number>, equity: ArrayLike<number>, start?: number): MonthlyReturnsRow[] {
  const n = Math.min(ts.length, equity.length);
  if (n === 0) return [];
  // Last equity of each (year, month) in time order.
  const monthEnds: { year: number; month: number; equity: number }[] = [];
  let monthStart = Number.POSITIVE_INFINITY;
  let monthEnd = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const t = ts[i] as number;
    const last = monthEnds[monthEnds.length - 1];
    if (last !== undefined && t >= monthStart && t < monthEnd) {
      last.equity = equity[i] as number;
      continue;
    }
    // Only a new month pays for a Date.
    const date = new Date(t);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth();
    monthStart = Date.UTC(year, month, 1);
    monthEnd = Date.UTC(year, month + 1, 1);
    if (last !== undefined && last.year === year && last.month === month) last.equity = equity[i] as number;
    else monthEnds.push({ year, month, equity: equity[i] as number });
  }
  const rows: { year: number; months: (number | null)[]; total: number | null }[] = [];
  const base = start ?? (equity[0] as number);
  let previousMonthEnd = base;
  let previousYearEnd = base;
  for (let k = 0; k < monthEnds.length; k++) {
    const end = monthEnds[k] as { year: number; month: number; equity: number };
    let row = rows[rows.length - 1];
    if (row === undefined || row.year !== end.year) {
      row = { year: end.year, months: new Array<number | null>(12).fill(null), total: null };
      rows.push(row);
    }
    row.months[end.month] = ratio(end.equity, previousMonthEnd);
    previousMonthEnd = end.equity;
    const next = monthEnds[k + 1];
    if (next === undefined || next.year !== end.year) {
      row.total = ratio(end.equity, previousYearEnd);
      previousYearEnd = end.equity;
    }
  }
  return rows;
}

function ratio(value: number, base: number): number | null {
  return base > 0 ? value / base - 1 : null;
}
