import { agentId } from '../../src/core/ids.js';
import type { Desk } from '../../src/engine/desk/desk.js';

/**
 * Makes a desk's analyst throw `message` on its `call`-th bar, and trade as its own brain on every other one; returns
 * how many bars it has been called on so far.
 */
export function throwOnCall(desk: Desk, analystId: string, call: number, message: string): () => number {
  const analyst = desk.analysts.get(agentId(analystId));
  if (analyst === undefined) throw new Error(`no ${analystId} analyst`);
  const brain = analyst.brain;
  let calls = 0;
  analyst.brain = {
    ...brain,
    instruments: brain.instruments,
    warmup: brain.warmup,
    onBar(bar, context) {
      calls += 1;
      if (calls === call) throw new Error(message);
      brain.onBar(bar, context);
    },
  };
  return () => calls;
}
