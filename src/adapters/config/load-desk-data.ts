import { existsSync, statSync } from 'node:fs';
import type { DeskConfig } from '../../config/desk-schema.js';
import { parseInstrumentId, type InstrumentId } from '../../core/ids.js';
import { FixRequestError } from '../../core/errors.js';
import { syntheticDeskData, type DeskData } from '../../engine/desk/desk-data.js';
import { loadBars } from '../files/load-bars.js';
import { assertMarksCover, loadFundingRates, loadMarkPrices } from '../files/perpetual-files.js';

/**
 * The bars a desk file names: synthetic markets are generated (seeded), files are read (through the bar cache), with
 * a perpetual's funding and mark files when given.
 * Relative paths are resolved from the desk file's folder by the caller passing `resolvePath`.
 */
export async function loadDeskData(config: DeskConfig, resolvePath: (path: string) => string, seed?: number): Promise<DeskData> {
  const data = syntheticDeskData(config, seed);
  for (const instrument of config.instruments) {
    const source = config.data[instrument.id];
    if (source?.source !== 'file') continue;
    const loaded = await loadBars(resolvePath(source.path), {
      instrumentId: instrument.id,
      ...(source.timeframe === undefined ? {} : { timeframeMs: source.timeframe }),
      ...(source.format === 'auto' ? {} : { format: source.format === 'freqtrade-json' ? 'json' : source.format }),
      ...(source.columns === undefined ? {} : { columns: source.columns }),
      ...(source.adjClose === undefined ? {} : { useAdjClose: source.adjClose }),
      ...(source.header === undefined ? {} : { header: source.header }),
      ...(source.delimiter === undefined ? {} : { delimiter: source.delimiter }),
      ...(source.epochUnit === undefined ? {} : { epochUnit: source.epochUnit }),
      optionNames: { columns: `data.${instrument.id}.columns`, useAdjClose: `data.${instrument.id}.adjClose` },
    });
    if (loaded.series.length === 0) throw new FixRequestError('empty_data', `${source.path} (data for ${instrument.id}) has no bars`);
    data.series.set(instrument.id as InstrumentId, loaded.series);
    const id = instrument.id as InstrumentId;
    if ((source.funding !== undefined || source.marks !== undefined) && parseInstrumentId(id).settle === undefined) {
      throw new FixRequestError('invalid_desk_data', `data.${instrument.id}: funding and marks belong to perpetuals (BASE/QUOTE:SETTLE); ${instrument.id} is spot`);
    }
    if (source.funding !== undefined) data.extras.push(...(await loadFundingRates(resolvePath(source.funding), id)));
    if (source.marks !== undefined) {
      const marks = await loadMarkPrices(resolvePath(source.marks), id);
      assertMarksCover(`data.${instrument.id}.marks ${source.marks}`, marks, loaded.series);
      data.extras.push(...marks);
    }
  }
  return data;
}

/** The files a desk's data section names that are not there (or are not files), each by its path in the config. */
export function missingDataFiles(config: DeskConfig, resolvePath: (path: string) => string): string[] {
  const problems: string[] = [];
  for (const [id, source] of Object.entries(config.data)) {
    if (source.source !== 'file') continue;
    for (const key of ['path', 'funding', 'marks'] as const) {
      const named = source[key];
      if (named === undefined) continue;
      const resolved = resolvePath(named);
      if (!existsSync(resolved)) problems.push(`data.${id}.${key}: no such file ${resolved}`);
      else if (!statSync(resolved).isFile()) problems.push(`data.${id}.${key}: ${resolved} is not a file`);
    }
  }
  return problems;
}
