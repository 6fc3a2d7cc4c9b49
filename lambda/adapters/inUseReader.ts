import { DescribeTasksCommand, ListClustersCommand, ListTasksCommand, type Task } from "@aws-sdk/client-ecs";
import { nameFromArn, parseTaskDefinitionRef } from "../core/taskDefinitionRef";
import type { InUseRevision, InUseView, Placement } from "../core/types";
import { forEachConcurrently } from "./concurrency";
import { type EcsCaller, isClusterNotFound } from "./ecsCalls";
import { errorText } from "./retry";

export interface ReadOptions {
  /** Asked before each page: true once the invocation must stop reading to leave time to report. */
  readonly shouldStop?: () => boolean;
  /** Called once for each revision the first time a RUNNING task is seen using it (to describe it early). */
  readonly onRevision?: (arn: string) => void;
  /** Called as the read advances, with running totals (for a progress line on a large account). */
  readonly onProgress?: (progress: ReadProgress) => void;
}

export interface ReadProgress {
  readonly clustersListed: number;
  readonly clustersRead: number;
  readonly tasksDescribed: number;
}

/** Reads which task definition revisions RUNNING tasks use, across every cluster of one account and Region. */
export interface InUseSource {
  read(options?: ReadOptions): Promise<InUseView>;
}

interface Accumulator {
  readonly placementsByArn: Map<string, Map<string, Placement>>;
  readonly announced: Set<string>;
  readonly unreadParts: string[];
  readonly options: ReadOptions;
  readonly progress: { clustersListed: number; clustersRead: number; tasksDescribed: number };
}

const SERVICE_GROUP_PREFIX = "service:";

/**
 * The floor of ECS calls: ListClusters pages, then per cluster its ListTasks pages (RUNNING, 100 a page)
 * and one DescribeTasks per page. Clusters are read a few at a time so the token buckets stay busy.
 */
export class EcsInUseReader implements InUseSource {
  constructor(
    private readonly ecs: EcsCaller,
    private readonly clusterConcurrency = 4,
  ) {}

  async read(options: ReadOptions = {}): Promise<InUseView> {
    const accumulator: Accumulator = {
      placementsByArn: new Map(),
      announced: new Set(),
      unreadParts: [],
      options,
      progress: { clustersListed: 0, clustersRead: 0, tasksDescribed: 0 },
    };
    let clusterArns: string[];
    try {
      clusterArns = await this.listClusters(options);
    } catch (error) {
      return { revisions: [], unreadParts: [`the cluster list: ${errorText(error)}`] };
    }
    accumulator.progress.clustersListed = clusterArns.length;
    options.onProgress?.({ ...accumulator.progress });
    await forEachConcurrently(clusterArns, this.clusterConcurrency, async (clusterArn) => {
      await this.readCluster(clusterArn, accumulator);
      accumulator.progress.clustersRead++;
      options.onProgress?.({ ...accumulator.progress });
    });
    const revisions: InUseRevision[] = [];
    for (const [arn, placements] of accumulator.placementsByArn) {
      const ref = parseTaskDefinitionRef(arn);
      if (ref?.revision === undefined) {
        accumulator.unreadParts.push(`task definition ${arn}: not a revision ARN`);
        continue;
      }
      revisions.push({
        arn,
        family: ref.family,
        revision: ref.revision,
        placements: [...placements.values()],
      });
    }
    revisions.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
    return { revisions, unreadParts: accumulator.unreadParts.sort() };
  }

