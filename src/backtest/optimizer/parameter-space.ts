/**
 * The space an optimization searches: one axis per strategy parameter. Axes come from `--param` arguments:
 *
 * - `fast=5:50:5`   a range min:max:step (both ends included), e.g. 5, 10, ..., 50;
 * - `fast=5:50`     a range without a step: every integer for an integer parameter; for a real-valued parameter a
 *                   continuous interval that random search samples uniformly and a grid refuses;
 * - `mode=long-only,reversal`   an explicit list of values;
 * - `fee=0.001`     one fixed value.
 *
 * Parameters without an argument stay at their default. Every value is checked against the strategy's
 * ParameterSpec (known name, number or choice, integer, min/max) and all problems are reported at once.
 */
import { FixRequestError } from '../../core/errors.js';
import type { ParameterSpec, StrategyParameters } from '../../strategies/strategy.js';
import { parseDecimalNumber } from '../../core/number-text.js';

export type ParameterValue = number | string;

export type ParameterDomain =
  | { readonly kind: 'fixed'; readonly value: ParameterValue }
  | { readonly kind: 'list'; readonly values: readonly ParameterValue[] }
  /** Discrete when `values` is given (a step, or every integer); continuous otherwise. */
  | { readonly kind: 'range'; readonly min: number; readonly max: number; readonly integer: boolean; readonly values?: readonly number[] };

export interface ParameterAxis {
  readonly name: string;
  readonly domain: ParameterDomain;
}

/** Axes in the order the strategy declares its parameters. */
export interface ParameterSpace {
  readonly axes: readonly ParameterAxis[];
}

/** Largest number of points a stepped range may have (a guard against `x=0:1:1e-9`). */
const MAX_RANGE_POINTS = 1_000_000;

/** Builds the search space of a strategy from `name=...` arguments, reporting every bad argument together. */
export function parseParameterSpace(specs: readonly ParameterSpec[], args: readonly string[]): ParameterSpace {
  const problems: string[] = [];
  const given = new Map<string, ParameterDomain>();
  const seen = new Set<string>();
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  for (const arg of args) {
    const equals = arg.indexOf('=');
    const name = equals < 0 ? arg.trim() : arg.slice(0, equals).trim();
    const text = equals < 0 ? '' : arg.slice(equals + 1).trim();
    if (equals < 0 || name === '' || text === '') {
      problems.push(`"${arg}" is not name=value, name=min:max[:step] or name=a,b,c`);
      continue;
    }
    const spec = byName.get(name);
    if (spec === undefined) {
      problems.push(`unknown parameter "${name}" (known: ${specs.map((s) => s.name).join(', ') || 'none'})`);
      continue;
    }
    if (seen.has(name)) {
      problems.push(`parameter "${name}" is given twice`);
      continue;
    }
    seen.add(name);
    const domain = parseDomain(spec, text, problems);
    if (domain !== undefined) given.set(name, domain);
  }
  if (problems.length > 0) throw new FixRequestError('invalid_parameter_space', problems.join('; '));
  return {
    axes: specs.map((spec) => ({ name: spec.name, domain: given.get(spec.name) ?? { kind: 'fixed', value: spec.default } })),
  };
}

