import { Fixed } from './fixed.js';
import { IntColumn } from './int-column.js';
import { putTagged, putTaggedDouble, TaggedReader } from './varint.js';
import { compileReader, compileWriter, isSymbol, shapeOf, type LeafSink, type LeafSource, type Reader, type ShapeNode, type Writer } from './record-shape.js';

/**
 * Keeps many small, immutable plain-data records (journal events, finished orders) in typed arrays instead of as
 * object graphs, and gives back equal records on demand.
 *
 * A long backtest keeps every event and every finished order. As objects, each fill retained a few kilobytes of
 * small objects (records, Fixed values and their bigints, boxed timestamps, id strings), and marking them was most of
 * the garbage collector's work. Here a record is a shape (its keys in order, recursively, with undefined and null
 * leaves; see `record-shape.ts`) and its other leaves as varints in byte chunks: numbers, booleans, Fixed units (the
 * scale is in the shape), symbols (short strings without digits: types, sides, instrument ids) as a table number,
 * and other strings either as "prefix + counter + suffix" (ids like `ev-123`, `sim-7`), a template number and the
 * counter, or kept as they are.
 *
 * `get` rebuilds a record equal to the one added: same keys in the same order (including keys holding undefined),
 * same numbers, strings and Fixed values. A record that cannot be packed (class instances other than Fixed, bigints,
 * holes in arrays) is kept as the original object instead.
 */
export class RecordPacker<T> implements LeafSink {
  private readonly shapes: Shape[] = [];
  private readonly byType = new Map<string, Shape[]>();
  /** The type of the last record added and its shapes (records of one type often come in a row). */
  private lastType = '';
  private lastList: Shape[] | undefined = undefined;
  private readonly templates: { readonly prefix: string; readonly suffix: string }[] = [];
  /** Short strings without digits, by number and number by string. */
  private readonly symbols: string[] = [];
  private readonly symbolIds = new Map<string, number>();
  /** Strings kept as they are, and records that cannot be packed; referenced from the payload. */
  private readonly kept: unknown[] = [];
  /** Fixed units beyond 2^53, by global payload position. */
  private readonly wideUnits = new Map<number, bigint>();

  /** Per record: where its payload starts (which begins with its shape id), or -1 - its index in `kept`. */
  private readonly starts = new IntColumn();
  private readonly chunks: Uint8Array[] = [new Uint8Array(CHUNK)];
  /** Where the next record goes in the last chunk (records never span chunks). */
  private offset = 0;

  /** The record being packed: its leaves' bytes, and its Fixed units beyond 2^53 as (scratch position, units). */
  private scratch = new Uint8Array(1024);
  private cursor = 0;
  private readonly pendingWide: (number | bigint)[] = [];
  private readonly reader = new PayloadReader(this.chunks, this.kept, this.templates, this.symbols, this.wideUnits);

  get length(): number {
    return this.starts.length;
  }

  /** Packs a record; returns its index. The record is not retained (unless it cannot be packed). */
  add(record: T): number {
    const type = typeKey(record);
    let list = type === this.lastType ? this.lastList : this.byType.get(type);
    if (list === undefined) {
      list = [];
      this.byType.set(type, list);
    }
    this.lastType = type;
    this.lastList = list;
    const keptBefore = this.kept.length;
    for (let i = 0; i < list.length; i++) {
      const shape = list[i]!;
      this.cursor = 0;
      if (this.pendingWide.length > 0) this.pendingWide.length = 0;
      this.num(shape.id);
      if (shape.write(record, this)) {
        if (i > 0) {
          // The most recent shape first: records of a type mostly repeat one shape.
          list[i] = list[0]!;
          list[0] = shape;
        }
        return this.commit(record);
      }
      if (this.kept.length > keptBefore) this.kept.length = keptBefore;
    }
    const node = list.length < MAX_SHAPES_PER_TYPE ? shapeOf(record) : undefined;
    if (node === undefined) return this.keep(record);
    const shape: Shape = { id: this.shapes.length, node, write: compileWriter(node), read: compileReader(node) };
    this.shapes.push(shape);
    list.unshift(shape);
    this.cursor = 0;
    this.pendingWide.length = 0;
    this.num(shape.id);
    if (!shape.write(record, this)) return this.keep(record);
    return this.commit(record);
  }

