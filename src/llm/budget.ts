/** Spending limits of a run and of each (UTC, simulated-clock) day, in tokens and dollars. Any may be absent. */
export interface BudgetLimits {
  readonly runTokens?: number;
  readonly runUsd?: number;
  readonly dayTokens?: number;
  readonly dayUsd?: number;
}

const DAY_MS = 86_400_000;

/**
 * A budget the desk (or one agent) spends from. A call is allowed only when its estimated worst case (the prompt's
 * estimated tokens plus the answer's max tokens, at the model's price) still fits every limit, so a limit is not
 * overshot by more than the estimate's error. Spending is charged with the recorded usage whether the answer came
 * from the provider or from the record store, so a replay abstains exactly where the recorded run did.
 */
export class Budget {
  private runTokens = 0;
  private runUsd = 0;
  private day = Number.NaN;
  private dayTokens = 0;
  private dayUsd = 0;

  constructor(
    readonly name: string,
    private readonly limits: BudgetLimits,
  ) {}

  /** Why a call of this worst case may not be made at `ts`, or undefined when it fits. */
  refusal(ts: number, tokens: number, usd: number): string | undefined {
    this.roll(ts);
    const l = this.limits;
    if (l.runTokens !== undefined && this.runTokens + tokens > l.runTokens) return `${this.name} run budget of ${l.runTokens} tokens is exhausted (${this.runTokens} spent)`;
    if (l.runUsd !== undefined && this.runUsd + usd > l.runUsd) return `${this.name} run budget of $${l.runUsd} is exhausted ($${this.runUsd.toFixed(4)} spent)`;
    if (l.dayTokens !== undefined && this.dayTokens + tokens > l.dayTokens) return `${this.name} daily budget of ${l.dayTokens} tokens is exhausted (${this.dayTokens} spent today)`;
    if (l.dayUsd !== undefined && this.dayUsd + usd > l.dayUsd) return `${this.name} daily budget of $${l.dayUsd} is exhausted ($${this.dayUsd.toFixed(4)} spent today)`;
    return undefined;
  }

  spend(ts: number, tokens: number, usd: number): void {
    this.roll(ts);
    this.runTokens += tokens;
    this.runUsd += usd;
    this.dayTokens += tokens;
    this.dayUsd += usd;
  }

  get spent(): { readonly tokens: number; readonly usd: number } {
    return { tokens: this.runTokens, usd: this.runUsd };
  }

  private roll(ts: number): void {
    const day = Math.floor(ts / DAY_MS);
    if (day === this.day) return;
    this.day = day;
    this.dayTokens = 0;
    this.dayUsd = 0;
  }
}
