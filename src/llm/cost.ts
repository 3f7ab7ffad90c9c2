import type { LlmUsage } from './provider.js';

/** Dollars per million tokens, per model (from the desk config: prices change, so they are never built in). */
export interface ModelPrice {
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** The dollar cost of one call. A model without a price is a configuration error, caught when the desk is built. */
export function costOf(price: ModelPrice, usage: LlmUsage): number {
  return (usage.inputTokens * price.inputPerMillion + usage.outputTokens * price.outputPerMillion) / 1_000_000;
}

/** A rough token count for text not yet sent (budgets and memory): about four characters per token. */
export function estimateTokens(text: string): number {
  return tokensOfLength(text.length);
}

/** The same estimate from a length alone (text hashed without being built, see cache-key.ts). */
export function tokensOfLength(characters: number): number {
  return Math.ceil(characters / 4);
}
