/**
 * Settings a desk file may hold that the desk will not use: valid, so not problems, but worth saying, since a reader
 * of the file would expect them to act. Each names its path, as problems do.
 */
import { DESK_BOOK_MODES } from '../agents/decision-modes/index.js';
import { formatTimeframe } from '../data/timeframe.js';
import { DEFAULT_REDUCING_LIMIT_LIFE_MS } from '../execution/algorithms/limit-life.js';
import type { DeskConfig } from './desk-schema.js';
import { decimalValue } from './fields.js';
import type { Issue } from './desk-cross-check.js';

export function deskWarnings(config: DeskConfig): Issue[] {
  return [...capitalWarnings(config), ...judgeWarnings(config), ...executionWarnings(config), ...weightWarnings(config), ...channelWarnings(config)];
}

/** How orders will be worked, where the file leaves it to a default a reader may not expect. */
function executionWarnings(config: DeskConfig): Issue[] {
  const algorithm = config.execution.algorithm;
  const issues: Issue[] = [];
  if (algorithm.kind === 'limit' && algorithm.expireAfter === undefined) {
    issues.push({
      path: ['execution', 'algorithm'],
      message: `a limit without expireAfter: an opening limit rests until it fills, and its book takes no new decision meanwhile; one that reduces a position (its stop canceled) expires after ${DEFAULT_REDUCING_LIMIT_LIFE_MS / 3_600_000}h and its rest goes out at market`,
    });
  }
  if (algorithm.kind === 'twap') {
    const interval = Math.floor(algorithm.over / algorithm.slices);
    let coarsest: { id: string; timeframe: number } | undefined;
    for (const [id, source] of Object.entries(config.data)) {
      const timeframe = source.timeframe;
      if (timeframe !== undefined && timeframe > interval && (coarsest === undefined || timeframe > coarsest.timeframe)) coarsest = { id, timeframe };
    }
    if (coarsest !== undefined) {
      issues.push({
        path: ['execution', 'algorithm'],
        message: `a slice every ${formatTimeframe(interval)} (over / slices) is shorter than the ${formatTimeframe(coarsest.timeframe)} bars of ${coarsest.id}: the desk works a TWAP once a bar, so the slices due within one bar go out together as one order`,
      });
    }
  }
  return issues;
}

/** The netting modes trade one desk book: the sleeves' capital settings do not act. */
function capitalWarnings(config: DeskConfig): Issue[] {
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

/**
 * The judge moves capital after the initial allocation, sweeps profit, reports the goals and demotes an agent whose
 * sleeve draws down past its budget: without one those settings are valid and do nothing. Rebalancing and the sweep
 * are left to the netting-mode warnings where that mode ignores them anyway.
 */
function judgeWarnings(config: DeskConfig): Issue[] {
  if (config.agents.some((agent) => agent.role === 'judge')) return [];
  const capital = config.capital;
  const sleeveMode = !DESK_BOOK_MODES.has(config.manager.mode);
  const issues: Issue[] = [];
  const noJudge = 'no judge agent, so';
  if (sleeveMode && capital.rebalance !== undefined) issues.push({ path: ['capital', 'rebalance'], message: `${noJudge} no capital is moved between the sleeves after the initial allocation` });
  if (sleeveMode && capital.profitSweep !== undefined) issues.push({ path: ['capital', 'profitSweep'], message: `${noJudge} no profit is swept into the sleeves' reserves` });
  if (capital.goals !== undefined) issues.push({ path: ['capital', 'goals'], message: `${noJudge} progress toward the goals is never reported` });
  // Once for all the sleeves: each must have a budget, so one warning each could only be silenced by adding a judge.
  if (capital.sleeves.length > 0) {
    issues.push({ path: ['capital', 'sleeves'], message: `${noJudge} no agent is demoted when its sleeve draws down past its maxDrawdown budget` });
  }
  return issues;
}

/** Weighted mode: an analyst the weights leave out counts for nothing, which a file may not mean. */
function weightWarnings(config: DeskConfig): Issue[] {
  const manager = config.manager;
  if (manager.mode !== 'weighted') return [];
  const issues: Issue[] = [];
  for (const agent of config.agents) {
    if (agent.role === 'analyst' && manager.weights[agent.id] === undefined) {
      issues.push({ path: ['manager', 'weights'], message: `no weight for analyst ${agent.id}: its views count for nothing in the netted target (give it a weight, or '0' to say so)` });
    }
  }
  const weights = Object.values(manager.weights);
  if (weights.length > 0 && weights.every((weight) => decimalValue(weight).isZero())) {
    issues.push({ path: ['manager', 'weights'], message: 'every weight is 0: the netted target is always flat, so the desk never opens a position' });
  }
  return issues;
}

/** The notifier delivers only to the channels it lists: one it leaves out is configured for nothing. */
function channelWarnings(config: DeskConfig): Issue[] {
  const notifier = config.agents.find((agent) => agent.role === 'notifier');
  if (notifier?.role !== 'notifier' || notifier.channels === undefined) return [];
  const listed = new Set(notifier.channels);
  return config.notifications.channels.flatMap((channel, i) =>
    listed.has(channel.name)
      ? []
      : [{ path: ['notifications', 'channels', i], message: `the notifier agent ${notifier.id} does not list channel ${channel.name} in its channels, so it receives no notifications` }],
  );
}
