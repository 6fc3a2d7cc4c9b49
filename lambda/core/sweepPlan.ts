import { CLUSTER_TYPE, SERVICE_TYPE, TASK_DEFINITION_TYPE, TASK_SET_TYPE } from "./identifiers";
import type { InUseView } from "./inUseView";
import {
  judgeCluster,
  judgeService,
  judgeTaskDefinition,
  judgeTaskSet,
  type VerdictInputs,
} from "./judgeResources";
import { clusterResourceId, inferTaskDefinitionIdForm, taskDefinitionResourceId } from "./resourceIds";
import type { JudgedScope } from "./scope";
import { findTaskSet, parseServiceArn, type ServiceState, type ServiceToDescribe } from "./services";
import { nameFromArn } from "./taskDefinitionRef";
import { verdictKey } from "./verdicts";
import { type CurrentVerdict, type JudgedResource, planWrites, type WritePlan } from "./writes";

/** What AWS Config records and holds for the rule, as one sweep read it. */
export interface ConfigSnapshot {
  readonly recordedTaskDefinitionIds: readonly string[];
  /** A few recorded AWS::ECS::Cluster ids: enough to see whether Config names clusters by name or ARN. */
  readonly recordedClusterSample: readonly string[];
  /** What Config holds for this rule now, by `verdictKey`. */
  readonly currentVerdicts: ReadonlyMap<string, CurrentVerdict>;
  /** AWS::ECS::TaskSet ids Config records (read only while services are in the scope). */
  readonly recordedTaskSetIds?: readonly string[];
}

export interface SweepInput {
  readonly state: VerdictInputs;
  /** `undefined` when Config could not be read: then only the certain NON_COMPLIANT verdicts are written. */
  readonly config: ConfigSnapshot | undefined;
  /** The services the sweep described (`servicesToDescribe`), deleted ones included. */
  readonly services: readonly ServiceState[];
  /** Service resource ids that could not be described: their verdicts stay as Config has them. */
  readonly undescribedServiceIds: readonly string[];
  readonly orderingTimestamp: Date;
  /** What the rule judges: only these types are judged and written. */
  readonly scope: JudgedScope;
}

export interface SweepPlan extends WritePlan {
  /** Task definition resource ids that name no task definition: nothing can be said about them. */
  readonly unrecognised: readonly string[];
  /** Service resource ids that name no cluster (old-format ARNs): they cannot be described, so are not judged. */
  readonly unjudgedServiceIds: readonly string[];
}

/** `arn:aws:ecs:r:a:cluster/prod` and `api` give `arn:aws:ecs:r:a:service/prod/api`, the form Config records. */
export function serviceArnIn(clusterArn: string, name: string): string | undefined {
  const match = /^(arn:aws[a-z-]*:ecs:[a-z0-9-]*:\d*:)cluster\/([^/]+)$/.exec(clusterArn);
  return match ? `${match[1]}service/${match[2]}/${name}` : undefined;
}

/**
 * The services a sweep judges: every one this rule has a verdict for (so verdicts of deleted or idle
 * services clear), and every one whose RUNNING tasks the sweep saw.
 */
export function servicesToDescribe(
  view: InUseView,
  currentVerdicts: ReadonlyMap<string, CurrentVerdict> | undefined,
): { services: ServiceToDescribe[]; unjudgedServiceIds: string[] } {
  const running = view.revisions.flatMap((revision) =>
    revision.placements.flatMap(({ cluster, service }) =>
      service === undefined ? [] : [{ cluster, service }],
    ),
  );
  const arnByName = new Map(view.clusterArns.map((arn) => [nameFromArn(arn), arn]));
  return mergeServices(verdictServices(currentVerdicts), running, arnByName);
}

/**
 * The part of `servicesToDescribe` that one cluster settles once it is read: its services with a verdict
 * and those whose RUNNING tasks it has. A sweep describes them while other clusters are still being read.
 */
export function servicesOfCluster(
  clusterArn: string,
  runningServiceNames: readonly string[],
  currentVerdicts: ReadonlyMap<string, CurrentVerdict> | undefined,
): ServiceToDescribe[] {
  const cluster = nameFromArn(clusterArn);
  const withVerdicts = verdictServices(currentVerdicts);
  return mergeServices(
    { services: withVerdicts.services.filter((service) => service.cluster === cluster), unjudged: [] },
    runningServiceNames.map((service) => ({ cluster, service })),
    new Map([[cluster, clusterArn]]),
  ).services;
}

function verdictServices(currentVerdicts: ReadonlyMap<string, CurrentVerdict> | undefined): {
  services: ServiceToDescribe[];
  unjudged: string[];
} {
  const services: ServiceToDescribe[] = [];
  const unjudged: string[] = [];
  for (const verdict of currentVerdicts?.values() ?? []) {
    if (verdict.resourceType !== SERVICE_TYPE) continue;
    const named = parseServiceArn(verdict.resourceId);
    if (named?.cluster === undefined) unjudged.push(verdict.resourceId);
    else services.push({ cluster: named.cluster, name: named.name, resourceId: verdict.resourceId });
  }
  return { services, unjudged };
}

