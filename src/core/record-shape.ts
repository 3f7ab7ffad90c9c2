import { Fixed } from './fixed.js';

/**
 * Shapes of packed records (see `RecordPacker`): the keys of a record in order, recursively, with constant leaves
 * (undefined, null) fixed in the shape and variable leaves (numbers, booleans, Fixed values of one scale, symbols,
 * other strings) left to the payload.
 *
 * Each shape is compiled to a writer that checks a record has exactly this shape while it writes the variable
 * leaves, and to a reader that rebuilds the record from them with object literals. Compiled code sees the same
 * object layouts at each property access, which an interpreter walking any record cannot; packing with a generic
 * walk cost about a microsecond per event, the compiled writer a small fraction of that.
 */

export const NUMBER = 0;
export const CONST = 1;
export const STRING = 2;
export const FIXED = 3;
export const ARRAY = 4;
export const OBJECT = 5;
export const SYMBOL = 6;
export const BOOLEAN = 7;

const MAX_DEPTH = 12;
const MAX_ITEMS = 64;
/** 2^53 - 1: Fixed units up to this size are exact as a float64. */
export const MAX_EXACT = 9007199254740991n;

/** One node of a shape. Every field is present on every node, so code reading nodes sees one object layout. */
export class ShapeNode {
  /** String slots: the "prefix<counter>suffix" template this slot last used, and a candidate for the next one. */
  template = -1;
  prefix = '';
  suffix = '';
  candidatePrefix: string | undefined = undefined;
  candidateSuffix: string | undefined = undefined;
  /** String slots: where the last string kept as it is went (a repeated one is referenced again). */
  lastKept = -1;
  /** String slots: strings in a row that fitted no template. */
  misses = 0;
  /** Symbol slots: the last symbol written here and its number (a slot mostly repeats one or two). */
  lastSymbol: string | undefined = undefined;
  lastSymbolId = -1;
  constructor(
    readonly kind: number,
    readonly value: unknown,
    readonly scale: number,
    readonly wide: boolean,
    readonly keys: readonly string[],
    readonly children: readonly ShapeNode[],
  ) {}
}

/** What a compiled writer writes to. */
export interface LeafSink {
  num(value: number): void;
  /** Writes a symbol's number; false when the text is not one. */
  sym(slot: ShapeNode, text: string): boolean;
  str(slot: ShapeNode, value: string): void;
  wide(units: bigint): void;
}

/** What a compiled reader reads from. */
export interface LeafSource {
  num(): number;
  sym(): string;
  str(): string;
  fixed(scale: number): Fixed;
  wide(scale: number): Fixed;
}

export type Writer = (record: unknown, sink: LeafSink) => boolean;
export type Reader = (source: LeafSource) => unknown;

const NONE: readonly never[] = [];

/** The shape of `value`, or undefined when it cannot be packed (class instances, bigints, holes, deep nesting). */
export function shapeOf(value: unknown, depth = 0): ShapeNode | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (typeof value === 'number') return new ShapeNode(NUMBER, undefined, 0, false, NONE, NONE);
  if (typeof value === 'string') {
    return new ShapeNode(isSymbol(value) ? SYMBOL : STRING, undefined, 0, false, NONE, NONE);
  }
  // Booleans are leaves, not constants: reduceOnly true and false would otherwise make two shapes that alternate.
  if (typeof value === 'boolean') return new ShapeNode(BOOLEAN, undefined, 0, false, NONE, NONE);
  if (value === undefined || value === null) return new ShapeNode(CONST, value, 0, false, NONE, NONE);
  if (value instanceof Fixed) {
    return new ShapeNode(FIXED, undefined, value.scale, value.units > MAX_EXACT || value.units < -MAX_EXACT, NONE, NONE);
  }
  if (Array.isArray(value)) {
    if (value.length > MAX_ITEMS) return undefined;
    const children: ShapeNode[] = [];
    for (let i = 0; i < value.length; i++) {
      const child = i in value ? shapeOf(value[i], depth + 1) : undefined;
      if (child === undefined) return undefined;
      children.push(child);
    }
    return new ShapeNode(ARRAY, undefined, 0, false, NONE, children);
  }
  if (!isPlainObject(value)) return undefined;
  const keys: string[] = [];
  const children: ShapeNode[] = [];
  for (const key in value) {
    // "__proto__" in an object literal would set the prototype instead of a key.
    if (key === '__proto__' || keys.length === MAX_ITEMS) return undefined;
    const child = shapeOf(value[key], depth + 1);
    if (child === undefined) return undefined;
    keys.push(key);
    children.push(child);
  }
  return new ShapeNode(OBJECT, undefined, 0, false, keys, children);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * Short strings without digits (types, sides, instrument ids, owners) are symbols: a small number in a table of
 * them. (As constants of the shape, a buy and a sell made two shapes, and records alternating between them missed
 * the shape tried first half the time.)
 */
export function isSymbol(text: string): boolean {
  if (text.length > 48) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) return false;
  }
  return true;
}

