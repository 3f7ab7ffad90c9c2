/**
 * Strategy parameter checking: every factory's `create` runs its parameters through `resolveParameters`, so a
 * bad value is refused with a FixRequestError that names the strategy, the parameter and what is wrong, whether
 * it came from code or as a string from the command line (`--param fast=10`).
 */
import { FixRequestError } from '../core/errors.js';
import type { InstrumentId } from '../core/ids.js';
import type { ParameterSpec, StrategyParameters } from './strategy.js';
import { parseDecimalNumber } from '../core/number-text.js';

/** Checked parameters, defaults filled in. */
export class ResolvedParameters {
  constructor(
    private readonly strategy: string,
    private readonly values: ReadonlyMap<string, number | string>,
  ) {}

  number(name: string): number {
    const value = this.values.get(name);
    if (typeof value !== 'number') throw new FixRequestError('invalid_strategy_parameter', `${this.strategy} has no numeric parameter ${name}`);
    return value;
  }

  string(name: string): string {
    const value = this.values.get(name);
    if (typeof value !== 'string') throw new FixRequestError('invalid_strategy_parameter', `${this.strategy} has no text parameter ${name}`);
    return value;
  }

  /** Every parameter, defaults included, in the strategy's order. */
  toRecord(): Record<string, number | string> {
    return Object.fromEntries(this.values);
  }
}

function parameterError(strategy: string, message: string): FixRequestError {
  return new FixRequestError('invalid_strategy_parameter', `${strategy}: ${message}`);
}

function coerce(strategy: string, spec: ParameterSpec, raw: number | string): number | string {
  if (typeof spec.default === 'string') {
    const text = String(raw).trim();
    if (spec.choices !== undefined && !spec.choices.includes(text)) {
      throw parameterError(strategy, `parameter ${spec.name} must be one of ${spec.choices.join(', ')}, got "${String(raw)}"`);
    }
    return text;
  }
  const value = typeof raw === 'number' ? raw : (parseDecimalNumber(raw.trim()) ?? Number.NaN);
  if (!Number.isFinite(value)) throw parameterError(strategy, `parameter ${spec.name} must be a number, got "${String(raw)}"`);
  if (spec.integer === true && !Number.isInteger(value)) throw parameterError(strategy, `parameter ${spec.name} must be an integer, got ${value}`);
  if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
    throw parameterError(strategy, `parameter ${spec.name} must be from ${spec.min ?? '-Infinity'} to ${spec.max ?? 'Infinity'}, got ${value}`);
  }
  return value;
}

/**
 * Every problem of `given` against `specs` (unknown names, types, ranges, choices), each with the parameter it is
 * about, for a config check that reports them all at once. Relations between parameters are the strategy's to check.
 */
export function parameterProblems(strategy: string, specs: readonly ParameterSpec[], given: StrategyParameters): { readonly name: string; readonly message: string }[] {
  const problems: { name: string; message: string }[] = [];
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  for (const [name, raw] of Object.entries(given)) {
    const spec = byName.get(name);
    try {
      if (spec === undefined) resolveParameters(strategy, specs, { [name]: raw });
      else coerce(strategy, spec, raw);
    } catch (error) {
      problems.push({ name, message: (error as Error).message });
    }
  }
  return problems;
}

/** Checks `given` against `specs` (unknown names, types, ranges, choices) and fills in the defaults. */
export function resolveParameters(strategy: string, specs: readonly ParameterSpec[], given: StrategyParameters): ResolvedParameters {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  for (const name of Object.keys(given)) {
    if (!byName.has(name)) {
      const known = specs.length === 0 ? 'it takes none' : `its parameters: ${specs.map((s) => s.name).join(', ')}`;
      throw parameterError(strategy, `unknown parameter "${name}"; ${known}`);
    }
  }
  const values = new Map<string, number | string>();
  for (const spec of specs) {
    const raw = Object.hasOwn(given, spec.name) ? given[spec.name] : undefined;
    values.set(spec.name, raw === undefined ? spec.default : coerce(strategy, spec, raw));
  }
  return new ResolvedParameters(strategy, values);
}

/** Refuses a parameter relation, e.g. fast >= slow. */
export function requireRelation(strategy: string, holds: boolean, message: string): void {
  if (!holds) throw parameterError(strategy, message);
}

/** Checks the number of instruments a factory trades. */
export function requireInstruments(strategy: string, count: number, instruments: readonly InstrumentId[]): void {
  if (instruments.length !== count) {
    throw new FixRequestError(
      'invalid_strategy_instruments',
      `${strategy} trades ${count} instrument${count === 1 ? '' : 's'}, got ${instruments.length}${instruments.length > 0 ? ` (${instruments.join(', ')})` : ''}`,
    );
  }
  if (new Set(instruments).size !== instruments.length) {
    throw new FixRequestError('invalid_strategy_instruments', `${strategy} needs distinct instruments, got ${instruments.join(', ')}`);
  }
}

/** A number for a reason text: six significant digits, no trailing zeros. */
export function formatValue(x: number): string {
  return Number.isFinite(x) ? String(sixSignificant(x)) : String(x);
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * `Number(x.toPrecision(6))` without going through text, which cost a strategy more than its indicators: x scaled to
 * six integer digits (one correctly rounded step: its error is below 1e-10), rounded, and scaled back (one more
 * correctly rounded step, so the nearest double to the same decimal). Near a tie, where that error could decide
 * the rounding, and outside the usual magnitudes it defers to `toPrecision`.
 */
function sixSignificant(x: number): number {
  const magnitude = Math.abs(x);
  if (magnitude >= 1e-4 && magnitude < 1e15) {
    const shift = 5 - Math.floor(Math.log10(magnitude));
    const power = POWERS_OF_TEN[shift < 0 ? -shift : shift]!;
    const scaled = shift >= 0 ? magnitude * power : magnitude / power;
    const fraction = scaled - Math.floor(scaled);
    if (scaled >= 1e5 && scaled < 1e6 && Math.abs(fraction - 0.5) > 1e-6) {
      const digits = Math.round(scaled);
      const rounded = shift >= 0 ? digits / power : digits * power;
      return x < 0 ? -rounded : rounded;
    }
  }
  return Number(x.toPrecision(6));
}