  private async listClusters(options: ReadOptions): Promise<string[]> {
    const clusterArns: string[] = [];
    let nextToken: string | undefined;
    do {
      if (options.shouldStop?.()) throw new Error("stopped before the time limit");
      const page = await this.ecs.call("clusterRead", (client) =>
        client.send(new ListClustersCommand({ maxResults: 100, nextToken })),
      );
      clusterArns.push(...(page.clusterArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return clusterArns;
  }

  private async readCluster(clusterArn: string, accumulator: Accumulator): Promise<void> {
    const cluster = nameFromArn(clusterArn);
    const seen: { taskDefinitionArn: string; placement: Placement }[] = [];
    let nextToken: string | undefined;
    try {
      do {
        if (accumulator.options.shouldStop?.()) {
          accumulator.unreadParts.push(`cluster ${cluster}: not read before the time limit`);
          return;
        }
        const page = await this.ecs.call("clusterResourceRead", (client) =>
          client.send(
            new ListTasksCommand({
              cluster: clusterArn,
              desiredStatus: "RUNNING",
              maxResults: 100,
              nextToken,
            }),
          ),
        );
        const taskArns = page.taskArns ?? [];
        if (taskArns.length > 0) seen.push(...(await this.describeTasks(clusterArn, taskArns, accumulator)));
        nextToken = page.nextToken;
      } while (nextToken);
    } catch (error) {
      // A cluster deleted while we read it runs nothing; any other failure leaves it unknown.
      if (!isClusterNotFound(error)) accumulator.unreadParts.push(`cluster ${cluster}: ${errorText(error)}`);
      return;
    }
    for (const { taskDefinitionArn, placement } of seen) record(accumulator, taskDefinitionArn, placement);
  }

  private async describeTasks(
    clusterArn: string,
    taskArns: string[],
    accumulator: Accumulator,
  ): Promise<{ taskDefinitionArn: string; placement: Placement }[]> {
    const cluster = nameFromArn(clusterArn);
    const response = await this.ecs.call("clusterResourceRead", (client) =>
      client.send(new DescribeTasksCommand({ cluster: clusterArn, tasks: taskArns })),
    );
    const answered = new Set<string>();
    for (const failure of response.failures ?? []) {
      if (failure.arn) answered.add(failure.arn);
      // MISSING: the task stopped and is gone since ListTasks saw it.
      if (failure.reason !== "MISSING") {
        accumulator.unreadParts.push(
          `cluster ${cluster}: task ${failure.arn ?? "?"}: ${failure.reason ?? "unknown failure"}`,
        );
      }
    }
    const running: { taskDefinitionArn: string; placement: Placement }[] = [];
    for (const task of response.tasks ?? []) {
      if (task.taskArn) answered.add(task.taskArn);
      if (task.lastStatus === "STOPPED") continue;
      if (!task.taskDefinitionArn) {
        accumulator.unreadParts.push(`cluster ${cluster}: task ${task.taskArn ?? "?"}: no task definition`);
        continue;
      }
      running.push({ taskDefinitionArn: task.taskDefinitionArn, placement: placementOf(task, cluster) });
      announce(accumulator, task.taskDefinitionArn);
    }
    accumulator.progress.tasksDescribed += response.tasks?.length ?? 0;
    accumulator.options.onProgress?.({ ...accumulator.progress });
    const unanswered = taskArns.filter((arn) => !answered.has(arn));
    if (unanswered.length > 0) {
      accumulator.unreadParts.push(`cluster ${cluster}: ${unanswered.length} task(s) not described`);
    }
    return running;
  }
}

function placementOf(task: Task, cluster: string): Placement {
  const group = task.group ?? "";
  return group.startsWith(SERVICE_GROUP_PREFIX)
    ? { cluster, service: group.slice(SERVICE_GROUP_PREFIX.length) }
    : { cluster };
}

/** Lets the caller start describing a revision while the clusters are still being read. */
function announce(accumulator: Accumulator, taskDefinitionArn: string): void {
  if (accumulator.announced.has(taskDefinitionArn)) return;
  accumulator.announced.add(taskDefinitionArn);
  accumulator.options.onRevision?.(taskDefinitionArn);
}

/** Placements are kept only once a cluster has been read to the end: a cluster deleted midway runs nothing. */
function record(accumulator: Accumulator, taskDefinitionArn: string, placement: Placement): void {
  let placements = accumulator.placementsByArn.get(taskDefinitionArn);
  if (placements === undefined) {
    placements = new Map();
    accumulator.placementsByArn.set(taskDefinitionArn, placements);
  }
  placements.set(`${placement.cluster}|${placement.service ?? ""}`, placement);
}