  /** A record equal to the one added at `index`. */
  get(index: number): T {
    const start = this.starts.get(index);
    if (start < 0) return this.kept[-1 - start] as T;
    this.reader.seek(start);
    return this.shapes[this.reader.num()]!.read(this.reader) as T;
  }

  // --- LeafSink: what compiled writers call --------------------------------------------------------------------

  /**
   * Writes a number: integers below 2^50 in magnitude as a zigzag varint with a low 0 bit (timestamps take 6 bytes,
   * counters and prices 2-4), anything else (fractions, -0, NaN, huge values) as a 1 and the 8 bytes of the double.
   */
  num(value: number): void {
    if (this.cursor + 10 > this.scratch.length) {
      const grown = new Uint8Array(this.scratch.length * 2);
      grown.set(this.scratch);
      this.scratch = grown;
    }
    const scratch = this.scratch;
    if (Number.isInteger(value) && value < VARINT_LIMIT && value > -VARINT_LIMIT && (value !== 0 || 1 / value > 0)) {
      this.cursor = putTagged(scratch, this.cursor, value);
      return;
    }
    this.cursor = putTaggedDouble(scratch, this.cursor, value);
  }

  sym(slot: ShapeNode, text: string): boolean {
    if (text === slot.lastSymbol) {
      this.num(slot.lastSymbolId);
      return true;
    }
    let id = this.symbolIds.get(text);
    if (id === undefined) {
      if (this.symbols.length === MAX_SYMBOLS || !isSymbol(text)) return false;
      id = this.symbols.length;
      this.symbols.push(text);
      this.symbolIds.set(text, id);
    }
    slot.lastSymbol = text;
    slot.lastSymbolId = id;
    this.num(id);
    return true;
  }

  wide(units: bigint): void {
    this.pendingWide.push(this.cursor, units);
    this.num(0);
  }

  str(slot: ShapeNode, text: string): void {
    this.writeString(slot, text);
  }

  // --- internals -----------------------------------------------------------------------------------------------

  private writeString(slot: ShapeNode, text: string): void {
    // The template this slot used before: "prefix<counter>suffix".
    if (slot.template >= 0) {
      const counter = counterIn(text, slot.prefix.length, text.length - slot.suffix.length);
      if (counter >= 0 && hasAffixes(text, slot.prefix, slot.suffix)) {
        this.num(slot.template);
        this.num(counter);
        return;
      }
    }
    // The same string again at this slot, or the string just kept at another one (an order's id in its events).
    const last = slot.lastKept;
    if (last >= 0 && last < this.kept.length && this.kept[last] === text) {
      this.num(-1 - last);
      return;
    }
    const latest = this.kept.length - 1;
    if (latest >= 0 && this.kept[latest] === text) {
      slot.lastKept = latest;
      this.num(-1 - latest);
      return;
    }
    // A new template is made when two strings in a row at this slot share one. Slots that never do (hashes, free
    // text) are tried again only now and then.
    if (slot.misses < 8 || slot.misses % 64 === 0) {
      const end = lastDigitRunEnd(text);
      const start = end < 0 ? -1 : digitRunStart(text, end);
      const counter = end < 0 ? -1 : counterIn(text, start, end);
      if (counter >= 0) {
        const prefix = text.slice(0, start);
        const suffix = text.slice(end);
        if (prefix === slot.candidatePrefix && suffix === slot.candidateSuffix) {
          slot.template = this.templates.length;
          slot.prefix = prefix;
          slot.suffix = suffix;
          slot.misses = 0;
          this.templates.push({ prefix, suffix });
          this.num(slot.template);
          this.num(counter);
          return;
        }
        slot.candidatePrefix = prefix;
        slot.candidateSuffix = suffix;
      }
    }
    slot.misses += 1;
    slot.lastKept = this.kept.length;
    this.num(-1 - this.kept.length);
    this.kept.push(text);
  }

  private keep(record: T): number {
    this.starts.push(-1 - this.kept.length);
    this.kept.push(record);
    return this.starts.length - 1;
  }

