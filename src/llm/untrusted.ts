/** An item of outside text (news, a feed, a tool's free text) shown to a model. */
export interface NewsItem {
  readonly ts: number;
  readonly source: string;
  readonly headline: string;
  readonly body?: string;
}

const FENCE = /<\/?\s*untrusted[^>]*>/gi;

/**
 * Fences outside text as data: the model is told that nothing inside a fence is an instruction. The text cannot
 * close the fence itself (any fence tag inside is removed and no angle bracket survives), and it is cut to a
 * bounded length.
 */
export function fenceUntrusted(source: string, text: string, maxChars = 2000): string {
  // Removing one tag can join the pieces around it into another: remove until none is left.
  let clean = text;
  for (let previous = ''; previous !== clean; ) {
    previous = clean;
    clean = clean.replace(FENCE, '');
  }
  // Near-misses (`< /untrusted>`, full-width brackets, entities) could still read as a tag to a model: no angle
  // bracket of the outside text survives as one.
  clean = clean.replace(/[<＜]/g, '‹').replace(/[>＞]/g, '›').replace(/&(lt|gt);/gi, (m) => (m.toLowerCase() === '&lt;' ? '‹' : '›')).slice(0, maxChars);
  return `<untrusted source="${source.replace(/[^\w.:/ -]/g, '').slice(0, 60)}">\n${clean}\n</untrusted>`;
}

/** The items published at or before `now` (never later), newest last, at most `count`. */
export function newsAt(items: readonly NewsItem[], now: number, count: number, maxAgeMs: number): NewsItem[] {
  const out: NewsItem[] = [];
  for (const item of items) if (item.ts <= now && item.ts > now - maxAgeMs) out.push(item);
  return out.slice(Math.max(0, out.length - count));
}
