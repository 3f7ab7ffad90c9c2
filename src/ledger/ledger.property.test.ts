import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BTC, OWNERS, USDT, actionArb, deposit, type Action } from '../../test/support/ledger-desk-model.js';
import { Simulation, newLedger, run } from '../../test/support/ledger-desk-simulation.js';

/*
 * Random desk activity against the ledger, checked after every step against the journal's own fold, sign rules,
 * and an independent reference model of equity built from the applied actions alone (plain bigint arithmetic,
 * no Ledger, no Fixed maths). Amounts are in integer units: cents for USDT (scale 2), satoshis for BTC (scale 8),
 * ticks for prices and lots for quantities, so every rounding is written out here.
 */

/** Runs per property; a soak raises it, e.g. `LEDGER_PROPERTY_RUNS=20000 npx vitest run src/ledger --testTimeout=0`. */
const RUNS = Number(process.env.LEDGER_PROPERTY_RUNS ?? 300);

/** 1..60 actions, after a first deposit for each owner so that most orders can be paid for. */
const sessionArb: fc.Arbitrary<Action[]> = fc
  .tuple(deposit, deposit, fc.array(actionArb, { minLength: 1, maxLength: 60, size: 'max' }))
  .map(([first, second, rest]) => [{ ...first, owner: 0 }, { ...second, owner: 1 }, ...rest]);

describe('Ledger under random desk activity', () => {
  it('balances every entry, never overdraws, matches the reference equity, and releases every reservation', () => {
    fc.assert(
      fc.property(sessionArb, (actions) => {
        const sim = run(actions);
        // (iv) With every order done, nothing stays reserved, in any currency.
        for (const name of OWNERS) {
          expect(sim.ledger.journal.balance(name, 'reserved', USDT)).toBe(0n);
          expect(sim.ledger.journal.balance(name, 'reserved', BTC)).toBe(0n);
        }
        expect(Object.keys(sim.ledger.journal.snapshot()).filter((account) => account.includes(':reserved:'))).toEqual([]);
        expect(sim.ledger.snapshot()).toMatchObject({ openOrders: [] });
      }),
      { numRuns: RUNS },
    );
  });

  it('replays the same events to an identical snapshot', () => {
    fc.assert(
      fc.property(sessionArb, (actions) => {
        const sim = new Simulation();
        for (const action of actions) sim.step(action);
        const replayed = newLedger();
        for (const event of sim.events) replayed.apply(event);
        expect(JSON.stringify(replayed.snapshot())).toBe(JSON.stringify(sim.ledger.snapshot()));
        for (const name of OWNERS) expect(replayed.equity(name, USDT).units).toBe(sim.ledger.equity(name, USDT).units);
      }),
      { numRuns: Math.max(200, Math.floor(RUNS / 2)) },
    );
  });
});
