/** Shapes shared by the pure core. Nothing here touches an SDK, the environment or a clock. */

export type ComplianceType = "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE";

export const TASK_DEFINITION_TYPE = "AWS::ECS::TaskDefinition";
export const SERVICE_TYPE = "AWS::ECS::Service";

/** Where RUNNING tasks of a revision were seen: a cluster (its name), and the service that owns them (none for standalone tasks). */
export interface Placement {
  readonly cluster: string;
  readonly service?: string;
}

/** A revision that at least one RUNNING task uses, with every place it runs. */
export interface InUseRevision {
  readonly arn: string;
  readonly family: string;
  readonly revision: number;
  readonly placements: readonly Placement[];
}

/** The account-wide view of RUNNING tasks. `unreadParts` lists what could not be read; empty means complete. */
export interface InUseView {
  readonly revisions: readonly InUseRevision[];
  readonly unreadParts: readonly string[];
}

/** What ECS says about a revision. Revisions are immutable, so this never goes stale. */
export interface RevisionFacts {
  readonly arn: string;
  readonly family: string;
  readonly revision: number;
  readonly pidMode: string | undefined;
}

export interface Verdict {
  readonly complianceType: ComplianceType;
  readonly annotation: string;
}

/** A verdict and whether it holds whatever the unread parts of the account turn out to contain. */
export interface Judgement extends Verdict {
  readonly certain: boolean;
}

export interface Evaluation extends Verdict {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly orderingTimestamp: Date;
}

export function verdictKey(resourceType: string, resourceId: string): string {
  return `${resourceType}|${resourceId}`;
}
