import { estimateTokens } from './cost.js';
import type { LlmMessage } from './provider.js';

interface Turn {
  readonly asked: string;
  readonly answered: string;
  readonly action: string;
}

/**
 * A brain's memory of its earlier calls, kept within a token budget: the most recent turns verbatim (a brief of
 * what it was shown and the answer it gave), older ones dropped and counted in a one-line summary.
 */
export class ConversationMemory {
  private readonly turns: (Turn & { readonly tokens: number })[] = [];
  /** The kept turns as messages, updated as turns come and go (the same objects call after call). */
  private readonly kept: LlmMessage[] = [];
  private tokens = 0;
  private dropped = 0;
  private readonly droppedActions = new Map<string, number>();

  constructor(private readonly budgetTokens: number) {}

  remember(asked: string, answered: string, action: string): void {
    const tokens = estimateTokens(asked) + estimateTokens(answered);
    this.turns.push({ asked, answered, action, tokens });
    this.kept.push({ role: 'user', content: asked }, { role: 'assistant', content: answered });
    this.tokens += tokens;
    while (this.turns.length > 0 && this.tokens > this.budgetTokens) {
      const old = this.turns.shift() as Turn & { readonly tokens: number };
      this.kept.splice(0, 2);
      this.tokens -= old.tokens;
      this.dropped += 1;
      this.droppedActions.set(old.action, (this.droppedActions.get(old.action) ?? 0) + 1);
    }
  }

  /** The remembered turns as alternating user/assistant messages, oldest first. */
  messages(): readonly LlmMessage[] {
    return this.kept;
  }

  /** One line on the turns no longer kept, or undefined when none were dropped. */
  summary(): string | undefined {
    if (this.dropped === 0) return undefined;
    const parts = [...this.droppedActions].map(([action, n]) => `${n} ${action}`).join(', ');
    return `Earlier calls no longer shown: ${this.dropped} (${parts}).`;
  }
}
