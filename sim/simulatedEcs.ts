import type { Clock } from "../lambda/index";
import {
  arnOf,
  type SimAccount,
  type SimCluster,
  type SimDaemon,
  type SimRevision,
  type SimService,
  type SimTask,
} from "./account";
import { BUCKET_OF_ACTION, type EcsBucket, type ServerBucket, serverBuckets } from "./ecsThrottling";
import { ServiceError } from "./inProcessHandler";
import { page } from "./paging";

export interface SimulatedEcsOptions {
  /** Enforce ECS's published buckets (`ECS_PUBLISHED_BUCKETS`) on this clock. Off: no throttling. */
  readonly throttleClock?: Clock;
  /** Runs before every call; throw a ServiceError to inject a failure. */
  readonly intercept?: (action: string, input: Record<string, unknown>) => void;
}

/** An ECS List* answer: one page of `items` under `key`, paged by the input's `nextToken` and `maxResults`. */
function listPage<K extends string>(key: K, items: readonly string[], input: Record<string, unknown>) {
  const result = page(items, input.nextToken, input.maxResults);
  return { [key]: result.items, nextToken: result.nextToken } as Record<K, string[]> & { nextToken?: string };
}

/** What a Describe call's `describe` returns for a reference it cannot find: ECS lists it among the failures. */
class Missing {
  constructor(readonly arn: string) {}
}

/**
 * A Describe call's answer to the references in `requested`: more than `most` is ECS's InvalidParameterException
 * `tooMany`; each reference is described under `key`, or listed among the failures as MISSING.
 */
function describeEach<K extends string>(
  key: K,
  requested: unknown,
  limit: { readonly most: number; readonly tooMany: string },
  describe: (reference: string) => unknown,
): Record<K, unknown[]> & { failures: unknown[] } {
  const references = (requested as string[] | undefined) ?? [];
  if (references.length > limit.most) throw new ServiceError("InvalidParameterException", limit.tooMany);
  const described: unknown[] = [];
  const failures: unknown[] = [];
  for (const reference of references) {
    const answer = describe(reference);
    if (answer instanceof Missing) failures.push({ arn: answer.arn, reason: "MISSING" });
    else described.push(answer);
  }
  return { [key]: described, failures } as Record<K, unknown[]> & { failures: unknown[] };
}

/** What DescribeTaskDefinition and DescribeDaemonTaskDefinition both say of a revision besides its ARN and containers. */
function describedRevision(revision: SimRevision) {
  return {
    family: revision.family,
    revision: revision.revision,
    status: revision.status ?? "ACTIVE",
    ...(revision.pidMode ? { pidMode: revision.pidMode } : {}),
  };
}

/** The ECS read API over a simulated account, paging exactly as AWS does (100 a page). */
export class SimulatedEcs {
  readonly calls = new Map<string, number>();
  throttled = 0;
  private readonly clusters = new Map<string, SimCluster>();
  private readonly revisions = new Map<string, SimRevision>();
  private readonly daemonRevisions = new Map<string, SimRevision>();
  private readonly services = new Map<string, SimService>();
  private readonly daemons = new Map<string, SimDaemon>();
  private readonly buckets: Partial<Record<EcsBucket, ServerBucket>>;

  constructor(
    private readonly account: SimAccount,
    private readonly options: SimulatedEcsOptions = {},
  ) {
    for (const cluster of account.clusters) this.clusters.set(cluster.name, cluster);
    for (const revision of account.revisions) {
      const revisions = revision.kind === "daemon" ? this.daemonRevisions : this.revisions;
      revisions.set(`${revision.family}:${revision.revision}`, revision);
    }
    for (const daemon of account.daemons ?? impliedDaemons(account.clusters))
      this.daemons.set(`${daemon.cluster}/${daemon.name}`, daemon);
    for (const service of account.services ?? impliedServices(account.clusters))
      this.services.set(`${service.cluster}/${service.name}`, service);
    this.buckets = options.throttleClock ? serverBuckets(options.throttleClock) : {};
  }

  get totalCalls(): number {
    return [...this.calls.values()].reduce((sum, count) => sum + count, 0);
  }

