/** Config accepts annotations of 1 to 256 characters. Every text here is ASCII, so length is characters. */
export const MAX_ANNOTATION_LENGTH = 256;

/**
 * Joins sorted items into at most `budget` characters, ending in `+N more` when some do not fit.
 * The count only moves when the set moves, so an unchanged account keeps an unchanged annotation.
 */
export function listWithin(items: readonly string[], budget: number): string {
  const sorted = [...new Set(items)].sort();
  let text = "";
  for (let index = 0; index < sorted.length; index++) {
    const candidate = text === "" ? (sorted[index] as string) : `${text}, ${sorted[index]}`;
    const rest = sorted.length - index - 1;
    const suffix = rest > 0 ? ` +${rest} more` : "";
    if (candidate.length + suffix.length > budget) {
      if (text !== "") return `${text} +${sorted.length - index} more`;
      // Not even the first item fits: keep its start, which names it, rather than a bare count.
      const first = sorted[0] as string;
      return `${first.slice(0, Math.max(1, budget - suffix.length - 3))}...${suffix}`;
    }
    text = candidate;
  }
  return text;
}

/** Assembles fixed text around one variable list so that the whole stays within Config's limit. */
export function annotate(prefix: string, items: readonly string[], suffix = ""): string {
  const budget = MAX_ANNOTATION_LENGTH - prefix.length - suffix.length;
  return clip(`${prefix}${listWithin(items, Math.max(budget, 8))}${suffix}`);
}

/** Sorted, de-duplicated, comma-separated: the whole list, however long. */
export function listAll(items: readonly string[]): string {
  return listWithin(items, Number.POSITIVE_INFINITY);
}

/** The first (most detailed) candidate within Config's limit, if any. */
export function firstThatFits(candidates: readonly string[]): string | undefined {
  return candidates.find((candidate) => candidate.length <= MAX_ANNOTATION_LENGTH);
}

export function clip(text: string): string {
  return text.length <= MAX_ANNOTATION_LENGTH ? text : `${text.slice(0, MAX_ANNOTATION_LENGTH - 3)}...`;
}
