/** The optimizer: parameter spaces, grid and random search, walk-forward windows, trials and their executors. */
export { InProcessExecutor, type TrialExecutor, type TrialProgress } from './executor.js';
export { OBJECTIVE_METRICS, parseObjective, ranksAbove, scoreOf, type Direction, type Objective, type ObjectiveMetric } from './objective.js';
export { optimize, type OptimizationRequest } from './optimize.js';
export {
  axisValues,
  gridSize,
  parseParameterSpace,
  searchedParameters,
  type ParameterAxis,
  type ParameterDomain,
  type ParameterSpace,
  type ParameterValue,
} from './parameter-space.js';
export {
  exportBestParameters,
  type BestParametersFile,
  type OptimizationReport,
  type OutOfSampleSummary,
  type RangeReport,
  type Selection,
  type TrialRecord,
  type WalkForwardReport,
  type WindowReport,
} from './report.js';
export { candidates, DEFAULT_MAX_GRID_TRIALS, enumerateGrid, sampleRandom, type SearchMethod } from './search.js';
export { runTrial, type TrialDetail, type TrialResult, type TrialSpec } from './trial.js';
export {
  buildTrialEnvironment,
  toBacktestSettings,
  type PortableBacktestSettings,
  type PortableRiskLimits,
  type PortableTrialSetup,
  type PortableVenueOptions,
  type TrialBacktestSettings,
  type TrialEnvironment,
} from './trial-environment.js';
export { TrialFailedError, TrialInterruptedError, type TrialFailure } from './trial-error.js';
export {
  finalSelectionRange,
  parseWalkForward,
  unusedTailBars,
  walkForwardWindows,
  type BarRange,
  type WalkForwardMode,
  type WalkForwardOptions,
  type WalkForwardWindow,
} from './windows.js';