  route = (action: string, input: Record<string, unknown>): unknown => {
    this.calls.set(action, (this.calls.get(action) ?? 0) + 1);
    const bucket = this.buckets[BUCKET_OF_ACTION[action] ?? "clusterRead"];
    if (bucket && !bucket.tryTake()) {
      this.throttled++;
      throw new ServiceError("ThrottlingException", "Rate exceeded");
    }
    this.options.intercept?.(action, input);
    switch (action) {
      case "ListClusters": {
        return listPage(
          "clusterArns",
          [...this.clusters.keys()].map((name) => arnOf(this.account, "cluster", name)),
          input,
        );
      }
      case "ListTasks":
        return this.listTasks(input);
      case "DescribeTasks":
        return this.describeTasks(input);
      case "DescribeTaskDefinition":
        return this.describeTaskDefinition(input);
      case "ListTaskDefinitions":
        return this.listTaskDefinitions(input);
      case "DescribeDaemonTaskDefinition":
        if (this.account.daemonsUnsupported)
          throw new ServiceError(
            "UnsupportedFeatureException",
            "The specified task isn't supported in this Region.",
          );
        return this.describeDaemonTaskDefinition(input);
      case "DescribeServices":
        return this.describeServices(input);
      case "ListDaemons":
      case "DescribeDaemon":
      case "DescribeDaemonRevisions":
        if (this.account.daemonsUnsupported)
          throw new ServiceError(
            "UnsupportedFeatureException",
            "The specified task isn't supported in this Region.",
          );
        return action === "ListDaemons"
          ? this.listDaemons(input)
          : action === "DescribeDaemon"
            ? this.describeDaemon(input)
            : this.describeDaemonRevisions(input);
      default:
        throw new ServiceError("InvalidAction", `the simulator does not implement ${action}`);
    }
  };

  private cluster(reference: unknown): SimCluster {
    const name = String(reference ?? "default")
      .split("/")
      .pop() as string;
    const cluster = this.clusters.get(name);
    if (!cluster) throw new ServiceError("ClusterNotFoundException", "Cluster not found.");
    return cluster;
  }

  private taskArn(cluster: SimCluster, task: SimTask): string {
    return arnOf(this.account, "task", `${cluster.name}/${task.id}`);
  }

  private listTasks(input: Record<string, unknown>) {
    const cluster = this.cluster(input.cluster);
    const desired = String(input.desiredStatus ?? "RUNNING");
    const family = input.family === undefined ? undefined : String(input.family);
    // As ECS documents it: a task of an INACTIVE revision still belongs to its family.
    const listed = (desired === "RUNNING" ? cluster.tasks : []).filter(
      (task) => family === undefined || (!task.daemon && task.taskDefinition.split(":")[0] === family),
    );
    return listPage(
      "taskArns",
      listed.map((task) => this.taskArn(cluster, task)),
      input,
    );
  }

  private describeTasks(input: Record<string, unknown>) {
    const cluster = this.cluster(input.cluster);
    const byArn = new Map(cluster.tasks.map((task) => [this.taskArn(cluster, task), task]));
    return describeEach(
      "tasks",
      input.tasks,
      { most: 100, tooMany: "Tasks cannot be more than 100." },
      (arn) => {
        const task = byArn.get(arn);
        if (!task || task.missing) return new Missing(arn);
        return {
          taskArn: arn,
          clusterArn: arnOf(this.account, "cluster", cluster.name),
          taskDefinitionArn: this.taskDefinitionArnOf(cluster, task),
          lastStatus: task.lastStatus ?? "RUNNING",
          desiredStatus: task.lastStatus === "STOPPED" ? "STOPPED" : "RUNNING",
          group: task.service
            ? `service:${task.service}`
            : task.daemon
              ? `daemon:${task.daemon}`
              : "family:x",
          startedBy: task.service ? "ecs-svc/123" : "manual",
          launchType: "EC2",
        };
      },
    );
  }

  /** What DescribeTasks reports as a task's `taskDefinitionArn`; for a daemon task, the form the task asks for. */
  private taskDefinitionArnOf(cluster: SimCluster, task: SimTask): string {
    if (!task.daemon) return arnOf(this.account, "task-definition", task.taskDefinition);
    switch (task.daemonArnKind ?? "daemon-task-definition") {
      case "daemon-revision":
        return arnOf(
          this.account,
          "daemon-revision",
          `${cluster.name}/${task.daemon}/${revisionId(task.taskDefinition)}`,
        );
      case "daemon":
        return arnOf(this.account, "daemon", `${cluster.name}/${task.daemon}`);
      default:
        return arnOf(this.account, "daemon-task-definition", task.taskDefinition);
    }
  }

