import { describe, expect, it } from 'vitest';
import { TestClock } from '../core/clock.js';
import { SeededRandom } from '../core/random.js';
import type { UnixMs } from '../core/time.js';
import { Dispatcher } from './dispatcher.js';
import { sampleDenial, sampleFill, sampleStateChange } from '../../test/support/notify-sample-events.js';
import { HangingChannel, RecordingChannel } from '../../test/support/recording-channel.js';
import { ScriptedBooks } from '../../test/support/scripted-books.js';

const DAY0 = Date.UTC(2026, 0, 5) as UnixMs;

/** Lets every promise that can settle now settle (a local channel's send), without waiting on any clock. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('a channel that hangs holds up only itself', () => {
  it('starts no second delivery on a channel still sending, however often it is flushed', async () => {
    const clock = new TestClock(DAY0);
    const hook = new HangingChannel('hook');
    const dispatcher = new Dispatcher({ books: new ScriptedBooks(), clock, random: new SeededRandom(1), channels: [hook] });
    for (let i = 0; i < 8; i++) {
      dispatcher.onEvent(sampleFill(`f${i}`, DAY0, 'buy', String(i + 1), '100', '0.1'));
      void dispatcher.flush();
    }
    await settle();
    expect(hook.started.map((n) => n.id)).toEqual(['notification-f0']);
    // Nothing new is due while the channel is busy: the run does not keep flushing for it.
    expect(dispatcher.due()).toBe(false);
    expect(dispatcher.pending()).toEqual([{ channel: 'hook', count: 8 }]);
  });

  it('delivers to the console and the file while a webhook hangs, in the order the desk raised them', async () => {
    const clock = new TestClock(DAY0);
    const hook = new HangingChannel('hook');
    // The console comes last in the list, as the run adds it when the desk file has none.
    const file = Object.assign(new RecordingChannel('file'), { local: true });
    const console = Object.assign(new RecordingChannel('console', 'warning'), { local: true });
    const dispatcher = new Dispatcher({ books: new ScriptedBooks(), clock, random: new SeededRandom(1), channels: [hook, file, console] });
    // As the run does: a flush after every event that finds something due.
    for (const event of [sampleDenial('d1', DAY0, 'max_leverage'), sampleFill('f1', DAY0, 'buy', '1', '100', '0.1'), sampleStateChange('h1', DAY0, 'ACTIVE', 'HALTED')]) {
      dispatcher.onEvent(event);
      if (dispatcher.due()) void dispatcher.flush();
    }
    await settle();
    expect(console.sent.map((n) => n.id)).toEqual(['notification-d1', 'notification-h1']);
    expect(file.sent.map((n) => n.id)).toEqual(['notification-d1', 'notification-f1', 'notification-h1']);
    expect(hook.started.map((n) => n.id)).toEqual(['notification-d1']);
  });

  it('sends to remote channels side by side: one that hangs does not hold up another', async () => {
    const clock = new TestClock(DAY0);
    const hung = new HangingChannel('hung');
    const slack = new RecordingChannel('slack');
    const dispatcher = new Dispatcher({ books: new ScriptedBooks(), clock, random: new SeededRandom(1), channels: [hung, slack] });
    dispatcher.onEvent(sampleStateChange('h1', DAY0, 'ACTIVE', 'HALTED'));
    void dispatcher.flush();
    await settle();
    expect(hung.started.map((n) => n.id)).toEqual(['notification-h1']);
    expect(slack.sent.map((n) => n.id)).toEqual(['notification-h1']);
  });
});
