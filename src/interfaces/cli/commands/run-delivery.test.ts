import { describe, expect, it } from 'vitest';
import { TestClock } from '../../../core/clock.js';
import { RetryLaterError } from '../../../core/errors.js';
import { SeededRandom } from '../../../core/random.js';
import type { UnixMs } from '../../../core/time.js';
import { Dispatcher } from '../../../notify/dispatcher.js';
import { sampleFill } from '../../../../test/support/notify-sample-events.js';
import { RecordingChannel } from '../../../../test/support/recording-channel.js';
import { deliveryProblems, summaryLine } from './run.js';
import { notifierStatus } from '../run-channels.js';
import { exampleDesk } from '../../../../test/support/desk-config.js';
import { ScriptedBooks } from '../../../../test/support/scripted-books.js';

const DAY0 = Date.UTC(2026, 0, 5) as UnixMs;

describe('the end of a paper run', () => {
  it('reports channels that gave up or still hold notifications at the end of a run', async () => {
    const clock = new TestClock(DAY0);
    const failing = new RecordingChannel('hook');
    const fine = new RecordingChannel('file');
    const dispatcher = new Dispatcher({ books: new ScriptedBooks(), clock, random: new SeededRandom(3), channels: [failing, fine], retry: { maxAttempts: 1 } });
    failing.failures.push(new RetryLaterError('http_500', 'HTTP 500'));
    dispatcher.onEvent(sampleFill('f1', DAY0, 'buy', '1', '100', '0.1'));
    await dispatcher.flush();
    expect(deliveryProblems(dispatcher)).toBe('Notification delivery: hook 0 sent, 1 given up (last: http_500: HTTP 500)');
    expect(deliveryProblems(new Dispatcher({ books: new ScriptedBooks(), clock, random: new SeededRandom(3), channels: [new RecordingChannel('quiet')] }))).toBeUndefined();
  });

  it("counts the notifier among the agents: failing while a channel's latest delivery was given up, healthy once it delivers", async () => {
    const clock = new TestClock(DAY0);
    const hook = new RecordingChannel('hook');
    const dispatcher = new Dispatcher({ books: new ScriptedBooks(), clock, random: new SeededRandom(3), channels: [hook], retry: { maxAttempts: 1 } });
    const config = exampleDesk();
    expect(notifierStatus(config, dispatcher.outcomes())).toEqual([{ id: 'notifier', role: 'notifier', health: 'healthy' }]);
    hook.failures.push(new RetryLaterError('http_500', 'HTTP 500'));
    dispatcher.onEvent(sampleFill('f1', DAY0, 'buy', '1', '100', '0.1'));
    await dispatcher.flush();
    expect(notifierStatus(config, dispatcher.outcomes())).toEqual([{ id: 'notifier', role: 'notifier', health: 'failing', problem: 'gave up delivering to hook (http_500: HTTP 500)' }]);
    dispatcher.onEvent(sampleFill('f2', DAY0, 'sell', '1', '101', '0.1'));
    await dispatcher.flush();
    expect(notifierStatus(config, dispatcher.outcomes())[0]?.health).toBe('healthy');
  });

  it('says in the status line whose model a bar has waited on, once it has waited a second', () => {
    const summary = { barsProcessed: 9, totalBars: 50, marketTime: DAY0, equity: 100000, pnl: 0, fills: 0, denials: 0, tradingState: 'HALTED', agents: { healthy: 6, total: 6, unhealthy: [] }, elapsedMs: 0, behindMs: 0 };
    expect(summaryLine({ ...summary, waiting: { agent: 'sma', ms: 12_400 } }, 0, 'desk')).toMatch(/ \| HALTED \| agents 6\/6 healthy \| waiting 12s for sma's model$/);
    expect(summaryLine({ ...summary, waiting: { agent: 'tuner', for: 'search', ms: 3_100 } }, 0, 'desk')).toMatch(/ \| waiting 3s for tuner's search$/);
    expect(summaryLine({ ...summary, waiting: { agent: 'sma', ms: 300 } }, 0, 'desk')).toMatch(/agents 6\/6 healthy$/);
  });
});
