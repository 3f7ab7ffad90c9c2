import { describe, expect, it } from 'vitest';
import { fx, type Fixed } from '../../src/core/fixed.js';
import { DAY_MS, unixMs } from '../../src/core/time.js';
import { attributeSleeves, totalAttribution } from '../../src/portfolio/attribution.js';
import { targetWeights } from '../../src/portfolio/allocation.js';
import { goalProgress } from '../../src/portfolio/goals.js';
import { planProfitSweep } from '../../src/portfolio/profit-sweep.js';
import { rebalancePlan } from '../../src/portfolio/rebalance.js';
import { defineSleeves } from '../../src/portfolio/sleeves.js';
import { BTC, makeDesk, replaySnapshots, USDT } from './fixture.js';

const plain = (value: Fixed | undefined) => value?.toPlainString();

describe('capital: sleeves on one core, attributed, swept and rebalanced', () => {
  it('funds two sleeves, trades in each, sweeps the winner and rebalances, with exact books that replay', () => {
    const desk = makeDesk();
    const { core } = desk;
    const sleeves = defineSleeves([
      { id: 'sleeve-a', agentId: 'momentum', currency: 'USDT', maxGrossExposure: '60000', maxDrawdown: '0.2' },
      { id: 'sleeve-b', agentId: 'mean-reversion', currency: 'USDT', maxGrossExposure: '60000', maxDrawdown: '0.2' },
    ]);

    // The master account funds the sleeves: out of 'desk', into each sleeve (no inter-owner transfer event exists).
    core.withdraw('desk', USDT, fx('100000'), 'allocate-1');
    core.deposit('sleeve-a', USDT, fx('50000'), 'allocate-1');
    core.deposit('sleeve-b', USDT, fx('50000'), 'allocate-1');

    desk.price('40000');
    expect(core.submitIntent(desk.intent({ owner: 'sleeve-a', side: 'buy', quantity: fx('0.5') })).status).toBe('submitted');
    desk.price('44000');
    expect(core.submitIntent(desk.intent({ owner: 'sleeve-a', side: 'sell', quantity: fx('0.5') })).status).toBe('submitted');
    expect(core.submitIntent(desk.intent({ owner: 'sleeve-b', side: 'buy', quantity: fx('0.25') })).status).toBe('submitted');
    desk.price('42000');

    const [a, b] = attributeSleeves(core.ledger, sleeves);
    // a: bought 0.5 @ 40000 (fee 20), sold @ 44000 (fee 22): realised 2000, cash 51958.
    expect([plain(a?.realisedPnl), plain(a?.fees), plain(a?.unrealisedPnl), plain(a?.equity), plain(a?.totalPnl)]).toEqual([
      '2000',
      '42',
      '0',
      '51958',
      '1958',
    ]);
    // b: bought 0.25 @ 44000 (fee 11), marked at 42000: unrealised -500, equity 38989 + 10500.
    expect([plain(b?.realisedPnl), plain(b?.fees), plain(b?.unrealisedPnl), plain(b?.equity), plain(b?.availableCash)]).toEqual([
      '0',
      '11',
      '-500',
      '49489',
      '38989',
    ]);
    expect(plain(totalAttribution([a, b].filter((x) => x !== undefined))?.totalPnl)).toBe('1447');

    // Profit scraping: a quarter of new realised profit goes to the reserve.
    const sweeps = planProfitSweep(
      [a, b].filter((x) => x !== undefined).map((row) => ({
        sleeveId: row.sleeveId,
        currency: row.currency,
        realisedPnl: row.realisedPnl,
        sweptMark: fx('0'),
        availableCash: row.availableCash,
      })),
      fx('0.25'),
      6,
    );
    expect(sweeps.map((s) => [s.sleeveId, plain(s.amount), plain(s.newMark)])).toEqual([
      ['sleeve-a', '500', '2000'],
      ['sleeve-b', '0', '0'],
    ]);
    for (const sweep of sweeps) if (sweep.amount.isPositive()) core.sweepProfit(sweep.sleeveId, sweep.currency, sweep.amount, sweep.reason);
    expect(plain(core.ledger.balance('sleeve-a', 'reserve', USDT))).toBe('500');
    expect(plain(core.ledger.balance('sleeve-a', 'cash', USDT))).toBe('51458');

    // Rebalance to equal weights on tradeable equity (reserve excluded).
    const rows = attributeSleeves(core.ledger, sleeves);
    const weights = targetWeights(sleeves, { kind: 'equal' }).weights;
    const total = rows.reduce((sum, row) => sum.add(row.tradeableEquity), fx('0'));
    expect(plain(total)).toBe('100947');
    const plan = rebalancePlan(
      weights,
      new Map(rows.map((row) => [row.sleeveId, row.tradeableEquity])),
      new Map(rows.map((row) => [row.sleeveId, row.availableCash])),
      total,
      { scale: 6, minTransfer: fx('100') },
    );
    expect(plan.transfers.map((t) => [t.from, t.to, plain(t.amount)])).toEqual([['sleeve-a', 'sleeve-b', '984.5']]);
    for (const transfer of plan.transfers) {
      core.withdraw(transfer.from, USDT, transfer.amount, 'rebalance-1');
      core.deposit(transfer.to, USDT, transfer.amount, 'rebalance-1');
    }

    const ledger = core.ledger;
    expect(plain(ledger.balance('sleeve-a', 'cash', USDT))).toBe('50473.5');
    expect(plain(ledger.balance('sleeve-a', 'capital', USDT))).toBe('49015.5');
    expect(plain(ledger.balance('sleeve-a', 'reserve', USDT))).toBe('500');
    expect(plain(ledger.balance('sleeve-b', 'cash', USDT))).toBe('39973.5');
    expect(plain(ledger.balance('sleeve-b', 'capital', USDT))).toBe('50984.5');
    expect(plain(ledger.balance('sleeve-b', 'asset', BTC))).toBe('0.25');
    expect(plain(ledger.balance('desk', 'cash', USDT))).toBe('0');
    const after = attributeSleeves(ledger, sleeves);
    expect(after.map((row) => plain(row.tradeableEquity))).toEqual(['50473.5', '50473.5']);
    // Transfers move capital, not PnL: attribution is unchanged by the rebalance.
    expect(after.map((row) => [plain(row.realisedPnl), plain(row.unrealisedPnl), plain(row.totalPnl)])).toEqual([
      ['2000', '0', '1958'],
      ['0', '-500', '-511'],
    ]);

    // The judge's view of the desk goals from the sleeves' combined equity.
    const start = desk.clock.now();
    const progress = goalProgress(
      { targetReturn: fx('0.1'), drawdownCeiling: fx('0.05'), startTs: start, deadline: unixMs(start + 30 * DAY_MS) },
      [
        { ts: start, equity: fx('100000') },
        { ts: unixMs(start + DAY_MS), equity: after.reduce((sum, row) => sum.add(row.equity), fx('0')) },
      ],
      unixMs(start + DAY_MS),
    );
    expect(plain(progress.returnSoFar)).toBe('0.01447');
    expect(progress.status).toBe('on-track');

    const { live, replayed } = replaySnapshots(desk);
    expect(replayed).toBe(live);
  });
});