/** Services with a verdict keep its id; the others get the id Config records, built from their cluster's ARN. */
function mergeServices(
  withVerdicts: { services: readonly ServiceToDescribe[]; unjudged: readonly string[] },
  running: readonly { cluster: string; service: string }[],
  clusterArnByName: ReadonlyMap<string, string>,
): { services: ServiceToDescribe[]; unjudgedServiceIds: string[] } {
  const byKey = new Map<string, ServiceToDescribe>();
  const unjudgedServiceIds = [...withVerdicts.unjudged];
  for (const service of withVerdicts.services) byKey.set(`${service.cluster}/${service.name}`, service);
  for (const { cluster, service } of running) {
    if (byKey.has(`${cluster}/${service}`)) continue;
    const resourceId = serviceArnIn(clusterArnByName.get(cluster) ?? "", service);
    if (resourceId === undefined) unjudgedServiceIds.push(`${cluster}/${service}`);
    else byKey.set(`${cluster}/${service}`, { cluster, name: service, resourceId });
  }
  const services = [...byKey.values()].sort((a, b) =>
    `${a.cluster}/${a.name}`.localeCompare(`${b.cluster}/${b.name}`),
  );
  return { services, unjudgedServiceIds: [...new Set(unjudgedServiceIds)].sort() };
}

function judgedTaskDefinitions(input: SweepInput, unrecognised: string[]): JudgedResource[] {
  const { state, config } = input;
  const idForm = inferTaskDefinitionIdForm(config?.recordedTaskDefinitionIds ?? []);
  const ids = new Set<string>(config?.recordedTaskDefinitionIds ?? []);
  for (const revision of state.view.revisions) ids.add(taskDefinitionResourceId(revision, idForm));
  for (const verdict of config?.currentVerdicts.values() ?? []) {
    if (verdict.resourceType === TASK_DEFINITION_TYPE) ids.add(verdict.resourceId);
  }
  const judged: JudgedResource[] = [];
  for (const resourceId of [...ids].sort()) {
    const judgement = judgeTaskDefinition(resourceId, state);
    if (judgement === undefined) unrecognised.push(resourceId);
    else judged.push({ resourceType: TASK_DEFINITION_TYPE, resourceId, judgement });
  }
  return judged;
}

function judgedServices(input: SweepInput): JudgedResource[] {
  return [...input.services]
    .sort((a, b) => a.arn.localeCompare(b.arn))
    .map((service) => ({
      resourceType: SERVICE_TYPE,
      resourceId: service.arn,
      judgement: judgeService(service, input.state),
    }));
}

/**
 * Task sets, from the services' descriptions the sweep already has: every id Config records or this rule
 * judged that names a task set of a described service. (Config's TaskSet id form is undocumented, so an id
 * that matches none is left as Config has it; its deletion notification clears it.)
 */
function judgedTaskSets(input: SweepInput): JudgedResource[] {
  const ids = new Set(input.config?.recordedTaskSetIds ?? []);
  for (const verdict of input.config?.currentVerdicts.values() ?? [])
    if (verdict.resourceType === TASK_SET_TYPE) ids.add(verdict.resourceId);
  const judged: JudgedResource[] = [];
  for (const resourceId of [...ids].sort()) {
    for (const service of input.services) {
      const taskSet = findTaskSet(service, resourceId);
      if (taskSet === undefined) continue;
      judged.push({
        resourceType: TASK_SET_TYPE,
        resourceId,
        judgement: judgeTaskSet(service, taskSet, input.state),
      });
      break;
    }
  }
  return judged;
}

/** Clusters that run daemon tasks, and clusters this rule has judged before (so their verdicts clear). */
function judgedClusters(input: SweepInput): JudgedResource[] {
  const { state, config } = input;
  const sample = config?.recordedClusterSample ?? [];
  const arnByName = new Map(state.view.clusterArns.map((arn) => [nameFromArn(arn), arn]));
  const names = new Set<string>();
  for (const revision of state.view.daemonRevisions) {
    for (const placement of revision.placements) names.add(placement.cluster);
  }
  const ids = new Map<string, string>();
  for (const name of names) ids.set(clusterResourceId(arnByName.get(name) ?? name, sample), name);
  for (const verdict of config?.currentVerdicts.values() ?? []) {
    if (verdict.resourceType === CLUSTER_TYPE) ids.set(verdict.resourceId, nameFromArn(verdict.resourceId));
  }
  return [...ids.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([resourceId, name]) => ({
      resourceType: CLUSTER_TYPE,
      resourceId,
      judgement: judgeCluster(name, state),
    }));
}

/**
 * The periodic sweep's decision: every recorded task definition, every in-use family Config does not
 * record, every task definition, service and cluster this rule has judged before, every service whose
 * tasks ran, and every cluster that runs daemons. Only certain verdicts that differ from Config's are written.
 */
export function planSweep(input: SweepInput): SweepPlan {
  const unrecognised: string[] = [];
  const { scope } = input;
  const judged: JudgedResource[] = [
    ...judgedTaskDefinitions(input, unrecognised),
    ...(scope.services ? [...judgedServices(input), ...judgedTaskSets(input)] : []),
    ...(scope.daemons ? judgedClusters(input) : []),
  ];
  const { unjudgedServiceIds } = scope.services
    ? servicesToDescribe(input.state.view, input.config?.currentVerdicts)
    : { unjudgedServiceIds: [] };
  // Without Config's reads the resource ids to clear and their form are unknown: only a certain
  // NON_COMPLIANT is sure to be right, and it must not wait for Config to answer.
  const writable =
    input.config === undefined
      ? judged.filter(({ judgement }) => judgement.complianceType === "NON_COMPLIANT")
      : judged;
  const plan = planWrites(writable, input.config?.currentVerdicts, input.orderingTimestamp);
  return {
    ...plan,
    withheld: [
      ...plan.withheld,
      ...(scope.services ? input.undescribedServiceIds : []).map((resourceId) =>
        verdictKey(SERVICE_TYPE, resourceId),
      ),
    ],
    unrecognised,
    unjudgedServiceIds,
  };
}
