import { DescribeTasksCommand, ListClustersCommand, ListTasksCommand, type Task } from "@aws-sdk/client-ecs";
import { parseDaemonResourceArn } from "../core/daemons";
import { ACCOUNT_SCOPE, type InUseRevision, type InUseView, type Placement } from "../core/inUseView";
import { nameFromArn, parseRevisionArn } from "../core/taskDefinitionRef";
import { TimeLimitError } from "../errors";
import type { ClusterRead, ReadOptions } from "../rule/ports";
import { forEachConcurrently } from "../util/concurrency";
import { errorText } from "../util/errorText";
import { everyPage } from "../util/paging";
import type { ClusterDaemons, DaemonSource } from "./daemonReader";
import { type EcsCaller, isClusterNotFound } from "./ecsCalls";

/** Reads which revisions RUNNING tasks use, across every cluster of one account and Region. */
export interface InUseSource {
  /** Every RUNNING task, or with `families` only the tasks of those families (ListTasks' `family` filter). */
  read(options?: ReadOptions & { readonly families?: readonly string[] }): Promise<InUseView>;
}

interface SeenTask {
  readonly taskDefinitionArn: string;
  readonly placement: Placement;
}

interface Accumulator {
  readonly tasksByArn: Map<string, Map<string, Placement>>;
  readonly announced: Set<string>;
  readonly unreadParts: string[];
  /** What the daemon APIs could not answer: only cluster verdicts depend on it. */
  readonly daemonUnreadParts: string[];
  readonly options: ReadOptions;
  readonly progress: { clustersListed: number; clustersRead: number; tasksDescribed: number };
  calls: number;
}

const SERVICE_GROUP_PREFIX = "service:";
const DAEMON_GROUP_PREFIX = "daemon:";

/**
 * The floor of ECS calls: ListClusters pages, then per cluster its ListTasks pages (RUNNING, 100 a page;
 * per family when asked for families) and one DescribeTasks per page. Clusters are read a few at a time
 * so the token buckets stay busy. With `daemons`, an account-wide read also reads each cluster's ECS Managed
 * Daemons through their documented APIs, and accounts through them for every task whose ARN names a daemon
 * resource (what DescribeTasks reports for daemon tasks is undocumented).
 */
export class EcsInUseReader implements InUseSource {
  constructor(
    private readonly ecs: EcsCaller,
    private readonly clusterConcurrency = 4,
    private readonly daemons?: DaemonSource,
  ) {}

  async read(options: ReadOptions & { readonly families?: readonly string[] } = {}): Promise<InUseView> {
    const families = options.families === undefined ? undefined : [...new Set(options.families)].sort();
    const scope = families === undefined ? ACCOUNT_SCOPE : { kind: "families" as const, families };
    const accumulator: Accumulator = {
      tasksByArn: new Map(),
      announced: new Set(),
      unreadParts: [],
      daemonUnreadParts: [],
      options,
      progress: { clustersListed: 0, clustersRead: 0, tasksDescribed: 0 },
      calls: 0,
    };
    let clusterArns: string[];
    try {
      clusterArns = await this.listClusters(accumulator);
    } catch (error) {
      options.onFinished?.({ calls: accumulator.calls, clusters: 0 });
      return {
        scope,
        revisions: [],
        daemonRevisions: [],
        unrecognisedArns: [],
        clusterArns: [],
        unreadParts: [`the cluster list: ${errorText(error)}`],
      };
    }
    accumulator.progress.clustersListed = clusterArns.length;
    options.onProgress?.({ ...accumulator.progress });
    const work = clusterArns.flatMap((clusterArn) =>
      (families ?? [undefined]).map((family) => ({ clusterArn, family })),
    );
    await forEachConcurrently(work, this.clusterConcurrency, async ({ clusterArn, family }) => {
      const earlier = family === undefined ? options.earlierReads?.get(clusterArn) : undefined;
      if (earlier?.complete) record(accumulator, earlier);
      else await this.readCluster(clusterArn, family, accumulator);
      accumulator.progress.clustersRead++;
      options.onProgress?.({ ...accumulator.progress });
    });
    options.onFinished?.({ calls: accumulator.calls, clusters: clusterArns.length });
    return { scope, clusterArns, ...sortedView(accumulator) };
  }

  private async listClusters(accumulator: Accumulator): Promise<string[]> {
    const clusterArns: string[] = [];
    const pages = everyPage(
      (nextToken) => {
        if (accumulator.options.shouldStop?.()) throw new TimeLimitError("stopped before the time limit");
        accumulator.calls++;
        return this.ecs.call("clusterRead", (client) =>
          client.send(new ListClustersCommand({ maxResults: 100, nextToken })),
        );
      },
      (page) => page.nextToken,
    );
    for await (const page of pages) clusterArns.push(...(page.clusterArns ?? []));
    return clusterArns;
  }

