// What a replacement choice can come to, and how a person reads it. Pure.

/** A revision tagged as the replacement that defines something else: never deployed, named in the output. */
export interface LookAlike {
  readonly arn: string;
  readonly differences: readonly string[];
}

export type ReplacementChoice =
  | {
      readonly kind: "reuse";
      readonly arn: string;
      readonly source: "journal" | "tagged";
      readonly lookAlikes: readonly LookAlike[];
    }
  | { readonly kind: "register"; readonly lookAlikes: readonly LookAlike[] };

/** At most this many differing paths are named in a message. */
const NAMED_DIFFERENCES = 8;

export function differenceText(differences: readonly string[]): string {
  const named = differences.slice(0, NAMED_DIFFERENCES).join(", ");
  const more = differences.length - NAMED_DIFFERENCES;
  return more > 0 ? `${named} and ${more} more` : named;
}

/** `ignores arn:..., tagged as the replacement but differing in containerDefinitions[0].image`. */
export function describeLookAlike(lookAlike: LookAlike): string {
  return `ignores ${lookAlike.arn}, tagged as the replacement but differing in ${differenceText(lookAlike.differences)}`;
}

/** One line a person reads: `reuses arn:... (the journal's, verified)` or `registers a new revision`. */
export function describeChoice(choice: ReplacementChoice): string {
  const lookAlikes = choice.lookAlikes.map((entry) => `; ${describeLookAlike(entry)}`);
  return choice.kind === "reuse"
    ? `reuses ${choice.arn} (${choice.source === "journal" ? "recorded in the journal" : "tagged as the replacement"}, verified identical)${lookAlikes.join("")}`
    : `registers a new revision${lookAlikes.join("")}`;
}