  private commit(record: T): number {
    const n = this.cursor;
    if (n > CHUNK) return this.keep(record);
    if (this.offset + n > CHUNK) {
      this.chunks.push(new Uint8Array(CHUNK));
      this.offset = 0;
    }
    const chunk = this.chunks[this.chunks.length - 1]!;
    const start = (this.chunks.length - 1) * CHUNK + this.offset;
    const scratch = this.scratch;
    for (let i = 0; i < n; i++) chunk[this.offset + i] = scratch[i]!;
    for (let i = 0; i < this.pendingWide.length; i += 2) {
      this.wideUnits.set(start + (this.pendingWide[i] as number), this.pendingWide[i + 1] as bigint);
    }
    this.offset += n;
    this.starts.push(start);
    return this.starts.length - 1;
  }
}

/** Reads one record's leaves for its compiled reader. */
class PayloadReader extends TaggedReader implements LeafSource {
  private base = 0;

  constructor(
    private readonly chunks: readonly Uint8Array[],
    private readonly kept: readonly unknown[],
    private readonly templates: readonly { readonly prefix: string; readonly suffix: string }[],
    private readonly symbols: readonly string[],
    private readonly wideUnits: ReadonlyMap<number, bigint>,
  ) {
    super(chunks[0]!);
  }

  seek(position: number): void {
    this.chunk = this.chunks[Math.floor(position / CHUNK)]!;
    this.at = position % CHUNK;
    this.base = position - this.at;
  }

  num(): number {
    return this.number();
  }

  str(): string {
    const ref = this.num();
    if (ref < 0) return this.kept[-1 - ref] as string;
    const template = this.templates[ref]!;
    return `${template.prefix}${this.num()}${template.suffix}`;
  }

  sym(): string {
    return this.symbols[this.num()]!;
  }

  fixed(scale: number): Fixed {
    return Fixed.fromUnits(BigInt(this.num()), scale);
  }

  wide(scale: number): Fixed {
    const position = this.base + this.at;
    this.num();
    return Fixed.fromUnits(this.wideUnits.get(position) as bigint, scale);
  }
}

interface Shape {
  readonly id: number;
  readonly node: ShapeNode;
  readonly write: Writer;
  readonly read: Reader;
}

/** Bytes per payload chunk. */
const CHUNK = 1 << 18;
/** 2^50: integers below it in magnitude are written as varints (times 4 they stay exact doubles). */
const VARINT_LIMIT = 2 ** 50;
/** Symbols beyond this many are written as strings (in a new shape). */
const MAX_SYMBOLS = 4096;
/** Beyond this many shapes for one type, further variants are kept as objects (matching would get slow). */
const MAX_SHAPES_PER_TYPE = 256;

/** Records with a string `type` group their shapes by it. */
function typeKey(record: unknown): string {
  if (typeof record === 'object' && record !== null) {
    const type = (record as { type?: unknown }).type;
    if (typeof type === 'string') return type;
  }
  return typeof record;
}

/** The canonical decimal integer in text[from, to) (1-15 digits, no leading zero), or -1. */
export function counterIn(text: string, from: number, to: number): number {
  const length = to - from;
  if (length < 1 || length > 15) return -1;
  if (length > 1 && text.charCodeAt(from) === 48) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Whether text starts with prefix and ends with suffix (text is known to be long enough); affixes are short. */
export function hasAffixes(text: string, prefix: string, suffix: string): boolean {
  for (let i = 0; i < prefix.length; i++) if (text.charCodeAt(i) !== prefix.charCodeAt(i)) return false;
  const offset = text.length - suffix.length;
  for (let i = 0; i < suffix.length; i++) if (text.charCodeAt(offset + i) !== suffix.charCodeAt(i)) return false;
  return true;
}

/** The end (exclusive) of the last run of digits, or -1 when there is none. */
export function lastDigitRunEnd(text: string): number {
  let end = text.length;
  while (end > 0 && !isDigit(text.charCodeAt(end - 1))) end -= 1;
  return end === 0 ? -1 : end;
}

export function digitRunStart(text: string, end: number): number {
  let start = end;
  while (start > 0 && isDigit(text.charCodeAt(start - 1))) start -= 1;
  return start;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
