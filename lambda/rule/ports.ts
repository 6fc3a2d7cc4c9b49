// The ports of the rule: what it asks of ECS, AWS Config and the exceptions parameter, declared here so
// that the rule owns them and `lambda/adapters/` implements them (as Powertools' idempotency package
// declares its persistence layer's interface apart from the layers).

import type { ExceptionsDocument, ReviewOptions } from "../core/approvedExceptions";
import type { ChangedItem } from "../core/changePlan";
import type { InUseView, Placement, RevisionFacts } from "../core/inUseView";
import type { ServiceState, ServiceToDescribe } from "../core/services";
import type { Evaluation, ResourceKey } from "../core/verdicts";
import type { CurrentVerdict } from "../core/writes";
import type { Clock } from "../util/clock";
import type { InvocationDeadline } from "../util/deadline";

/** Views of RUNNING tasks: the whole account (a sweep), or what a change needs (the cheaper read). */
export interface InUseViews {
  readAccount(options?: ReadOptions): Promise<InUseView>;
  readFamilies(families: readonly string[], options?: FamilyReadOptions): Promise<InUseView>;
}

/** The adapters that act in one account: reads of ECS and Config there, writes to Config there. */
export interface AccountPorts {
  readonly accountId: string;
  readonly inUse: InUseViews;
  readonly revisions: RevisionSource;
  readonly services: ServiceSource;
  readonly config: ComplianceStore;
}

/** What `PidModeRule` is built with (`lambda/wiring.ts` builds them once per container). */
export interface RuleDependencies {
  /** The ports for an account: the function's own, or a member account's through its execution role. */
  portsFor(accountId: string, executionRoleName: string | undefined): Promise<AccountPorts>;
  readonly exceptions: ExceptionsSource;
  /** The run-time review of the list: the same maximum duration and organization rules as synth. */
  readonly exceptionsReview: Omit<ReviewOptions, "now">;
  readonly clock: Clock;
  /**
   * Consulted by the adapters before they retry; the rule sets it at the start of every invocation.
   * @default - none: adapters retry within their own policy only
   */
  readonly deadline?: InvocationDeadline;
  /**
   * Time kept back at the end of an invocation to write what is certain and fail loudly.
   * @default DEFAULT_RESERVE_MS (60 s)
   */
  readonly reserveMs?: number;
}

/** How a read of RUNNING tasks may be stopped and watched. */
export interface ReadOptions {
  /** Asked before each page: true once the invocation must stop reading to leave time to report. */
  readonly shouldStop?: () => boolean;
  /** Called once for each revision the first time a RUNNING task is seen using it (to describe it early). */
  readonly onRevision?: (arn: string) => void;
  /**
   * Called once each cluster of an account-wide read has been read to the end, with what runs in it: to
   * describe its services while other clusters are still being read, or to keep the read for a retry.
   */
  readonly onClusterRead?: (read: ClusterRead) => void;
  /** Clusters an earlier attempt of this sweep read to the end: taken as they are instead of read again. */
  readonly earlierReads?: ReadonlyMap<string, ClusterRead>;
  /**
   * Names the sweep an account-wide read serves (its rule and event), the same for Lambda's retries of it:
   * the clusters an earlier attempt of the same sweep read to the end are taken as they are.
   */
  readonly resumeKey?: string;
  /** Called as the read advances, with running totals (for a progress line on a large account). */
  readonly onProgress?: (progress: ReadProgress) => void;
  /** Called when the read ends, with what it cost: the figures a caller chooses its next read by. */
  readonly onFinished?: (cost: ReadCost) => void;
  /** An account-wide read also reads every cluster's ECS Managed Daemons through the daemon APIs. */
  readonly includeDaemons?: boolean;
}

/** What the read of one cluster to the end saw. */
export interface ClusterRead {
  readonly clusterArn: string;
  /** Each RUNNING task's task definition and placement, and each daemon's current task definition. */
  readonly tasks: readonly { readonly taskDefinitionArn: string; readonly placement: Placement }[];
  /** False when part of the cluster could not be read (a task, a daemon): such a read is not kept. */
  readonly complete: boolean;
}

/** Running totals of a read, for a progress line. */
export interface ReadProgress {
  readonly clustersListed: number;
  readonly clustersRead: number;
  readonly tasksDescribed: number;
}

/** What a finished read cost. */
export interface ReadCost {
  /** ECS calls the read made (ListClusters, ListTasks, DescribeTasks), retries not counted. */
  readonly calls: number;
  readonly clusters: number;
}

/** The options of a change notification's read. */
export interface FamilyReadOptions extends ReadOptions {
  /**
   * The notification is one of many likely to arrive at once (Config re-sending the items it recorded):
   * the account-wide view, which answers them all, is read at once unless a fresh one covers the families.
   */
  readonly manyMayFollow?: boolean;
}

/** The descriptions of many revisions, and the ones that could not be described. */
export interface DescribeResult {
  readonly facts: Map<string, RevisionFacts>;
  /** Revisions that could not be described, with why. */
  readonly unread: Map<string, string>;
}

/** What each revision says (its pidMode), read once per revision. */
export interface RevisionSource {
  /** Starts describing a revision now; the result is collected by `describeAll`. */
  prefetch(arn: string, shouldStop?: () => boolean): void;
  /**
   * Describes every revision. Once `shouldStop` turns true, no further DescribeTaskDefinition is sent: what is
   * not known by then is left unread, so the caller still has time to report.
   */
  describeAll(arns: readonly string[], shouldStop?: () => boolean): Promise<DescribeResult>;
  /** Records facts learnt elsewhere (a configuration item carries its revision's pidMode). */
  remember(facts: RevisionFacts): void;
  /** Resolves `family`, `family:revision` or an ARN to the revision it names today. */
  describeReference(reference: string): Promise<RevisionFacts>;
}

/** The services described, and the ones that could not be. */
export interface ServicesRead {
  /** Keyed by the `resourceId` asked for; deleted and MISSING services included. */
  readonly states: ReadonlyMap<string, ServiceState>;
  /** Services that could not be described, with why. */
  readonly unread: ReadonlyMap<string, string>;
}

/** The state of ECS services: their deployments' revisions. */
export interface ServiceSource {
  /**
   * With a `resumeKey` (a sweep's rule and event), services an earlier attempt of the same sweep described
   * may be answered as they were then.
   */
  describe(
    services: readonly ServiceToDescribe[],
    options?: { readonly resumeKey?: string },
  ): Promise<ServicesRead>;
}

/** What the rule asks of AWS Config. */
export interface ComplianceStore {
  putEvaluations(evaluations: readonly Evaluation[], resultToken: string): Promise<void>;
  currentVerdicts(configRuleName: string): Promise<Map<string, CurrentVerdict>>;
  /** What this rule holds for a few resources (one GetComplianceDetailsByResource each): cheap for one change. */
  verdictsFor(
    configRuleName: string,
    resources: readonly ResourceKey[],
  ): Promise<Map<string, CurrentVerdict>>;
  recordedResourceIds(resourceType: string): Promise<string[]>;
  /** A few recorded ids of a type (one small page, kept for the container's life): enough to see their form. */
  sampleResourceIds(resourceType: string): Promise<string[]>;
  historicalItem(resourceType: string, resourceId: string, captureTime: Date): Promise<ChangedItem>;
}

/**
 * The approved exceptions as deployed: their text, or why it cannot be trusted (changed outside the pipeline,
 * unreadable). Never throws for the list itself: the rule decides what an unverifiable list means.
 */
export interface ExceptionsSource {
  load(): Promise<ExceptionsDocument>;
}
