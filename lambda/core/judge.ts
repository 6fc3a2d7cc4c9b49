import { annotate, listWithin } from "./annotation";
import { type ApprovedException, matchException } from "./exceptions";
import { revisionLabel } from "./taskDefinitionRef";
import type { InUseRevision, Judgement, Placement, RevisionFacts } from "./types";

/** A revision the subject uses, and what ECS said about it (`undefined`: it could not be described). */
export interface UsedRevision {
  readonly revision: Pick<InUseRevision, "arn" | "family" | "revision" | "placements">;
  readonly facts: RevisionFacts | undefined;
}

export interface JudgeInput {
  /** Whose verdict this is: a task definition names where its revisions run, a service does not need to. */
  readonly subject: "taskDefinition" | "service";
  readonly usedRevisions: readonly UsedRevision[];
  readonly exceptions: readonly ApprovedException[];
  readonly accountId: string;
  readonly now: Date;
  /** False when part of the account could not be read: a revision in use may be missing from `usedRevisions`. */
  readonly viewComplete: boolean;
}

const FIX = ' Fix: register a revision without pidMode "host" and redeploy.';

/** `prod (service api, task)`: where one revision runs, clusters and owners sorted. */
function describePlacements(placements: readonly Placement[]): string[] {
  const byCluster = new Map<string, Set<string>>();
  for (const placement of placements) {
    const owners = byCluster.get(placement.cluster) ?? new Set<string>();
    owners.add(placement.service === undefined ? "standalone tasks" : `service ${placement.service}`);
    byCluster.set(placement.cluster, owners);
  }
  return [...byCluster.entries()].map(([cluster, owners]) => `${cluster} (${[...owners].sort().join(", ")})`);
}

function offenderText(used: UsedRevision, subject: JudgeInput["subject"]): string {
  const label = revisionLabel(used.revision);
  if (subject === "service" || used.revision.placements.length === 0) return label;
  return `${label} in ${describePlacements(used.revision.placements).sort().join("; ")}`;
}

/**
 * The control itself: a subject fails when a revision it uses shares the host PID namespace and no
 * unexpired exception covers it. Only that verdict is certain when part of the account was unread.
 */
export function judge(input: JudgeInput): Judgement {
  const { usedRevisions, exceptions, accountId, now } = input;
  const hostPid = usedRevisions.filter((used) => used.facts?.pidMode === "host");
  const matches = hostPid.map((used) => ({
    used,
    match: matchException(exceptions, used.revision, accountId, now),
  }));
  const uncovered = matches.filter(({ match }) => match?.status !== "valid");

  if (uncovered.length > 0) {
    const lapsed = uncovered.flatMap(({ match }) =>
      match?.status === "expired"
        ? [
            `${match.exception.taskDefinition} (owner ${match.exception.owner}) expired ${match.exception.expires}`,
          ]
        : [],
    );
    const lapsedText = lapsed.length > 0 ? ` Exception ${listWithin(lapsed, 80)}.` : "";
    return {
      complianceType: "NON_COMPLIANT",
      annotation: annotate(
        "Shares the host PID namespace: ",
        uncovered.map(({ used }) => offenderText(used, input.subject)),
        `.${lapsedText}${FIX}`,
      ),
      certain: true,
    };
  }

  const certain = input.viewComplete && usedRevisions.every((used) => used.facts !== undefined);

  if (hostPid.length > 0) {
    const grants = matches.map(({ used, match }) => {
      const exception = match?.exception as ApprovedException;
      return `${revisionLabel(used.revision)} by exception of ${exception.owner} until ${exception.expires}`;
    });
    return {
      complianceType: "NOT_APPLICABLE",
      annotation: annotate("Exempt: pidMode host allowed for ", grants, "."),
      certain,
    };
  }

  if (usedRevisions.length > 0) {
    return {
      complianceType: "COMPLIANT",
      annotation: annotate(
        "In use without the host PID namespace: ",
        usedRevisions.map((used) => revisionLabel(used.revision)),
        ".",
      ),
      certain,
    };
  }

  return {
    complianceType: "NOT_APPLICABLE",
    annotation:
      input.subject === "service"
        ? "The service neither runs nor wants tasks."
        : "No RUNNING task uses this task definition.",
    certain,
  };
}
