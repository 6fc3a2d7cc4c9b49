import type { Service, Task } from "@aws-sdk/client-ecs";
import { nameFromArn } from "../../core/taskDefinitionRef";
import type { Tag } from "../core/production";
import type { DeploymentController, TaskLaunch, WorkTarget } from "../core/waves";
import type { TargetFacts } from "../ports";

/** The RUNNING tasks of one offending revision in one service, or standalone in one cluster. */
export interface TargetTasks {
  readonly revisionArn: string;
  readonly target: WorkTarget;
  readonly tasks: Task[];
}

export interface InterfaceFacts {
  readonly publicIp: string | undefined;
  readonly subnetId: string | undefined;
  readonly securityGroups: readonly string[];
}

export interface InstanceFacts {
  readonly instanceId: string;
  readonly publicIp: string | undefined;
  /** ECS Anywhere: an on-premises server or VM registered through SSM, outside EC2. */
  readonly external: boolean;
}

export interface TargetGroupLoadBalancers {
  readonly byTargetGroup: Map<string, { loadBalancer: string; scheme: string | undefined }[]>;
  readonly unreadTargetGroups: Set<string>;
}

/** What the exposure reader read around the targets; `null` is a part it could not read. */
export interface ExposureLookups {
  /** By `cluster/service`. */
  readonly services: Map<string, Service>;
  readonly clusterTags: Map<string, Tag[]>;
  readonly loadBalancers: TargetGroupLoadBalancers;
  /** By network interface id; `undefined` is an interface that no longer exists. */
  readonly interfaces: Map<string, InterfaceFacts | null | undefined>;
  /** By container instance ARN. */
  readonly instances: Map<string, InstanceFacts | null>;
}

const SERVICE_GROUP = "service:";

/** Groups a cluster's RUNNING tasks of the offending revisions by revision and service (or standalone). */
export function addTargetTasks(
  targets: Map<string, TargetTasks>,
  cluster: string,
  tasks: readonly Task[],
  offending: ReadonlySet<string>,
): void {
  for (const task of tasks) {
    if (!task.taskDefinitionArn || !offending.has(task.taskDefinitionArn)) continue;
    const group = task.group ?? "";
    const target: WorkTarget = group.startsWith(SERVICE_GROUP)
      ? { kind: "service", cluster, service: group.slice(SERVICE_GROUP.length) }
      : { kind: "standalone", cluster };
    const key = `${task.taskDefinitionArn}|${cluster}|${target.kind === "service" ? target.service : ""}`;
    let entry = targets.get(key);
    if (entry === undefined) {
      entry = { revisionArn: task.taskDefinitionArn, target, tasks: [] };
      targets.set(key, entry);
    }
    entry.tasks.push(task);
  }
}

/** What decides one target's exposure and wave, from the parts read around it. */
export function targetFacts(entry: TargetTasks, lookups: ExposureLookups): TargetFacts {
  const unread: string[] = [];
  const { target } = entry;
  const service =
    target.kind === "service" ? lookups.services.get(`${target.cluster}/${target.service}`) : undefined;
  if (target.kind === "service" && service === undefined)
    unread.push(`service ${target.cluster}/${target.service}`);
  const loadBalancers = serviceLoadBalancers(service, lookups.loadBalancers, unread);
  const addresses = publicAddresses(entry.tasks, lookups, unread);
  const mapping = service?.loadBalancers?.find(
    (lb) => lb.containerName !== undefined && lb.containerPort !== undefined,
  );
  const controller = service?.deploymentController?.type ?? (service === undefined ? undefined : "ECS");
  return {
    revisionArn: entry.revisionArn,
    target,
    runningTasks: entry.tasks.length,
    startedBy: [...new Set(entry.tasks.flatMap((task) => task.startedBy ?? []))].sort(),
    exposure: {
      loadBalancers,
      assignPublicIp: service?.networkConfiguration?.awsvpcConfiguration?.assignPublicIp,
      ...addresses,
      unread: [...new Set(unread)],
    },
    ...(target.kind === "service"
      ? {
          deploymentController: controller as DeploymentController | undefined,
          loadBalancerContainer:
            mapping === undefined
              ? undefined
              : { name: mapping.containerName as string, port: mapping.containerPort as number },
        }
      : { launch: standaloneLaunch(entry.tasks[0], lookups.interfaces) }),
    serviceTags: service?.tags,
    clusterTags: lookups.clusterTags.get(target.cluster),
  };
}

