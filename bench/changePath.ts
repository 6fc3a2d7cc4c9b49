import type { SimAccount, SimRevision } from "../sim/account";
import { simulateAws } from "../sim/clients";
import type { GeneratedAccount } from "./accounts";
import { serviceChangeEvent, taskDefinitionChangeEvent } from "./events";
import { byBucket, totalOf } from "./floor";
import { container, invoke } from "./runRule";
import { BENCH_START } from "./sweep";
import { VirtualClock } from "./virtualClock";

const PAGE = 100;

export interface ChangeFigures {
  readonly resource: string;
  readonly calls: number;
  readonly callsByAction: ReadonlyMap<string, number>;
  readonly floor: number;
  readonly written: number;
  /** The same notification again in the same container: what it writes (target 0) and costs. */
  readonly repeatWritten: number;
  readonly repeatCalls: number;
  readonly failure: string | undefined;
}

export interface ChangePathFigures {
  readonly taskDefinition: ChangeFigures;
  readonly service: ChangeFigures;
}

/** The family with the most RUNNING tasks: the costliest family read of the account. */
function busiestFamily(account: SimAccount): string {
  const tasks = new Map<string, number>();
  for (const cluster of account.clusters)
    for (const task of cluster.tasks) {
      const family = task.taskDefinition.split(":")[0] as string;
      tasks.set(family, (tasks.get(family) ?? 0) + 1);
    }
  return [...tasks].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] as string;
}

/**
 * The floor of a family's change: ListClusters pages, one ListTasks page per cluster (more where the
 * family has over 100 tasks in it), one DescribeTasks per 100 of the family's tasks in each cluster, one
 * DescribeTaskDefinition per in-use revision of the family the item does not describe already.
 */
function familyReadFloor(account: SimAccount, family: string, describedByItem: string | undefined): number {
  let calls = Math.max(1, Math.ceil(account.clusters.length / PAGE));
  const inUse = new Set<string>();
  for (const cluster of account.clusters) {
    const tasks = cluster.tasks.filter((task) => task.taskDefinition.split(":")[0] === family);
    calls += Math.max(1, Math.ceil(tasks.length / PAGE)) + Math.ceil(tasks.length / PAGE);
    for (const task of tasks) inUse.add(task.taskDefinition);
  }
  inUse.delete(describedByItem ?? "");
  return calls + inUse.size;
}

function latestActive(account: SimAccount, family: string): SimRevision {
  return account.revisions
    .filter((revision) => revision.family === family && (revision.status ?? "ACTIVE") === "ACTIVE")
    .sort((a, b) => b.revision - a.revision)[0] as SimRevision;
}

async function measureOne(
  generated: GeneratedAccount,
  resource: string,
  event: (at: number) => unknown,
  floor: number,
): Promise<ChangeFigures> {
  const clock = new VirtualClock(BENCH_START);
  const aws = simulateAws(generated.account, { ecs: { throttleClock: clock } });
  const rule = container(generated.account.accountId, clock, aws.clients);
  const first = await invoke(rule, event(clock.now()), clock);
  const callsByAction = new Map(aws.ecs.calls);
  const calls = totalOf(byBucket(callsByAction));
  const written = aws.config.written.length;
  // An hour later, nothing changed: the same notification again (Config re-sends it, or the owner scales).
  await clock.sleep(3_600_000);
  const repeat = await invoke(rule, event(clock.now()), clock);
  return {
    resource,
    calls,
    callsByAction,
    floor,
    written,
    repeatWritten: aws.config.written.length - written,
    repeatCalls: aws.ecs.totalCalls - calls,
    failure: first.failure ?? repeat.failure,
  };
}

/** One task definition change and one service change of the busiest family, each in a fresh container. */
export async function measureChangePath(generated: GeneratedAccount): Promise<ChangePathFigures> {
  const { account } = generated;
  const family = busiestFamily(account);
  const latest = latestActive(account, family);
  const taskDefinition = await measureOne(
    generated,
    `task definition ${family}`,
    (at) => taskDefinitionChangeEvent(account, latest, at),
    familyReadFloor(account, family, `${latest.family}:${latest.revision}`),
  );
  const cluster = [...account.clusters].sort(
    (a, b) =>
      b.tasks.filter((task) => task.service === `svc-${family}`).length -
      a.tasks.filter((task) => task.service === `svc-${family}`).length,
  )[0];
  const serviceTasks = cluster?.tasks.filter((task) => task.service === `svc-${family}`) ?? [];
  const service = {
    cluster: cluster?.name ?? "",
    name: `svc-${family}`,
    taskDefinition: serviceTasks[0]?.taskDefinition ?? `${family}:1`,
    desiredCount: serviceTasks.length,
  };
  const serviceFigures = await measureOne(
    generated,
    `service ${service.cluster}/${service.name}`,
    (at) => serviceChangeEvent(account, service, at),
    // The item names no pidMode: every in-use revision of the family is described, plus one DescribeServices.
    familyReadFloor(account, family, undefined) + 1,
  );
  return { taskDefinition, service: serviceFigures };
}
