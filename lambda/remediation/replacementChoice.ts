// Which revision a service moves to: one registered before, reused only when it is the very definition the
// tool would register (the journal's, or one tagged as the replacement), else a new registration.
import type { DescribeTaskDefinitionCommandOutput } from "@aws-sdk/client-ecs";
import { parseTaskDefinitionRef } from "../core/taskDefinitionRef";
import { RefusedReplacementError } from "../errors";
import { type Replacement, replacementDifferences } from "./replacement";

export interface TaggedCandidate {
  readonly arn: string;
  readonly described: Pick<DescribeTaskDefinitionCommandOutput, "taskDefinition" | "tags">;
}

/** What the choice reads: one revision, and the revisions tagged as replacing one. */
export interface ReplacementLookup {
  describeRevision(
    revisionArn: string,
  ): Promise<Pick<DescribeTaskDefinitionCommandOutput, "taskDefinition" | "tags">>;
  taggedCandidates(family: string, replaces: string, newerThan: number): Promise<readonly TaggedCandidate[]>;
}

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

/**
 * A journal's replacement must be the family's revision without pidMode, exactly: anything else (another
 * family, another image, a privilege added, a revision that is no longer ACTIVE) is refused with an error
 * naming the family, the ARN and what differs, before anything moves.
 */
async function verifiedJournalEntry(
  replacement: Replacement,
  journaled: string,
  ecs: Pick<ReplacementLookup, "describeRevision">,
): Promise<void> {
  const refuse = (what: string): never => {
    throw new RefusedReplacementError(
      `the journal names ${journaled} as the replacement of ${replacement.replaces} (family ${replacement.family}), but ${what}; nothing was moved: remove the entry (or the journal) and run again`,
    );
  };
  const ref = parseTaskDefinitionRef(journaled);
  if (ref === undefined || ref.revision === undefined || !journaled.startsWith("arn:"))
    refuse("that is not a task definition revision ARN");
  if (ref?.family !== replacement.family) refuse(`it belongs to family ${ref?.family ?? "?"}`);
  const described = await ecs.describeRevision(journaled);
  const differences = replacementDifferences(replacement, described);
  if (differences.length > 0) refuse(`it differs in ${differenceText(differences)}`);
  if (described.taskDefinition?.status !== "ACTIVE")
    refuse(`it is ${described.taskDefinition?.status ?? "of unknown status"}, not ACTIVE`);
}

/**
 * Reuse the journal's replacement (verified, or refused), else the newest tagged revision that defines
 * exactly the replacement, else register. Tagged revisions that differ are look-alikes: listed, never used.
 */
export async function chooseReplacement(
  replacement: Replacement,
  journaled: string | undefined,
  ecs: ReplacementLookup,
): Promise<ReplacementChoice> {
  if (journaled !== undefined) {
    await verifiedJournalEntry(replacement, journaled, ecs);
    return { kind: "reuse", arn: journaled, source: "journal", lookAlikes: [] };
  }
  const lookAlikes: LookAlike[] = [];
  const candidates = await ecs.taggedCandidates(
    replacement.family,
    replacement.replaces,
    replacement.revision,
  );
  for (const candidate of candidates) {
    const differences = replacementDifferences(replacement, candidate.described);
    if (differences.length === 0 && candidate.described.taskDefinition?.status === "ACTIVE") {
      return { kind: "reuse", arn: candidate.arn, source: "tagged", lookAlikes };
    }
    lookAlikes.push({
      arn: candidate.arn,
      differences:
        differences.length > 0
          ? differences
          : [`status ${candidate.described.taskDefinition?.status ?? "unknown"}`],
    });
  }
  return { kind: "register", lookAlikes };
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
