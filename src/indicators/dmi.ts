/**
 * Directional Movement Index: +DI, -DI, DX and ADX, after Wilder (and TradingView's `ta.dmi`).
 *
 * Conventions:
 * - From the second bar: up = high - previous high, down = previous low - low; +DM = up when up > down and
 *   up > 0, else 0; -DM = down when down > up and down > 0, else 0 (an exact tie gives 0 to both). The true range
 *   here also starts with the second bar (it needs the previous close).
 * - TR, +DM and -DM are Wilder-smoothed (RMA, seeded with the average of their first n values); +DI = 100 *
 *   smoothed +DM / smoothed TR, -DI likewise (0 when the smoothed TR is 0); DX = 100 * |+DI - -DI| / (+DI + -DI)
 *   (0 when both are 0). +DI, -DI and DX first appear with bar n + 1.
 * - ADX = Wilder smoothing of DX, seeded with the average of the first n DX values: first with bar 2n (warmup).
 * The result object is reused: `update` overwrites it.
 */
import { rejectUpdateArguments, requireInteger, type StreamingIndicator } from './indicator.js';
import { RMA } from './moving-averages.js';

export interface DmiResult {
  plusDI: number;
  minusDI: number;
  dx: number;
  adx: number;
}

export class DMI implements StreamingIndicator<DmiResult> {
  readonly warmup: number;
  private readonly trueRange: RMA;
  private readonly plusMove: RMA;
  private readonly minusMove: RMA;
  private readonly average: RMA;
  private readonly result: DmiResult = { plusDI: Number.NaN, minusDI: Number.NaN, dx: Number.NaN, adx: Number.NaN };
  private previousHigh = Number.NaN;
  private previousLow = Number.NaN;
  private previousClose = Number.NaN;
  private started = false;

  constructor(readonly period = 14) {
    requireInteger('DMI', 'period', period);
    this.warmup = 2 * period;
    this.trueRange = new RMA(period);
    this.plusMove = new RMA(period);
    this.minusMove = new RMA(period);
    this.average = new RMA(period);
  }

  update(high: number, low: number, close: number): DmiResult | undefined {
    if (typeof high !== 'number' || typeof low !== 'number' || typeof close !== 'number') rejectUpdateArguments('DMI.update', 'high, low, close', high, low, close);
    if (!this.started) {
      this.started = true;
      this.remember(high, low, close);
      return undefined;
    }
    const up = high - this.previousHigh;
    const down = this.previousLow - low;
    const range = Math.max(high - low, Math.abs(high - this.previousClose), Math.abs(low - this.previousClose));
    this.remember(high, low, close);
    const smoothedRange = this.trueRange.update(range);
    const plus = this.plusMove.update(up > down && up > 0 ? up : 0);
    const minus = this.minusMove.update(down > up && down > 0 ? down : 0);
    if (smoothedRange === undefined || plus === undefined || minus === undefined) return undefined;
    const result = this.result;
    result.plusDI = smoothedRange === 0 ? 0 : (100 * plus) / smoothedRange;
    result.minusDI = smoothedRange === 0 ? 0 : (100 * minus) / smoothedRange;
    const total = result.plusDI + result.minusDI;
    result.dx = total === 0 ? 0 : (100 * Math.abs(result.plusDI - result.minusDI)) / total;
    const adx = this.average.update(result.dx);
    if (adx === undefined) return undefined;
    result.adx = adx;
    return result;
  }

  get value(): DmiResult | undefined {
    return this.average.isReady ? this.result : undefined;
  }

  get isReady(): boolean {
    return this.average.isReady;
  }

  /** +DI, -DI and DX are ready n bars before ADX. */
  get plusDI(): number | undefined {
    return this.trueRange.isReady ? this.result.plusDI : undefined;
  }

  get minusDI(): number | undefined {
    return this.trueRange.isReady ? this.result.minusDI : undefined;
  }

  get dx(): number | undefined {
    return this.trueRange.isReady ? this.result.dx : undefined;
  }

  get adx(): number | undefined {
    return this.average.isReady ? this.result.adx : undefined;
  }

  reset(): void {
    this.trueRange.reset();
    this.plusMove.reset();
    this.minusMove.reset();
    this.average.reset();
    this.started = false;
  }

  private remember(high: number, low: number, close: number): void {
    this.previousHigh = high;
    this.previousLow = low;
    this.previousClose = close;
  }
}