function parseDomain(spec: ParameterSpec, text: string, problems: string[]): ParameterDomain | undefined {
  const numeric = typeof spec.default === 'number';
  const before = problems.length;
  const label = `parameter "${spec.name}"`;
  if (text.includes(':')) {
    if (!numeric) {
      problems.push(`${label} takes a value from a list, not a range "${text}"`);
      return undefined;
    }
    const parts = text.split(':').map((p) => p.trim());
    if (parts.length < 2 || parts.length > 3) {
      problems.push(`${label}: range "${text}" is not min:max or min:max:step`);
      return undefined;
    }
    const [min, max, step] = parts.map((p) => parseDecimalNumber(p)) as [number | undefined, number | undefined, number | undefined];
    if (min === undefined || max === undefined || (parts.length === 3 && step === undefined)) {
      problems.push(`${label}: range "${text}" has a part that is not a number`);
      return undefined;
    }
    if (min > max) problems.push(`${label}: range "${text}" has min above max`);
    checkNumber(spec, min, problems);
    checkNumber(spec, max, problems);
    const integer = spec.integer === true;
    if (step !== undefined) {
      if (!(step > 0)) problems.push(`${label}: step must be positive, got ${step}`);
      else if (integer && !Number.isInteger(step)) problems.push(`${label} is an integer; step ${step} is not`);
    }
    if (problems.length > before) return undefined;
    const effectiveStep = step ?? (integer ? 1 : undefined);
    if (effectiveStep === undefined) return { kind: 'range', min, max, integer };
    const count = Math.floor((max - min) / effectiveStep + 1e-9) + 1;
    if (count > MAX_RANGE_POINTS) {
      problems.push(`${label}: range "${text}" has ${count} points, more than ${MAX_RANGE_POINTS}`);
      return undefined;
    }
    const decimals = Math.max(decimalsOf(parts[0] as string), decimalsOf(parts[2] ?? '1'));
    const values: number[] = [];
    for (let k = 0; k < count; k++) values.push(roundTo(min + k * effectiveStep, decimals));
    // A step finer than a double can tell apart gives the same value more than once: each would count as a trial.
    if (new Set(values).size < values.length) {
      problems.push(`${label}: range "${text}" repeats values: its step ${effectiveStep} is finer than the numbers can tell apart`);
      return undefined;
    }
    return { kind: 'range', min, max, integer, values };
  }
  const items = text.split(',').map((item) => item.trim());
  const values: ParameterValue[] = [];
  for (const item of items) {
    if (item === '') {
      problems.push(`${label}: list "${text}" has an empty entry`);
      continue;
    }
    const value = numeric ? parseDecimalNumber(item) : item;
    if (value === undefined) {
      problems.push(`${label} is a number; "${item}" is not`);
      continue;
    }
    if (typeof value === 'number') checkNumber(spec, value, problems);
    else if (spec.choices !== undefined && !spec.choices.includes(value)) {
      problems.push(`${label} must be one of ${spec.choices.join(', ')}; got "${value}"`);
    }
    values.push(value);
  }
  // Each repeated value named once, with how often it is there ("5,05,5.0" has 5 three times).
  for (const value of new Set(values)) {
    const times = values.filter((other) => other === value).length;
    if (times > 1) problems.push(`${label}: list "${text}" has ${value} ${times === 2 ? 'twice' : `${times} times`}`);
  }
  if (problems.length > before) return undefined;
  if (values.length === 1) return { kind: 'fixed', value: values[0] as ParameterValue };
  return { kind: 'list', values };
}

function checkNumber(spec: ParameterSpec, value: number, problems: string[]): void {
  const label = `parameter "${spec.name}"`;
  if (spec.integer === true && !Number.isInteger(value)) problems.push(`${label} is an integer; ${value} is not`);
  if (spec.min !== undefined && value < spec.min) problems.push(`${label} must be at least ${spec.min}; got ${value}`);
  if (spec.max !== undefined && value > spec.max) problems.push(`${label} must be at most ${spec.max}; got ${value}`);
}


function decimalsOf(text: string): number {
  // Digits after the point, less the exponent: 0.25 has 2, 5e-1 has 1, 1.5e-3 has 4, 2e3 has none.
  const match = /^[+-]?\d*(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (match === null) return 0;
  return Math.max(0, (match[1]?.length ?? 0) - Number(match[2] ?? 0));
}

/** Removes the float noise of min + k * step (0.1 + 2 * 0.1 = 0.30000000000000004) when the inputs were decimals. */
function roundTo(value: number, decimals: number): number {
  return decimals > 15 ? value : Number(value.toFixed(decimals));
}

/** The values a discrete axis takes, or undefined for a continuous range. */
export function axisValues(domain: ParameterDomain): readonly ParameterValue[] | undefined {
  switch (domain.kind) {
    case 'fixed':
      return [domain.value];
    case 'list':
      return domain.values;
    case 'range':
      return domain.values;
  }
}

/** Number of points of the grid over the space (Infinity when an axis is continuous). */
export function gridSize(space: ParameterSpace): number {
  let size = 1;
  for (const axis of space.axes) size *= axisValues(axis.domain)?.length ?? Number.POSITIVE_INFINITY;
  return size;
}

/** The axes that vary (more than one value), for reports. */
export function searchedParameters(space: ParameterSpace): string[] {
  return space.axes.filter((axis) => axis.domain.kind !== 'fixed').map((axis) => axis.name);
}

/** A stable text key of a parameter set (axis order), to spot duplicates. */
export function parameterKey(params: StrategyParameters): string {
  return JSON.stringify(Object.entries(params));
}
