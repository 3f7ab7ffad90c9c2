import type { Fixed } from '../../core/fixed.js';
import type { AgentId, Currency, InstrumentId } from '../../core/ids.js';
import type { BarSeries } from '../../data/bar-series.js';
import type { AgentHealth } from '../../domain/agent-events.js';
import type { DeskEvent } from '../../domain/events.js';
import type { CurrencyScales, Instrument } from '../../domain/instrument.js';
import type { FundingRate, MarkPrice } from '../../domain/market-data.js';
import type { EventStore } from '../../kernel/event-store.js';
import type { AllocationPolicy } from '../../portfolio/allocation.js';
import type { SleeveDefinition } from '../../portfolio/sleeves.js';
import type { KillSwitchProbe } from '../../risk/kill-switch.js';
import type { RiskLimits } from '../../risk/limits.js';
import type { SimVenueOptions } from '../../venues/sim/options.js';
import type { ModePolicy } from '../../agents/judge/mode-policy.js';
import type { AnalystRole } from './analyst-role.js';
import type { ExecutionPolicy } from './executor-role.js';
import type { JudgeRoleConfig } from './judge-role.js';
import type { ManagerRules } from './manager-role.js';
import type { OptimizerRoleConfig } from './optimizer-role.js';
import type { PositionCycleConfig } from './position-cycle.js';
import type { MonitoringConfig } from './risk-monitor-role.js';
import type { DeskReviewers } from './desk-reviews.js';
import type { ModelGateway } from '../../llm/model-gateway.js';

/** Everything a desk is made of, resolved from its configuration (desk-from-config.ts) and its data. */
export interface DeskSetup {
  readonly name: string;
  readonly instruments: readonly Instrument[];
  /** One replayed series per instrument (backtest and paper-on-replay). */
  readonly series: readonly BarSeries[];
  /** Funding rates and mark prices (perpetuals), replayed to the venue by time. */
  readonly extras?: readonly (FundingRate | MarkPrice)[];
  readonly valuationCurrency: Currency;
  readonly scales: CurrencyScales;
  readonly cash: Readonly<Record<string, string>>;
  readonly venue: Partial<Omit<SimVenueOptions, 'balances'>>;
  readonly limits: RiskLimits;
  readonly leverage?: ReadonlyMap<InstrumentId, Fixed>;
  readonly analysts: readonly AnalystRole[];
  readonly managerId: AgentId;
  readonly manager: ManagerRules;
  readonly execution: ExecutionPolicy;
  readonly modePolicy?: ModePolicy;
  readonly judge?: Omit<JudgeRoleConfig, 'valuationCurrency' | 'scale'>;
  /** The sleeves and the policy the master account is split by at the start (sleeve modes). */
  readonly capital?: { readonly sleeves: readonly SleeveDefinition[]; readonly policy: AllocationPolicy };
  readonly optimizer?: OptimizerRoleConfig;
  readonly monitoring?: { readonly periodMs: number; readonly config: MonitoringConfig };
  readonly nudges?: { readonly managerMs?: number };
  readonly positionCycle?: PositionCycleConfig;
  readonly store?: EventStore<DeskEvent>;
  readonly killSwitch?: KillSwitchProbe;
  /** Equity is journaled (and breakers checked) every this many bars (default: one day of the first series). */
  readonly markEveryBars?: number;
  /** Model-driven reviewers of the manager's proposals and the judge's modes (they need `nextAsync`). */
  readonly reviewers?: DeskReviewers;
  /** The model gateways of the desk's model-driven brains (their usage is the run's cost report). */
  readonly gateways?: readonly ModelGateway[];
}

export interface AgentStatus {
  readonly id: AgentId;
  readonly role: string;
  readonly health: AgentHealth;
  readonly mode?: string;
  readonly sleeve?: string;
  readonly errors?: number;
  /** Why it is not healthy, when something other than its own errors says so (its model failing). */
  readonly problem?: string;
}
