import { CLUSTER_TYPE, SERVICE_TYPE, TASK_DEFINITION_TYPE, TASK_SET_TYPE } from "./identifiers";
import {
  judgeCluster,
  judgeService,
  judgeTaskDefinition,
  judgeTaskSet,
  type VerdictInputs,
} from "./judgeResources";
import { familyResourceIds, revisionsOfService, type TaskDefinitionIdForm } from "./resourceIds";
import { inScope, type JudgedScope } from "./scope";
import {
  familiesOfService,
  findTaskSet,
  parseServiceArn,
  type ServiceName,
  type ServiceState,
} from "./services";
import { nameFromArn, parseTaskDefinitionRef } from "./taskDefinitionRef";
import type { Judgement, ResourceKey } from "./verdicts";
import { type CurrentVerdict, type JudgedResource, planWrites, type WritePlan } from "./writes";

/**
 * The parts of a configuration item a change notification is decided on: from the invoking event, or from
 * Config's history (an oversized item), normalised to the event's shape.
 */
export interface ChangedItem extends ResourceKey {
  readonly status: string;
  readonly captureTime: Date;
  /** Absent for deleted resources and for oversized items until fetched from history. */
  readonly configuration: Record<string, unknown> | undefined;
}

/**
 * An item captured this long before its notification was recorded earlier and is being sent again: Config
 * re-sends every recorded item when a rule is created or re-evaluated (*unconfirmed* that such items keep
 * their capture time; if they do not, the reads still adapt to the burst, one notification later). A real
 * change is notified within minutes of its capture.
 */
export const RESENT_ITEM_AGE_MS = 60 * 60 * 1000;

/** Whether the notification re-sends an item recorded earlier, so that many more are likely to follow. */
export function isResentItem(captureTime: Date, notificationTime: Date | undefined): boolean {
  return (
    notificationTime !== undefined && notificationTime.getTime() - captureTime.getTime() > RESENT_ITEM_AGE_MS
  );
}

/** What a change notification asks for, decided from the event alone, before anything is read. */
export type ChangeTarget =
  | { readonly kind: "notApplicable"; readonly annotation: string }
  | { readonly kind: "taskDefinition"; readonly family: string }
  | {
      readonly kind: "service";
      readonly service: ServiceName;
      /** What DescribeServices is asked for: the item's `configuration.ServiceArn` when it has one. */
      readonly describeAs: string;
    }
  /** A task set: its service is described, and the task set, the service and its families are judged. */
  | {
      readonly kind: "taskSet";
      readonly service: ServiceName;
      readonly describeAs: string;
      /** The task set's id (`configuration.Id`), when the item has it. */
      readonly taskSetId: string | undefined;
    }
  /** A type the rule's parameters leave out of its scope: nothing is read or written for it. */
  | { readonly kind: "outOfScope" }
  /** A cluster, judged on the daemons it runs. */
  | { readonly kind: "cluster"; readonly cluster: string }
  | { readonly kind: "invalid"; readonly problem: string };

const UNRECORDED_STATUSES = new Set(["ResourceNotRecorded", "ResourceDeletedNotRecorded"]);

export function changeTarget(item: ChangedItem, eventLeftScope: boolean, scope: JudgedScope): ChangeTarget {
  if (eventLeftScope)
    return { kind: "notApplicable", annotation: "The resource left the scope of this rule." };
  // Config sent a type the rule's parameters leave out: nothing is read, and nothing is written (planChange).
  if (!inScope(scope, item.resourceType)) return { kind: "outOfScope" };
  if (item.resourceType === TASK_DEFINITION_TYPE) {
    // A deleted or unrecorded family is still judged: a revision of it may run with host PID.
    const ref = parseTaskDefinitionRef(item.resourceId);
    if (ref === undefined || ref.kind === "daemon") {
      return {
        kind: "invalid",
        problem: `configurationItem.resourceId ${JSON.stringify(item.resourceId)} is not a task definition family, family:revision or ARN`,
      };
    }
    return { kind: "taskDefinition", family: ref.family };
  }
  if (item.resourceType === SERVICE_TYPE) return serviceTarget(item);
  if (item.resourceType === CLUSTER_TYPE) return clusterTarget(item);
  if (item.resourceType === TASK_SET_TYPE) return taskSetTarget(item);
  return {
    kind: "notApplicable",
    annotation: "Only ECS task definitions and services are judged by this rule.",
  };
}

