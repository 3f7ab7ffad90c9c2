/** The files a strategy run (backtest, optimize) reads beside its bars: a perpetual's funding and marks, parameters. */
import { FixRequestError } from '../../../core/errors.js';
import type { InstrumentId } from '../../../core/ids.js';
import type { BarSeries } from '../../../data/bar-series.js';
import type { Instrument } from '../../../domain/instrument.js';
import type { FundingRate, MarkPrice } from '../../../domain/market-data.js';
import { assertMarksCover, loadFundingRates, loadMarkPrices } from '../../../adapters/files/perpetual-files.js';
import type { NamedFile } from '../output-files.js';

/** The options that name these files (of backtest and optimize). */
export interface RunFileOptions {
  readonly data: readonly string[];
  readonly funding?: readonly string[] | undefined;
  readonly marks?: readonly string[] | undefined;
  readonly params?: string | undefined;
  readonly cache: boolean;
}

/**
 * The --funding and --marks files, each for the perpetual its symbol names (or the only perpetual); marks that do
 * not cover their perpetual's bars are refused.
 */
export async function loadPerpetualFiles(options: Pick<RunFileOptions, 'funding' | 'marks' | 'cache'>, instruments: readonly Instrument[], series: readonly BarSeries[]): Promise<{ funding: FundingRate[]; marks: MarkPrice[] }> {
  const funding: FundingRate[] = [];
  const marks: MarkPrice[] = [];
  const perpetuals = instruments.filter((i) => i.kind === 'perpetual');
  const target = (flag: string, argument: string): { id: InstrumentId; path: string } => {
    const { symbol, path } = perpetualFileArgument(argument);
    if (symbol !== undefined) {
      const match = instruments.find((i) => i.id.slice(i.id.indexOf(':') + 1) === symbol);
      if (match === undefined) throw new FixRequestError('invalid_option', `${flag} ${argument}: no --data instrument has the symbol ${symbol}`);
      if (match.kind !== 'perpetual') throw new FixRequestError('invalid_option', `${flag} ${argument}: ${match.id} is spot; funding and marks belong to perpetuals (BASE/QUOTE:SETTLE)`);
      return { id: match.id, path };
    }
    if (perpetuals.length !== 1) {
      throw new FixRequestError('invalid_option', `${flag} ${argument}: ${perpetuals.length === 0 ? 'no --data instrument is a perpetual (BASE/QUOTE:SETTLE)' : 'several perpetuals: name one, e.g. --funding XRP/USDT:USDT=FILE'}`);
    }
    return { id: (perpetuals[0] as Instrument).id, path };
  };
  const cache = { cache: options.cache };
  for (const { id, path } of oneFilePerPerpetual('--funding', (options.funding ?? []).map((argument) => target('--funding', argument)))) {
    funding.push(...(await loadFundingRates(path, id, cache)));
  }
  for (const { id, path } of oneFilePerPerpetual('--marks', (options.marks ?? []).map((argument) => target('--marks', argument)))) {
    const loaded = await loadMarkPrices(path, id, cache);
    const bars = series.find((s) => s.instrumentId === id);
    if (bars !== undefined) assertMarksCover(`--marks ${path}`, loaded, bars);
    marks.push(...loaded);
  }
  return { funding, marks };
}

/**
 * The files of one option, refused before any is read when two are for one perpetual: both would apply (funding
 * charged twice, marks of two files mixed).
 */
function oneFilePerPerpetual(flag: string, targets: readonly { id: InstrumentId; path: string }[]): readonly { id: InstrumentId; path: string }[] {
  for (const [index, { id, path }] of targets.entries()) {
    const earlier = targets.slice(0, index).find((t) => t.id === id);
    if (earlier !== undefined) {
      throw new FixRequestError('invalid_option', `${flag} ${earlier.path} and ${flag} ${path} are both for ${id}: a perpetual takes one ${flag === '--funding' ? 'funding' : 'marks'} file; give one`);
    }
  }
  return targets;
}

/** A --funding or --marks value: `[symbol=]file`. */
function perpetualFileArgument(argument: string): { symbol: string | undefined; path: string } {
  const equals = argument.indexOf('=');
  // A symbol always has a slash before the '=', which tells it from a file name that merely contains one.
  const symbol = equals > 0 && argument.slice(0, equals).includes('/') ? argument.slice(0, equals) : undefined;
  return { symbol, path: symbol === undefined ? argument : argument.slice(equals + 1) };
}

/** The files a strategy run reads, which none of its outputs may replace. */
export function runInputFiles(options: Omit<RunFileOptions, 'cache'>): NamedFile[] {
  return [
    ...options.data.map((path) => ({ flag: '--data', path })),
    ...(options.funding ?? []).map((argument) => ({ flag: '--funding', path: perpetualFileArgument(argument).path })),
    ...(options.marks ?? []).map((argument) => ({ flag: '--marks', path: perpetualFileArgument(argument).path })),
    { flag: '--params', path: options.params },
  ];
}
