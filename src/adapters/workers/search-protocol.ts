import type { ParameterSearchRequest, ParameterSearchResult } from '../../agents/desk/parameter-search.js';
import type { InstrumentSpec } from '../../domain/instrument.js';
import type { SharedSeries } from './shared-series.js';

/** The desk's instruments, as the decimal specs they were defined from (a Fixed does not cross threads). */
export interface SearchWorkerData {
  readonly instruments: readonly InstrumentSpec[];
}

/** One search request as it crosses to the worker: the analyst's recent bars in shared memory, its instruments by id. */
export type SearchJob = Omit<ParameterSearchRequest, 'series' | 'instruments'> & {
  readonly job: number;
  readonly series: readonly SharedSeries[];
  readonly instrumentIds: readonly string[];
};

export type SearchAnswer =
  | { readonly job: number; readonly ok: true; readonly result: ParameterSearchResult | undefined }
  | { readonly job: number; readonly ok: false; readonly error: { readonly name: string; readonly code?: string; readonly message: string } };