  private listDaemons(input: Record<string, unknown>) {
    const cluster = this.cluster(input.clusterArn);
    const arns = [...this.daemons.values()]
      .filter((daemon) => daemon.cluster === cluster.name)
      .map((daemon) => arnOf(this.account, "daemon", `${daemon.cluster}/${daemon.name}`));
    const result = page(arns, input.nextToken, input.maxResults);
    return {
      daemonSummariesList: result.items.map((daemonArn) => ({ daemonArn, status: "ACTIVE" })),
      nextToken: result.nextToken,
    };
  }

  private describeDaemon(input: Record<string, unknown>) {
    const [cluster, name] = String(input.daemonArn ?? "")
      .split("/")
      .slice(-2);
    const daemon = this.daemons.get(`${cluster}/${name}`);
    if (!daemon) throw new ServiceError("DaemonNotFoundException", "The specified daemon wasn't found.");
    return {
      daemon: {
        daemonArn: arnOf(this.account, "daemon", `${daemon.cluster}/${daemon.name}`),
        clusterArn: arnOf(this.account, "cluster", daemon.cluster),
        status: daemon.status ?? "ACTIVE",
        currentRevisions: daemon.revisions.map((revision) => ({
          arn: arnOf(this.account, "daemon-revision", `${daemon.cluster}/${daemon.name}/${revision.id}`),
          capacityProviders: [],
          totalRunningCount: revision.runningCount ?? 1,
        })),
      },
    };
  }

  private describeDaemonRevisions(input: Record<string, unknown>) {
    return describeEach(
      "daemonRevisions",
      input.daemonRevisionArns,
      { most: 20, tooMany: "daemonRevisionArns cannot be more than 20." },
      (arn) => {
        const [cluster, name, id] = arn.split("/").slice(-3);
        const daemon = this.daemons.get(`${cluster}/${name}`);
        const revision = daemon?.revisions.find((candidate) => candidate.id === id);
        if (!daemon || !revision) return new Missing(arn);
        return {
          daemonRevisionArn: arn,
          clusterArn: arnOf(this.account, "cluster", daemon.cluster),
          daemonArn: arnOf(this.account, "daemon", `${daemon.cluster}/${daemon.name}`),
          daemonTaskDefinitionArn: arnOf(this.account, "daemon-task-definition", revision.taskDefinition),
          containerImages: [],
          propagateTags: "NONE",
          enableECSManagedTags: false,
          enableExecuteCommand: false,
        };
      },
    );
  }

  private revision(reference: string): SimRevision | undefined {
    const name = reference.split("/").pop() as string;
    if (name.includes(":")) return this.revisions.get(name);
    let latest: SimRevision | undefined;
    for (const revision of this.revisions.values()) {
      if (
        revision.family === name &&
        (revision.status ?? "ACTIVE") === "ACTIVE" &&
        revision.revision > (latest?.revision ?? 0)
      ) {
        latest = revision;
      }
    }
    return latest;
  }

  private describeTaskDefinition(input: Record<string, unknown>) {
    const revision = this.revision(String(input.taskDefinition ?? ""));
    if (!revision) throw new ServiceError("ClientException", "Unable to describe task definition.");
    const name = `${revision.family}:${revision.revision}`;
    return {
      taskDefinition: {
        taskDefinitionArn: arnOf(this.account, "task-definition", name),
        ...describedRevision(revision),
        containerDefinitions: revision.containerDefinitions ?? [
          { name: "app", image: "public.ecr.aws/docker/library/busybox:latest", memory: 128 },
        ],
      },
      tags: revision.tags ?? [],
    };
  }

  private describeDaemonTaskDefinition(input: Record<string, unknown>) {
    const name = String(input.daemonTaskDefinition ?? "")
      .split("/")
      .pop() as string;
    const revision = this.daemonRevisions.get(name);
    if (!revision) throw new ServiceError("ClientException", "Unable to describe daemon task definition.");
    return {
      daemonTaskDefinition: {
        daemonTaskDefinitionArn: arnOf(this.account, "daemon-task-definition", name),
        ...describedRevision(revision),
        containerDefinitions: [{ name: "agent", image: "public.ecr.aws/docker/library/busybox:latest" }],
      },
    };
  }

