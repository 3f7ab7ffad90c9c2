import { throwOnCall } from '../support/throwing-analyst.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDesk } from '../../src/backtest/desk-backtest.js';
import type { DeskEvent } from '../../src/domain/events.js';
import { readAlertState, writeAlertState } from '../../src/adapters/notify/alert-files.js';
import { ControlInbox } from '../../src/adapters/operator/control-inbox.js';
import { DeskStatusWatch } from '../../src/adapters/operator/desk-status.js';
import { runFiles } from '../../src/adapters/operator/run-files.js';
import { syntheticDeskData } from '../../src/engine/desk/desk-data.js';
import { deskControls, sendControl } from '../../src/interfaces/cli/commands/control.js';
import { exampleDesk } from '../support/desk-config.js';

const dir = mkdtempSync(join(tmpdir(), 'conclave-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The example desk without its optimizer, whose analyst bb throws on its 100th bar. */
function glitchingDesk(): ReturnType<typeof buildDesk> {
  const config = exampleDesk((doc) => {
    doc.agents = doc.agents.filter((a: { role: string }) => a.role !== 'optimizer');
    doc.data['SYNTH:BTC/USDT'].bars = 600;
  });
  const desk = buildDesk({ config, data: syntheticDeskData(config) });
  throwOnCall(desk, 'bb', 100, 'feed glitch');
  return desk;
}

describe('conclave restart on a running desk', () => {
  it("publishes its agents' health in its alerts file, so the command refuses at once what the run would refuse", () => {
    const desk = glitchingDesk();
    const watch = new DeskStatusWatch(desk);
    desk.core.events.subscribe((event) => watch.onEvent(event));
    const files = runFiles(dir, 'WATCHED');
    // What the run writes on its ticks.
    const publish = (): void =>
      writeAlertState(files.alerts.state, { desk: 'example-desk', pid: process.pid, running: true, updatedAt: '2026-11-22T00:00:00.000Z', ...watch.snapshot(), open: [], acknowledged: [] });
    publish();
    expect(readAlertState(files.alerts.state)).toMatchObject({ tradingState: 'ACTIVE', equity: desk.books.equity().toFixed(2), positions: [] });
    for (let bar = 0; bar < 200; bar += 1) desk.next();
    publish();
    const state = readAlertState(files.alerts.state);
    expect(state.agents).toEqual([
      { id: 'sma', role: 'analyst', health: 'healthy', sleeve: 'trend-sma', mode: 'standard' },
      { id: 'bb', role: 'analyst', health: 'isolated', error: 'threw: feed glitch', sleeve: 'meanrev-bb', mode: 'standard' },
      { id: 'donchian', role: 'analyst', health: 'healthy', sleeve: 'breakout-donchian', mode: 'standard' },
      { id: 'pm', role: 'manager', health: 'healthy', mode: 'independent' },
      { id: 'judge', role: 'judge', health: 'healthy' },
    ]);
    expect(state.positions).toEqual(
      desk.core.ledger
        .allPositions()
        .filter(({ position }) => !position.quantity.isZero())
        .map(({ owner, position }) => ({ owner, instrumentId: position.instrumentId, quantity: position.quantity.toString(), costBasis: position.costBasis.toString() })),
    );

    const ask = (agent: string): string => sendControl('restart', { agent, reason: 'feed fixed', by: 'alice', dir, file: 'WATCHED' });
    expect(() => ask('zz')).toThrow('example-desk has no analyst zz: its analysts are sma, bb, donchian');
    expect(() => ask('sma')).toThrow('sma is not isolated (it is healthy): only an analyst isolated after it threw is restarted');
    ask('bb');
    const control = new ControlInbox(files.control, deskControls(desk));
    expect(control.poll()).toEqual(['Restarted bb: feed fixed (by alice)']);
    publish();
    expect(readAlertState(files.alerts.state).agents?.find((agent) => agent.id === 'bb')).toEqual({ id: 'bb', role: 'analyst', health: 'healthy', sleeve: 'meanrev-bb', mode: 'standard' });
  });

  it('brings back the analyst isolated after it threw, journals who asked and why, and refuses an unknown or healthy agent', () => {
    const desk = glitchingDesk();
    // The run's side: its alerts file says it is alive, and it polls its control inbox between bars. The file lists no
    // agents (as one written before runs published them), so the command sends every request and the run refuses.
    writeAlertState(runFiles(dir).alerts.state, { desk: 'example-desk', pid: process.pid, running: true, updatedAt: '2026-11-22T00:00:00.000Z', open: [], acknowledged: [] });
    const control = new ControlInbox(runFiles(dir).control, deskControls(desk));
    control.start();
    for (let bar = 0; bar < 200; bar += 1) desk.next();
    expect(desk.status().find((row) => row.id === 'bb')).toMatchObject({ health: 'failing', errors: 1 });
    expect(desk.core.risk.stateFor('meanrev-bb')).toBe('REDUCING');

    const ask = (agent: string, reason: string): string => sendControl('restart', { agent, reason, by: 'alice', dir, file: 'ALERTS' });
    expect(ask('zz', 'typo')).toContain('to restart zz: typo (by alice)');
    ask('sma', 'not broken');
    ask('bb', 'feed fixed');
    const before = desk.core.store.length;
    expect(control.poll()).toEqual([
      'Could not restart zz: no analyst zz on this desk; its analysts are sma, bb, donchian',
      'Could not restart sma: sma is not isolated (it is healthy): only an analyst isolated after it threw is restarted',
      'Restarted bb: feed fixed (by alice)',
    ]);
    const journaled = [...desk.core.store.read(before)].map((e) => told(e));
    expect(journaled).toEqual(['AgentHealthChanged bb failing → healthy: feed fixed (by alice)', 'SleeveStateChanged meanrev-bb REDUCING → ACTIVE: feed fixed (by alice)']);
    expect(desk.status().find((row) => row.id === 'bb')?.health).toBe('healthy');
    expect(desk.core.risk.stateFor('meanrev-bb')).toBe('ACTIVE');

    // Restarted, it is asked again: its next views are journaled as signals.
    for (let bar = 0; bar < 400 && !desk.done; bar += 1) desk.next();
    expect([...desk.core.store.read(before)].filter((e) => e.type === 'SignalEmitted' && e.agentId === 'bb').length).toBeGreaterThan(0);
    ask('bb', 'again');
    expect(control.poll()).toEqual(['Could not restart bb: bb is not isolated (it is healthy): only an analyst isolated after it threw is restarted']);
  });
});

function told(event: DeskEvent): string {
  if (event.type === 'AgentHealthChanged') return `${event.type} ${event.agentId} ${event.from} → ${event.to}: ${event.reason}`;
  if (event.type === 'SleeveStateChanged') return `${event.type} ${event.sleeve} ${event.from} → ${event.to}: ${event.reason}`;
  return event.type;
}
