import type { ECSClient } from "@aws-sdk/client-ecs";
import type { Clock } from "./clock";
import { type RetryPolicy, withRetry } from "./retry";
import type { EcsBucketName, TokenBucket } from "./tokenBucket";

/** The one way the adapters call ECS: a token from the right bucket before every attempt, retries on throttling. */
export class EcsCaller {
  constructor(
    readonly client: Pick<ECSClient, "send">,
    private readonly limiters: Record<EcsBucketName, TokenBucket>,
    readonly clock: Clock,
    private readonly retryPolicy?: RetryPolicy,
  ) {}

  call<T>(bucket: EcsBucketName, send: (client: Pick<ECSClient, "send">) => Promise<T>): Promise<T> {
    return withRetry(() => send(this.client), this.clock, {
      beforeAttempt: () => this.limiters[bucket].take(),
      ...(this.retryPolicy ? { policy: this.retryPolicy } : {}),
    });
  }
}

export function isClusterNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === "ClusterNotFoundException";
}
