import { describe, it, expect } from 'vitest';
import { FixRequestError } from '../core/errors.js';
import { MessageBus } from './message-bus.js';

describe('MessageBus', () => {
  it('returns the same topic object for the same name', () => {
    const bus = new MessageBus();
    const a = bus.topic<number>('ticks');
    expect(bus.topic<number>('ticks')).toBe(a);
    expect(bus.topic<number>('fills')).not.toBe(a);
    expect(a.name).toBe('ticks');
  });

  it('rejects an empty topic name', () => {
    expect(() => new MessageBus().topic('')).toThrow(FixRequestError);
  });

  it('dispatches to handlers in subscription order', () => {
    const topic = new MessageBus().topic<string>('t');
    const seen: string[] = [];
    topic.subscribe((m) => seen.push(`a:${m}`));
    topic.subscribe((m) => seen.push(`b:${m}`));
    topic.subscribe((m) => seen.push(`c:${m}`));
    topic.publish('1');
    topic.publish('2');
    expect(seen).toEqual(['a:1', 'b:1', 'c:1', 'a:2', 'b:2', 'c:2']);
    expect(topic.subscriberCount).toBe(3);
  });

  it('publishing with no subscribers is a no-op', () => {
    const topic = new MessageBus().topic<number>('empty');
    expect(() => topic.publish(1)).not.toThrow();
    expect(topic.subscriberCount).toBe(0);
  });

  it('delivers re-entrant publishes depth-first, in order', () => {
    const bus = new MessageBus();
    const orders = bus.topic<string>('orders');
    const fills = bus.topic<string>('fills');
    const seen: string[] = [];
    orders.subscribe((m) => {
      seen.push(`orders.1:${m}`);
      fills.publish(`fill-of-${m}`);
      if (m === 'o1') orders.publish('o2');
    });
    orders.subscribe((m) => seen.push(`orders.2:${m}`));
    fills.subscribe((m) => seen.push(`fills:${m}`));
    orders.publish('o1');
    expect(seen).toEqual([
      'orders.1:o1',
      'fills:fill-of-o1',
      'orders.1:o2',
      'fills:fill-of-o2',
      'orders.2:o2',
      'orders.2:o1',
    ]);
  });

  it('unsubscribing during dispatch neither skips nor repeats the others', () => {
    const topic = new MessageBus().topic<number>('t');
    const seen: string[] = [];
    let unsubscribeB = (): void => undefined;
    const unsubscribeA = topic.subscribe((m) => {
      seen.push(`a${m}`);
      unsubscribeA();
    });
    unsubscribeB = topic.subscribe((m) => {
      seen.push(`b${m}`);
      if (m === 1) unsubscribeB();
    });
    topic.subscribe((m) => seen.push(`c${m}`));
    topic.publish(1);
    expect(seen).toEqual(['a1', 'b1', 'c1']);
    topic.publish(2);
    expect(seen).toEqual(['a1', 'b1', 'c1', 'c2']);
    expect(topic.subscriberCount).toBe(1);
  });

  it('a handler removed by an earlier handler still receives the message in flight, not later ones', () => {
    const topic = new MessageBus().topic<number>('t');
    const seen: string[] = [];
    let unsubscribeLate = (): void => undefined;
    topic.subscribe((m) => {
      seen.push(`first${m}`);
      unsubscribeLate();
    });
    unsubscribeLate = topic.subscribe((m) => seen.push(`late${m}`));
    topic.publish(1);
    topic.publish(2);
    expect(seen).toEqual(['first1', 'late1', 'first2']);
  });

  it('a handler subscribed during dispatch starts with the next publish', () => {
    const topic = new MessageBus().topic<number>('t');
    const seen: string[] = [];
    let added = false;
    topic.subscribe((m) => {
      seen.push(`a${m}`);
      if (!added) {
        added = true;
        topic.subscribe((n) => seen.push(`new${n}`));
      }
    });
    topic.publish(1);
    topic.publish(2);
    expect(seen).toEqual(['a1', 'a2', 'new2']);
  });

  it('unsubscribe removes exactly one subscription and is idempotent', () => {
    const topic = new MessageBus().topic<number>('t');
    const seen: string[] = [];
    const shared = (m: number): void => {
      seen.push(`shared${m}`);
    };
    topic.subscribe(shared);
    topic.subscribe((m) => seen.push(`mid${m}`));
    const unsubscribeSecond = topic.subscribe(shared);
    unsubscribeSecond();
    unsubscribeSecond();
    expect(topic.subscriberCount).toBe(2);
    topic.publish(7);
    expect(seen).toEqual(['shared7', 'mid7']);
  });

  it('propagates a handler error to the publisher and stops that dispatch', () => {
    const topic = new MessageBus().topic<number>('t');
    const seen: number[] = [];
    topic.subscribe((m) => seen.push(m));
    topic.subscribe((m) => {
      if (m === 2) throw new Error('boom on 2');
    });
    topic.subscribe((m) => seen.push(m * 100));
    topic.publish(1);
    expect(() => topic.publish(2)).toThrow('boom on 2');
    topic.publish(3);
    expect(seen).toEqual([1, 100, 2, 3, 300]);
  });

  it('propagates an error thrown in a nested publish up through the outer publisher', () => {
    const bus = new MessageBus();
    const outer = bus.topic<number>('outer');
    const inner = bus.topic<number>('inner');
    inner.subscribe(() => {
      throw new Error('inner failed');
    });
    outer.subscribe((m) => inner.publish(m));
    expect(() => outer.publish(1)).toThrow('inner failed');
  });

  it('taps see every topic, before the handlers, in causal order', () => {
    const bus = new MessageBus();
    const journal: string[] = [];
    const untap = bus.onAny((topic, message) => journal.push(`${topic}=${String(message)}`));
    const orders = bus.topic<string>('orders');
    const fills = bus.topic<number>('fills');
    orders.subscribe((m) => {
      journal.push(`handled ${m}`);
      fills.publish(42);
    });
    orders.publish('buy');
    expect(journal).toEqual(['orders=buy', 'handled buy', 'fills=42']);
    untap();
    orders.publish('sell');
    expect(journal).toEqual(['orders=buy', 'handled buy', 'fills=42', 'handled sell']);
  });
});
