import { type BucketRate, sharedRate } from "../lambda/index";
import type { SimAccount } from "../sim/account";
import { BUCKET_OF_ACTION, ECS_PUBLISHED_BUCKETS, type EcsBucket } from "../sim/ecsThrottling";
import { PAGE } from "../sim/paging";

/** Calls per ECS bucket. */
export type BucketCalls = Record<EcsBucket, number>;

export function byBucket(callsByAction: ReadonlyMap<string, number>): BucketCalls {
  const calls: BucketCalls = {
    clusterRead: 0,
    clusterResourceRead: 0,
    taskDefinitionRead: 0,
    serviceRead: 0,
  };
  for (const [action, count] of callsByAction) {
    const bucket = BUCKET_OF_ACTION[action];
    if (bucket === undefined) throw new Error(`no ECS bucket known for ${action}`);
    calls[bucket] += count;
  }
  return calls;
}

export const totalOf = (calls: BucketCalls): number =>
  calls.clusterRead + calls.clusterResourceRead + calls.taskDefinitionRead + calls.serviceRead;

/**
 * The fewest ECS calls any correct sweep needs: ListClusters pages, each cluster's ListTasks pages (an
 * empty cluster still takes one), DescribeTasks batches and ListDaemons page, one DescribeTaskDefinition per in-use revision,
 * and one DescribeServices per 10 services of a cluster that it judges (those whose tasks run).
 */
export function sweepFloor(account: SimAccount, inUseRevisions: number): BucketCalls {
  let clusterResourceRead = 0;
  let serviceRead = 0;
  for (const cluster of account.clusters) {
    const running = cluster.tasks.length;
    // One ListDaemons per cluster (the daemon APIs are paced as cluster resource reads); these accounts run no daemons.
    clusterResourceRead += Math.max(1, Math.ceil(running / PAGE)) + Math.ceil(running / PAGE) + 1;
    const services = new Set(cluster.tasks.flatMap((task) => (task.service ? [task.service] : [])));
    serviceRead += Math.ceil(services.size / 10);
  }
  return {
    clusterRead: Math.max(1, Math.ceil(account.clusters.length / PAGE)),
    clusterResourceRead,
    taskDefinitionRead: inUseRevisions,
    serviceRead,
  };
}

/** Prowler/Steampipe: ListTaskDefinitions (ACTIVE) pages, then one DescribeTaskDefinition per ACTIVE revision. */
export function describeEveryFloor(activeRevisions: number): BucketCalls {
  return {
    clusterRead: 0,
    clusterResourceRead: 0,
    taskDefinitionRead: Math.max(1, Math.ceil(activeRevisions / PAGE)) + activeRevisions,
    serviceRead: 0,
  };
}

/** Seconds a full bucket needs to serve `calls`: the burst at once, the rest at the refill rate. */
export function bucketSeconds(calls: number, rate: BucketRate): number {
  return Math.max(0, calls - rate.burst) / rate.refillPerSecond;
}

/** The busiest of ECS's published buckets sets the pace: the time no client sharing them this way can beat. */
export function bucketBoundSeconds(
  calls: BucketCalls,
  share: number,
): { seconds: number; bucket: EcsBucket } {
  let slowest = { seconds: 0, bucket: "clusterRead" as EcsBucket };
  for (const bucket of Object.keys(ECS_PUBLISHED_BUCKETS) as EcsBucket[]) {
    const seconds = bucketSeconds(calls[bucket], sharedRate(ECS_PUBLISHED_BUCKETS[bucket], share));
    if (seconds > slowest.seconds) slowest = { seconds, bucket };
  }
  return slowest;
}
