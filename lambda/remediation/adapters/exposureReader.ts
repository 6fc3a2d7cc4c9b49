import type { EC2Client } from "@aws-sdk/client-ec2";
import { DescribeInstancesCommand, DescribeNetworkInterfacesCommand } from "@aws-sdk/client-ec2";
import {
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  type ECSClient,
  ListTasksCommand,
  type Service,
  type Task,
} from "@aws-sdk/client-ecs";
import {
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  type ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { EcsCaller } from "../../adapters/ecsCalls";
import type { InUseRevision } from "../../core/inUseView";
import { nameFromArn } from "../../core/taskDefinitionRef";
import { MissingPermissionError } from "../../errors";
import { errorText } from "../../util/errorText";
import { everyPage } from "../../util/paging";
import type { Tag } from "../core/production";
import type { ExposureRead, ExposureSource } from "../ports";
import type { PacedCalls, RemediationBucket } from "./paced";
import {
  addTargetTasks,
  type ExposureLookups,
  type InstanceFacts,
  type InterfaceFacts,
  interfacesOf,
  nameFromElbArn,
  type TargetGroupLoadBalancers,
  type TargetTasks,
  targetFacts,
} from "./targetFacts";

/** Each API's most per call (the SDK models and API references). */
export const LIMITS = {
  listTasks: 100,
  describeTasks: 100,
  describeServices: 10,
  describeClusters: 100,
  describeContainerInstances: 100,
  describeLoadBalancers: 20,
  /** No documented maximum for ARNs in one call: 20, like DescribeLoadBalancers. */
  describeTargetGroups: 20,
  /** EC2 takes no MaxResults with explicit ids; batches keep requests small and are paged by NextToken. */
  ec2Ids: 100,
} as const;

/** The clients of one account and Region the remediation reads and writes through. */
export interface RemediationClients {
  readonly ecs: Pick<ECSClient, "send">;
  readonly elb: Pick<ElasticLoadBalancingV2Client, "send">;
  readonly ec2: Pick<EC2Client, "send">;
}

/** A describe call that takes a batch of ids and pages its answer, and the id and value of each entry. */
interface PagedDescribe<P, V> {
  /** The call, as `PacedCalls.read` paces it: its token bucket and its IAM action. */
  readonly pacing: readonly [RemediationBucket, string];
  readonly describe: (ids: string[], token: string | undefined) => Promise<P>;
  readonly nextOf: (page: P) => string | undefined;
  readonly entries: (page: P) => { id: string; value: V }[];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/**
 * Reads what decides how exposed and how "production" each service and standalone group running an offending
 * revision is: its RUNNING tasks (network interfaces, container instances), the service (load balancers,
 * assignPublicIp, tags), target groups and their load balancers' scheme, public IPs, and cluster tags.
 * Only the clusters that run offending revisions are read.
 */
export class ExposureReader implements ExposureSource {
  /** The rule's paced ECS caller, on the limiters this run shares. */
  private readonly ecsCaller: EcsCaller;

  constructor(
    private readonly clients: RemediationClients,
    private readonly calls: PacedCalls,
  ) {
    this.ecsCaller = calls.ecs(clients.ecs);
  }

  async read(revisions: readonly InUseRevision[]): Promise<ExposureRead> {
    const unread: string[] = [];
    const offending = new Set(revisions.map((revision) => revision.arn));
    const clusters = [
      ...new Set(revisions.flatMap((revision) => revision.placements.map((p) => p.cluster))),
    ].sort();
    const grouped = new Map<string, TargetTasks>();
    for (const cluster of clusters) {
      const tasks = await this.guard(unread, `cluster ${cluster} tasks`, () => this.runningTasks(cluster));
      addTargetTasks(grouped, cluster, tasks ?? [], offending);
    }
    const targets = [...grouped.values()];
    const lookups = await this.lookups(targets, clusters, unread);
    return { targets: targets.map((entry) => targetFacts(entry, lookups)), unreadParts: unread.sort() };
  }

  /** Everything around the targets that decides their exposure, read once for all of them. */
  private async lookups(
    targets: readonly TargetTasks[],
    clusters: readonly string[],
    unread: string[],
  ): Promise<ExposureLookups> {
    const services = await this.services(targets, unread);
    const clusterTags = await this.clusterTags(clusters, unread);
    const loadBalancers = await this.loadBalancersOf(
      [...services.values()].flatMap((service) =>
        (service.loadBalancers ?? []).flatMap((lb) => lb.targetGroupArn ?? []),
      ),
      unread,
    );
    const allTasks = targets.flatMap((entry) => entry.tasks);
    const interfaces = await this.interfaceFacts(allTasks, unread);
    const instances = await this.instancePublicIps(allTasks, unread);
    return { services, clusterTags, loadBalancers, interfaces, instances };
  }

  /** A part that cannot be read is noted and the rest goes on; a missing permission stops the run. */
  private async guard<T>(unread: string[], what: string, read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof MissingPermissionError) throw error;
      unread.push(`${what}: ${errorText(error)}`);
      return undefined;
    }
  }

  private async runningTasks(cluster: string): Promise<Task[]> {
    const tasks: Task[] = [];
    const pages = everyPage(
      (nextToken) =>
        this.calls.ecsRead(this.ecsCaller, "clusterResourceRead", "ecs:ListTasks", (client) =>
          client.send(
            new ListTasksCommand({
              cluster,
              desiredStatus: "RUNNING",
              maxResults: LIMITS.listTasks,
              nextToken,
            }),
          ),
        ),
      (page) => page.nextToken,
    );
    for await (const page of pages) {
      const arns = page.taskArns ?? [];
      for (const batch of chunks(arns, LIMITS.describeTasks)) {
        const described = await this.calls.ecsRead(
          this.ecsCaller,
          "clusterResourceRead",
          "ecs:DescribeTasks",
          (client) => client.send(new DescribeTasksCommand({ cluster, tasks: batch })),
        );
        tasks.push(...(described.tasks ?? []).filter((task) => task.lastStatus !== "STOPPED"));
      }
    }
    return tasks;
  }

  private async services(targets: readonly TargetTasks[], unread: string[]): Promise<Map<string, Service>> {
    const byCluster = new Map<string, Set<string>>();
    for (const { target } of targets) {
      if (target.kind !== "service") continue;
      const names = byCluster.get(target.cluster) ?? new Set<string>();
      names.add(target.service);
      byCluster.set(target.cluster, names);
    }
    const found = new Map<string, Service>();
    for (const [cluster, names] of byCluster) {
      for (const batch of chunks([...names].sort(), LIMITS.describeServices)) {
        const response = await this.guard(unread, `services in ${cluster}`, () =>
          this.calls.ecsRead(this.ecsCaller, "serviceRead", "ecs:DescribeServices", (client) =>
            client.send(new DescribeServicesCommand({ cluster, services: batch, include: ["TAGS"] })),
          ),
        );
        for (const service of response?.services ?? []) {
          if (service.serviceName) found.set(`${cluster}/${service.serviceName}`, service);
        }
        for (const failure of response?.failures ?? []) {
          unread.push(
            `service ${cluster}/${nameFromArn(failure.arn ?? "?")}: ${failure.reason ?? "unknown failure"}`,
          );
        }
      }
    }
    return found;
  }

  private async clusterTags(clusters: readonly string[], unread: string[]): Promise<Map<string, Tag[]>> {
    const tags = new Map<string, Tag[]>();
    for (const batch of chunks(clusters, LIMITS.describeClusters)) {
      const response = await this.guard(unread, "cluster tags", () =>
        this.calls.ecsRead(this.ecsCaller, "clusterRead", "ecs:DescribeClusters", (client) =>
          client.send(new DescribeClustersCommand({ clusters: batch, include: ["TAGS"] })),
        ),
      );
      for (const cluster of response?.clusters ?? []) {
        if (cluster.clusterName) tags.set(cluster.clusterName, cluster.tags ?? []);
      }
    }
    return tags;
  }

  /** Load balancers (name, scheme) by target group ARN; a target group missing from the map was not read. */
  private async loadBalancersOf(
    targetGroupArns: readonly string[],
    unread: string[],
  ): Promise<TargetGroupLoadBalancers> {
    const groups = await this.describeInBatches(
      [...new Set(targetGroupArns)].sort(),
      LIMITS.describeTargetGroups,
      unread,
      "target group",
      {
        pacing: ["elbRead", "elasticloadbalancing:DescribeTargetGroups"],
        describe: (arns, marker) =>
          this.clients.elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: arns, Marker: marker })),
        nextOf: (page) => page.NextMarker,
        entries: (page) =>
          (page.TargetGroups ?? []).flatMap((group) =>
            group.TargetGroupArn ? [{ id: group.TargetGroupArn, value: group.LoadBalancerArns ?? [] }] : [],
          ),
      },
    );
    const lbArnsByTargetGroup = groups.found;
    const lbArns = [...new Set([...lbArnsByTargetGroup.values()].flat())].sort();
    const loadBalancers = await this.describeInBatches(
      lbArns,
      LIMITS.describeLoadBalancers,
      unread,
      "load balancer",
      {
        pacing: ["elbRead", "elasticloadbalancing:DescribeLoadBalancers"],
        describe: (arns, marker) =>
          this.clients.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: arns, Marker: marker })),
        nextOf: (page) => page.NextMarker,
        entries: (page) =>
          (page.LoadBalancers ?? []).flatMap((lb) =>
            lb.LoadBalancerArn ? [{ id: lb.LoadBalancerArn, value: lb.Scheme }] : [],
          ),
      },
    );
    const schemes = loadBalancers.found;
    const unreadLoadBalancers = loadBalancers.unread;
    const result = new Map<string, { loadBalancer: string; scheme: string | undefined }[]>();
    for (const [targetGroup, arns] of lbArnsByTargetGroup) {
      result.set(
        targetGroup,
        // A load balancer that is gone serves nothing; one not read keeps an unknown scheme.
        arns.flatMap((arn) =>
          schemes.has(arn) || unreadLoadBalancers.has(arn)
            ? [{ loadBalancer: nameFromElbArn(arn), scheme: schemes.get(arn) }]
            : [],
        ),
      );
    }
    return { byTargetGroup: result, unreadTargetGroups: groups.unread };
  }

  /**
   * `ids` described `size` at a time through `describeIds`, each call paged to its end: what every batch
   * found, and the ids that could not be read.
   */
  private async describeInBatches<P, V>(
    ids: readonly string[],
    size: number,
    unread: string[],
    what: string,
    listing: PagedDescribe<P, V>,
  ): Promise<{ found: Map<string, V>; unread: Set<string> }> {
    const result = { found: new Map<string, V>(), unread: new Set<string>() };
    for (const batch of chunks(ids, size)) {
      const described = await this.describeIds(batch, unread, what, async (some) => {
        const entries: { id: string; value: V }[] = [];
        const [bucket, action] = listing.pacing;
        const pages = everyPage(
          (token) => this.calls.read(bucket, action, () => listing.describe(some, token)),
          listing.nextOf,
        );
        for await (const page of pages) entries.push(...listing.entries(page));
        return entries;
      });
      for (const [id, value] of described.found) result.found.set(id, value);
      for (const id of described.unread) result.unread.add(id);
    }
    return result;
  }

  /**
   * One call for a batch of ids; when the batch fails because one of them is gone (a NotFound error), each
   * is asked alone, so a deleted target group, load balancer, interface or instance hides nothing else.
   * Gone is left out of `found`; what could not be read for another reason is in `unread`.
   */
  private async describeIds<V>(
    ids: string[],
    unread: string[],
    what: string,
    describe: (ids: string[]) => Promise<{ id: string; value: V }[]>,
  ): Promise<{ found: Map<string, V>; unread: Set<string> }> {
    const result = { found: new Map<string, V>(), unread: new Set<string>() };
    try {
      for (const entry of await describe(ids)) result.found.set(entry.id, entry.value);
      return result;
    } catch (error) {
      if (error instanceof MissingPermissionError) throw error;
      if (!(error instanceof Error && /NotFound/.test(error.name))) {
        for (const id of ids) {
          unread.push(`${what} ${nameFromArn(id)}: ${errorText(error)}`);
          result.unread.add(id);
        }
        return result;
      }
      if (ids.length === 1) return result;
    }
    for (const id of ids) {
      const single = await this.describeIds([id], unread, what, describe);
      for (const [key, value] of single.found) result.found.set(key, value);
      for (const key of single.unread) result.unread.add(key);
    }
    return result;
  }

  /** Public IP, subnet and security groups by interface id: `undefined` when it is gone, `null` when unread. */
  private async interfaceFacts(
    tasks: readonly Task[],
    unread: string[],
  ): Promise<Map<string, InterfaceFacts | null | undefined>> {
    const ids = [...new Set(tasks.flatMap(interfacesOf))].sort();
    const found = await this.describeInBatches(ids, LIMITS.ec2Ids, unread, "network interface", {
      pacing: ["ec2Read", "ec2:DescribeNetworkInterfaces"],
      describe: (chunk, nextToken) =>
        this.clients.ec2.send(
          new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: chunk, NextToken: nextToken }),
        ),
      nextOf: (page) => page.NextToken,
      entries: (page) =>
        (page.NetworkInterfaces ?? []).flatMap((eni) =>
          eni.NetworkInterfaceId
            ? [
                {
                  id: eni.NetworkInterfaceId,
                  value: {
                    publicIp: eni.Association?.PublicIp,
                    subnetId: eni.SubnetId,
                    securityGroups: (eni.Groups ?? []).flatMap((group) => group.GroupId ?? []),
                  },
                },
              ]
            : [],
        ),
    });
    const ips = new Map<string, InterfaceFacts | null | undefined>();
    for (const id of ids) ips.set(id, found.unread.has(id) ? null : found.found.get(id));
    return ips;
  }

  /**
   * Instance id and public IP by container instance ARN; `null`: not read. An ECS Anywhere instance (an SSM
   * managed-instance id, `mi-…`) is not an EC2 instance: it is never sent to EC2, and comes back as external.
   */
  private async instancePublicIps(
    tasks: readonly Task[],
    unread: string[],
  ): Promise<Map<string, InstanceFacts | null>> {
    const byCluster = new Map<string, Set<string>>();
    for (const task of tasks) {
      if (!task.containerInstanceArn || !task.clusterArn) continue;
      const set = byCluster.get(task.clusterArn) ?? new Set<string>();
      set.add(task.containerInstanceArn);
      byCluster.set(task.clusterArn, set);
    }
    const instanceOf = new Map<string, string>();
    const result = new Map<string, InstanceFacts | null>();
    for (const [cluster, arns] of byCluster) {
      for (const batch of chunks([...arns].sort(), LIMITS.describeContainerInstances)) {
        const response = await this.guard(unread, `container instances in ${nameFromArn(cluster)}`, () =>
          this.calls.ecsRead(
            this.ecsCaller,
            "clusterResourceRead",
            "ecs:DescribeContainerInstances",
            (client) =>
              client.send(new DescribeContainerInstancesCommand({ cluster, containerInstances: batch })),
          ),
        );
        for (const instance of response?.containerInstances ?? []) {
          if (instance.containerInstanceArn && instance.ec2InstanceId)
            instanceOf.set(instance.containerInstanceArn, instance.ec2InstanceId);
        }
      }
    }
    const instanceIds = [...new Set(instanceOf.values())].filter((id) => !isManagedInstance(id)).sort();
    const instances = await this.describeInBatches(instanceIds, LIMITS.ec2Ids, unread, "instance", {
      pacing: ["ec2Read", "ec2:DescribeInstances"],
      describe: (chunk, nextToken) =>
        this.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: chunk, NextToken: nextToken })),
      nextOf: (page) => page.NextToken,
      entries: (page) =>
        (page.Reservations ?? [])
          .flatMap((reservation) => reservation.Instances ?? [])
          .flatMap((instance) =>
            instance.InstanceId ? [{ id: instance.InstanceId, value: instance.PublicIpAddress }] : [],
          ),
    });
    const publicIps = instances.found;
    const unreadInstances = instances.unread;
    for (const arns of byCluster.values()) {
      for (const arn of arns) {
        const instanceId = instanceOf.get(arn);
        result.set(
          arn,
          instanceId === undefined || unreadInstances.has(instanceId)
            ? null
            : isManagedInstance(instanceId)
              ? { instanceId, publicIp: undefined, external: true }
              : { instanceId, publicIp: publicIps.get(instanceId), external: false },
        );
      }
    }
    return result;
  }
}

/** `mi-0123456789abcdef0`: an SSM managed instance, which is what ECS Anywhere registers. */
function isManagedInstance(id: string): boolean {
  return id.startsWith("mi-");
}
