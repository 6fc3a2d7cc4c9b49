import { nameFromArn, parseTaskDefinitionRef } from "./taskDefinitionRef";

/**
 * A service as `DescribeServices` returns it, reduced to what the verdict depends on. The ECS SDK's
 * `Service` fits this shape; the core names only the fields it reads.
 */
export interface ServiceDescription {
  readonly serviceArn?: string | undefined;
  readonly serviceName?: string | undefined;
  readonly clusterArn?: string | undefined;
  readonly status?: string | undefined;
  readonly desiredCount?: number | undefined;
  readonly schedulingStrategy?: string | undefined;
  readonly taskDefinition?: string | undefined;
  readonly deploymentController?: { readonly type?: string | undefined } | undefined;
  readonly deployments?:
    | readonly { readonly status?: string | undefined; readonly taskDefinition?: string | undefined }[]
    | undefined;
  readonly taskSets?: readonly TaskSetDescription[] | undefined;
}

/** A task set as `DescribeServices` returns it inside its service, reduced to what its verdict depends on. */
export interface TaskSetDescription {
  readonly id?: string | undefined;
  readonly taskSetArn?: string | undefined;
  readonly status?: string | undefined;
  readonly taskDefinition?: string | undefined;
  readonly computedDesiredCount?: number | undefined;
  readonly runningCount?: number | undefined;
  readonly pendingCount?: number | undefined;
  readonly scale?: { readonly value?: number | undefined } | undefined;
}

/** What a task set is doing, from its service's description (no call of its own). */
export interface TaskSetState {
  /** `ecs-svc/…`: the id Config's item carries as `Id`. */
  readonly id: string;
  readonly arn: string | undefined;
  readonly taskDefinition: string | undefined;
  /** Its computed desired count (or, without one, its scale) is above zero. */
  readonly wantsTasks: boolean;
  /** ECS counts RUNNING or PENDING tasks of it. */
  readonly runsTasks: boolean;
}

function taskSetState(taskSet: TaskSetDescription): TaskSetState | undefined {
  const id = taskSet.id ?? (taskSet.taskSetArn ? nameFromArn(taskSet.taskSetArn) : undefined);
  if (!id) return undefined;
  const desired = taskSet.computedDesiredCount ?? taskSet.scale?.value ?? 0;
  return {
    id,
    arn: taskSet.taskSetArn,
    taskDefinition: taskSet.taskDefinition || undefined,
    wantsTasks: desired > 0,
    runsTasks: (taskSet.runningCount ?? 0) + (taskSet.pendingCount ?? 0) > 0,
  };
}

export interface ServiceName {
  readonly cluster: string;
  readonly name: string;
}

/** A service the rule wants described. */
export interface ServiceToDescribe extends ServiceName {
  /**
   * Config's id for the service, what the result is keyed by: the id of its verdict, or the new-format ARN
   * built from its cluster's ARN.
   */
  readonly resourceId: string;
  /** What DescribeServices is asked for, when not `resourceId` (a change item's `configuration.ServiceArn`). */
  readonly describeAs?: string;
}

/** What a service is doing, from one description: the facts a change notification and a sweep share. */
export interface ServiceState extends ServiceName {
  /** Config's resource id: the new-format service ARN. */
  readonly arn: string;
  /** False once the service is deleted (`INACTIVE`) or ECS no longer knows it (`MISSING`). */
  readonly exists: boolean;
  /** A `DAEMON` service, or a `REPLICA` service with a desired count above zero. */
  readonly wantsTasks: boolean;
  /**
   * The task definition it is rolling out while it wants tasks: its PRIMARY deployment's (rolling
   * updates), its primary task set's (`CODE_DEPLOY`, `EXTERNAL`), or its own `taskDefinition`.
   */
  readonly wanted: string | undefined;
  /** Every task definition its deployments and task sets name: tasks of any of them may still run. */
  readonly referenced: readonly string[];
  /** Its task sets (`CODE_DEPLOY`, `EXTERNAL`), as its description lists them. */
  readonly taskSets: readonly TaskSetState[];
}

/** `arn:aws:ecs:r:a:service/prod/api` names cluster and service; `arn:...:service/api` (old format) only the service. */
export function parseServiceArn(arn: string): { cluster?: string; name: string } | undefined {
  const match = /^arn:aws[a-z-]*:ecs:[a-z0-9-]*:\d*:service\/(?:([^/]+)\/)?([^/]+)$/.exec(arn);
  if (!match) return undefined;
  return match[1] === undefined
    ? { name: match[2] as string }
    : { cluster: match[1], name: match[2] as string };
}

function primaryTaskDefinition(service: ServiceDescription): string | undefined {
  const controller = service.deploymentController?.type ?? "ECS";
  const primary =
    controller === "ECS"
      ? service.deployments?.find((deployment) => deployment.status === "PRIMARY")
      : service.taskSets?.find((taskSet) => taskSet.status === "PRIMARY");
  return primary?.taskDefinition || service.taskDefinition || undefined;
}

export function serviceState(arn: string, service: ServiceDescription): ServiceState {
  const named = parseServiceArn(service.serviceArn ?? arn);
  const cluster = service.clusterArn ? nameFromArn(service.clusterArn) : (named?.cluster ?? "default");
  const name = service.serviceName ?? named?.name ?? nameFromArn(arn);
  const exists = service.status !== "INACTIVE";
  const wantsTasks = exists && (service.schedulingStrategy === "DAEMON" || (service.desiredCount ?? 0) > 0);
  const referenced = new Set<string>();
  for (const reference of [
    service.taskDefinition,
    ...(service.deployments ?? []).map((deployment) => deployment.taskDefinition),
    ...(service.taskSets ?? []).map((taskSet) => taskSet.taskDefinition),
  ]) {
    if (reference) referenced.add(reference);
  }
  return {
    arn: service.serviceArn ?? arn,
    cluster,
    name,
    exists,
    wantsTasks,
    wanted: wantsTasks ? primaryTaskDefinition(service) : undefined,
    referenced: [...referenced].sort(),
    taskSets: exists
      ? (service.taskSets ?? []).flatMap((taskSet) => {
          const state = taskSetState(taskSet);
          return state ? [state] : [];
        })
      : [],
  };
}

/** A service ECS reports `MISSING`: deleted long enough ago that it is not even shown as INACTIVE. */
export function missingService(arn: string, service: ServiceName): ServiceState {
  return {
    arn,
    ...service,
    exists: false,
    wantsTasks: false,
    wanted: undefined,
    referenced: [],
    taskSets: [],
  };
}

/** The families whose RUNNING tasks can belong to the service. */
export function familiesOfService(state: ServiceState): string[] {
  const families = new Set<string>();
  for (const reference of state.referenced) {
    const ref = parseTaskDefinitionRef(reference);
    if (ref) families.add(ref.family);
  }
  return [...families].sort();
}

/**
 * The task set a Config id names, if the service lists it. The form of Config's TaskSet ids is undocumented: the
 * task set's ARN, its id (`ecs-svc/…`), or an identifier that ends in or lists its id (CloudFormation's
 * `cluster|service|id`) are all taken.
 */
export function findTaskSet(service: ServiceState, resourceId: string): TaskSetState | undefined {
  return service.taskSets.find(
    (taskSet) =>
      resourceId === taskSet.arn ||
      resourceId === taskSet.id ||
      resourceId.endsWith(`/${taskSet.id}`) ||
      resourceId.split("|").includes(taskSet.id),
  );
}
