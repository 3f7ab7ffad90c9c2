import type { ChannelPort } from '../../notify/channel.js';
import type { Notification } from '../../notify/notification.js';
import { plainLine } from './format.js';

export interface TextSink {
  write(chunk: string): unknown;
}

/** Writes one readable line per notification to a stream (stdout by default in the runtime, a buffer in tests). */
export class ConsoleChannel implements ChannelPort {
  readonly local = true;

  constructor(
    private readonly stream: TextSink,
    readonly name = 'console',
  ) {}

  send(notification: Notification): Promise<void> {
    this.stream.write(`${plainLine(notification)}\n`);
    return Promise.resolve();
  }
}
