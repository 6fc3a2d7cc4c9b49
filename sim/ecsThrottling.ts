// ECS's side of throttling, as AWS publishes it (aws-facts.md): token buckets per account and Region, each
// shared by every action in it. The simulator keeps its own table rather than the rule's, so that a wrong
// client-side limit shows up as throttling in the simulation instead of being copied into it.
import type { Clock } from "../lambda/index";

export interface PublishedRate {
  readonly burst: number;
  readonly refillPerSecond: number;
}

/** ECS's published read buckets, as its throttling table lists them: the actions, the burst and the refill. */
export const ECS_PUBLISHED_BUCKETS = {
  clusterRead: { actions: ["ListClusters", "DescribeClusters"], burst: 50, refillPerSecond: 20 },
  clusterResourceRead: {
    // The daemon APIs are not in the published table; the simulator counts them as cluster resource reads,
    // as the rule assumes (lambda/adapters/ecsReadBuckets.ts).
    actions: [
      "ListTasks",
      "DescribeTasks",
      "ListContainerInstances",
      "DescribeContainerInstances",
      "ListDaemons",
      "DescribeDaemon",
      "DescribeDaemonRevisions",
    ],
    burst: 100,
    refillPerSecond: 20,
  },
  taskDefinitionRead: {
    // DescribeDaemonTaskDefinition is not in the published table; the simulator counts it as a task definition read.
    actions: [
      "DescribeTaskDefinition",
      "ListTaskDefinitions",
      "ListTaskDefinitionFamilies",
      "DescribeDaemonTaskDefinition",
    ],
    burst: 50,
    refillPerSecond: 20,
  },
  serviceRead: { actions: ["ListServices", "DescribeServices"], burst: 100, refillPerSecond: 20 },
} as const satisfies Record<string, PublishedRate & { readonly actions: readonly string[] }>;

export type EcsBucket = keyof typeof ECS_PUBLISHED_BUCKETS;

/** The bucket each ECS read action draws from. */
export const BUCKET_OF_ACTION: Readonly<Record<string, EcsBucket>> = Object.fromEntries(
  (Object.keys(ECS_PUBLISHED_BUCKETS) as EcsBucket[]).flatMap((bucket) =>
    ECS_PUBLISHED_BUCKETS[bucket].actions.map((action) => [action, bucket]),
  ),
);

/** AWS's side of one token bucket: a call finding it empty is throttled, as ECS does. */
export class ServerBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly rate: PublishedRate,
    private readonly clock: Clock,
  ) {
    this.tokens = rate.burst;
    this.updatedAt = clock.now();
  }

  tryTake(): boolean {
    const now = this.clock.now();
    this.tokens = Math.min(
      this.rate.burst,
      this.tokens + ((now - this.updatedAt) / 1000) * this.rate.refillPerSecond,
    );
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** One server-side bucket per published ECS bucket, on `clock`. */
export function serverBuckets(clock: Clock): Record<EcsBucket, ServerBucket> {
  const bucket = (name: EcsBucket) => new ServerBucket(ECS_PUBLISHED_BUCKETS[name], clock);
  return {
    clusterRead: bucket("clusterRead"),
    clusterResourceRead: bucket("clusterResourceRead"),
    taskDefinitionRead: bucket("taskDefinitionRead"),
    serviceRead: bucket("serviceRead"),
  };
}
