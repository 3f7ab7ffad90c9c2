import { appendFile } from 'node:fs/promises';
import { FixRequestError, RetryLaterError } from '../../core/errors.js';
import type { ChannelPort } from '../../notify/channel.js';
import type { Notification } from '../../notify/notification.js';
import { notificationJson } from './format.js';

/** Errors that will not go away by themselves: the path is wrong or not ours to write. */
const PERMANENT = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'EACCES', 'EPERM', 'EROFS']);

/** Appends one JSON object per line; the file is created on first write, its directory must exist. */
export class JsonlFileChannel implements ChannelPort {
  readonly local = true;

  constructor(
    private readonly path: string,
    readonly name = 'jsonl',
  ) {}

  async send(notification: Notification): Promise<void> {
    try {
      await appendFile(this.path, `${JSON.stringify(notificationJson(notification))}\n`, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
      const message = `${this.name}: cannot append to ${this.path} (${code})`;
      if (PERMANENT.has(code)) throw new FixRequestError('notify_file_unwritable', message);
      throw new RetryLaterError('notify_file_busy', message);
    }
  }
}
