/**
 * A simulated account: ECS clusters with their tasks, task definition revisions, and what AWS Config has
 * recorded. JSON-shaped so sample accounts can ship as files; generators build large ones in code.
 */

export interface SimTask {
  readonly id: string;
  /** `family:revision` */
  readonly taskDefinition: string;
  readonly service?: string;
  /** Defaults to RUNNING. STOPPED tasks still listed model ECS listing recently stopped ones. */
  readonly lastStatus?: string;
  /** True: DescribeTasks reports this task as a MISSING failure (it stopped and vanished). */
  readonly missing?: boolean;
}

export interface SimCluster {
  readonly name: string;
  readonly tasks: readonly SimTask[];
}

export interface SimRevision {
  readonly family: string;
  readonly revision: number;
  readonly pidMode?: string;
  readonly status?: "ACTIVE" | "INACTIVE";
  readonly containerDefinitions?: readonly Record<string, unknown>[];
  readonly tags?: readonly { key: string; value: string }[];
}

export interface SimVerdict {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly complianceType: string;
  readonly annotation: string;
}

export interface SimAccount {
  readonly accountId: string;
  readonly region: string;
  readonly clusters: readonly SimCluster[];
  readonly revisions: readonly SimRevision[];
  /** AWS::ECS::TaskDefinition resource ids Config has recorded; default: every family with an ACTIVE revision. */
  readonly recordedTaskDefinitionIds?: readonly string[];
  /** Verdicts Config already holds for the rule. */
  readonly verdicts?: readonly SimVerdict[];
  /** Configuration items in Config's history (GetResourceConfigHistory), e.g. for oversized notifications. */
  readonly history?: readonly SimHistoryItem[];
}

export interface SimHistoryItem {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly captureTime: string;
  readonly status?: string;
  /** PascalCase, as Config records it. */
  readonly configuration: Record<string, unknown>;
}

export function arnOf(account: Pick<SimAccount, "accountId" | "region">, kind: string, name: string): string {
  return `arn:aws:ecs:${account.region}:${account.accountId}:${kind}/${name}`;
}
