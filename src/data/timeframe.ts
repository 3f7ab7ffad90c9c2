import { FixRequestError } from '../core/errors.js';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A timeframe like `1m`, `5m`, `1h`, `4h`, `1d`, `1w` (also seconds, `30s`) in milliseconds. Months are not fixed
 * lengths of time and are refused.
 */
export function parseTimeframe(text: string): number {
  const match = /^(\d+)([smhdw])$/.exec(text.trim());
  const count = match === null ? 0 : Number(match[1]);
  const unit = match === null ? undefined : UNIT_MS[match[2] as string];
  if (unit === undefined || count <= 0) {
    throw new FixRequestError('invalid_timeframe', `"${text}" is not a timeframe; expected a count and a unit s, m, h, d or w, e.g. 5m, 1h, 1d`);
  }
  return count * unit;
}

/** The shortest `<count><unit>` spelling of a timeframe (`300000` -> `5m`); milliseconds when nothing fits. */
export function formatTimeframe(ms: number): string {
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit] as number;
    if (ms > 0 && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