/**
 * A deleted service or task set runs nothing, and, as AWS's own sample rules do, what Config did not record
 * is not judged: NOT_APPLICABLE, or undefined when the item is to be judged.
 */
function deletedOrUnrecorded(item: ChangedItem, what: string): ChangeTarget | undefined {
  if (item.status === "ResourceDeleted")
    return { kind: "notApplicable", annotation: `The ${what} was deleted.` };
  if (UNRECORDED_STATUSES.has(item.status))
    return { kind: "notApplicable", annotation: `AWS Config did not record this ${what}'s configuration.` };
  return undefined;
}

function serviceTarget(item: ChangedItem): ChangeTarget {
  const notJudged = deletedOrUnrecorded(item, "service");
  if (notJudged) return notJudged;
  const configuration = item.configuration ?? {};
  const named = parseServiceArn(
    typeof configuration.ServiceArn === "string" ? configuration.ServiceArn : item.resourceId,
  );
  const name = typeof configuration.ServiceName === "string" ? configuration.ServiceName : named?.name;
  const cluster =
    typeof configuration.Cluster === "string" ? nameFromArn(configuration.Cluster) : named?.cluster;
  if (!name || !cluster) {
    return {
      kind: "invalid",
      problem: `configurationItem for service ${JSON.stringify(item.resourceId)} names no cluster and service (configuration.Cluster, configuration.ServiceName or a service/CLUSTER/NAME ARN)`,
    };
  }
  const describeAs = [configuration.ServiceArn, item.resourceId].find(
    (candidate): candidate is string =>
      typeof candidate === "string" && parseServiceArn(candidate)?.cluster !== undefined,
  );
  return { kind: "service", service: { cluster, name }, describeAs: describeAs ?? name };
}

function taskSetTarget(item: ChangedItem): ChangeTarget {
  const notJudged = deletedOrUnrecorded(item, "task set");
  if (notJudged) return notJudged;
  const configuration = item.configuration ?? {};
  const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  const serviceText = text(configuration.Service);
  const clusterText = text(configuration.Cluster);
  const fromArn = serviceText === undefined ? undefined : parseServiceArn(serviceText);
  const name = fromArn?.name ?? (serviceText === undefined ? undefined : nameFromArn(serviceText));
  const cluster = fromArn?.cluster ?? (clusterText === undefined ? undefined : nameFromArn(clusterText));
  if (!name || !cluster) {
    return {
      kind: "invalid",
      problem: `configurationItem for task set ${JSON.stringify(item.resourceId)} names no cluster and service (configuration.Cluster and configuration.Service)`,
    };
  }
  return {
    kind: "taskSet",
    service: { cluster, name },
    describeAs: fromArn?.cluster !== undefined && serviceText !== undefined ? serviceText : name,
    taskSetId: text(configuration.Id),
  };
}

function clusterTarget(item: ChangedItem): ChangeTarget {
  const configuration = item.configuration ?? {};
  // A deleted cluster runs nothing; its daemons went with it.
  if (item.status === "ResourceDeleted" || item.status === "ResourceDeletedNotRecorded")
    return { kind: "notApplicable", annotation: "The cluster was deleted." };
  const named = [configuration.ClusterName, configuration.Arn, item.resourceId].find(
    (candidate): candidate is string => typeof candidate === "string" && candidate !== "",
  );
  const cluster = named === undefined ? undefined : nameFromArn(named);
  if (cluster === undefined || !/^[A-Za-z0-9_-]{1,255}$/.test(cluster)) {
    return {
      kind: "invalid",
      problem: `configurationItem for cluster ${JSON.stringify(item.resourceId)} names no cluster (configuration.ClusterName, configuration.Arn or the resource id)`,
    };
  }
  return { kind: "cluster", cluster };
}