  private async readCluster(
    clusterArn: string,
    family: string | undefined,
    accumulator: Accumulator,
  ): Promise<void> {
    const cluster = nameFromArn(clusterArn);
    const where = family === undefined ? `cluster ${cluster}` : `cluster ${cluster} (family ${family})`;
    const seen: SeenTask[] = [];
    const problems: string[] = [];
    const outOfTime = () => {
      if (!accumulator.options.shouldStop?.()) return false;
      accumulator.unreadParts.push(`${where}: not read before the time limit`);
      return true;
    };
    const pages = everyPage(
      (nextToken) => {
        accumulator.calls++;
        return this.ecs.call("clusterResourceRead", (client) =>
          client.send(
            new ListTasksCommand({
              cluster: clusterArn,
              desiredStatus: "RUNNING",
              maxResults: 100,
              nextToken,
              ...(family === undefined ? {} : { family }),
            }),
          ),
        );
      },
      (page) => page.nextToken,
    );
    try {
      if (outOfTime()) return;
      // Each page's tasks are described before the next page is listed, so revisions are announced early.
      for await (const page of pages) {
        const taskArns = page.taskArns ?? [];
        if (taskArns.length > 0)
          seen.push(...(await this.describeTasks(clusterArn, taskArns, accumulator, problems)));
        if (page.nextToken && outOfTime()) return;
      }
    } catch (error) {
      // A cluster deleted while we read it runs nothing; any other failure leaves it unknown.
      if (!isClusterNotFound(error)) accumulator.unreadParts.push(`${where}: ${errorText(error)}`);
      return;
    } finally {
      accumulator.unreadParts.push(...problems);
    }
    const daemonSource =
      family === undefined && accumulator.options.includeDaemons ? this.daemons : undefined;
    const daemonProblems: string[] = [];
    const tasks =
      daemonSource === undefined
        ? seen
        : await this.readDaemons(daemonSource, clusterArn, seen, accumulator, daemonProblems);
    accumulator.daemonUnreadParts.push(...daemonProblems);
    if (family === undefined)
      record(accumulator, { clusterArn, tasks, complete: problems.length + daemonProblems.length === 0 });
    else for (const task of tasks) addRunningTask(accumulator, task.taskDefinitionArn, task.placement);
  }

  /**
   * The cluster's daemons through the documented route, and the tasks whose ARN names a daemon resource
   * accounted for through it: a daemon revision ECS does not list is described on its own, a daemon it does
   * not list leaves the cluster unread. Returns what to record: the tasks plus the daemons' task definitions.
   */
  private async readDaemons(
    source: DaemonSource,
    clusterArn: string,
    seen: readonly SeenTask[],
    accumulator: Accumulator,
    problems: string[],
  ): Promise<SeenTask[]> {
    const cluster = nameFromArn(clusterArn);
    const shouldStop = accumulator.options.shouldStop;
    const daemons: ClusterDaemons = await source.readCluster(clusterArn, shouldStop);
    accumulator.calls += 1;
    for (const part of daemons.unreadParts) problems.push(`cluster ${cluster}: ${part}`);
    const known = new Set(daemons.revisions.map((revision) => revision.revisionArn));
    const kept: SeenTask[] = [];
    const toDescribe = new Set<string>();
    for (const task of seen) {
      const resource = parseDaemonResourceArn(task.taskDefinitionArn);
      if (resource === undefined) {
        kept.push(task);
        continue;
      }
      if (!daemons.supported) {
        problems.push(
          `cluster ${cluster}: a task names ${task.taskDefinitionArn}, but ECS answers the daemon APIs with UnsupportedFeatureException`,
        );
      } else if (resource.kind === "daemon-revision") {
        if (!known.has(task.taskDefinitionArn)) toDescribe.add(task.taskDefinitionArn);
      } else if (!daemons.names.has(resource.name)) {
        problems.push(
          `cluster ${cluster}: a task names daemon ${resource.name} (${task.taskDefinitionArn}), which ListDaemons does not list`,
        );
      }
    }
    const extra =
      toDescribe.size > 0 ? await source.describeRevisions([...toDescribe], shouldStop) : undefined;
    for (const part of extra?.unread ?? []) problems.push(`cluster ${cluster}: ${part}`);
    for (const revision of [...daemons.revisions, ...(extra?.revisions ?? [])]) {
      kept.push({
        taskDefinitionArn: revision.taskDefinitionArn,
        placement: { cluster, daemon: revision.daemon },
      });
      announce(accumulator, revision.taskDefinitionArn);
    }
    return kept;
  }

