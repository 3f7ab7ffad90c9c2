import type { SeededRandom } from '../../core/random.js';

const TWO_PI_OVER_UINT32 = (2 * Math.PI) / 4294967296;
const UINT32_SCALE = 1 / 4294967296;

/**
 * Standard normals from a SeededRandom, using both halves of each Box-Muller pair (twice the speed of
 * `SeededRandom.normal()`, which discards one). Same random source, same sequence.
 */
export class NormalSource {
  private spare = 0;
  private hasSpare = false;

  constructor(private readonly random: SeededRandom) {}

  next(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u = 0;
    while (u === 0) u = this.random.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    const angle = TWO_PI_OVER_UINT32 * this.random.nextUint32();
    this.spare = radius * Math.sin(angle);
    this.hasSpare = true;
    return radius * Math.cos(angle);
  }

  /** A uniform in (0, 1) with 32 bits: never 0, so its logarithm is finite. */
  openUniform(): number {
    return (this.random.nextUint32() + 0.5) * UINT32_SCALE;
  }
}

/** An independent 32-bit seed for stream `stream` of a (safe-integer) user seed: murmur3's finaliser over both. */
export function streamSeed(seed: number, stream: number): number {
  const high = Math.floor(seed / 4294967296) >>> 0;
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(high, 0x27d4eb2f) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
