import {
  type ApprovedException,
  type InUseRevision,
  matchException,
  nameFromArn,
  sharesHostPid,
  type VerdictInputs,
} from "../../../lambda/core/index";

/** An exception that covers a revision sharing the host PID namespace: `valid` exempts it, `expired` no longer does. */
export interface AppliedException {
  readonly status: "valid" | "expired";
  /** `task` (a task definition) or `daemon` (a daemon task definition). */
  readonly kind: "task" | "daemon";
  /** The target as the list writes it: a family, family:revision or revision ARN. */
  readonly target: string;
  readonly owner: string;
  /** The last day it applies, `YYYY-MM-DD` (UTC). */
  readonly expires: string;
  readonly reason: string;
  readonly approvedBy: string | null;
  readonly ticket: string | null;
}

/** Where one revision runs in one cluster. */
export interface ClusterUse {
  readonly cluster: string;
  /** The ARN ListClusters returned; `null` when the read did not list it. */
  readonly clusterArn: string | null;
  /** Services whose RUNNING tasks use the revision, sorted. */
  readonly services: readonly string[];
  /** ECS Managed Daemons whose RUNNING tasks use it, sorted. */
  readonly daemons: readonly string[];
  /** RUNNING tasks no service or daemon owns; `null` when the read did not count them. */
  readonly standaloneTasks: number | null;
}

/** A revision the verdict covers, as the scan read it. */
export interface RevisionUse {
  readonly arn: string;
  readonly family: string;
  readonly revision: number;
  readonly kind: "task" | "daemon";
  /** As DescribeTaskDefinition said; `null` when not set or not described. */
  readonly pidMode: string | null;
  /** `false` when DescribeTaskDefinition could not describe it (the verdict is then not certain). */
  readonly described: boolean;
  /** `null` when not described. */
  readonly sharesHostPid: boolean | null;
  readonly clusters: readonly ClusterUse[];
  /** The exception matched against it (only a revision sharing the host PID namespace is matched). */
  readonly exception: AppliedException | null;
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

function appliedException(status: "valid" | "expired", exception: ApprovedException): AppliedException {
  return {
    status,
    kind: exception.kind,
    target: exception.reference,
    owner: exception.owner,
    expires: exception.expires,
    reason: exception.reason,
    approvedBy: exception.approvedBy ?? null,
    ticket: exception.ticket ?? null,
  };
}

function clusterUses(revision: InUseRevision, clusterArns: readonly string[]): ClusterUse[] {
  return sorted(revision.placements.map((placement) => placement.cluster)).map((cluster) => {
    const here = revision.placements.filter((placement) => placement.cluster === cluster);
    const standalone = here.filter(
      (placement) => placement.service === undefined && placement.daemon === undefined,
    );
    const counted = standalone.every((placement) => placement.tasks !== undefined);
    return {
      cluster,
      clusterArn: clusterArns.find((arn) => nameFromArn(arn) === cluster) ?? null,
      services: sorted(here.flatMap((placement) => placement.service ?? [])),
      daemons: sorted(here.flatMap((placement) => placement.daemon ?? [])),
      standaloneTasks: counted
        ? standalone.reduce((sum, placement) => sum + (placement.tasks ?? 0), 0)
        : null,
    };
  });
}

/**
 * The facts behind a verdict, from what the scan read (never read again): each revision with where it runs,
 * what ECS said of its pidMode and the exception matched as the verdict matched it.
 */
export function revisionUses(
  revisions: readonly InUseRevision[],
  kind: "task" | "daemon",
  state: VerdictInputs,
): RevisionUse[] {
  return revisions.map((revision) => {
    const facts = state.facts.get(revision.arn);
    const hostPid = facts === undefined ? null : sharesHostPid(facts);
    const match = hostPid
      ? matchException(state.exceptions, revision, state.accountId, state.now)
      : undefined;
    return {
      arn: revision.arn,
      family: revision.family,
      revision: revision.revision,
      kind,
      pidMode: facts?.pidMode ?? null,
      described: facts !== undefined,
      sharesHostPid: hostPid,
      clusters: clusterUses(revision, state.view.clusterArns),
      exception: match === undefined ? null : appliedException(match.status, match.exception),
    };
  });
}

/** Each exception the revisions matched, once. */
export function exceptionsOf(revisions: readonly RevisionUse[]): AppliedException[] {
  const seen = new Map<string, AppliedException>();
  for (const { exception } of revisions)
    if (exception !== null)
      seen.set(`${exception.kind}|${exception.target}|${exception.expires}|${exception.owner}`, exception);
  return [...seen.values()];
}
