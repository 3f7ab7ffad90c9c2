import { describe, expect, it } from 'vitest';
import { bootstrapSharpeInterval } from '../../backtest/metrics-sharpe.js';
import { SeededRandom } from '../../core/random.js';
import { BootstrapThread, worthABootstrapThread } from './bootstrap-thread.js';

function returns(m: number): Float64Array {
  const random = new SeededRandom(21);
  return Float64Array.from({ length: m }, () => 0.0001 + 0.01 * random.normal());
}

describe('the Sharpe bootstrap on a second thread', () => {
  const options = { samples: 1000, level: 0.95, seed: 3, blockLength: 46 };

  it('draws half of a large plan on the worker and gives the interval of one thread', async () => {
    const data = returns(100_000);
    const thread = BootstrapThread.start();
    try {
      await thread.started;
      expect(thread.isReady).toBe(true);
      const shared = bootstrapSharpeInterval(data, 525_600, options, thread.resample);
      expect(thread.sharedPlans).toBe(1);
      expect(shared).toEqual(bootstrapSharpeInterval(data, 525_600, options));
      // A small plan stays on the calling thread.
      bootstrapSharpeInterval(data.subarray(0, 5_000), 525_600, options, thread.resample);
      expect(thread.sharedPlans).toBe(1);
    } finally {
      await thread.close();
    }
  });

  it('draws everything itself once the worker is gone, with the same result', async () => {
    const data = returns(100_000);
    const thread = BootstrapThread.start();
    await thread.started;
    await thread.close();
    expect(thread.isReady).toBe(false);
    expect(bootstrapSharpeInterval(data, 525_600, options, thread.resample)).toEqual(bootstrapSharpeInterval(data, 525_600, options));
    expect(thread.sharedPlans).toBe(0);
  });

  it('is worth starting only for runs of about a hundred thousand bars and more', () => {
    expect(worthABootstrapThread(1_000_000, 1000)).toBe(true);
    expect(worthABootstrapThread(100_000, 1000)).toBe(true);
    expect(worthABootstrapThread(50_000, 1000)).toBe(false);
    expect(worthABootstrapThread(1_000_000, 0)).toBe(false);
  });
});
