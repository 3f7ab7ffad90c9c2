/** Why the gate or the books refused orders in a run: a count per reason code, with the first detail as an example. */
export interface DenialReason {
  readonly code: string;
  readonly count: number;
  /** The first refusal's detail, e.g. "The books refuse the order: ...". */
  readonly example: string;
}

/**
 * Counts denied intents by code. A run where every order was refused would otherwise end with no trades and
 * nothing to say why; a handful of codes covers every denial, so this stays small however long the run.
 */
export class DenialTally {
  private readonly byCode = new Map<string, { count: number; readonly example: string }>();
  private count = 0;

  get total(): number {
    return this.count;
  }

  add(code: string, detail: string): void {
    this.count += 1;
    const entry = this.byCode.get(code);
    if (entry === undefined) this.byCode.set(code, { count: 1, example: detail });
    else entry.count += 1;
  }

  /** Takes back one denial of `code` (one that a retry in another form made good). */
  retract(code: string): void {
    const entry = this.byCode.get(code);
    if (entry === undefined) return;
    this.count -= 1;
    entry.count -= 1;
    if (entry.count === 0) this.byCode.delete(code);
  }

  /** A venue's rejection, grouped by its reason up to the first colon (the rest names amounts). */
  addRejection(reason: string): void {
    const colon = reason.indexOf(':');
    this.add((colon > 0 ? reason.slice(0, colon) : reason).slice(0, 80), reason);
  }

  /** Most frequent first (ties by code). */
  reasons(): DenialReason[] {
    return [...this.byCode].map(([code, { count, example }]) => ({ code, count, example })).sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }
}
