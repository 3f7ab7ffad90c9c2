import { FixRequestError } from '../../core/errors.js';
import type { InstrumentId } from '../../core/ids.js';
import type { AgentConfig, DeskConfig } from '../../config/desk-schema.js';
import { Budget } from '../../llm/budget.js';
import { capabilitiesOf } from '../../llm/capabilities.js';
import type { DecisionStore } from '../../llm/decision-record.js';
import { LlmAnalystBrain } from '../../llm/llm-analyst.js';
import { LlmJudgeReviewer, LlmManagerReviewer } from '../../llm/llm-reviewers.js';
import { ModelGateway, type CallMode } from '../../llm/model-gateway.js';
import type { LlmProvider } from '../../llm/provider.js';
import type { NewsItem } from '../../llm/untrusted.js';
import type { DeskReviewers } from './desk-reviews.js';

export type LlmBrainConfig = Extract<AgentConfig['brain'], { kind: 'llm' }>;

/** What a run plugs in for model-driven brains: the providers (built by adapters), the call mode and the records. */
export interface DeskModels {
  readonly providerFor: (brain: LlmBrainConfig) => LlmProvider;
  readonly mode: CallMode;
  readonly store: DecisionStore;
  readonly news?: readonly NewsItem[];
}

/**
 * Builds the desk's model-driven brains from its configuration: one gateway per agent (its provider, the shared
 * record store, the desk's budget and its own), the analysts' brains and the manager's and judge's reviewers.
 */
export class ModelBrains {
  readonly gateways: ModelGateway[] = [];
  private readonly deskBudget: Budget | undefined;

  constructor(
    private readonly config: DeskConfig,
    private readonly models: DeskModels | undefined,
  ) {
    const budget = config.llm?.budget;
    this.deskBudget = budget === undefined ? undefined : new Budget('desk', budget);
  }

  analystBrain(agent: Extract<AgentConfig, { role: 'analyst' }>, brain: LlmBrainConfig, instruments: readonly InstrumentId[]): LlmAnalystBrain {
    const capabilities = capabilitiesOf(brain.provider, brain.model, { ...(brain.structuredOutput === 'auto' ? {} : { structuredOutput: brain.structuredOutput }), ...(brain.tools === undefined ? {} : { tools: brain.tools }) });
    return new LlmAnalystBrain({
      id: agent.id,
      instruments,
      gateway: this.gateway(agent.id, brain),
      model: brain.model,
      parameters: { temperature: brain.temperature, maxTokens: brain.maxTokens },
      structuredOutput: capabilities.structuredOutput,
      tools: capabilities.tools,
      maxToolRounds: brain.maxToolRounds,
      everyBars: brain.everyBars,
      warmup: brain.warmup,
      band: brain.band,
      recentBars: brain.recentBars,
      features: brain.features,
      memoryTokens: brain.memoryTokens,
      limits: limitsText(this.config),
      ...(this.models?.news === undefined ? {} : { news: this.models.news }),
    });
  }

  /** The manager's and the judge's reviewers, for those with a model brain. */
  reviewers(): DeskReviewers {
    const out: { manager?: LlmManagerReviewer; judge?: LlmJudgeReviewer } = {};
    for (const agent of this.config.agents) {
      if (agent.brain.kind !== 'llm' || (agent.role !== 'manager' && agent.role !== 'judge')) continue;
      const brain = agent.brain;
      const options = {
        id: agent.id,
        gateway: this.gateway(agent.id, brain),
        model: brain.model,
        parameters: { temperature: brain.temperature, maxTokens: brain.maxTokens },
        structuredOutput: capabilitiesOf(brain.provider, brain.model, brain.structuredOutput === 'auto' ? {} : { structuredOutput: brain.structuredOutput }).structuredOutput,
        limits: limitsText(this.config),
        ...(brain.variant === undefined ? {} : { variant: brain.variant }),
      };
      if (agent.role === 'manager') out.manager = new LlmManagerReviewer(options);
      else out.judge = new LlmJudgeReviewer(options);
    }
    return out;
  }

  private gateway(agentId: string, brain: LlmBrainConfig): ModelGateway {
    const models = this.models;
    if (models === undefined) {
      throw new FixRequestError('models_not_wired', `agent ${agentId} has an llm brain, but this run was started without models (give the run its llm settings)`);
    }
    const price = this.config.llm?.prices[brain.model];
    if (price === undefined) throw new FixRequestError('no_model_price', `agent ${agentId}: no price for ${brain.model} in llm.prices`);
    const budgets = [this.deskBudget, brain.budget === undefined ? undefined : new Budget(`agent ${agentId}`, brain.budget)].filter((b): b is Budget => b !== undefined);
    const gateway = new ModelGateway({ provider: models.providerFor(brain), mode: models.mode, store: models.store, price, budgets });
    this.gateways.push(gateway);
    return gateway;
  }
}

/** The desk's limits in words (what a model is told; the gate enforces them whatever it answers). */
function limitsText(config: DeskConfig): string {
  const l = config.risk.limits;
  const parts = [
    l.maxOrderNotional === undefined ? undefined : `max order notional ${l.maxOrderNotional}`,
    l.maxPositionNotional === undefined ? undefined : `max position notional ${l.maxPositionNotional}`,
    l.maxGrossExposure === undefined ? undefined : `max gross exposure ${l.maxGrossExposure}`,
    l.maxLeverage === undefined ? undefined : `max leverage ${l.maxLeverage}`,
  ].filter((p) => p !== undefined);
  return parts.length === 0 ? 'the desk risk gate checks every order' : `${parts.join(', ')} (${config.desk.valuationCurrency}); the desk risk gate checks every order`;
}
