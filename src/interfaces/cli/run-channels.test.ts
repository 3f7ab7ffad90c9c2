import { describe, expect, it } from 'vitest';
import { exampleDesk, type DeskDoc } from '../../../test/support/desk-config.js';
import { channelsFor } from './run-channels.js';

const sink = { write: (): boolean => true };
const fileChannel = { kind: 'jsonl', name: 'file', path: 'notes.jsonl' };
const notifier = (doc: DeskDoc): DeskDoc => doc.agents.find((agent: DeskDoc) => agent.role === 'notifier') as DeskDoc;
const names = (edit: (doc: DeskDoc) => void): string[] => channelsFor(exampleDesk(edit), undefined, sink, '/tmp').map((channel) => channel.name);

describe('the channels a run notifies', () => {
  it('are the ones the notifier lists, not every channel of the file', () => {
    expect(names((d) => d.notifications.channels.push(fileChannel))).toEqual(['console']);
    expect(names((d) => {
      d.notifications.channels.push(fileChannel);
      notifier(d).channels = ['file'];
    })).toEqual(['file']);
  });

  it('are every channel of the file when the notifier lists none', () => {
    expect(names((d) => {
      d.notifications.channels.push(fileChannel);
      delete notifier(d).channels;
    })).toEqual(['console', 'file']);
  });

  it('still show warnings on the console when the file has no console channel', () => {
    expect(names((d) => {
      d.notifications.channels = [fileChannel];
      notifier(d).channels = ['file'];
    })).toEqual(['file', 'console']);
  });
});
