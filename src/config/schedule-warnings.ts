/**
 * Schedules the desk cannot keep as written. The desk acts only when a bar closes (the clock moves from one close to
 * the next), so a nudge or review due between two closes runs at the next close: a period shorter than the bar runs
 * once a bar, and one that is not a multiple of it runs at uneven intervals. Valid, so warnings, each by its path.
 */
import type { DeskConfig } from './desk-schema.js';
import type { Issue } from './desk-cross-check.js';

const UNITS: readonly [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

function text(ms: number): string {
  for (const [unit, size] of UNITS) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The interval between bar closes: the common divisor of the timeframes the file gives (files may leave it out). */
function barOf(config: DeskConfig): number | undefined {
  let bar: number | undefined;
  for (const source of Object.values(config.data)) {
    const timeframe = source.timeframe;
    if (timeframe !== undefined && timeframe > 0) bar = bar === undefined ? timeframe : gcd(bar, timeframe);
  }
  return bar;
}

export function scheduleWarnings(config: DeskConfig): Issue[] {
  const bar = barOf(config);
  if (bar === undefined) return [];
  const schedules: { path: Issue['path']; periodMs: number | undefined }[] = [
    { path: ['orchestrator', 'nudges', 'analysts'], periodMs: config.orchestrator.nudges.analysts },
    { path: ['orchestrator', 'nudges', 'manager'], periodMs: config.orchestrator.nudges.manager },
    { path: ['orchestrator', 'nudges', 'risk'], periodMs: config.orchestrator.nudges.risk },
    { path: ['orchestrator', 'positionCycle', 'reviewEvery'], periodMs: config.orchestrator.positionCycle?.reviewEvery },
    ...config.agents.map((agent, i) => ({ path: ['agents', i, 'every'], periodMs: agent.every })),
  ];
  const issues: Issue[] = [];
  for (const { path, periodMs } of schedules) {
    if (periodMs === undefined || periodMs % bar === 0) continue;
    const acts = 'the desk acts only when a bar closes';
    if (periodMs < bar) {
      issues.push({ path, message: `${text(periodMs)} is shorter than the ${text(bar)} bar: ${acts}, so it runs once a bar (every ${text(bar)})` });
    } else {
      const low = Math.floor(periodMs / bar) * bar;
      issues.push({ path, message: `${text(periodMs)} is not a multiple of the ${text(bar)} bar: ${acts}, so it runs at the first close after each due time, every ${text(low)} or ${text(low + bar)} (or longer)` });
    }
  }
  return issues;
}
