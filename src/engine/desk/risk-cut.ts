import type { TradingCore } from '../trading-core.js';
import type { ExecutorRole } from './executor-role.js';

/** The books (`owner|instrument`) a risk cut reaches, their owners, and what it does and cannot do, in words. */
export interface CutPlan {
  readonly owners: ReadonlySet<string>;
  readonly books: ReadonlySet<string>;
  readonly summary: string;
}

/**
 * Which books a risk cut reaches. Every book holding a position is cut, a busy one too: what is working on it to open
 * or add (an algorithm, an entry) is stopped first, since it would grow what the cut shrinks, and leaving the book
 * out while its hedge is cut can raise the desk's net exposure. Only a book a reduction is already working on is
 * left to it (the next assessment sees what it did, so cuts do not stack), and one whose working orders' cancels
 * the venue has not confirmed yet. The summary names both, so an assessment never says "reduce" without saying
 * what went out.
 */
export function planCut(core: TradingCore, executor: ExecutorRole): CutPlan {
  const owners = new Set<string>();
  const books = new Set<string>();
  const cut: string[] = [];
  const left: string[] = [];
  for (const { owner, position } of core.ledger.allPositions()) {
    if (position.quantity.isZero()) continue;
    const id = position.instrumentId;
    const book = `${owner} ${id} (${position.quantity.toPlainString()})`;
    if (executor.isReducing(owner, id)) {
      left.push(`${book}, whose earlier reduction is still under way`);
      continue;
    }
    if (executor.isWorking(owner, id)) executor.stopOpening(owner, id);
    if (executor.isWorking(owner, id)) {
      left.push(`${book}, whose working orders are still being canceled`);
      continue;
    }
    owners.add(owner);
    books.add(`${owner}|${id}`);
    cut.push(book);
  }
  const parts = [cut.length > 0 ? `Cut at market: ${cut.join(', ')}.` : 'Nothing is cut.'];
  if (left.length > 0) parts.push(`Not cut now: ${left.join('; ')}.`);
  return { owners, books, summary: parts.join(' ') };
}
