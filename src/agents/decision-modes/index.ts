import { consensusMode } from './consensus.js';
import { emergencyMode } from './emergency.js';
import { hierarchicalMode } from './hierarchical.js';
import { independentMode } from './independent.js';
import type { DecisionInput, DecisionMode, DecisionResult } from './types.js';
import { weightedMode } from './weighted.js';

export type {
  AnalystSignal,
  Breach,
  ConsensusRules,
  Deadband,
  Decision,
  DecisionInput,
  DecisionMode,
  DecisionResult,
  HierarchicalRules,
  PositionEntry,
  Sizing,
} from './types.js';
export { CONVICTION_SCALE, TARGET_SCALE, decisionIntentId, signalCausation } from './common.js';
export { renetWithout, type DroppedView } from './renet.js';
export { consensusMode, emergencyMode, hierarchicalMode, independentMode, weightedMode };

/** Modes that trade one desk book (the analysts' views are netted); the others trade each analyst's sleeve. */
export const DESK_BOOK_MODES: ReadonlySet<DecisionMode> = new Set(['weighted', 'consensus']);

/** Runs the configured decision mode. Pure: same input, same intents (ids included). */
export function decide(mode: DecisionMode, input: DecisionInput): DecisionResult {
  switch (mode) {
    case 'independent':
      return independentMode(input);
    case 'weighted':
      return weightedMode(input);
    case 'consensus':
      return consensusMode(input);
    case 'hierarchical':
      return hierarchicalMode(input);
    case 'emergency':
      return emergencyMode(input);
  }
}
