import { counterIn, digitRunStart, hasAffixes, lastDigitRunEnd } from './record-packer.js';

/**
 * Id strings as numbers: an id that counts up under a prefix and suffix (`ev-123`) is a template number and its
 * counter; any other is kept as it is (a word without digits, like a side, once). For a column of ids (a journal's event ids) without the machinery of a
 * `RecordPacker`: the usual id costs two short varints and no object.
 */
export class IdTemplates {
  private readonly templates: { readonly prefix: string; readonly suffix: string }[] = [];
  private readonly byAffixes = new Map<string, number>();
  private last = -1;
  private readonly kept: string[] = [];
  private readonly words = new Map<string, number>();
  /** The counter of the id `encode` last returned a template for. */
  counter = 0;

  /** A template number (the counter is in `counter`), or -1 - the index of the id kept as it is. */
  encode(id: string): number {
    const template = this.templates[this.last];
    if (template !== undefined) {
      const counter = counterIn(id, template.prefix.length, id.length - template.suffix.length);
      if (counter >= 0 && hasAffixes(id, template.prefix, template.suffix)) {
        this.counter = counter;
        return this.last;
      }
    }
    const end = lastDigitRunEnd(id);
    const start = end < 0 ? -1 : digitRunStart(id, end);
    const counter = end < 0 ? -1 : counterIn(id, start, end);
    if (counter >= 0 && this.templates.length < MAX_TEMPLATES) {
      const prefix = id.slice(0, start);
      const suffix = id.slice(end);
      const key = `${prefix}\u0000${suffix}`;
      let number = this.byAffixes.get(key);
      if (number === undefined) {
        number = this.templates.length;
        this.templates.push({ prefix, suffix });
        this.byAffixes.set(key, number);
      }
      this.last = number;
      this.counter = counter;
      return number;
    }
    if (this.kept[this.kept.length - 1] === id) return -this.kept.length;
    // Words (sides, kinds) come back again and again: each is kept once.
    const word = id.length <= 48 && end < 0;
    if (word) {
      const known = this.words.get(id);
      if (known !== undefined) return known;
    }
    this.kept.push(id);
    if (word && this.words.size < MAX_WORDS) this.words.set(id, -this.kept.length);
    return -this.kept.length;
  }

  decode(reference: number, counter: number): string {
    if (reference < 0) return this.kept[-1 - reference]!;
    const template = this.templates[reference]!;
    return `${template.prefix}${counter}${template.suffix}`;
  }
}

/** Ids with more distinct affixes than this (hashes, say) are kept as they are. */
const MAX_TEMPLATES = 64;
const MAX_WORDS = 4096;
