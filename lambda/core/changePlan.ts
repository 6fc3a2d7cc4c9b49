import { judgeService, judgeTaskDefinition, type VerdictInputs } from "./evaluate";
import { SERVICE_TYPE, TASK_DEFINITION_TYPE } from "./identifiers";
import { familyResourceIds, revisionsOfService, type TaskDefinitionIdForm } from "./resourceIds";
import { familiesOfService, parseServiceArn, type ServiceName, type ServiceState } from "./services";
import { nameFromArn, parseTaskDefinitionRef } from "./taskDefinitionRef";
import type { Judgement, ResourceKey } from "./types";
import { type CurrentVerdict, type JudgedResource, planWrites, type WritePlan } from "./writes";

/** The parts of a configuration item a change notification is decided on. */
export interface ChangedResource extends ResourceKey {
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
  | { readonly kind: "service"; readonly service: ServiceName }
  | { readonly kind: "invalid"; readonly problem: string };

const UNRECORDED_STATUSES = new Set(["ResourceNotRecorded", "ResourceDeletedNotRecorded"]);

export function changeTarget(item: ChangedResource, eventLeftScope: boolean): ChangeTarget {
  if (eventLeftScope)
    return { kind: "notApplicable", annotation: "The resource left the scope of this rule." };
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
  return {
    kind: "notApplicable",
    annotation: "Only ECS task definitions and services are judged by this rule.",
  };
}

function serviceTarget(item: ChangedResource): ChangeTarget {
  if (item.status === "ResourceDeleted")
    return { kind: "notApplicable", annotation: "The service was deleted." };
  // As AWS's own sample rules do: what Config did not record is not judged.
  if (UNRECORDED_STATUSES.has(item.status)) {
    return { kind: "notApplicable", annotation: "AWS Config did not record this service's configuration." };
  }
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
  return { kind: "service", service: { cluster, name } };
}

export interface ChangeInput {
  readonly item: ChangedResource;
  readonly target: Exclude<ChangeTarget, { kind: "invalid" }>;
  /** What was read for the target; absent for a NOT_APPLICABLE target, which needs no read. */
  readonly state?: VerdictInputs;
  /** The described service, for a service target; absent when it could not be described. */
  readonly service?: ServiceState;
  readonly idForm: TaskDefinitionIdForm;
  /** What Config holds for this rule on the resources below; `undefined` when it could not be read. */
  readonly currentVerdicts: ReadonlyMap<string, CurrentVerdict> | undefined;
}

/** The resources a change notification judges: the one Config names and, for a service, its families. */
export function changeResourceKeys(input: Omit<ChangeInput, "currentVerdicts">): ResourceKey[] {
  const { item, target, state, service } = input;
  const keys: ResourceKey[] = [{ resourceType: item.resourceType, resourceId: item.resourceId }];
  if (target.kind !== "service" || state === undefined || service === undefined) return keys;
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
  return input.service === undefined ? UNKNOWN : judgeService(input.service, state);
}

/** A change notification's decision: the verdicts a sweep would reach, written only where they changed. */
export function planChange(input: ChangeInput): WritePlan {
  const judged: JudgedResource[] = changeResourceKeys(input).map((key) => ({
    ...key,
    judgement: judgeResource(key, input),
  }));
  return planWrites(judged, input.currentVerdicts, input.item.captureTime);
}