function serviceLoadBalancers(
  service: Service | undefined,
  read: TargetGroupLoadBalancers,
  unread: string[],
): TargetFacts["exposure"]["loadBalancers"] {
  return (service?.loadBalancers ?? []).flatMap((entry) => {
    if (!entry.targetGroupArn) return []; // a Classic Load Balancer by name: not read here
    const found = read.byTargetGroup.get(entry.targetGroupArn);
    if (found === undefined) {
      // Deleted: it sends nothing to the service. Not read: it might.
      if (read.unreadTargetGroups.has(entry.targetGroupArn))
        unread.push(`target group ${nameFromElbArn(entry.targetGroupArn)}`);
      return [];
    }
    return found.map((lb) => ({ ...lb, targetGroup: nameFromElbArn(entry.targetGroupArn as string) }));
  });
}

function publicAddresses(
  tasks: readonly Task[],
  lookups: ExposureLookups,
  unread: string[],
): Pick<TargetFacts["exposure"], "taskPublicIps" | "instancePublicIps" | "externalInstances"> {
  const taskPublicIps: { task: string; publicIp: string }[] = [];
  const instancePublicIps: { task: string; instanceId: string; publicIp: string }[] = [];
  const externalInstances: { task: string; instanceId: string }[] = [];
  for (const task of tasks) {
    const taskId = nameFromArn(task.taskArn ?? "?");
    for (const eni of interfacesOf(task)) {
      const found = lookups.interfaces.get(eni);
      if (found === null) unread.push(`network interface ${eni}`);
      else if (found?.publicIp !== undefined) taskPublicIps.push({ task: taskId, publicIp: found.publicIp });
    }
    if (task.containerInstanceArn) {
      const instance = lookups.instances.get(task.containerInstanceArn);
      if (instance === undefined || instance === null)
        unread.push(`container instance ${nameFromArn(task.containerInstanceArn)}`);
      else if (instance.external) externalInstances.push({ task: taskId, instanceId: instance.instanceId });
      else if (instance.publicIp !== undefined)
        instancePublicIps.push({
          task: taskId,
          instanceId: instance.instanceId,
          publicIp: instance.publicIp,
        });
    }
  }
  return { taskPublicIps, instancePublicIps, externalInstances };
}

/** How a standalone group's first task was launched, for the replacement's RunTask. */
function standaloneLaunch(
  first: Task | undefined,
  interfaces: ExposureLookups["interfaces"],
): TaskLaunch | undefined {
  if (first === undefined) return undefined;
  const firstInterface = interfacesOf(first)[0];
  const network = firstInterface === undefined ? undefined : interfaces.get(firstInterface);
  const subnet = subnetOf(first);
  return {
    launchType: first.capacityProviderName ? undefined : first.launchType,
    capacityProvider: first.capacityProviderName,
    group: first.group,
    network:
      firstInterface === undefined
        ? undefined
        : {
            subnets: [network?.subnetId ?? subnet].filter((id): id is string => id !== undefined),
            securityGroups: network?.securityGroups ?? [],
            assignPublicIp: network?.publicIp === undefined ? "DISABLED" : "ENABLED",
          },
  };
}

/** The subnet the task's interface attachment names (awsvpc). */
function subnetOf(task: Task): string | undefined {
  return (task.attachments ?? [])
    .flatMap((attachment) => attachment.details ?? [])
    .find((detail) => detail.name === "subnetId")?.value;
}

export function interfacesOf(task: Task): string[] {
  return (task.attachments ?? [])
    .filter((attachment) => attachment.type === "ElasticNetworkInterface" || attachment.type === "eni")
    .flatMap(
      (attachment) => attachment.details?.filter((detail) => detail.name === "networkInterfaceId") ?? [],
    )
    .flatMap((detail) => detail.value ?? []);
}

/** `arn:…:loadbalancer/app/my-alb/50dc6c495c0c9188` gives `my-alb`, `arn:…:targetgroup/web-tg/73e2…` `web-tg`. */
export function nameFromElbArn(arn: string): string {
  const parts = arn.split("/");
  return parts.length >= 3 ? (parts[parts.length - 2] as string) : arn;
}
