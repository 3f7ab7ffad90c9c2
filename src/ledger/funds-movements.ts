/** Deposits, withdrawals, transfers between owners and profit sweeps: why one cannot be applied, and its entry. */
import type { Currency } from '../core/ids.js';
import type { Fixed } from '../core/fixed.js';
import type { FundsDeposited, FundsTransferred, FundsWithdrawn, ProfitSwept } from '../domain/events.js';
import type { CurrencyScales } from '../domain/instrument.js';
import type { Journal } from './journal.js';
import { formatUnits, toUnits } from './ledger-config.js';

export type FundsMovement = FundsDeposited | FundsWithdrawn | ProfitSwept | FundsTransferred;

export function fundsMovementProblem(scales: CurrencyScales, journal: Journal, event: FundsMovement): string | undefined {
  if (event.type === 'FundsDeposited') return amountProblem(scales, event.currency, event.amount, 'deposit');
  const label = event.type === 'FundsWithdrawn' ? 'withdrawal' : event.type === 'ProfitSwept' ? 'profit sweep' : 'transfer';
  const problem = amountProblem(scales, event.currency, event.amount, label);
  if (problem !== undefined) return problem;
  const source = event.type === 'FundsTransferred' ? event.from : event.owner;
  if (event.type === 'FundsTransferred' && event.from === event.to) return `a transfer needs two different owners, got ${event.from} twice`;
  const available = journal.balance(source, 'cash', event.currency);
  const wanted = toUnits(scales, event.currency, event.amount);
  if (wanted > available) {
    return `${label} of ${event.amount.toPlainString()} ${event.currency} exceeds available cash ${formatUnits(scales, event.currency, available)}`;
  }
  return undefined;
}

function amountProblem(scales: CurrencyScales, currency: Currency, amount: Fixed, label: string): string | undefined {
  if (!amount.isPositive()) return `${label} amount must be positive, got ${amount.toString()}`;
  const scale = scales.of(currency);
  if (amount.scale > scale && !amount.rescale(scale, 'down').eq(amount)) {
    return `${label} amount ${amount.toPlainString()} has more than ${scale} decimals for ${currency}`;
  }
  return undefined;
}

export function postFundsMovement(scales: CurrencyScales, journal: Journal, event: FundsMovement): void {
  const amount = toUnits(scales, event.currency, event.amount);
  switch (event.type) {
    case 'FundsDeposited':
      journal.post(event.tsEvent, event.id, 'deposit', [
        { owner: event.owner, currency: event.currency, kind: 'cash', amount },
        { owner: event.owner, currency: event.currency, kind: 'capital', amount: -amount },
      ]);
      return;
    case 'FundsWithdrawn':
      journal.post(event.tsEvent, event.id, 'withdrawal', [
        { owner: event.owner, currency: event.currency, kind: 'cash', amount: -amount },
        { owner: event.owner, currency: event.currency, kind: 'capital', amount },
      ]);
      return;
    case 'FundsTransferred':
      // Cash and capital move together, so each owner's PnL (equity less capital) is untouched by the transfer.
      journal.post(event.tsEvent, event.id, `transfer ${event.from} -> ${event.to}`, [
        { owner: event.from, currency: event.currency, kind: 'cash', amount: -amount },
        { owner: event.from, currency: event.currency, kind: 'capital', amount },
        { owner: event.to, currency: event.currency, kind: 'cash', amount },
        { owner: event.to, currency: event.currency, kind: 'capital', amount: -amount },
      ]);
      return;
    case 'ProfitSwept':
      journal.post(event.tsEvent, event.id, 'profit sweep', [
        { owner: event.owner, currency: event.currency, kind: 'cash', amount: -amount },
        { owner: event.owner, currency: event.currency, kind: 'reserve', amount },
      ]);
      return;
  }
}
