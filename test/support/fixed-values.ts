import type { Fixed, Rounding } from '../../src/core/fixed.js';

export const ROUNDINGS: readonly Rounding[] = ['half-even', 'half-up', 'down', 'up', 'floor', 'ceil'];

/** Units and scale as a plain pair, so a mismatch shows both. */
export const shape = (value: Fixed): [string, number] => [value.units.toString(), value.scale];