  private async describeTasks(
    clusterArn: string,
    taskArns: string[],
    accumulator: Accumulator,
    problems: string[],
  ): Promise<SeenTask[]> {
    const cluster = nameFromArn(clusterArn);
    accumulator.calls++;
    const response = await this.ecs.call("clusterResourceRead", (client) =>
      client.send(new DescribeTasksCommand({ cluster: clusterArn, tasks: taskArns })),
    );
    const answered = new Set<string>();
    for (const failure of response.failures ?? []) {
      if (failure.arn) answered.add(failure.arn);
      // MISSING: the task stopped and is gone since ListTasks saw it.
      if (failure.reason !== "MISSING") {
        problems.push(
          `cluster ${cluster}: task ${failure.arn ?? "?"}: ${failure.reason ?? "unknown failure"}`,
        );
      }
    }
    const running: SeenTask[] = [];
    for (const task of response.tasks ?? []) {
      if (task.taskArn) answered.add(task.taskArn);
      if (task.lastStatus === "STOPPED") continue;
      if (!task.taskDefinitionArn) {
        problems.push(`cluster ${cluster}: task ${task.taskArn ?? "?"}: no task definition`);
        continue;
      }
      running.push({ taskDefinitionArn: task.taskDefinitionArn, placement: placementOf(task, cluster) });
      announce(accumulator, task.taskDefinitionArn);
    }
    accumulator.progress.tasksDescribed += response.tasks?.length ?? 0;
    accumulator.options.onProgress?.({ ...accumulator.progress });
    const unanswered = taskArns.filter((arn) => !answered.has(arn));
    if (unanswered.length > 0) {
      problems.push(`cluster ${cluster}: ${unanswered.length} task(s) not described`);
    }
    return running;
  }
}

function placementOf(task: Task, cluster: string): Placement {
  const group = task.group ?? "";
  if (group.startsWith(SERVICE_GROUP_PREFIX))
    return { cluster, service: group.slice(SERVICE_GROUP_PREFIX.length) };
  if (group.startsWith(DAEMON_GROUP_PREFIX))
    return { cluster, daemon: group.slice(DAEMON_GROUP_PREFIX.length) };
  return { cluster };
}

/** Splits what was seen by the kind of ARN: task definitions, daemon task definitions, anything else. */
function sortedView(
  accumulator: Accumulator,
): Pick<
  InUseView,
  "revisions" | "daemonRevisions" | "unrecognisedArns" | "unreadParts" | "daemonUnreadParts"
> {
  const revisions: InUseRevision[] = [];
  const daemonRevisions: InUseRevision[] = [];
  const unrecognisedArns: string[] = [];
  for (const [arn, placements] of accumulator.tasksByArn) {
    const parsed = parseRevisionArn(arn);
    if (parsed === undefined) {
      unrecognisedArns.push(arn);
      continue;
    }
    const revision = {
      arn,
      family: parsed.family,
      revision: parsed.revision,
      placements: [...placements.values()],
    };
    (parsed.kind === "daemon" ? daemonRevisions : revisions).push(revision);
  }
  const byArn = (a: InUseRevision, b: InUseRevision) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0);
  return {
    revisions: revisions.sort(byArn),
    daemonRevisions: daemonRevisions.sort(byArn),
    unrecognisedArns: unrecognisedArns.sort(),
    unreadParts: accumulator.unreadParts.sort(),
    daemonUnreadParts: accumulator.daemonUnreadParts.sort(),
  };
}

/** Lets the caller start describing a revision while the clusters are still being read. */
function announce(accumulator: Accumulator, taskDefinitionArn: string): void {
  if (accumulator.announced.has(taskDefinitionArn) || parseRevisionArn(taskDefinitionArn) === undefined)
    return;
  accumulator.announced.add(taskDefinitionArn);
  accumulator.options.onRevision?.(taskDefinitionArn);
}

/** A cluster read to the end (now, or by an earlier attempt of the sweep): its tasks join the view. */
function record(accumulator: Accumulator, read: ClusterRead): void {
  for (const { taskDefinitionArn, placement } of read.tasks) {
    announce(accumulator, taskDefinitionArn);
    addRunningTask(accumulator, taskDefinitionArn, placement);
  }
  accumulator.options.onClusterRead?.(read);
}

/** Placements are kept only once a cluster has been read to the end: a cluster deleted midway runs nothing. */
function addRunningTask(accumulator: Accumulator, taskDefinitionArn: string, placement: Placement): void {
  let placements = accumulator.tasksByArn.get(taskDefinitionArn);
  if (placements === undefined) {
    placements = new Map();
    accumulator.tasksByArn.set(taskDefinitionArn, placements);
  }
  const key = `${placement.cluster}|${placement.service ?? ""}|${placement.daemon ?? ""}`;
  // The daemon APIs report a daemon's revision without its tasks, so only other placements are counted.
  if (placement.daemon !== undefined) placements.set(key, placement);
  else placements.set(key, { ...placement, tasks: (placements.get(key)?.tasks ?? 0) + 1 });
}
