import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../../../core/errors.js';
import { isFilled, onQueueLevelUpdate, onQueueTrade, placeInQueue, remainingQuantity } from './queue-position.js';

describe('queue position of a resting limit order', () => {
  it('joins behind everything already resting at its price', () => {
    const queue = placeInQueue('bid', 100, 2, 5);
    expect(queue.queueAhead).toBe(5);
    expect(remainingQuantity(queue)).toBe(2);
    expect(isFilled(queue)).toBe(false);
  });

  it('trades at our price eat the queue ahead before filling us', () => {
    let queue = placeInQueue('bid', 100, 2, 5);
    const first = onQueueTrade(queue, { price: 100, size: 3, aggressor: 'sell' });
    queue = first.queue;
    expect(first.filledNow).toBe(0);
    expect(queue.queueAhead).toBe(2);
    const second = onQueueTrade(queue, { price: 100, size: 3, aggressor: 'sell' });
    expect(second.filledNow).toBe(1);
    expect(second.queue.queueAhead).toBe(0);
    expect(second.queue.filled).toBe(1);
    const third = onQueueTrade(second.queue, { price: 100, size: 4, aggressor: 'sell' });
    expect(third.filledNow).toBe(1);
    expect(isFilled(third.queue)).toBe(true);
  });

  it('ignores trades by an aggressor on our own side and trades at other prices', () => {
    const queue = placeInQueue('ask', 101, 1, 2);
    expect(onQueueTrade(queue, { price: 101, size: 5, aggressor: 'sell' }).queue).toBe(queue);
    expect(onQueueTrade(queue, { price: 100.5, size: 5, aggressor: 'buy' }).queue).toBe(queue);
  });

  it('a trade through our price fills the whole remainder', () => {
    const queue = placeInQueue('ask', 101, 1.5, 10);
    const through = onQueueTrade(queue, { price: 101.5, size: 0.1, aggressor: 'buy' });
    expect(through.filledNow).toBe(1.5);
    expect(isFilled(through.queue)).toBe(true);
  });

  it('a level drop explained by trades does not move us again', () => {
    let queue = placeInQueue('bid', 100, 1, 6);
    queue = onQueueTrade(queue, { price: 100, size: 2, aggressor: 'sell' }).queue;
    queue = onQueueLevelUpdate(queue, 4);
    expect(queue.queueAhead).toBe(4);
    expect(queue.levelSize).toBe(4);
    expect(queue.tradedSinceLevelUpdate).toBe(0);
  });

  it('an unexplained drop is cancellation spread proportionally ahead of and behind us', () => {
    // 3 ahead of us out of a level of 6; the level halves to 3 with no trade: half of those ahead left.
    let queue = placeInQueue('bid', 100, 1, 3);
    queue = onQueueLevelUpdate(queue, 6);
    expect(queue.queueAhead).toBe(3);
    queue = onQueueLevelUpdate(queue, 3);
    expect(queue.queueAhead).toBe(1.5);
  });

  it('cancellation after a partial trade scales only what the trade left', () => {
    let queue = placeInQueue('ask', 101, 1, 8);
    queue = onQueueTrade(queue, { price: 101, size: 4, aggressor: 'buy' }).queue;
    expect(queue.queueAhead).toBe(4);
    queue = onQueueLevelUpdate(queue, 2);
    expect(queue.queueAhead).toBe(2);
  });

  it('a level that grows keeps our place: newcomers queue behind us', () => {
    let queue = placeInQueue('bid', 100, 1, 2);
    queue = onQueueLevelUpdate(queue, 9);
    expect(queue.queueAhead).toBe(2);
  });

  it('a vanished level puts us at the front; the next trade at our price fills us', () => {
    let queue = placeInQueue('bid', 100, 1, 2);
    queue = onQueueLevelUpdate(queue, 0);
    expect(queue.queueAhead).toBe(0);
    const fill = onQueueTrade(queue, { price: 100, size: 0.4, aggressor: 'sell' });
    expect(fill.filledNow).toBe(0.4);
  });

  it('does not mutate the state it is given', () => {
    const queue = placeInQueue('bid', 100, 1, 2);
    onQueueTrade(queue, { price: 100, size: 1, aggressor: 'sell' });
    onQueueLevelUpdate(queue, 0);
    expect(queue).toEqual({ side: 'bid', price: 100, quantity: 1, filled: 0, queueAhead: 2, levelSize: 2, tradedSinceLevelUpdate: 0 });
  });

  it('rejects NaN and negative inputs', () => {
    expect(() => placeInQueue('bid', Number.NaN, 1, 1)).toThrow(FixRequestError);
    expect(() => placeInQueue('bid', 100, 1, -1)).toThrow('level size must be a finite number >= 0, got -1');
    expect(() => onQueueLevelUpdate(placeInQueue('bid', 100, 1, 1), Number.NaN)).toThrow('level size');
  });

  it('never fills more than the order nor lets the queue ahead exceed the level or go negative', () => {
    const event = fc.oneof(
      fc.record({ trade: fc.integer({ min: 0, max: 40 }), through: fc.boolean() }),
      fc.record({ level: fc.integer({ min: 0, max: 40 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 10 }), fc.array(event, { maxLength: 50 }), (level, size, events) => {
        let queue = placeInQueue('bid', 100, size, level);
        let filled = 0;
        for (const item of events) {
          if ('trade' in item) {
            const step = onQueueTrade(queue, { price: item.through ? 99 : 100, size: item.trade, aggressor: 'sell' });
            filled += step.filledNow;
            queue = step.queue;
          } else {
            queue = onQueueLevelUpdate(queue, item.level);
            expect(queue.queueAhead).toBeLessThanOrEqual(item.level);
          }
          expect(queue.queueAhead).toBeGreaterThanOrEqual(0);
          expect(queue.filled).toBeLessThanOrEqual(size);
        }
        expect(filled).toBe(queue.filled);
      }),
    );
  });
});
