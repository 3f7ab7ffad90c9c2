import type { DecisionRecord, RecordValidation } from './decision-record.js';
import type { ModelGateway } from './model-gateway.js';
import type { AnswerSpec, LlmMessage, LlmParameters, StructuredOutput, ToolCall, ToolSpec } from './provider.js';

/** A read-only tool: it answers from the harness's point-in-time view and takes no dates (the clock is ours). */
export interface ReadTool extends ToolSpec {
  /** Runs the call; bad arguments give an error text the model can read, never an exception. */
  run(argumentsJson: string): string;
}

export type Checked<T> =
  | { readonly kind: 'ok'; readonly value: T; readonly summary: string }
  | { readonly kind: 'abstain'; readonly reason: string }
  | { readonly kind: 'invalid'; readonly problems: readonly string[] };

/** Why a brain has no answer to act on. Every cause is counted; none ever turns into a trading action. */
export type AbstainCause = 'model' | 'invalid' | 'budget' | 'provider-error';

export type AskResult<T> =
  | { readonly kind: 'ok'; readonly value: T; readonly recordId: string }
  | { readonly kind: 'abstain'; readonly cause: AbstainCause; readonly detail: string; readonly recordId?: string };

export interface AskSpec<T> {
  readonly gateway: ModelGateway;
  readonly agentId: string;
  readonly role: DecisionRecord['role'];
  readonly promptVersion: string;
  readonly ts: number;
  /** This agent's call counter: record ids are `llm:<agent>:<ts>:<n>`, stable across replays. */
  readonly nextSequence: () => number;
  readonly model: string;
  readonly system: string;
  readonly messages: readonly LlmMessage[];
  readonly parameters: LlmParameters;
  readonly answer: AnswerSpec;
  readonly structuredOutput: StructuredOutput;
  readonly tools: readonly ReadTool[];
  /** Rounds of tool calls allowed before the model must answer (tools are then no longer offered). */
  readonly maxToolRounds: number;
  readonly check: (answer: string) => Checked<T>;
}

/**
 * One decision asked of a model: tool rounds (bounded), the answer checked by the role, and one repair retry that
 * shows the model its errors. After that, or when the budget or the provider says no, the brain abstains with the
 * cause. Each call is a decision record.
 */
export async function askModel<T>(spec: AskSpec<T>): Promise<AskResult<T>> {
  const messages: LlmMessage[] = [...spec.messages];
  let toolRounds = 0;
  let repaired = false;
  for (let attempt = 0; ; attempt++) {
    const recordId = `llm:${spec.agentId}:${spec.ts}:${spec.nextSequence()}`;
    const tools = toolRounds < spec.maxToolRounds ? spec.tools : NO_TOOLS;
    const outcome = await spec.gateway.call(
      { recordId, agentId: spec.agentId, role: spec.role, promptVersion: spec.promptVersion, ts: spec.ts, attempt },
      { model: spec.model, system: spec.system, messages: [...messages], parameters: spec.parameters, tools: toolSpecs(tools), answer: spec.answer, structuredOutput: spec.structuredOutput },
    );
    if (outcome.kind === 'refused') return { kind: 'abstain', cause: outcome.cause, detail: outcome.reason };
    if (outcome.kind === 'failed') return { kind: 'abstain', cause: outcome.cause, detail: outcome.reason, recordId: outcome.recordId };
    const { response } = outcome;
    if (response.answer === undefined && response.toolCalls.length > 0 && tools.length > 0) {
      outcome.finish({ outcome: 'tool-calls', tools: response.toolCalls.map((c) => c.name) });
      messages.push({ role: 'assistant', content: '', toolCalls: response.toolCalls });
      for (const call of response.toolCalls) messages.push({ role: 'tool', toolCallId: call.id, name: call.name, content: runTool(tools, call) });
      toolRounds += 1;
      continue;
    }
    const text = response.answer ?? '';
    const checked: Checked<T> =
      response.answer === undefined
        ? { kind: 'invalid', problems: [response.toolCalls.length > 0 ? 'no more tool calls: answer now with one JSON object' : 'the reply held no answer'] }
        : spec.check(text);
    const validation: RecordValidation =
      checked.kind === 'ok'
        ? { outcome: 'intent', summary: checked.summary }
        : checked.kind === 'abstain'
          ? { outcome: 'abstain', reason: checked.reason }
          : { outcome: 'invalid', problems: checked.problems };
    const record = outcome.finish(validation);
    if (checked.kind === 'ok') return { kind: 'ok', value: checked.value, recordId: record.recordId };
    if (checked.kind === 'abstain') return { kind: 'abstain', cause: 'model', detail: checked.reason, recordId: record.recordId };
    if (repaired) return { kind: 'abstain', cause: 'invalid', detail: checked.problems.join('; '), recordId: record.recordId };
    repaired = true;
    // An empty assistant turn is refused by some APIs: the model's silence is shown as such.
    messages.push({ role: 'assistant', content: text.trim() === '' ? '(no answer)' : text.slice(0, 4000) });
    messages.push({ role: 'user', content: repairPrompt(checked.problems) });
  }
}

const NO_TOOLS: readonly ReadTool[] = [];
const SPECS = new WeakMap<readonly ReadTool[], readonly ToolSpec[]>();

/** The tools as the provider is told of them, made once per tool list (the same list is offered call after call). */
function toolSpecs(tools: readonly ReadTool[]): readonly ToolSpec[] {
  let specs = SPECS.get(tools);
  if (specs === undefined) {
    specs = tools.map((tool) => ({ name: tool.name, description: tool.description, parameters: tool.parameters }));
    SPECS.set(tools, specs);
  }
  return specs;
}

function runTool(tools: readonly ReadTool[], call: ToolCall): string {
  const tool = tools.find((t) => t.name === call.name);
  if (tool === undefined) return `error: there is no tool named ${call.name.slice(0, 60)}; the tools are ${tools.map((t) => t.name).join(', ')}`;
  return tool.run(call.arguments);
}

function repairPrompt(problems: readonly string[]): string {
  const list = problems.slice(0, 10).map((p) => `- ${p}`).join('\n');
  return `Your answer was rejected:\n${list}\nReply again with exactly one JSON object that follows the schema, or abstain with a reason. This is the last chance; after it the desk takes no action on your view.`;
}
