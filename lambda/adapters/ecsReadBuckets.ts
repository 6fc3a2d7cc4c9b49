import { InvalidSettingError } from "../errors";
import type { Clock } from "../util/clock";
import { type BucketRate, sharedRate, TokenBucket } from "../util/tokenBucket";

/**
 * ECS's published read buckets (per account and Region). The daemon APIs are not in the published table:
 * ListDaemons, DescribeDaemon and DescribeDaemonRevisions are paced as cluster resource reads, and
 * DescribeDaemonTaskDefinition as a task definition read. Conservative either way: if ECS gives them a bucket
 * of their own, the rule only goes slower than it could (one ListDaemons per cluster beside a ListTasks per
 * cluster, so a few percent of the busiest bucket); if it counts them with ListTasks and DescribeTasks, the
 * rule's share of that bucket is kept. Assuming a bucket of their own would be the one guess that could
 * overrun a shared bucket and throttle the owner's tooling.
 */
export const ECS_READ_BUCKETS = {
  clusterRead: { burst: 50, refillPerSecond: 20 },
  clusterResourceRead: { burst: 100, refillPerSecond: 20 },
  taskDefinitionRead: { burst: 50, refillPerSecond: 20 },
  serviceRead: { burst: 100, refillPerSecond: 20 },
} as const satisfies Record<string, BucketRate>;

export type EcsBucketName = keyof typeof ECS_READ_BUCKETS;

/** One limiter per ECS bucket, each at `share` (0 < share <= 1) of AWS's rate. */
export function ecsLimiters(share: number, clock: Clock): Record<EcsBucketName, TokenBucket> {
  if (!(share > 0 && share <= 1))
    throw new InvalidSettingError(`ECS rate share must be in (0, 1], got ${share}`);
  const scaled = (rate: BucketRate): TokenBucket => new TokenBucket(sharedRate(rate, share), clock);
  return {
    clusterRead: scaled(ECS_READ_BUCKETS.clusterRead),
    clusterResourceRead: scaled(ECS_READ_BUCKETS.clusterResourceRead),
    taskDefinitionRead: scaled(ECS_READ_BUCKETS.taskDefinitionRead),
    serviceRead: scaled(ECS_READ_BUCKETS.serviceRead),
  };
}
