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
  private readonly turns: Turn[] = [];
  private dropped = 0;
  private readonly droppedActions = new Map<string, number>();

  constructor(private readonly budgetTokens: number) {}

  remember(asked: string, answered: string, action: string): void {
    this.turns.push({ asked, answered, action });
    let tokens = this.turns.reduce((t, turn) => t + estimateTokens(turn.asked) + estimateTokens(turn.answered), 0);
    while (this.turns.length > 0 && tokens > this.budgetTokens) {
      const old = this.turns.shift() as Turn;
      tokens -= estimateTokens(old.asked) + estimateTokens(old.answered);
      this.dropped += 1;
      this.droppedActions.set(old.action, (this.droppedActions.get(old.action) ?? 0) + 1);
    }
  }

  /** The remembered turns as alternating user/assistant messages, oldest first. */
  messages(): LlmMessage[] {
    return this.turns.flatMap((turn): LlmMessage[] => [
      { role: 'user', content: turn.asked },
      { role: 'assistant', content: turn.answered },
    ]);
  }

  /** One line on the turns no longer kept, or undefined when none were dropped. */
  summary(): string | undefined {
    if (this.dropped === 0) return undefined;
    const parts = [...this.droppedActions].map(([action, n]) => `${n} ${action}`).join(', ');
    return `Earlier calls no longer shown: ${this.dropped} (${parts}).`;
  }
}
