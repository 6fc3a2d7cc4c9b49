import { isThrottling, withRetry } from "../adapters/retry";
import { DEFAULT_ECS_RATE_SHARE } from "../core/ruleDefaults";
import type { Clock } from "../util/clock";
import { sharedRate, TokenBucket } from "../util/tokenBucket";
import { needing } from "./permissions";

/**
 * The read buckets a remediation reads from: ECS's published ones, and conservative paces for Elastic Load
 * Balancing (no published figure) and EC2's describe calls.
 */
const BUCKETS = {
  serviceRead: { burst: 100, refillPerSecond: 20 },
  clusterRead: { burst: 50, refillPerSecond: 20 },
  clusterResourceRead: { burst: 100, refillPerSecond: 20 },
  taskDefinitionRead: { burst: 50, refillPerSecond: 20 },
  elbRead: { burst: 10, refillPerSecond: 5 },
  ec2Read: { burst: 100, refillPerSecond: 20 },
} as const;

export type RemediationBucket = keyof typeof BUCKETS;

/** Reads paced by a share of each bucket and retried on throttling and transient errors; AccessDenied named. */
export class PacedCalls {
  private readonly buckets: Record<RemediationBucket, TokenBucket>;

  constructor(
    readonly clock: Clock,
    share = DEFAULT_ECS_RATE_SHARE,
  ) {
    const bucket = (name: RemediationBucket) => new TokenBucket(sharedRate(BUCKETS[name], share), clock);
    this.buckets = {
      serviceRead: bucket("serviceRead"),
      clusterRead: bucket("clusterRead"),
      clusterResourceRead: bucket("clusterResourceRead"),
      taskDefinitionRead: bucket("taskDefinitionRead"),
      elbRead: bucket("elbRead"),
      ec2Read: bucket("ec2Read"),
    };
  }

  read<T>(bucket: RemediationBucket, action: string, send: () => Promise<T>): Promise<T> {
    const limiter = this.buckets[bucket];
    return needing(action, () =>
      withRetry(
        async () => {
          try {
            const result = await send();
            limiter.speedUp();
            return result;
          } catch (error) {
            if (isThrottling(error)) limiter.slowDown();
            throw error;
          }
        },
        this.clock,
        { beforeAttempt: () => limiter.take() },
      ),
    );
  }

  /**
   * A write is retried only when ECS throttled it, which means it was not carried out: a retry after a
   * timeout could register a second revision.
   */
  async write<T>(action: string, send: () => Promise<T>, attempts = 5): Promise<T> {
    return needing(action, async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await send();
        } catch (error) {
          if (attempt >= attempts || !isThrottling(error)) throw error;
          await this.clock.sleep(500 * 2 ** (attempt - 1));
        }
      }
    });
  }
}
