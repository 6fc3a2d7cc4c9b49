import type { ECSClient } from "@aws-sdk/client-ecs";
import type { Clock } from "../util/clock";
import type { InvocationDeadline } from "../util/deadline";
import type { TokenBucket } from "../util/tokenBucket";
import type { EcsBucketName } from "./ecsReadBuckets";
import { isThrottling, type RetryPolicy, withRetry } from "./retry";

/**
 * The one way the adapters call ECS: a token from the right bucket before every attempt, retries on
 * throttling and transient failures, every wait within the invocation's time for reading, and the bucket told whether ECS
 * throttled (it slows down) or answered (it speeds back up).
 */
export class EcsCaller {
  /** Attempts sent, retries included: what a read cost. */
  attempts = 0;

  constructor(
    readonly client: Pick<ECSClient, "send">,
    private readonly limiters: Record<EcsBucketName, TokenBucket>,
    readonly clock: Clock,
    private readonly retryPolicy?: RetryPolicy,
    private readonly deadline?: InvocationDeadline,
  ) {}

  call<T>(bucket: EcsBucketName, send: (client: Pick<ECSClient, "send">) => Promise<T>): Promise<T> {
    const limiter = this.limiters[bucket];
    const attempt = async (): Promise<T> => {
      this.attempts++;
      try {
        const result = await send(this.client);
        limiter.speedUp();
        return result;
      } catch (error) {
        if (isThrottling(error)) limiter.slowDown();
        throw error;
      }
    };
    return withRetry(attempt, this.clock, {
      beforeAttempt: () => limiter.take(this.deadline?.reads),
      ...(this.retryPolicy ? { policy: this.retryPolicy } : {}),
      ...(this.deadline ? { budget: this.deadline.reads } : {}),
    });
  }
}

export function isClusterNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === "ClusterNotFoundException";
}
