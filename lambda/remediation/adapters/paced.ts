import type { ECSClient } from "@aws-sdk/client-ecs";
import { EcsCaller } from "../../adapters/ecsCalls";
import { type EcsBucketName, ecsLimiters } from "../../adapters/ecsReadBuckets";
import { isThrottling, withRetry } from "../../adapters/retry";
import { DEFAULT_ECS_RATE_SHARE } from "../../core/ruleDefaults";
import type { Clock } from "../../util/clock";
import { sharedRate, TokenBucket } from "../../util/tokenBucket";
import { needing } from "./permissions";

/**
 * The read buckets of the services the rule does not call: conservative paces for Elastic Load Balancing (no
 * published figure) and EC2's describe calls. ECS reads go through the rule's own caller and buckets.
 */
const BUCKETS = {
  elbRead: { burst: 10, refillPerSecond: 5 },
  ec2Read: { burst: 100, refillPerSecond: 20 },
} as const;

export type RemediationBucket = keyof typeof BUCKETS;

/**
 * One run's pacing: ECS reads through the rule's paced caller (EcsCaller, on ECS's published buckets at
 * `share`), Elastic Load Balancing and EC2 reads paced here; every read retried on throttling and transient
 * errors, AccessDenied named.
 */
export class PacedCalls {
  private readonly buckets: Record<RemediationBucket, TokenBucket>;
  private readonly ecsBuckets: Record<EcsBucketName, TokenBucket>;

  constructor(
    readonly clock: Clock,
    share = DEFAULT_ECS_RATE_SHARE,
  ) {
    const bucket = (name: RemediationBucket) => new TokenBucket(sharedRate(BUCKETS[name], share), clock);
    this.buckets = { elbRead: bucket("elbRead"), ec2Read: bucket("ec2Read") };
    this.ecsBuckets = ecsLimiters(share, clock);
  }

  /** The rule's paced ECS caller over `client`, on this run's ECS limiters (shared by every caller of it). */
  ecs(client: Pick<ECSClient, "send">): EcsCaller {
    return new EcsCaller(client, this.ecsBuckets, this.clock);
  }

  /** An ECS read through the rule's caller; AccessDenied becomes the missing permission, named. */
  ecsRead<T>(
    caller: EcsCaller,
    bucket: EcsBucketName,
    action: string,
    send: (client: Pick<ECSClient, "send">) => Promise<T>,
  ): Promise<T> {
    return needing(action, () => caller.call(bucket, send));
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
