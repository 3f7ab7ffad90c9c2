/**
 * Fixed-point hot paths: multiply-accumulate (qty x price into an 8-decimal total), parsing venue price strings,
 * and quantizing prices to a tick. Each figure prints a check value computed independently in bigint, so a
 * broken Fixed cannot post a number and the work cannot be optimised away.
 */
import { Fixed, fx } from '../src/core/fixed.js';
import { SeededRandom } from '../src/core/random.js';
import { bestOf, report } from './harness.js';

function check(label: string, got: string, expected: string): void {
  const ok = got === expected;
  console.log(`  ${label}: ${got} (expected ${expected}) ${ok ? 'ok' : 'MISMATCH'}`);
  if (!ok) process.exitCode = 1;
}

/** Half-even n / d for d > 0, written here independently of core/fixed. */
function halfEven(n: bigint, d: bigint): bigint {
  const negative = n < 0n;
  const m = negative ? -n : n;
  let q = m / d;
  const twice = (m - q * d) * 2n;
  if (twice > d || (twice === d && q % 2n === 1n)) q += 1n;
  return negative ? -q : q;
}

const RING = 1024; // pre-built inputs, so the loops measure Fixed, not input generation
const random = new SeededRandom(11);
// Quantities at scale 5 (0.00001 .. 2 BTC, some sells) and prices at scale 2 (20,000 .. 70,000 USDT).
const qtyUnits = Array.from({ length: RING }, () => BigInt(random.int(1, 200_000) * (random.next() < 0.3 ? -1 : 1)));
const priceUnits = Array.from({ length: RING }, () => BigInt(random.int(2_000_000, 7_000_000)));
/** How many times index k of the ring is visited in n iterations of `i & (RING - 1)`. */
const visits = (n: number, k: number): bigint => BigInt(Math.floor(n / RING) + (k < n % RING ? 1 : 0));
const qtys = qtyUnits.map((u) => Fixed.fromUnits(u, 5));
const prices = priceUnits.map((u) => Fixed.fromUnits(u, 2));

function benchMulAdd(n: number): void {
  let acc = Fixed.zero(8);
  const seconds = bestOf(5, () => {
    acc = Fixed.zero(8);
    for (let i = 0; i < n; i++) {
      const k = i & (RING - 1);
      acc = acc.add(qtys[k]!.mul(prices[k]!, 8, 'half-even'));
    }
  });
  report('fixed.mul_add', n / seconds, 'ops/s', `${n.toLocaleString('en-US')} x acc.add(qty.mul(price, 8))`);
  // qty (scale 5) x price (scale 2) is exact at scale 7; at scale 8 it is x10 with no rounding.
  let expected = 0n;
  for (let k = 0; k < RING; k++) expected += qtyUnits[k]! * priceUnits[k]! * 10n * visits(n, k);
  check('mul_add total', acc.toString(), Fixed.fromUnits(expected, 8).toString());
}

/** The same loop where the product must be rounded: qty at scale 8 x price at scale 2 back to scale 8. */
function benchMulAddRounded(n: number): void {
  const fineUnits = qtyUnits.map((u, k) => u * 1000n + BigInt(k % 1000));
  const fine = fineUnits.map((u) => Fixed.fromUnits(u, 8));
  let acc = Fixed.zero(8);
  const seconds = bestOf(5, () => {
    acc = Fixed.zero(8);
    for (let i = 0; i < n; i++) {
      const k = i & (RING - 1);
      acc = acc.add(fine[k]!.mul(prices[k]!, 8, 'half-even'));
    }
  });
  report('fixed.mul_add_rounded', n / seconds, 'ops/s', `${n.toLocaleString('en-US')} x acc.add(qty8.mul(price, 8)), rounding each product`);
  let expected = 0n;
  for (let k = 0; k < RING; k++) expected += halfEven(fineUnits[k]! * priceUnits[k]!, 100n) * visits(n, k);
  check('mul_add_rounded total', acc.toString(), Fixed.fromUnits(expected, 8).toString());
}

function benchParse(n: number): void {
  // Venue-style price strings with 1 to 4 decimals, trailing zeros included.
  const texts = Array.from({ length: RING }, (_, k) => {
    const decimals = 1 + (k % 4);
    return Fixed.fromUnits(priceUnits[k]! * 100n + BigInt(random.int(0, 99)), 4).rescale(decimals, 'down').toString();
  });
  let sum = 0n;
  const seconds = bestOf(5, () => {
    sum = 0n;
    for (let i = 0; i < n; i++) sum += Fixed.parse(texts[i & (RING - 1)]!, 4).units;
  });
  report('fixed.parse', n / seconds, 'ops/s', `${n.toLocaleString('en-US')} price strings at scale 4`);
  let expected = 0n;
  texts.forEach((text, k) => {
    const [whole = '', frac = ''] = text.split('.');
    expected += BigInt(whole + frac.padEnd(4, '0')) * visits(n, k);
  });
  check('parse sum', sum.toString(), expected.toString());
}

function benchQuantize(n: number): void {
  // Raw prices at scale 4 quantized half-even to a 0.5 tick.
  const tick = fx('0.5');
  const raw = Array.from({ length: RING }, (_, k) => Fixed.fromUnits(priceUnits[k]! * 100n + BigInt(random.int(0, 99)), 4));
  let sum = 0n;
  const seconds = bestOf(5, () => {
    sum = 0n;
    for (let i = 0; i < n; i++) sum += raw[i & (RING - 1)]!.quantize(tick, 'half-even').units;
  });
  report('fixed.quantize', n / seconds, 'ops/s', `${n.toLocaleString('en-US')} prices to a 0.5 tick, half-even`);
  let expected = 0n;
  raw.forEach((price, k) => {
    expected += halfEven(price.units, 5000n) * 5000n * visits(n, k);
  });
  check('quantize sum', sum.toString(), expected.toString());
}

benchMulAdd(2_000_000);
benchMulAddRounded(2_000_000);
benchParse(1_000_000);
benchQuantize(1_000_000);
