// What runs: the revisions RUNNING tasks use, where, and what each says. Pure shapes of the core.

/**
 * Where RUNNING tasks of a revision were seen: a cluster (its name), and the service or daemon that owns
 * them (neither for standalone tasks).
 */
export interface Placement {
  readonly cluster: string;
  readonly service?: string;
  readonly daemon?: string;
  /**
   * How many RUNNING tasks of the revision DescribeTasks showed there (reports only, no verdict depends on
   * it); absent for a daemon's placement, which the daemon APIs report without its tasks.
   */
  readonly tasks?: number;
}

/** A revision that at least one RUNNING task uses, with every place it runs. */
export interface InUseRevision {
  readonly arn: string;
  readonly family: string;
  readonly revision: number;
  readonly placements: readonly Placement[];
}

/** What a read of RUNNING tasks covered: every task of the account, or only the tasks of some families. */
export type ViewScope =
  | { readonly kind: "account" }
  | { readonly kind: "families"; readonly families: readonly string[] };

/** A view of RUNNING tasks. `unreadParts` lists what could not be read; empty means complete for its scope. */
export interface InUseView {
  readonly scope: ViewScope;
  /** Task definition revisions in use. */
  readonly revisions: readonly InUseRevision[];
  /** Daemon task definition revisions in use (ECS Managed Daemons); only an account-wide read finds them. */
  readonly daemonRevisions: readonly InUseRevision[];
  readonly unreadParts: readonly string[];
  /**
   * What could not be read of the ECS Managed Daemons (through the daemon APIs): it leaves cluster verdicts
   * uncertain and nothing else, since daemon task definitions are a namespace of their own.
   */
  readonly daemonUnreadParts?: readonly string[];
  /**
   * Task definition ARNs of RUNNING tasks that name neither kind of revision. They cannot change any
   * task definition's verdict, so they are reported, not counted as unread.
   */
  readonly unrecognisedArns: readonly string[];
  /** ARNs of the clusters the read listed. */
  readonly clusterArns: readonly string[];
}

export const ACCOUNT_SCOPE: ViewScope = { kind: "account" };

/** Whether a view saw every RUNNING task of `family` (regardless of what it could not read). */
export function viewCovers(view: InUseView, family: string): boolean {
  return view.scope.kind === "account" || view.scope.families.includes(family);
}

/** What ECS says about a revision. Revisions are immutable, so this never goes stale. */
export interface RevisionFacts {
  readonly arn: string;
  readonly family: string;
  readonly revision: number;
  /** `host`/`task` for a task definition, `shared`/`none` for a daemon task definition; absent when not set. */
  readonly pidMode: string | undefined;
}
