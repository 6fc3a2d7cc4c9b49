// A simulated account: ECS clusters with their tasks, task definition revisions, and what AWS Config has
// recorded. JSON-shaped so sample accounts can ship as files; generators build large ones in code.

export interface SimTask {
  readonly id: string;
  /** `family:revision`, of a task definition (or, with `daemon`, of a daemon task definition) */
  readonly taskDefinition: string;
  readonly service?: string;
  /** The ECS Managed Daemon that runs this task: its ARN says `daemon-task-definition/`. */
  readonly daemon?: string;
  /** Defaults to RUNNING. STOPPED tasks still listed model ECS listing recently stopped ones. */
  readonly lastStatus?: string;
  /** True: DescribeTasks reports this task as a MISSING failure (it stopped and vanished). */
  readonly missing?: boolean;
  /**
   * For a daemon task, the kind of ARN DescribeTasks reports as its `taskDefinitionArn` (undocumented by AWS):
   * its daemon task definition (default), its daemon revision, or its daemon.
   */
  readonly daemonArnKind?: "daemon-task-definition" | "daemon-revision" | "daemon";
}

/** An ECS Managed Daemon as DescribeDaemon shows it: its current revisions, each running a daemon task definition. */
export interface SimDaemon {
  readonly cluster: string;
  readonly name: string;
  readonly status?: "ACTIVE" | "DELETE_IN_PROGRESS";
  readonly revisions: readonly {
    readonly id: string;
    /** `family:revision` of a daemon task definition. */
    readonly taskDefinition: string;
    readonly runningCount?: number;
  }[];
}

export interface SimCluster {
  readonly name: string;
  readonly tasks: readonly SimTask[];
}

export interface SimRevision {
  readonly family: string;
  readonly revision: number;
  /** A daemon task definition (`pidMode` `shared` or `none`) instead of a task definition. */
  readonly kind?: "daemon";
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

/** A service as DescribeServices shows it. Without any, each service its tasks name is ACTIVE and steady. */
export interface SimService {
  readonly cluster: string;
  readonly name: string;
  readonly status?: "ACTIVE" | "DRAINING" | "INACTIVE";
  readonly desiredCount?: number;
  readonly schedulingStrategy?: "REPLICA" | "DAEMON";
  readonly deploymentController?: "ECS" | "CODE_DEPLOY" | "EXTERNAL";
  /** `family:revision`; absent for an EXTERNAL service. */
  readonly taskDefinition?: string;
  readonly deployments?: readonly { readonly status: string; readonly taskDefinition: string }[];
  readonly taskSets?: readonly {
    readonly status: string;
    readonly taskDefinition: string;
    /** `ecs-svc/…`; default: derived from the service and the task definition. */
    readonly id?: string;
    /** Default 1. */
    readonly computedDesiredCount?: number;
    /** Default: its computed desired count. */
    readonly runningCount?: number;
  }[];
}

export interface SimAccount {
  readonly accountId: string;
  readonly region: string;
  readonly clusters: readonly SimCluster[];
  /** Daemons the daemon APIs know; default: one per daemon name the tasks carry, a revision per daemon task definition. */
  readonly daemons?: readonly SimDaemon[];
  /** True: the Region has no ECS Managed Daemons (the daemon APIs answer UnsupportedFeatureException). */
  readonly daemonsUnsupported?: boolean;
  /** Services DescribeServices knows; default: one steady service per service name the tasks carry. */
  readonly services?: readonly SimService[];
  readonly revisions: readonly SimRevision[];
  /** AWS::ECS::TaskDefinition resource ids Config has recorded; default: every family with an ACTIVE revision. */
  readonly recordedTaskDefinitionIds?: readonly string[];
  /** AWS::ECS::TaskSet resource ids Config has recorded (their form is undocumented); default none. */
  readonly recordedTaskSetIds?: readonly string[];
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