interface Tables {
  readonly slots: ShapeNode[];
  readonly constants: unknown[];
  readonly keys: (readonly string[])[];
  vars: number;
}

/** Compiles the writer for a shape: it returns false, having written part of the leaves, on any difference. */
export function compileWriter(shape: ShapeNode): Writer {
  const tables: Tables = { slots: [], constants: [], keys: [], vars: 1 };
  const code = writeCode(shape, 'v0', tables);
  const body = `${code.checks} ${code.writes}`;
  const factory = new Function('F', 'OP', 'N', 'C', 'K', `return function (v0, w) { var i, k, u; ${body} return true; };`) as (
    ...args: unknown[]
  ) => Writer;
  return factory(Fixed, Object.prototype, tables.slots, tables.constants, tables.keys);
}

/**
 * The writer's code for a node, in two parts: the structure checks (types, prototypes, keys in order, array lengths,
 * loading every nested object) and the leaf writes. The writer runs every structure check before writing a leaf, so
 * a record of another shape of its type (a sell with reduceOnly where a buy has none, say) fails at once.
 */
function writeCode(node: ShapeNode, v: string, t: Tables): { checks: string; writes: string } {
  switch (node.kind) {
    case NUMBER:
      return { checks: '', writes: `if (typeof ${v} !== 'number') return false; w.num(${v});` };
    case BOOLEAN:
      return { checks: '', writes: `if (${v} === true) w.num(1); else if (${v} === false) w.num(0); else return false;` };
    case CONST:
      return { checks: `if (${v} !== ${constantCode(node.value, t)}) return false;`, writes: '' };
    case SYMBOL:
      t.slots.push(node);
      return { checks: '', writes: `if (typeof ${v} !== 'string' || !w.sym(N[${t.slots.length - 1}], ${v})) return false;` };
    case STRING:
      t.slots.push(node);
      return { checks: '', writes: `if (typeof ${v} !== 'string') return false; w.str(N[${t.slots.length - 1}], ${v});` };
    case FIXED:
      return {
        checks: '',
        writes:
          `if (!(${v} instanceof F) || ${v}.scale !== ${node.scale}) return false; ` +
          // Units of 2^53 or more convert to a number that is not a safe integer: one conversion checks the range.
          (node.wide ? `w.wide(${v}.units);` : `u = Number(${v}.units); if (!Number.isSafeInteger(u)) return false; w.num(u);`),
      };
    case ARRAY: {
      let checks = `if (!Array.isArray(${v}) || ${v}.length !== ${node.children.length}) return false;`;
      let writes = '';
      node.children.forEach((child, i) => {
        const c = `v${t.vars++}`;
        const code = writeCode(child, c, t);
        checks += ` if (!(${i} in ${v})) return false; var ${c} = ${v}[${i}]; ${code.checks}`;
        writes += ` ${code.writes}`;
      });
      return { checks, writes };
    }
    default: {
      t.keys.push(node.keys);
      const keys = `K[${t.keys.length - 1}]`;
      let checks =
        `if (typeof ${v} !== 'object' || ${v} === null || Object.getPrototypeOf(${v}) !== OP) return false; ` +
        `i = 0; for (k in ${v}) { if (k !== ${keys}[i]) return false; i++; } if (i !== ${node.keys.length}) return false;`;
      let writes = '';
      node.children.forEach((child, i) => {
        const c = `v${t.vars++}`;
        const code = writeCode(child, c, t);
        checks += ` var ${c} = ${v}[${JSON.stringify(node.keys[i])}]; ${code.checks}`;
        writes += ` ${code.writes}`;
      });
      return { checks, writes };
    }
  }
}

/** Compiles the reader for a shape: object and array literals, so leaves are read in the order they were written. */
export function compileReader(shape: ShapeNode): Reader {
  const tables: Tables = { slots: [], constants: [], keys: [], vars: 0 };
  const expression = readCode(shape, tables);
  const factory = new Function('C', `return function (r) { return ${expression}; };`) as (constants: unknown[]) => Reader;
  return factory(tables.constants);
}

function readCode(node: ShapeNode, t: Tables): string {
  switch (node.kind) {
    case NUMBER:
      return 'r.num()';
    case CONST:
      return constantCode(node.value, t);
    case SYMBOL:
      return 'r.sym()';
    case BOOLEAN:
      return 'r.num() === 1';
    case STRING:
      return 'r.str()';
    case FIXED:
      return node.wide ? `r.wide(${node.scale})` : `r.fixed(${node.scale})`;
    case ARRAY:
      return `[${node.children.map((child) => readCode(child, t)).join(', ')}]`;
    default:
      return `{${node.children.map((child, i) => `${JSON.stringify(node.keys[i])}: ${readCode(child, t)}`).join(', ')}}`;
  }
}

function constantCode(value: unknown, t: Tables): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value === 'boolean') return String(value);
  t.constants.push(value);
  return `C[${t.constants.length - 1}]`;
}
