// The change notifications the call-count tests send to the benchmark's generated accounts, and the fewest
// ECS calls each one needs: a task definition change and a service change of the account's busiest family.
import type { GeneratedAccount } from "../../bench/accounts";
import { serviceChangeEvent, taskDefinitionChangeEvent } from "../../bench/events";
import type { SimAccount, SimRevision } from "../../sim/account";
import { PAGE } from "../../sim/paging";

export interface FamilyChange {
  readonly resource: string;
  /** The notification, sent at `at`. */
  event(at: number): unknown;
  /** The fewest ECS calls a correct rule needs to judge it. */
  readonly floor: number;
}

const familyOf = (label: string) => label.split(":")[0] as string;

/** The family with the most RUNNING tasks: the costliest family read of the account. */
function busiestFamily(account: SimAccount): string {
  const tasks = new Map<string, number>();
  for (const cluster of account.clusters)
    for (const task of cluster.tasks)
      tasks.set(familyOf(task.taskDefinition), (tasks.get(familyOf(task.taskDefinition)) ?? 0) + 1);
  return [...tasks].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] as string;
}

/**
 * The floor of a family's change: ListClusters pages, one ListTasks page per cluster (more where the
 * family has over 100 tasks in it), one DescribeTasks per 100 of the family's tasks in each cluster, one
 * DescribeTaskDefinition per in-use revision of the family the item does not describe already.
 */
export function familyReadFloor(
  account: SimAccount,
  family: string,
  describedByItem: string | undefined,
): number {
  let calls = Math.max(1, Math.ceil(account.clusters.length / PAGE));
  const inUse = new Set<string>();
  for (const cluster of account.clusters) {
    const tasks = cluster.tasks.filter((task) => familyOf(task.taskDefinition) === family);
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

/** One task definition change and one service change of the busiest family. */
export function busiestFamilyChanges(generated: GeneratedAccount): {
  taskDefinition: FamilyChange;
  service: FamilyChange;
} {
  const { account } = generated;
  const family = busiestFamily(account);
  const latest = latestActive(account, family);
  const serviceName = `svc-${family}`;
  const tasksOf = (cluster: SimAccount["clusters"][number]) =>
    cluster.tasks.filter((task) => task.service === serviceName);
  const cluster = [...account.clusters].sort((a, b) => tasksOf(b).length - tasksOf(a).length)[0];
  const serviceTasks = cluster ? tasksOf(cluster) : [];
  const service = {
    cluster: cluster?.name ?? "",
    name: serviceName,
    taskDefinition: serviceTasks[0]?.taskDefinition ?? `${family}:1`,
    desiredCount: serviceTasks.length,
  };
  return {
    taskDefinition: {
      resource: `task definition ${family}`,
      event: (at) => taskDefinitionChangeEvent(account, latest, at),
      floor: familyReadFloor(account, family, `${latest.family}:${latest.revision}`),
    },
    service: {
      resource: `service ${service.cluster}/${service.name}`,
      event: (at) => serviceChangeEvent(account, service, at),
      // The item names no pidMode: every in-use revision of the family is described, plus one DescribeServices.
      floor: familyReadFloor(account, family, undefined) + 1,
    },
  };
}
