import { describe, expect, it } from 'vitest';
import { TestClock } from '../../../core/clock.js';
import { RetryLaterError } from '../../../core/errors.js';
import { SeededRandom } from '../../../core/random.js';
import type { UnixMs } from '../../../core/time.js';
import { Dispatcher } from '../../../notify/dispatcher.js';
import { sampleFill } from '../../../../test/support/notify-sample-events.js';
import { RecordingChannel } from '../../../../test/support/recording-channel.js';
import { deliveryProblems } from './run.js';
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
});
