/**
 * Where a worker (and the main thread) gets the strategy factory: the built-in registry by name, or an ES module
 * of the user's that exports a StrategyFactory. Only this plain description crosses into a worker thread.
 */
import { FixRequestError } from '../../core/errors.js';
import { strategyFactories } from '../../strategies/registry.js';
import type { StrategyFactory } from '../../strategies/strategy.js';

export type StrategySource =
  | { readonly kind: 'registry'; readonly name: string }
  /** `url`: a file: URL (or anything `import()` takes); `exportName`: the export holding the factory. */
  | { readonly kind: 'module'; readonly url: string; readonly exportName: string };

export async function resolveStrategyFactory(source: StrategySource): Promise<StrategyFactory> {
  if (source.kind === 'registry') return registeredStrategyFactory(source.name);
  let module: Record<string, unknown>;
  try {
    module = (await import(source.url)) as Record<string, unknown>;
  } catch (error) {
    throw new FixRequestError('strategy_module_unloadable', `cannot load the strategy module ${source.url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const factory = module[source.exportName];
  if (!isStrategyFactory(factory)) {
    throw new FixRequestError('not_a_strategy_factory', `${source.url} has no StrategyFactory export named "${source.exportName}"`);
  }
  return factory;
}

function isStrategyFactory(value: unknown): value is StrategyFactory {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<StrategyFactory>;
  return typeof candidate.name === 'string' && Array.isArray(candidate.parameters) && typeof candidate.create === 'function';
}

function registeredStrategyFactory(name: string): StrategyFactory {
  const factory = strategyFactories.get(name);
  if (factory === undefined) {
    throw new FixRequestError('unknown_strategy', `unknown strategy "${name}"; known: ${[...strategyFactories.keys()].join(', ')}`);
  }
  return factory;
}
