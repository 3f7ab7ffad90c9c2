/**
 * In-process typed pub/sub with synchronous, ordered dispatch.
 *
 * Determinism rests on three rules: handlers run in subscription order; a publish made from inside a
 * handler is delivered completely before the outer publish moves on (depth-first, like a call); and a
 * handler that throws stops the dispatch and the error reaches the publisher, because a swallowed error
 * in a trading core is a silently wrong book.
 *
 * Handler lists are copy-on-write: subscribe/unsubscribe build a new array and a dispatch keeps iterating
 * the array it started with. So changing subscriptions mid-dispatch never skips or repeats anyone; the
 * change applies from the next publish on (a handler removed mid-dispatch still gets the message in flight).
 * Publish itself allocates nothing and looks nothing up, which keeps it at hundreds of millions of calls/s.
 */
import { FixRequestError } from '../core/errors.js';

export type Handler<T> = (message: T) => void;
export type AnyHandler = (topic: string, message: unknown) => void;
export type Unsubscribe = () => void;

export interface Topic<T> {
  readonly name: string;
  readonly subscriberCount: number;
  /** Handlers run in subscription order; the returned function removes this one subscription (idempotent). */
  subscribe(handler: Handler<T>): Unsubscribe;
  publish(message: T): void;
}

/**
 * An ordered list of callbacks, replaced wholesale on every change. Each subscription gets its own token
 * so that subscribing the same function twice and removing one removes that one, not its twin.
 */
class CopyOnWriteList<F> {
  callbacks: readonly F[] = [];
  private tokens: readonly object[] = [];

  add(callback: F): Unsubscribe {
    const token = {};
    this.callbacks = [...this.callbacks, callback];
    this.tokens = [...this.tokens, token];
    return () => this.remove(token);
  }

  private remove(token: object): void {
    const index = this.tokens.indexOf(token);
    if (index < 0) return;
    this.callbacks = this.callbacks.filter((_, i) => i !== index);
    this.tokens = this.tokens.filter((_, i) => i !== index);
  }
}

class BusTopic<T> implements Topic<T> {
  private readonly handlers = new CopyOnWriteList<Handler<T>>();

  constructor(
    readonly name: string,
    private readonly taps: CopyOnWriteList<AnyHandler>,
  ) {}

  get subscriberCount(): number {
    return this.handlers.callbacks.length;
  }

  subscribe(handler: Handler<T>): Unsubscribe {
    return this.handlers.add(handler);
  }

  publish(message: T): void {
    // Taps see the message before its handlers, so a journal records causes before their consequences.
    const taps = this.taps.callbacks;
    if (taps.length !== 0) {
      for (let i = 0; i < taps.length; i++) {
        const tap = taps[i]!;
        tap(this.name, message);
      }
    }
    const handlers = this.handlers.callbacks;
    for (let i = 0; i < handlers.length; i++) {
      // Called detached so a `function` handler never sees the internal array as `this`.
      const handler = handlers[i]!;
      handler(message);
    }
  }
}

export class MessageBus {
  private readonly topics = new Map<string, BusTopic<unknown>>();
  private readonly taps = new CopyOnWriteList<AnyHandler>();

  /**
   * The topic called `name`, created on first use; the same object every time, so resolve it once and
   * keep it. The message type is the caller's promise: every caller of one name must agree on `T`.
   */
  topic<T>(name: string): Topic<T> {
    let topic = this.topics.get(name);
    if (topic === undefined) {
      if (name.length === 0) throw new FixRequestError('invalid_topic', 'a topic name must not be empty');
      topic = new BusTopic<unknown>(name, this.taps);
      this.topics.set(name, topic);
    }
    return topic as Topic<T>;
  }

  /** Sees every message on every topic, before that message's handlers, in tap-registration order. */
  onAny(tap: AnyHandler): Unsubscribe {
    return this.taps.add(tap);
  }
}