export interface ChangeInput {
  readonly item: ChangedItem;
  readonly target: Exclude<ChangeTarget, { kind: "invalid" }>;
  /** What was read for the target; absent for a NOT_APPLICABLE target, which needs no read. */
  readonly state?: VerdictInputs;
  /** The described service, for a service or task set target; absent when it could not be described. */
  readonly service?: ServiceState;
  readonly idForm: TaskDefinitionIdForm;
  /**
   * The OrderingTimestamp of verdicts drawn from live reads: the notification's creation time, so that a
   * re-sent item (with its original capture time) can still overturn an older sweep's verdict.
   */
  readonly orderingTimestamp: Date;
  /** What Config holds for this rule on the resources below; `undefined` when it could not be read. */
  readonly currentVerdicts: ReadonlyMap<string, CurrentVerdict> | undefined;
}

/** The resources a change notification judges: the one Config names and, for a service, its families. */
export function changeResourceKeys(
  input: Omit<ChangeInput, "currentVerdicts" | "orderingTimestamp">,
): ResourceKey[] {
  const { item, target, state, service } = input;
  if (target.kind === "outOfScope") return [];
  const keys: ResourceKey[] = [{ resourceType: item.resourceType, resourceId: item.resourceId }];
  if (
    (target.kind !== "service" && target.kind !== "taskSet") ||
    state === undefined ||
    service === undefined
  )
    return keys;
  // A task set re-judges its service (under the new-format ARN Config records services by).
  if (target.kind === "taskSet") keys.push({ resourceType: SERVICE_TYPE, resourceId: service.arn });
  const families = new Set([
    ...familiesOfService(service),
    ...revisionsOfService(state.view, service).map((revision) => revision.family),
  ]);
  for (const family of [...families].sort()) {
    for (const resourceId of familyResourceIds(family, state.view, input.idForm))
      keys.push({ resourceType: TASK_DEFINITION_TYPE, resourceId });
  }
  return keys;
}

const UNKNOWN: Judgement = { complianceType: "NOT_APPLICABLE", annotation: "unknown", certain: false };

function judgeResource(key: ResourceKey, input: ChangeInput): Judgement {
  const { target, state } = input;
  if (target.kind === "notApplicable")
    return { complianceType: "NOT_APPLICABLE", annotation: target.annotation, certain: true };
  if (state === undefined) return UNKNOWN;
  if (key.resourceType === TASK_DEFINITION_TYPE) return judgeTaskDefinition(key.resourceId, state) ?? UNKNOWN;
  if (target.kind === "cluster") return judgeCluster(target.cluster, state);
  if (input.service === undefined) return UNKNOWN;
  if (key.resourceType === TASK_SET_TYPE && target.kind === "taskSet") {
    const taskSet =
      findTaskSet(input.service, key.resourceId) ??
      (target.taskSetId === undefined ? undefined : findTaskSet(input.service, target.taskSetId));
    return judgeTaskSet(input.service, taskSet, state);
  }
  return judgeService(input.service, state);
}

/** A change notification's decision: the verdicts a sweep would reach, written only where they changed. */
export function planChange(input: ChangeInput): WritePlan {
  const judged: JudgedResource[] = changeResourceKeys(input).map((key) => ({
    ...key,
    judgement: judgeResource(key, input),
  }));
  // What the item alone decides (deleted, left the scope) is as of its capture; what was read, as of the notification.
  const orderingTimestamp =
    input.target.kind === "notApplicable" ? input.item.captureTime : input.orderingTimestamp;
  return planWrites(judged, input.currentVerdicts, orderingTimestamp);
}
