// Which revision a service moves to: one registered before, reused only when it is the very definition the
// tool would register (the journal's, or one tagged as the replacement), else a new registration.
import { parseTaskDefinitionRef } from "../../core/taskDefinitionRef";
import { RefusedReplacementError } from "../../errors";
import { type Replacement, replacementDifferences } from "../core/replacement";
import { differenceText, type LookAlike, type ReplacementChoice } from "../core/replacementChoice";
import type { ReplacementLookup } from "../ports";

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
