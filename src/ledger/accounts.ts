import type { Currency } from '../core/ids.js';

/**
 * Account kinds, per owner and currency.
 * - cash: available to trade; reserved: held for open orders; asset: spot holdings; margin: posted for perpetuals;
 * - reserve: swept profit, never traded; conversion: the other side of spot exchanges (its quote balance is the
 *   cost basis of holdings, its base balance the negated holdings), so every entry balances per currency;
 * - fees, funding: expenses (positive = paid); capital: deposits less withdrawals; realised-pnl: realised profit.
 */
export type AccountKind =
  | 'cash'
  | 'reserved'
  | 'asset'
  | 'margin'
  | 'reserve'
  | 'conversion'
  | 'fees'
  | 'funding'
  | 'capital'
  | 'realised-pnl';

export const ACCOUNT_KINDS: readonly AccountKind[] = [
  'cash',
  'reserved',
  'asset',
  'margin',
  'reserve',
  'conversion',
  'fees',
  'funding',
  'capital',
  'realised-pnl',
];

/** Credit-normal accounts read as the negation of their raw (debit-positive) balance. */
const CREDIT_NORMAL: ReadonlySet<AccountKind> = new Set(['capital', 'realised-pnl']);

export function isCreditNormal(kind: AccountKind): boolean {
  return CREDIT_NORMAL.has(kind);
}

/** One leg of an entry: a debit when positive, a credit when negative, in the currency's smallest units. */
export interface Posting {
  readonly owner: string;
  readonly currency: Currency;
  readonly kind: AccountKind;
  readonly amount: bigint;
}

export function accountName(owner: string, kind: AccountKind, currency: Currency): string {
  return `${owner}:${kind}:${currency}`;
}