  private describeServices(input: Record<string, unknown>) {
    const cluster = this.cluster(input.cluster);
    return describeEach(
      "services",
      input.services,
      { most: 10, tooMany: "services cannot be more than 10." },
      (reference) => {
        const name = reference.split("/").pop() as string;
        const service = this.services.get(`${cluster.name}/${name}`);
        const serviceArn = arnOf(this.account, "service", `${cluster.name}/${name}`);
        if (!service) return new Missing(serviceArn);
        const taskDefinitionArn = (label: string) => arnOf(this.account, "task-definition", label);
        return {
          serviceArn,
          serviceName: name,
          clusterArn: arnOf(this.account, "cluster", cluster.name),
          status: service.status ?? "ACTIVE",
          desiredCount: service.desiredCount ?? 1,
          schedulingStrategy: service.schedulingStrategy ?? "REPLICA",
          deploymentController: { type: service.deploymentController ?? "ECS" },
          ...(service.taskDefinition ? { taskDefinition: taskDefinitionArn(service.taskDefinition) } : {}),
          deployments: (
            service.deployments ??
            (service.taskDefinition && (service.deploymentController ?? "ECS") === "ECS"
              ? [{ status: "PRIMARY", taskDefinition: service.taskDefinition }]
              : [])
          ).map((deployment) => ({
            ...deployment,
            taskDefinition: taskDefinitionArn(deployment.taskDefinition),
          })),
          taskSets: (service.taskSets ?? []).map((taskSet, index) => {
            const id = taskSet.id ?? `ecs-svc/${1000000000000000000 + index}`;
            const desired = taskSet.computedDesiredCount ?? 1;
            return {
              id,
              taskSetArn: arnOf(this.account, "task-set", `${cluster.name}/${name}/${id}`),
              serviceArn,
              clusterArn: arnOf(this.account, "cluster", cluster.name),
              status: taskSet.status,
              taskDefinition: taskDefinitionArn(taskSet.taskDefinition),
              computedDesiredCount: desired,
              runningCount: taskSet.runningCount ?? desired,
              pendingCount: 0,
              scale: { value: desired > 0 ? 100 : 0, unit: "PERCENT" },
              stabilityStatus: "STEADY_STATE",
            };
          }),
        };
      },
    );
  }

  private listTaskDefinitions(input: Record<string, unknown>) {
    const status = String(input.status ?? "ACTIVE");
    const prefix = input.familyPrefix === undefined ? undefined : String(input.familyPrefix);
    const arns = [...this.revisions.values()]
      .filter(
        (revision) =>
          (revision.status ?? "ACTIVE") === status && (prefix === undefined || revision.family === prefix),
      )
      .map((revision) => arnOf(this.account, "task-definition", `${revision.family}:${revision.revision}`));
    return listPage("taskDefinitionArns", arns, input);
  }
}

/** A daemon revision's id in the simulator: derived from the daemon task definition it runs. */
function revisionId(taskDefinition: string): string {
  return `r-${taskDefinition.replace(":", "-")}`;
}

/** One daemon per daemon name the tasks carry, with a current revision per daemon task definition they run. */
function impliedDaemons(clusters: readonly SimCluster[]): SimDaemon[] {
  const daemons = new Map<string, { cluster: string; name: string; definitions: Map<string, number> }>();
  for (const cluster of clusters) {
    for (const task of cluster.tasks) {
      if (task.daemon === undefined || task.lastStatus === "STOPPED") continue;
      const key = `${cluster.name}/${task.daemon}`;
      const daemon = daemons.get(key) ?? { cluster: cluster.name, name: task.daemon, definitions: new Map() };
      daemon.definitions.set(task.taskDefinition, (daemon.definitions.get(task.taskDefinition) ?? 0) + 1);
      daemons.set(key, daemon);
    }
  }
  return [...daemons.values()].map(({ cluster, name, definitions }) => ({
    cluster,
    name,
    revisions: [...definitions].map(([taskDefinition, runningCount]) => ({
      id: revisionId(taskDefinition),
      taskDefinition,
      runningCount,
    })),
  }));
}

/** One steady ACTIVE service per service name the tasks carry, running the revision of its first task. */
function impliedServices(clusters: readonly SimCluster[]): SimService[] {
  const services = new Map<string, SimService & { desiredCount: number }>();
  for (const cluster of clusters) {
    for (const task of cluster.tasks) {
      if (task.service === undefined || task.lastStatus === "STOPPED") continue;
      const key = `${cluster.name}/${task.service}`;
      const known = services.get(key);
      if (known) services.set(key, { ...known, desiredCount: known.desiredCount + 1 });
      else
        services.set(key, {
          cluster: cluster.name,
          name: task.service,
          desiredCount: 1,
          taskDefinition: task.taskDefinition,
        });
    }
  }
  return [...services.values()];
}
