/**
 * `random-agent`: the no-skill baseline. On every bar after the warm-up, with probability `switchProbability`, it
 * moves each of its instruments to another state chosen uniformly (flat <-> long, or among flat, long and short
 * when `short` is `allowed`), and says so with conviction `conviction` (1 unless given). It starts in the `initial` state. Its choices come
 * from a seeded source, drawn once per bar whatever the books say, so the same seed gives the same sequence of
 * wishes; a wish that falls on a bar with an order still working is dropped (like every strategy here, it sends
 * nothing new until the order is done). With `switchProbability: 0, initial: long` it is buy-and-hold over any
 * number of instruments. The evaluation harness calibrates the probability to a desk's traded notional, and the
 * conviction to the replaced analyst's, since conviction scales the size of every position it opens.
 */
import type { InstrumentId } from '../core/ids.js';
import { SeededRandom } from '../core/random.js';
import { FixRequestError } from '../core/errors.js';
import { resolveParameters } from './parameters.js';
import type { BarView, ParameterSpec, Signal, Strategy, StrategyContext, StrategyFactory } from './strategy.js';

const NAME = 'random-agent';

type State = Signal['direction'];

const PARAMETERS: readonly ParameterSpec[] = [
  { name: 'seed', description: 'seed of the random choices (same seed, same choices)', default: 1, min: 0, max: 4_294_967_295, integer: true },
  { name: 'switchProbability', description: 'chance per bar of moving to another state', default: 0.05, min: 0, max: 1 },
  { name: 'short', description: 'whether short is one of the states (allowed on perpetuals)', default: 'never', choices: ['never', 'allowed'] },
  { name: 'initial', description: 'the state before the first switch', default: 'flat', choices: ['flat', 'long'] },
  { name: 'conviction', description: 'conviction of every signal (equity-relative and notional sizings scale positions by it)', default: 1, min: 0, max: 1 },
  { name: 'warmup', description: 'bars to wait before the first decision (to start together with a compared strategy)', default: 0, min: 0, max: 100_000, integer: true },
];

class RandomAgent implements Strategy {
  readonly name = NAME;
  private readonly random: SeededRandom;
  private readonly states: Map<InstrumentId, State>;
  private readonly bars: Map<InstrumentId, number>;
  private readonly choices: readonly State[];

  constructor(
    readonly instruments: readonly InstrumentId[],
    seed: number,
    private readonly switchProbability: number,
    allowShort: boolean,
    private readonly initial: State,
    readonly warmup: number,
    private readonly conviction: number,
  ) {
    this.random = new SeededRandom(seed);
    this.choices = allowShort ? ['flat', 'long', 'short'] : ['flat', 'long'];
    this.states = new Map(instruments.map((id) => [id, 'flat' as State]));
    this.bars = new Map(instruments.map((id) => [id, 0]));
  }

  onBar(bar: BarView, context: StrategyContext): void {
    const id = bar.instrumentId;
    const seen = this.bars.get(id);
    if (seen === undefined) return;
    this.bars.set(id, seen + 1);
    if (seen < this.warmup) return;
    const state = this.states.get(id) as State;
    // The initial state is announced on the first decision bar, so a long start is bought like buy-and-hold.
    if (seen === this.warmup && this.initial !== 'flat') {
      this.move(id, this.initial, context, `starts ${this.initial}`);
      return;
    }
    const draw = this.random.next();
    const pick = this.random.next();
    if (draw >= this.switchProbability || context.hasPendingOrder(id)) return;
    const others = this.choices.filter((choice) => choice !== state);
    const next = others[Math.min(others.length - 1, Math.floor(pick * others.length))] as State;
    this.move(id, next, context, `switched from ${state} at random (probability ${this.switchProbability} per bar)`);
  }

  private move(id: InstrumentId, state: State, context: StrategyContext, why: string): void {
    this.states.set(id, state);
    context.emit({ instrumentId: id, direction: state, conviction: this.conviction, reason: `random agent ${why}: ${state}` });
  }
}

export const randomAgent: StrategyFactory = {
  name: NAME,
  description: 'the no-skill baseline: switches between flat and long (and short) at random, seeded',
  parameters: PARAMETERS,
  // One or more: every instrument is switched on its own.
  instrumentCount: 1,
  create(parameters, instruments) {
    const p = resolveParameters(NAME, PARAMETERS, parameters);
    if (instruments.length === 0) throw new FixRequestError('invalid_strategy_instruments', `${NAME} trades at least 1 instrument, got 0`);
    return new RandomAgent(instruments, p.number('seed'), p.number('switchProbability'), p.string('short') === 'allowed', p.string('initial') as State, p.number('warmup'), p.number('conviction'));
  },
};
