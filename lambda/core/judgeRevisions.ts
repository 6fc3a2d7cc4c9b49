import { annotate, firstThatFits, listAll, listWithin } from "./annotation";
import { type ApprovedException, type ExceptionMatch, matchException } from "./approvedExceptions";
import type { InUseRevision, Placement, RevisionFacts } from "./inUseView";
import { isDaemonDefinitionArn, revisionLabel } from "./taskDefinitionRef";
import type { Judgement } from "./verdicts";

/** A revision the subject uses, and what ECS said about it (`undefined`: it could not be described). */
export interface UsedRevision {
  readonly revision: Pick<InUseRevision, "arn" | "family" | "revision" | "placements">;
  readonly facts: RevisionFacts | undefined;
}

export interface JudgeInput {
  /**
   * Whose verdict this is: a task definition names where its revisions run, a service does not need to,
   * a cluster is judged on the daemon task definitions it runs.
   */
  readonly subject: "taskDefinition" | "service" | "taskSet" | "cluster";
  readonly usedRevisions: readonly UsedRevision[];
  readonly exceptions: readonly ApprovedException[];
  readonly accountId: string;
  readonly now: Date;
  /** False when part of the account could not be read: a revision in use may be missing from `usedRevisions`. */
  readonly viewComplete: boolean;
}

const FIX: Record<JudgeInput["subject"], string> = {
  taskDefinition: ' Fix: register a revision without pidMode "host" and redeploy.',
  service: ' Fix: register a revision without pidMode "host" and redeploy.',
  taskSet: ' Fix: register a revision without pidMode "host" and create a new task set.',
  cluster: ' Fix: register a daemon task definition revision without pidMode "shared" and update the daemon.',
};

const NOTHING_IN_USE: Record<JudgeInput["subject"], string> = {
  taskDefinition: "No RUNNING task uses this task definition.",
  service: "The service neither runs nor wants tasks.",
  taskSet: "The task set neither runs nor wants tasks.",
  cluster: "No RUNNING daemon task in this cluster.",
};

/** A task definition shares the host's process namespace with `host`; a daemon task definition with `shared`. */
export function sharesHostPid(facts: RevisionFacts): boolean {
  return facts.pidMode === (isDaemonDefinitionArn(facts.arn) ? "shared" : "host");
}

function ownerOf(placement: Placement): string {
  if (placement.service !== undefined) return `service ${placement.service}`;
  if (placement.daemon !== undefined) return `daemon ${placement.daemon}`;
  return "standalone tasks";
}

/** `prod (service api, task)`: where one revision runs, clusters and owners sorted. */
function describePlacements(placements: readonly Placement[]): string[] {
  const byCluster = new Map<string, Set<string>>();
  for (const placement of placements) {
    const owners = byCluster.get(placement.cluster) ?? new Set<string>();
    owners.add(ownerOf(placement));
    byCluster.set(placement.cluster, owners);
  }
  return [...byCluster.entries()].map(([cluster, owners]) => `${cluster} (${[...owners].sort().join(", ")})`);
}

function offenderText(used: UsedRevision, subject: JudgeInput["subject"]): string {
  const label = revisionLabel(used.revision);
  if (subject === "service" || subject === "taskSet" || used.revision.placements.length === 0) return label;
  return `${label} in ${describePlacements(used.revision.placements).sort().join("; ")}`;
}

type Matched = { used: UsedRevision; match: ExceptionMatch | undefined };

/**
 * Names every offending revision, then as much as fits: where it runs, whose exception lapsed and when, how
 * to fix it. Details are dropped before names, so the owner always learns what to act on.
 */
function nonCompliantAnnotation(uncovered: readonly Matched[], subject: JudgeInput["subject"]): string {
  const fix = FIX[subject];
  const prefix = "Shares the host PID namespace: ";
  const detailed = listAll(uncovered.map(({ used }) => offenderText(used, subject)));
  const labels = uncovered.map(({ used }) => revisionLabel(used.revision));
  const lapsedLong: string[] = [];
  const lapsedShort: string[] = [];
  for (const { match } of uncovered) {
    if (match?.status !== "expired") continue;
    const { taskDefinition, owner, expires } = match.exception;
    lapsedLong.push(`${taskDefinition} (owner ${owner}) expired ${expires}`);
    lapsedShort.push(`${taskDefinition} expired ${expires}`);
  }
  const lapsed = (items: string[]) => (items.length > 0 ? ` Exception ${listAll(items)}.` : "");
  return (
    firstThatFits([
      `${prefix}${detailed}.${lapsed(lapsedLong)}${fix}`,
      `${prefix}${listAll(labels)}.${lapsed(lapsedLong)}${fix}`,
      `${prefix}${listAll(labels)}.${lapsed(lapsedShort)}${fix}`,
      `${prefix}${listAll(labels)}.${lapsed(lapsedShort)}`,
    ]) ??
    annotate(prefix, labels, lapsedShort.length > 0 ? `. Exception ${listWithin(lapsedShort, 60)}.` : ".")
  );
}

function exemptAnnotation(matches: readonly Matched[]): string {
  const prefix = "Exempt: pidMode host allowed for ";
  const grants = matches.map(({ used, match }) => {
    const exception = match?.exception as ApprovedException;
    const approval = [
      ...(exception.approvedBy === undefined ? [] : [`approved by ${exception.approvedBy}`]),
      ...(exception.ticket === undefined ? [] : [exception.ticket]),
    ].join(", ");
    const of = `${revisionLabel(used.revision)} by exception of ${exception.owner}`;
    return {
      full: `${of}${approval === "" ? "" : ` (${approval})`} until ${exception.expires}`,
      long: `${of} until ${exception.expires}`,
      short: `${revisionLabel(used.revision)} until ${exception.expires}`,
    };
  });
  return (
    firstThatFits([
      `${prefix}${listAll(grants.map((grant) => grant.full))}.`,
      `${prefix}${listAll(grants.map((grant) => grant.long))}.`,
    ]) ??
    annotate(
      prefix,
      grants.map((grant) => grant.short),
      ".",
    )
  );
}

/**
 * The control itself: a subject fails when a revision it uses shares the host PID namespace and no
 * unexpired exception covers it. Only that verdict is certain when part of the account was unread.
 */
export function judge(input: JudgeInput): Judgement {
  const { usedRevisions, exceptions, accountId, now } = input;
  const hostPid = usedRevisions.filter((used) => used.facts !== undefined && sharesHostPid(used.facts));
  const matches = hostPid.map((used) => ({
    used,
    match: matchException(exceptions, used.revision, accountId, now),
  }));
  const uncovered = matches.filter(({ match }) => match?.status !== "valid");

  if (uncovered.length > 0) {
    return {
      complianceType: "NON_COMPLIANT",
      annotation: nonCompliantAnnotation(uncovered, input.subject),
      certain: true,
    };
  }

  const certain = input.viewComplete && usedRevisions.every((used) => used.facts !== undefined);

  if (hostPid.length > 0) {
    return { complianceType: "NOT_APPLICABLE", annotation: exemptAnnotation(matches), certain };
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
    annotation: NOTHING_IN_USE[input.subject],
    certain,
  };
}
