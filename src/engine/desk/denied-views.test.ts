import { describe, expect, it } from 'vitest';
import { instrumentId } from '../../core/ids.js';
import { unixMs } from '../../core/time.js';
import type { DeskEvent } from '../../domain/events.js';
import { DeniedViews } from './denied-views.js';

const BTC = instrumentId('SYNTH:BTC/USDT');
const HOUR = 3_600_000;
const at = (hours: number) => unixMs(hours * HOUR);

function decided(intentId: string, ts: number): DeskEvent {
  return { type: 'DecisionMade', intentId, owner: 'trend', instrumentId: BTC, tsEvent: ts } as unknown as DeskEvent;
}

function denied(intentId: string, ts: number, code = 'max_gross_exposure'): DeskEvent {
  return { type: 'IntentDenied', intentId, code, tsEvent: ts } as unknown as DeskEvent;
}

describe('denied views', () => {
  const circumstances = (): string => 'same';

  it('holds a denied book back while nothing it rested on changed', () => {
    const views = new DeniedViews(circumstances);
    views.onEvent(decided('pm.independent.a', HOUR));
    views.onEvent(denied('pm.independent.a', HOUR));
    expect(views.holdsBack('trend', BTC, at(1))).toBe(true);
    expect(views.holdsBack('trend', BTC, at(2))).toBe(true);
    expect(views.holdsBack('trend', BTC, at(2), true)).toBe(false);
  });

  it("ties an algorithm leg's denial (<intent>.1) to the book its intent was decided for", () => {
    const views = new DeniedViews(circumstances);
    views.onEvent(decided('pm.independent.a', HOUR));
    views.onEvent(denied('pm.independent.a.1', HOUR));
    expect(views.holdsBack('trend', BTC, at(1))).toBe(true);
    expect(views.deniedAt('trend', BTC, at(1))?.intentId).toBe('pm.independent.a.1');
  });

  it('lets every held-back book be decided again once an order ends unfilled (room under the desk-wide limits)', () => {
    for (const type of ['OrderExpired', 'OrderCanceled', 'OrderRejected']) {
      const views = new DeniedViews(circumstances);
      views.onEvent(decided('pm.independent.a', HOUR));
      views.onEvent(denied('pm.independent.a', HOUR));
      views.onEvent({ type, clientOrderId: 'c1', tsEvent: HOUR + 1 } as unknown as DeskEvent);
      expect([type, views.holdsBack('trend', BTC, at(2))]).toEqual([type, false]);
    }
  });

  it('tries again at the next look a denial that time alone can lift', () => {
    const views = new DeniedViews(circumstances);
    views.onEvent(decided('pm.independent.a', HOUR));
    views.onEvent(denied('pm.independent.a', HOUR, 'order_rate'));
    expect(views.holdsBack('trend', BTC, at(1))).toBe(true);
    expect(views.holdsBack('trend', BTC, at(2))).toBe(false);
  });
});
