/**
 * Walk-forward windows in bar indexes of the primary series; every range is half-open [from, to).
 *
 * With in-sample length I, out-of-sample length O and N bars, window k (k = 0, 1, ...) is
 * - rolling:  in-sample [k*O, k*O + I), out-of-sample [k*O + I, k*O + I + O);
 * - anchored: in-sample [0, k*O + I),   out-of-sample [k*O + I, k*O + I + O).
 * Windows step by O, so the out-of-sample ranges tile [I, I + K*O) without gaps or overlap, K = floor((N - I) / O).
 * Only whole out-of-sample windows are made: the last (N - I) mod O bars are in no out-of-sample window (the report
 * says how many), but they are part of the final selection range, the data the parameters to trade next are
 * chosen on: the last I bars for rolling, all N bars for anchored.
 */
import { FixRequestError } from '../../core/errors.js';
import { parseTimeframe } from '../../data/timeframe.js';

export interface BarRange {
  readonly from: number;
  readonly to: number;
}

export type WalkForwardMode = 'rolling' | 'anchored';

export interface WalkForwardOptions {
  readonly mode: WalkForwardMode;
  readonly inSampleBars: number;
  readonly outOfSampleBars: number;
}

export interface WalkForwardWindow {
  readonly index: number;
  readonly inSample: BarRange;
  readonly outOfSample: BarRange;
}

export function walkForwardWindows(totalBars: number, options: WalkForwardOptions): WalkForwardWindow[] {
  assertWalkForward(totalBars, options);
  const { inSampleBars: inSample, outOfSampleBars: outOfSample } = options;
  const count = Math.floor((totalBars - inSample) / outOfSample);
  const windows: WalkForwardWindow[] = [];
  for (let k = 0; k < count; k++) {
    const oosFrom = k * outOfSample + inSample;
    windows.push({
      index: k,
      inSample: { from: options.mode === 'rolling' ? k * outOfSample : 0, to: oosFrom },
      outOfSample: { from: oosFrom, to: oosFrom + outOfSample },
    });
  }
  return windows;
}

/** The range the parameters to trade after the data ends are selected on (see the module comment). */
export function finalSelectionRange(totalBars: number, options: WalkForwardOptions): BarRange {
  assertWalkForward(totalBars, options);
  return { from: options.mode === 'rolling' ? totalBars - options.inSampleBars : 0, to: totalBars };
}

/** Bars after the last out-of-sample window. */
export function unusedTailBars(totalBars: number, options: WalkForwardOptions): number {
  return (totalBars - options.inSampleBars) % options.outOfSampleBars;
}

function assertWalkForward(totalBars: number, options: WalkForwardOptions): void {
  const { mode, inSampleBars, outOfSampleBars } = options;
  const problems: string[] = [];
  if (mode !== 'rolling' && mode !== 'anchored') problems.push(`mode must be rolling or anchored, got "${String(mode)}"`);
  if (!(Number.isInteger(inSampleBars) && inSampleBars >= 2)) problems.push(`the in-sample length must be a whole number of bars >= 2, got ${inSampleBars}`);
  if (!(Number.isInteger(outOfSampleBars) && outOfSampleBars >= 2)) {
    problems.push(`the out-of-sample length must be a whole number of bars >= 2, got ${outOfSampleBars}`);
  }
  if (problems.length === 0 && inSampleBars + outOfSampleBars > totalBars) {
    problems.push(
      `the series has ${totalBars} bars; one walk-forward window needs ${inSampleBars} in-sample + ${outOfSampleBars} out-of-sample = ` +
        `${inSampleBars + outOfSampleBars}`,
    );
  }
  if (problems.length > 0) throw new FixRequestError('invalid_walk_forward', `walk-forward: ${problems.join('; ')}`);
}

/**
 * Parses `mode:in-sample:out-of-sample`, e.g. `rolling:20000:5000` (bars) or `anchored:90d:30d` (durations, turned
 * into bars of `timeframeMs`; they must be whole multiples of it).
 */
export function parseWalkForward(text: string, timeframeMs: number): WalkForwardOptions {
  const parts = text.split(':').map((part) => part.trim());
  const [mode, inSample, outOfSample] = parts;
  if (parts.length !== 3 || (mode !== 'rolling' && mode !== 'anchored')) {
    throw new FixRequestError(
      'invalid_walk_forward',
      `walk-forward "${text}" is not mode:in-sample:out-of-sample with mode rolling or anchored, e.g. rolling:20000:5000 or anchored:90d:30d`,
    );
  }
  return { mode, inSampleBars: barsOf(inSample as string, timeframeMs, 'in-sample'), outOfSampleBars: barsOf(outOfSample as string, timeframeMs, 'out-of-sample') };
}

function barsOf(text: string, timeframeMs: number, what: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const ms = parseTimeframe(text);
  if (!(timeframeMs > 0) || ms % timeframeMs !== 0) {
    throw new FixRequestError(
      'invalid_walk_forward',
      `walk-forward ${what} length ${text} is not a whole number of bars of ${timeframeMs > 0 ? `${timeframeMs} ms` : 'unknown length'}`,
    );
  }
  return ms / timeframeMs;
}
