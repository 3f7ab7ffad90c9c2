/**
 * Settings a desk file may hold that the desk will not use: valid, so not problems, but worth saying, since a reader
 * of the file would expect them to act. Each names its path, as problems do.
 */
import { DESK_BOOK_MODES } from '../agents/decision-modes/index.js';
import type { DeskConfig } from './desk-schema.js';
import type { Issue } from './desk-cross-check.js';

export function deskWarnings(config: DeskConfig): Issue[] {
  const mode = config.manager.mode;
  if (!DESK_BOOK_MODES.has(mode)) return [];
  const issues: Issue[] = [];
  const ignored = `ignored: ${mode} mode trades one desk book, not the sleeves`;
  const capital = config.capital;
  if (capital.allocation !== undefined) issues.push({ path: ['capital', 'allocation'], message: `${ignored}, so no capital is allocated to them` });
  if (capital.rebalance !== undefined) issues.push({ path: ['capital', 'rebalance'], message: `${ignored}, so no capital is moved between them` });
  if (capital.profitSweep !== undefined) issues.push({ path: ['capital', 'profitSweep'], message: `${ignored}, so no profit is swept into their reserves` });
  capital.sleeves.forEach((sleeve, i) => {
    issues.push({ path: ['capital', 'sleeves', i, 'maxGrossExposure'], message: `${ignored}; the desk book is bounded by risk.limits.maxGrossExposure` });
    for (const bound of ['minWeight', 'maxWeight'] as const) {
      if (sleeve[bound] !== undefined) issues.push({ path: ['capital', 'sleeves', i, bound], message: `${ignored}, so no capital is allocated to them` });
    }
  });
  return issues;
}
